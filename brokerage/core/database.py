"""Engine settings that keep SQLite safe under concurrent writers.

SQLite: WAL (readers never block the writer), a busy timeout so writers queue instead of
failing, foreign keys on, and write transactions that take the write lock up front
(`BEGIN IMMEDIATE`) so that a read followed by a dependent write can never deadlock on a
lock upgrade ("database is locked"). Safe requests (GET/HEAD) begin deferred and stay
concurrent; everything else, including CLI commands, begins immediate.
"""
from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
BUSY_TIMEOUT_MS = 15000


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record):
    if not _is_sqlite(dbapi_connection):
        return
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _wants_write_lock() -> bool:
    return not (has_request_context() and request.method in SAFE_METHODS)


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection):
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write_lock() else "BEGIN")
