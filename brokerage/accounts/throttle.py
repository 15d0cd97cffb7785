"""Sign-in throttling (security.md row 4), kept in the database so that every worker and host shares it.

Three counts of failed sign-ins, each a row under a keyed hash (no email or address in clear):

| count                                | limit (config)                                 | stops                    |
| ------------------------------------ | ---------------------------------------------- | ------------------------ |
| an account from one source address   | LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS (5) | guessing from one place  |
| one source address, across accounts  | LOGIN_MAX_FAILURES_PER_IP (15)                 | one place, many accounts |
| one account, across source addresses | LOGIN_MAX_FAILURES_PER_ACCOUNT (30)            | many places, one account |

Only the first is safe to apply to everyone: it stops the guesser and nobody else. The other two can be
reached by strangers (guessing someone's email from elsewhere, or from a shared office or home address),
so they do not apply to an account at an address it has signed in from in the last
LOGIN_KNOWN_ADDRESS_LIFETIME (a "known address", also kept as a keyed hash). So a stranger can lock out
only their own address; the owner signs in from their usual address even while their account is under a
distributed attack, which meanwhile gets at most 30 guesses a window from addresses the account has not
used; and one address spraying many accounts is stopped at 15.

Counting is atomic. Before the password is checked, the attempt takes a place in each count that applies
with one statement per count (an upsert that adds one only while the count is under its limit:
`INSERT ... ON CONFLICT DO UPDATE ... WHERE failures < limit RETURNING failures`), and the caller commits
at once. Simultaneous guesses on several workers therefore take distinct places, and the one after the
limit is refused whatever the timing; on PostgreSQL the row lock of the upsert makes them take turns, on
SQLite `BEGIN IMMEDIATE` does. Rows are taken in one order (the pair, the address, the account), so
transactions never wait on each other in a circle. A right password gives its places back (and clears
the pair's count); a wrong one leaves them counted.

A count runs while failures keep coming and starts again from one once its last failure is a window
(LOGIN_WINDOW, 15 minutes) old; refused attempts do not count. So no window ever holds more than the
limit, and nobody is locked out for good.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, exists, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..core.values.tokens import keyed_hash
from ..extensions import db
from .models import LoginKnownAddress, LoginThrottle


@dataclass(frozen=True)
class ThrottlePolicy:
    secret: str
    window: timedelta
    max_per_account_and_address: int
    max_per_ip: int
    max_per_account: int
    known_address_lifetime: timedelta


@dataclass(frozen=True)
class Attempt:
    """A sign-in attempt counted in advance: the pair's key and every key it took a place in."""

    pair: str
    taken: tuple[str, ...]


def _insert():
    return (postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite).insert


def _take_place(key: str, limit: int, *, now: datetime, window: timedelta) -> bool:
    """Add one to the count under `key` if it is under `limit` (or a window old: it starts again)."""
    table = LoginThrottle.__table__
    stale = table.c.last_failure_at <= now - window
    statement = (
        _insert()(table)
        .values(key=key, failures=1, last_failure_at=now)
        .on_conflict_do_update(
            index_elements=[table.c.key],
            where=or_(stale, table.c.failures < limit),
            set_={"failures": case((stale, 1), else_=table.c.failures + 1), "last_failure_at": now},
        )
    )
    return db.session.execute(statement.returning(table.c.failures)).first() is not None


def _give_back(keys) -> None:
    for key in keys:
        db.session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key == key, LoginThrottle.failures > 0)
            .values(failures=LoginThrottle.failures - 1)
            .execution_options(synchronize_session=False)
        )


def _is_known(pair: str, since: datetime) -> bool:
    return bool(
        db.session.scalar(
            select(exists().where(LoginKnownAddress.key == pair, LoginKnownAddress.last_success_at > since))
        )
    )


def count_attempt(*, policy: ThrottlePolicy, email: str, ip: str, now: datetime) -> Attempt | None:
    """Count this attempt as a failure in every count that applies to it, or, if any of them is at its
    limit, in none (None: refuse it). Does not commit: the caller commits before checking the password."""
    pair = keyed_hash(policy.secret, f"account:{email}\nip:{ip}")
    limits = [(pair, policy.max_per_account_and_address)]
    if not _is_known(pair, now - policy.known_address_lifetime):
        limits += [
            (keyed_hash(policy.secret, "ip:" + ip), policy.max_per_ip),
            (keyed_hash(policy.secret, "account:" + email), policy.max_per_account),
        ]
    taken: list[str] = []
    for key, limit in limits:
        if not _take_place(key, limit, now=now, window=policy.window):
            _give_back(taken)
            return None
        taken.append(key)
    return Attempt(pair=pair, taken=tuple(taken))


def take_places(limits: list[tuple[str, int]], *, now: datetime, window: timedelta) -> bool:
    """Take a place in each count (key, limit), or, if any is at its limit, in none: False. Used by
    other counts than sign-in failures (forgotten-password requests). Does not commit."""
    taken: list[str] = []
    for key, limit in limits:
        if not _take_place(key, limit, now=now, window=window):
            _give_back(taken)
            return False
        taken.append(key)
    return True


def attempt_succeeded(*, attempt: Attempt, now: datetime) -> None:
    """The password was right: clear the pair's count, give back the other places, and remember the
    address as one this account signs in from. Does not commit."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == attempt.pair))
    _give_back(key for key in attempt.taken if key != attempt.pair)
    table = LoginKnownAddress.__table__
    db.session.execute(
        _insert()(table)
        .values(key=attempt.pair, last_success_at=now)
        .on_conflict_do_update(index_elements=[table.c.key], set_={"last_success_at": now})
    )


def forget_old(*, policy: ThrottlePolicy, now: datetime) -> None:
    """Delete counts whose last failure is a window old and known addresses past their lifetime. Rows
    another transaction holds are skipped (left for next time), so this never waits. Call it after the
    transaction's other throttle writes: it locks what it deletes, and a transaction holding such rows
    must not go on to wait for another (which might be waiting for them)."""
    for model, column, age in (
        (LoginThrottle, LoginThrottle.last_failure_at, policy.window),
        (LoginKnownAddress, LoginKnownAddress.last_success_at, policy.known_address_lifetime),
    ):
        old = select(model.key).where(column <= now - age).with_for_update(skip_locked=True)
        db.session.execute(delete(model).where(model.key.in_(old)).execution_options(synchronize_session=False))
