"""Migrations: a single head, `flask db upgrade` from empty on SQLite and PostgreSQL, and the
migrated schema matches the models (security.md row 25)."""
import logging
import uuid
from contextlib import contextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from brokerage import PROJECT_ROOT, create_app
from brokerage.extensions import db
from config import TestingConfig
from tests.conftest import POSTGRES_URL, skip_or_fail

MIGRATIONS = PROJECT_ROOT / "migrations"


@pytest.fixture(autouse=True)
def keep_logging():
    """Alembic's env.py calls logging.fileConfig, which disables every existing logger;
    restore them so later tests still see the application's log records."""
    manager = logging.root.manager
    disabled = {name: logger.disabled for name, logger in manager.loggerDict.items()
                if isinstance(logger, logging.Logger)}
    root_handlers, root_level = list(logging.root.handlers), logging.root.level
    yield
    for name, logger in manager.loggerDict.items():
        if isinstance(logger, logging.Logger):
            logger.disabled = disabled.get(name, False)
    logging.root.handlers[:] = root_handlers
    logging.root.setLevel(root_level)


def test_the_migrations_have_a_single_head():
    config = AlembicConfig(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def _upgrade_and_compare(url: str) -> list:
    """Run `flask db upgrade` on an empty database; return the differences from the models."""
    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": url})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    with app.app_context():
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        _assert_audit_trail_refuses_changes()
        db.engine.dispose()
    return differences


def _assert_audit_trail_refuses_changes():
    """The migration, not only create_all, installs the append-only triggers."""
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO audit_event (at, action, object_type, summary) "
                                "VALUES (CURRENT_TIMESTAMP, 'test.created', 'test', 'A test event')"))
    for statement in ("UPDATE audit_event SET summary = 'rewritten'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError):
            with db.engine.begin() as connection:
                connection.execute(text(statement))


def test_upgrade_from_empty_on_sqlite_matches_the_models(tmp_path):
    assert _upgrade_and_compare(f"sqlite:///{tmp_path / 'migrated.sqlite3'}") == []


@contextmanager
def fresh_postgres_database():
    """A uniquely named, empty PostgreSQL database on the TEST_DATABASE_URL server, dropped afterwards."""
    import psycopg

    server = make_url(POSTGRES_URL)
    name = f"brokerage_migration_{uuid.uuid4().hex[:12]}"
    admin_dsn = server.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_upgrade_from_empty_on_postgresql_matches_the_models():
    if not POSTGRES_URL:
        skip_or_fail("postgres", "TEST_DATABASE_URL is not set")
    with fresh_postgres_database() as url:
        assert _upgrade_and_compare(url) == []


def test_the_finer_search_bands_are_recomputed_for_existing_activities_both_ways(tmp_path):
    """0006 halves the band height: an activity listed before it is found in its new band after
    it, and in its old one again after a downgrade."""
    from datetime import date

    from brokerage.directory.listings.models import Activity
    from brokerage.partners.models import Partner

    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'bands.sqlite3'}"})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    latitude = 53.6458
    with app.app_context():
        partner = Partner(name="Band Partner", name_key="band partner", type="informal_group")
        db.session.add(partner)
        db.session.flush()
        db.session.add(Activity(title="Band walk", description="A walk.", partner_id=partner.id, latitude=latitude,
                                longitude=-1.785, last_checked_on=date(2026, 6, 1)))
        db.session.commit()

        def bands() -> set:
            return {db.session.scalar(text("SELECT search_band FROM activity")),
                    *db.session.scalars(text("SELECT search_band FROM activity_search_term"))}
        assert bands() == {int(latitude // 0.01)}
        db.session.remove()
        assert runner.invoke(args=["db", "downgrade", "0005"]).exit_code == 0
        assert bands() == {int(latitude // 0.02)}
        db.session.remove()
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
        assert bands() == {int(latitude // 0.01)} and db.session.scalar(
            text("SELECT count(*) FROM activity_search_term")) > 0
        db.engine.dispose()


def test_activities_listed_before_the_search_index_are_indexed_by_todays_upgrade(tmp_path):
    """A database from before 0003 that holds activities upgrades to the head: the index is built
    once, by the latest change to its shape, not by an early migration running today's code
    against yesterday's columns."""
    from datetime import date

    from brokerage.directory.listings.models import Activity
    from brokerage.partners.models import Partner

    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}"})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():
        partner = Partner(name="Old Partner", name_key="old partner", type="informal_group")
        db.session.add(partner)
        db.session.flush()
        db.session.add(Activity(title="Painting club", description="Paint together.", partner_id=partner.id,
                                latitude=53.6458, longitude=-1.785, last_checked_on=date(2026, 6, 1)))
        db.session.commit()
        db.session.remove()
        assert runner.invoke(args=["db", "downgrade", "0002"]).exit_code == 0
        result = runner.invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output + repr(result.exception)
        assert db.session.scalar(text("SELECT max(weight) FROM activity_search_term")) > 0
        db.engine.dispose()
