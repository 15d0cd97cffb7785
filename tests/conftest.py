"""Shared fixtures: a fresh database per test (SQLite file, or PostgreSQL when
TEST_DATABASE_URL is set), a test client that sends CSRF tokens like a browser, sign-in
helpers, and factories that create data through the services so it obeys the rules."""
import gc
import html
import os
import re
import shutil
import sys
from contextlib import contextmanager
from datetime import datetime, timezone

import pytest
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from brokerage import create_app
from brokerage.accounts import services as accounts
from brokerage.core.data.database import LOCK_SUFFIX
from brokerage.core.values.roles import Role
from brokerage.extensions import db
from brokerage.seeding import seed_localities
from config import TestingConfig

from .app_build_cache import SHARED_ENGINES, TEMPLATE_CACHE, share_compiled_rules

PASSWORD = "correct horse battery staple"
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1... under pytest-xdist
REQUIRED = {item.strip() for item in os.environ.get("BROKERAGE_REQUIRE", "").split(",") if item.strip()}
share_compiled_rules()
SHARED_ENGINES.install(db)


def keep_the_collector_off_the_modules() -> None:
    """Move everything imported so far (the app's modules, SQLAlchemy's mappers, the metadata) out
    of the garbage collector's reach, and collect less often: a test process allocates far more
    than a server does, and full collections walking those long-lived objects again and again
    cost about a seventh of the suite's CPU. Nothing created afterwards is frozen. (Building one
    app first imports every module the tests will use.)"""
    create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)


keep_the_collector_off_the_modules()


def skip_or_fail(what: str, reason: str):
    """Skip with a reason, or fail when CI said this kind of test must run (BROKERAGE_REQUIRE)."""
    if what in REQUIRED:
        pytest.fail(f"{what} tests are required here but cannot run: {reason}")
    pytest.skip(reason)


class CSRFClient(FlaskClient):
    """Adds a valid CSRF token to form posts, as the browser would from the page's form.
    Pass csrf=False to send none."""

    def csrf_token(self) -> str:
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", os.urandom(20).hex())
        return URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token").dumps(raw)

    def post(self, *args, csrf: bool = True, **kwargs):
        data = kwargs.get("data")
        if csrf and (data is None or isinstance(data, dict)):
            kwargs["data"] = {"csrf_token": self.csrf_token(), **(data or {})}
        return super().post(*args, **kwargs)


def _table_names() -> list[str]:
    return [table.name for table in reversed(db.metadata.sorted_tables)]


def test_overrides(database_url: str) -> dict:
    """Test apps' settings. On PostgreSQL, commits need not wait for the disk: a crash mid-test
    loses nothing that matters, and the suite runs several times faster."""
    overrides = {"SQLALCHEMY_DATABASE_URI": database_url}
    if database_url.startswith("postgresql"):
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": "-c synchronous_commit=off"}}
    return overrides


# Every sequence a test drew from, including those of tables it emptied again itself, so that ids
# start at 1 in every test whatever ran before it.
RESTART_USED_SEQUENCES = ("SELECT setval(format('%I.%I', schemaname, sequencename), 1, false) "
                          "FROM pg_sequences WHERE last_value IS NOT NULL")


def _empty_postgres_tables() -> None:
    """Empty the tables this test wrote to and restart the ids it used. DELETE with triggers off
    (replica role: the append-only triggers would refuse, and FK order no longer matters) is
    far cheaper than TRUNCATE, which rewrites every table that references the emptied ones."""
    names = _table_names()
    probe = " UNION ALL ".join(f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM \"{name}\")" for name in names)
    with db.engine.begin() as connection:
        used = [row[0] for row in connection.execute(text(probe))]
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        for name in used:
            connection.execute(text(f'DELETE FROM "{name}"'))
        connection.execute(text(RESTART_USED_SEQUENCES))


def worker_postgres_url(base_url: str, worker: str) -> str:
    """The PostgreSQL database this test process owns. A lone run uses TEST_DATABASE_URL itself;
    under pytest-xdist each worker gets its own, made afresh beside it (`<name>_gw0`, ...), so that
    workers never empty each other's tables."""
    if not worker:
        return base_url
    import psycopg

    server = make_url(base_url)
    name = f"{server.database}_{worker}"
    admin_dsn = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return server.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_schema():
    """Build the schema once per test process on PostgreSQL; each test then empties the tables."""
    if not POSTGRES_URL:
        return None
    url = worker_postgres_url(POSTGRES_URL, WORKER)
    app = create_app(TestingConfig, test_overrides(url))
    with app.app_context():
        db.drop_all()
        db.session.execute(text("DROP FUNCTION IF EXISTS audit_event_append_only() CASCADE"))
        db.session.commit()
        db.create_all()
        db.engine.dispose()
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A SQLite file with the schema and the localities, built once per test process; each test
    starts from a copy, which costs a file copy instead of creating ~60 tables and their indexes."""
    if POSTGRES_URL:
        return None
    path = tmp_path_factory.mktemp("template") / "schema.sqlite3"
    app = create_app(TestingConfig, test_overrides(f"sqlite:///{path}"))
    with app.app_context():
        db.create_all()
        seed_localities()
        db.session.remove()
        db.engine.dispose()  # the last connection checkpoints the WAL into the file
    return path


@pytest.fixture(scope="session")
def sqlite_path(tmp_path_factory):
    """The one SQLite path this test process's tests use in turn (so their apps can share an engine)."""
    return tmp_path_factory.mktemp("database") / "test.sqlite3"


