"""Online backup of the SQLite database (PostgreSQL deployments use pg_dump instead)."""

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    pass


def sqlite_path(database_uri: str) -> Path:
    url = make_url(database_uri)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError("flask backup copies a SQLite database file; for PostgreSQL use pg_dump (see README).")
    return Path(url.database)


def backup_sqlite(database_uri: str, destination: Path) -> Path:
    """Copy the live database with SQLite's online backup API (consistent while the app keeps
    writing), then check the copy's integrity. Refuses to overwrite an existing file."""
    source_path = sqlite_path(database_uri)
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose a new file name.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source_path) as source, sqlite3.connect(destination) as target:
        source.backup(target)
        result = target.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"the copy failed its integrity check: {result}")
    return destination
