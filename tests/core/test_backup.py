"""`flask backup` copies a live SQLite database into a file that restores with every record."""
import sqlite3

import pytest

from brokerage.core.values.roles import Role


@pytest.fixture
def sqlite_only(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("flask backup is for SQLite; PostgreSQL deployments use pg_dump")


def test_backup_copy_holds_every_account_and_passes_integrity_check(sqlite_only, runner, make_user, tmp_path):
    make_user(Role.COORDINATOR, email="casey@example.org")
    target = tmp_path / "copy.sqlite3"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT email FROM user_account").fetchall() == [("casey@example.org",)]
        assert copy.execute("SELECT count(*) FROM audit_event").fetchone()[0] == 1


def test_backup_refuses_to_overwrite_an_existing_file(sqlite_only, runner, tmp_path):
    target = tmp_path / "copy.sqlite3"
    target.write_text("precious")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert target.read_text() == "precious"


def test_backup_of_postgresql_points_to_pg_dump(app, tmp_path):
    from brokerage.backup import BackupError, backup_sqlite
    with pytest.raises(BackupError, match="pg_dump"):
        backup_sqlite("postgresql+psycopg://postgres@127.0.0.1/x", tmp_path / "x.sqlite3")
