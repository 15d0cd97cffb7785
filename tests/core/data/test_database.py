"""SQLite writers queue on a lock file next to the database (core/data/database.py): it is held
for exactly the write transaction, and a request's sign-in check does not need it."""
import fcntl
import os
from contextlib import contextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from brokerage.core.data.database import LOCK_SUFFIX, WriterLock
from brokerage.extensions import db

from tests.conftest import page_text


@pytest.fixture
def lock_path(app, database_url) -> str:
    if not database_url.startswith("sqlite"):
        pytest.skip("the lock file is for SQLite; PostgreSQL locks rows")
    return make_url(database_url).database + LOCK_SUFFIX


def lock_is_free(path: str) -> bool:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing the file lets go of a lock taken here
    return True


@contextmanager
def held(path: str):
    lock = WriterLock(path)
    lock.acquire()
    try:
        yield
    finally:
        lock.close()


def test_a_write_transaction_holds_the_lock_file_until_it_commits(app, lock_path):
    with app.app_context():
        db.session.execute(text("SELECT 1"))  # outside a request: a write transaction
        assert not lock_is_free(lock_path)
        db.session.commit()
        assert lock_is_free(lock_path)


def test_a_rolled_back_transaction_lets_the_lock_file_go(app, lock_path):
    with app.app_context():
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
        assert lock_is_free(lock_path)


def test_a_writer_that_waits_longer_than_the_busy_timeout_is_told_the_database_is_locked(app, lock_path):
    with held(lock_path):
        waiting = WriterLock(lock_path)
        with pytest.raises(OperationalError, match="database is locked"):
            waiting.acquire(timeout=0.05)
        waiting.close()
    assert lock_is_free(lock_path)


def test_the_sign_in_check_of_a_form_post_does_not_wait_for_the_write_lock(app, client, auth, lock_path):
    auth.login_as()
    with held(lock_path):  # another writer is busy: a request needing the lock would wait, then fail
        response = client.post("/account/password", data={})
    assert response.status_code == 200 and page_text(response).startswith("Error: Change your password")
    assert lock_is_free(lock_path)