@pytest.fixture
def database_url(postgres_schema, sqlite_template, sqlite_path):
    if postgres_schema:
        return postgres_schema
    for suffix in ("", "-wal", "-shm", LOCK_SUFFIX):  # new files, never ones an old connection still holds
        sqlite_path.with_name(sqlite_path.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(sqlite_template, sqlite_path)
    return f"sqlite:///{sqlite_path}"


@pytest.fixture
def app(database_url):
    SHARED_ENGINES.sharing = True
    try:
        app = create_app(TestingConfig, test_overrides(database_url))
    finally:
        SHARED_ENGINES.sharing = False
    app.test_client_class = CSRFClient
    app.jinja_env.bytecode_cache = TEMPLATE_CACHE
    if database_url.startswith("postgresql"):
        with app.app_context():
            seed_localities()
    yield app
    with app.app_context():
        db.session.remove()
        if database_url.startswith("postgresql"):
            _empty_postgres_tables()  # the pool's connections stay: the next test's database is this one
        else:
            db.engine.dispose()  # the next test's file replaces this one at the same path


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """make_user(Role.CHAMPION, ...) -> a User with PASSWORD, created through the service."""
    counter = iter(range(1, 10_000))

    def make(*roles: Role, name: str | None = None, email: str | None = None, password: str = PASSWORD):
        number = next(counter)
        with app.app_context():
            user = accounts.create_user(actor=None, email=email or f"person{number}@example.org",
                                        name=name or f"Person {number}", roles=roles or [Role.CHAMPION],
                                        password=password)
            db.session.refresh(user)
            _ = user.roles  # load before detaching, so tests can read it
            db.session.expunge(user)
        return user
    return make


class Auth:
    def __init__(self, client: CSRFClient, make_user):
        self.client = client
        self.make_user = make_user

    def login(self, user, password: str = PASSWORD):
        response = self.client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, "sign-in failed"
        return user

    def login_as(self, *roles: Role, **kwargs):
        """Create a user with these roles and sign them in."""
        return self.login(self.make_user(*roles, **kwargs))

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client, make_user):
    return Auth(client, make_user)


@pytest.fixture
def coordinator(auth):
    return auth.login_as(Role.COORDINATOR, name="Casey Coordinator")


@pytest.fixture
def fixed_now(monkeypatch, app):
    """Freeze `utcnow` wherever it is imported; returns a setter to move time on.
    (Depends on `app` so that every view module is imported before it is patched.)"""
    state = {"now": datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)}

    def now() -> datetime:
        return state["now"]

    for module_name, module in list(sys.modules.items()):
        if module_name.startswith("brokerage.") and callable(getattr(module, "utcnow", None)):
            monkeypatch.setattr(module, "utcnow", now)

    def set_now(moment: datetime) -> None:
        state["now"] = moment
    set_now.now = now
    return set_now


@pytest.fixture
def count_queries(app):
    """with count_queries() as counter: ...; counter.count is the number of SQL statements."""
    @contextmanager
    def counting():
        class Counter:
            count = 0
            statements: list[str] = []

        def before(conn, cursor, statement, *args):
            Counter.count += 1
            Counter.statements.append(statement)
        engine = db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield Counter
        finally:
            event.remove(engine, "before_cursor_execute", before)
    with app.app_context():
        yield counting


def page_text(response) -> str:
    """The visible text of a response, whitespace folded, for assertions on messages."""
    body = response.get_data(as_text=True)
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip())


@pytest.fixture(scope="module")
def _gunicorn_servers():
    from tests.gunicorn_server import GunicornServers
    servers = GunicornServers()
    yield servers
    servers.stop()


@pytest.fixture
def live_gunicorn(app, database_url, _gunicorn_servers):
    """gunicorn with 4 worker processes serving this test's database (tests/gunicorn_server.py), one per
    module on PostgreSQL, where the database stays the same; one per test on SQLite, where each test
    gets a new file at the same path that an older server's connections would not see. Set data up
    through `app`, commit, then send requests."""
    yield _gunicorn_servers.serving(database_url)
    if database_url.startswith("sqlite"):
        _gunicorn_servers.stop()
