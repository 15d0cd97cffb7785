"""The demo data for tests that start from it, seeded once per test process and then written
again from a record of what the seeding did.

`seed_demo()` costs about 1 s of CPU on SQLite and 2 s on PostgreSQL, and some sixty tests start
from it (every page with real ids, every form kept or refused). What it writes depends only on
the rows it starts from and on the clock, so `load_demo()` records, the first time, every row
the seeding added, changed or removed, and afterwards, starting from the same rows at the same
clock (the moment `fixed_now` froze, or the same hour of the real clock), writes those changes
directly, with the sequences where the seeding left them. Any other start seeds for real.
The tests of the seeding itself (the test_seed.py modules) still call `seed_demo`."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Table, and_, delete, insert, select, text, update

from brokerage.core.values import timeutils
from brokerage.extensions import db
from brokerage.seeding import seed_demo

REAL_UTCNOW = timeutils.utcnow
SEQUENCES = "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema() ORDER BY 1"

State = dict[str, dict[tuple, tuple]]  # table name -> primary key -> row


@dataclass
class Recording:
    clock: datetime
    before: State
    after: State
    sequences: list[tuple]
    created: list[tuple[str, str, str]]


RECORDINGS: list[Recording] = []


def _clock() -> datetime:
    """The clock the seeding reads: a frozen moment exactly, the real one to the hour."""
    now = timeutils.utcnow()
    return now if timeutils.utcnow is not REAL_UTCNOW else now.replace(minute=0, second=0, microsecond=0)


def _state(connection: Connection) -> State:
    state: State = {}
    for table in db.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        positions = [list(table.columns).index(column) for column in keys]
        state[table.name] = {tuple(row[p] for p in positions): tuple(row)
                             for row in connection.execute(select(table).order_by(*keys))}
    return state


def _sequences(connection: Connection) -> list[tuple]:
    if connection.dialect.name != "postgresql":
        return []  # SQLite's ids follow the largest one present
    return [tuple(row) for row in connection.execute(text(SEQUENCES))]


def _where_key(table: Table, key: tuple):
    return and_(*(column == value for column, value in zip(table.primary_key.columns, key)))


def _replay(connection: Connection, recording: Recording) -> None:
    """Write the recorded changes: new rows parents first, then changed rows, then removed
    rows children first. On PostgreSQL with triggers and foreign-key checks off for this
    transaction (the append-only tables' triggers), then the sequences."""
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        connection.execute(text("SET LOCAL session_replication_role = replica"))
    tables = db.metadata.sorted_tables
    for table in tables:
        before, after = recording.before[table.name], recording.after[table.name]
        added = [dict(zip(table.columns.keys(), row)) for key, row in after.items() if key not in before]
        if added:
            connection.execute(insert(table), added)
    for table in tables:
        before, after = recording.before[table.name], recording.after[table.name]
        for key, row in after.items():
            if key in before and before[key] != row:
                connection.execute(update(table).where(_where_key(table, key)).values(dict(zip(table.columns.keys(), row))))
    for table in reversed(tables):
        after = recording.after[table.name]
        for key in recording.before[table.name].keys() - after.keys():
            connection.execute(delete(table).where(_where_key(table, key)))
    for name, value in recording.sequences if postgres else ():
        connection.execute(text("SELECT setval(format('%I', CAST(:name AS text)), :value, :called)"),
                           {"name": name, "value": value or 1, "called": value is not None})


def load_demo() -> list[tuple[str, str, str]]:
    """What `seed_demo()` does, from its record when one fits. Call inside an app context;
    returns the demo accounts created, as seed_demo does."""
    db.session.commit()
    with db.engine.connect() as connection:
        before, clock = _state(connection), _clock()
    for recording in RECORDINGS:
        if recording.clock == clock and recording.before == before:
            with db.engine.begin() as connection:
                _replay(connection, recording)
            db.session.expire_all()
            return recording.created
    created = seed_demo()
    db.session.commit()
    with db.engine.connect() as connection:
        RECORDINGS.append(Recording(clock, before, _state(connection), _sequences(connection), created))
    return created
