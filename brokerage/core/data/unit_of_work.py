"""The one unit of work: the only place that commits or rolls back a service's changes.

Services write inside `with unit_of_work():`. The outermost unit commits when its block ends
and rolls back when anything is raised; a unit opened inside another (a service calling a
service) joins it, so a public action commits once, at its end, or not at all.

A database constraint that refuses the change (an `IntegrityError`) becomes the rule's own
message: pass `conflict=Conflict("...", field=...)`, or `conflicts={"constraint_name": ...}`
when the message depends on which constraint refused. A flush in the middle of a unit that may
meet a constraint and carry on afterwards uses `refused_as(...)`, which keeps the unit usable
by running the flush in a savepoint.

Nothing else calls `commit()` or `rollback()` or catches `IntegrityError`
(`tests/core/test_layering.py` lists offenders), with two kinds of exception, neither a service's:
- `core/data/database.py`: SQLite's engine internals. Its event handlers finish the transaction that
  SQLAlchemy is already committing or rolling back (so the writer's lock file is let go at once),
  and `reading_before_writing` ends the sign-in check's read-only transaction before the request's
  own work begins; none of them decides whether a change is kept.
- `errors.py`: the handlers for an unexpected error and for an unreachable database roll back
  whatever the failed request left in the session, so that its error page can still be drawn.
  That belongs to the request's end, not to any action.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from ...errors import RuleViolation
from ...extensions import db

DEPTH = "brokerage_unit_depth"


@dataclass(frozen=True)
class Conflict:
    """What to tell the person when a database constraint refuses a change."""

    message: str
    field: str | None = None

    def violation(self) -> RuleViolation:
        return RuleViolation(self.message, field=self.field)


def _constraint_name(error: IntegrityError) -> str:
    """The refusing constraint's name: PostgreSQL reports it; SQLite reports the columns in its
    message, which the `conflicts` keys may name instead."""
    diag = getattr(error.orig, "diag", None)
    return getattr(diag, "constraint_name", None) or str(error.orig)


def translate(
    error: IntegrityError, conflict: Conflict | None, conflicts: Mapping[str, Conflict]
) -> RuleViolation | None:
    """The rule's message for this constraint error, or None when none was given for it."""
    name = _constraint_name(error)
    for key, chosen in conflicts.items():
        if key in name:
            return chosen.violation()
    return conflict.violation() if conflict else None


@contextmanager
def unit_of_work(
    *, conflict: Conflict | None = None, conflicts: Mapping[str, Conflict] | None = None
) -> Iterator[None]:
    """Commit the block's changes once, at the end of the outermost unit; roll back on any error.
    An `IntegrityError` becomes the `RuleViolation` that `conflict`/`conflicts` name."""
    session = db.session()
    depth = session.info.get(DEPTH, 0)
    session.info[DEPTH] = depth + 1
    try:
        yield
        if depth == 0:
            session.commit()
    except IntegrityError as error:
        if depth == 0:
            session.rollback()
        violation = translate(error, conflict, conflicts or {})
        if violation is None:
            raise
        raise violation from error
    except BaseException:
        if depth == 0:
            session.rollback()
        raise
    finally:
        session.info[DEPTH] = depth


@contextmanager
def refused_as(conflict: Conflict | None = None, *, conflicts: Mapping[str, Conflict] | None = None) -> Iterator[None]:
    """Run the block (adds and a flush) in a savepoint: a constraint that refuses it leaves the
    rest of the unit intact and raises the rule's `RuleViolation`."""
    try:
        with db.session.begin_nested():
            yield
            db.session.flush()
    except IntegrityError as error:
        violation = translate(error, conflict, conflicts or {})
        if violation is None:
            raise
        raise violation from error
