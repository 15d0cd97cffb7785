"""Engine settings that keep SQLite safe and quick under concurrent writers.

SQLite: WAL (readers never block the writer), a busy timeout so writers queue instead of
failing, foreign keys on, and write transactions that take the write lock up front
(`BEGIN IMMEDIATE`) so that a read followed by a dependent write can never deadlock on a
lock upgrade ("database is locked"). Safe requests (GET/HEAD) begin deferred and stay
concurrent; everything else, including CLI commands, begins immediate.

Writers queue on a lock file next to the database (`<database>.writer-lock`, `fcntl.flock`)
before `BEGIN IMMEDIATE`, and let it go as soon as their transaction ends. SQLite's own busy
handler sleeps in growing steps (up to 100 ms) and so leaves the database idle while writers
sleep; a waiter on the lock file checks again within a millisecond. The busy timeout stays as
the guard against writers that do not use the lock file (the sqlite3 shell, a read that turns
into a write). Waiting longer than the busy timeout raises "database is locked", as before.

A request's sign-in check reads the session in its own short read transaction
(`reading_before_writing`), so on SQLite the write lock is held only for the request's own work.
A safe request's one named write before its read-only work (`writing_first`) begins like any
other write.
"""

import fcntl
import os
import sqlite3
import time
from contextlib import contextmanager

from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import Pool

from ...extensions import db

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
BUSY_TIMEOUT_MS = 15000
LOCK_SUFFIX = ".writer-lock"
LOCK_POLL_SECONDS = (0.0001, 0.001)  # first and longest pause between checks of the lock file
WRITER_LOCK = "brokerage_writer_lock"


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


class WriterLock:
    """An exclusive lock on `<database>.writer-lock`, one per connection (flock locks belong
    to the open file, so connections in one process exclude each other as well)."""

    def __init__(self, path: str):
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self.held = False

    def acquire(self, timeout: float = BUSY_TIMEOUT_MS / 1000) -> None:
        deadline, pause = time.monotonic() + timeout, LOCK_POLL_SECONDS[0]
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OperationalError(
                        "BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked")
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, LOCK_POLL_SECONDS[1])
            else:
                self.held = True
                return

    def release(self) -> None:
        if self.held:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            self.held = False

    def close(self) -> None:
        self.release()
        os.close(self.fd)


def _database_file(dbapi_connection) -> str:
    """The main database's file, or "" for an in-memory database."""
    rows = dbapi_connection.execute("PRAGMA database_list").fetchall()
    return next((file for _, name, file in rows if name == "main"), "") or ""


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
    cursor.execute("PRAGMA cache_size = -65536")
    cursor.close()
    path = _database_file(dbapi_connection)
    if path:
        connection_record.info[WRITER_LOCK] = WriterLock(path + LOCK_SUFFIX)


def _writer_lock(connection) -> WriterLock | None:
    return connection.connection.info.get(WRITER_LOCK)  # the pool's record of this DBAPI connection


def _wants_write_lock() -> bool:
    if not has_request_context():
        return True
    if g.get("writing_first", False):
        return True
    return request.method not in SAFE_METHODS and not g.get("reading_before_writing", False)


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection):
    if connection.dialect.name != "sqlite":
        return
    if not _wants_write_lock():
        connection.exec_driver_sql("BEGIN")
        return
    lock = _writer_lock(connection)
    if lock is not None:
        lock.acquire()
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except Exception:
        if lock is not None:
            lock.release()
        raise


def _end_sqlite(connection, finish) -> None:
    """COMMIT or ROLLBACK now (SQLAlchemy's own call then finds no transaction) and let the
    lock file go once SQLite has let the database go."""
    if connection.dialect.name != "sqlite":
        return
    dbapi_connection = connection.connection.dbapi_connection
    try:
        if dbapi_connection.in_transaction:
            finish(dbapi_connection)
    except sqlite3.Error as error:  # as SQLAlchemy would have raised it (e.g. OperationalError: a 503 page)
        raise DBAPIError.instance(None, None, error, sqlite3.Error) from error
    finally:
        lock = _writer_lock(connection)
        if lock is not None and not dbapi_connection.in_transaction:
            lock.release()


@event.listens_for(Engine, "commit")
def _commit_sqlite(connection):
    _end_sqlite(connection, lambda dbapi_connection: dbapi_connection.commit())


@event.listens_for(Engine, "rollback")
def _rollback_sqlite(connection):
    _end_sqlite(connection, lambda dbapi_connection: dbapi_connection.rollback())


@event.listens_for(Pool, "reset")
def _release_on_reset(dbapi_connection, connection_record, reset_state):
    """A connection going back to the pool has no transaction left, so no lock either."""
    lock = connection_record.info.get(WRITER_LOCK)
    if lock is not None:
        lock.release()


@event.listens_for(Pool, "close")
def _close_lock_file(dbapi_connection, connection_record):
    lock = connection_record.info.pop(WRITER_LOCK, None)
    if lock is not None:
        lock.close()


@contextmanager
def reading_before_writing():
    """Run a request's first reads (who is signed in) in their own read transaction: on
    SQLite the transaction is ended afterwards without expiring what it loaded, so the
    request's writes begin afresh with `BEGIN IMMEDIATE` and hold the write lock only for
    their own work. Does nothing when a transaction is already under way."""
    session = db.session()
    if session.in_transaction() or not has_request_context() or request.method in SAFE_METHODS:
        yield
        return
    g.reading_before_writing = True
    try:
        yield
    finally:
        g.reading_before_writing = False
        _end_clean_read(session)


def _end_clean_read(session) -> None:
    """On SQLite, end a transaction that only read, without expiring what it loaded."""
    clean = not (session.new or session.dirty or session.deleted)
    if session.in_transaction() and session.get_bind().dialect.name == "sqlite" and clean:
        expire, session.expire_on_commit = session.expire_on_commit, False
        try:
            session.commit()
        finally:
            session.expire_on_commit = expire


@contextmanager
def writing_first():
    """For the one named write a safe (GET) request makes before its read-only work (settling
    due votes, collectives/voting/closing.py): end the read transaction under way, keeping what
    it loaded, and begin the write as every write begins, on SQLite with the lock file and
    `BEGIN IMMEDIATE`, so it never has to upgrade a read lock. In any other request, nothing."""
    if not has_request_context() or request.method not in SAFE_METHODS:
        yield
        return
    _end_clean_read(db.session())
    g.writing_first = True
    try:
        yield
    finally:
        g.writing_first = False
