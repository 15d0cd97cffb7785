"""Writing and reading the audit trail."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

from sqlalchemy import func, insert, select

from ..accounts.models import User
from ..core.values.timeutils import LONDON, utcnow
from ..extensions import db
from .models import AuditEvent

PAGE_SIZE = 50


def event_row(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: int | None,
    summary: str,
    before: dict | None = None,
    after: dict | None = None,
    on_behalf_of: User | None = None,
    at: datetime | None = None,
) -> dict:
    """One audit event's column values (the summary cut to its column's length)."""
    # Stamped here rather than by the column default, so it follows the application clock.
    return {
        "at": at or utcnow(),
        "actor_id": actor.id if actor else None,
        "on_behalf_of_id": on_behalf_of.id if on_behalf_of else None,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "summary": summary[:500],
        "before": before,
        "after": after,
    }


def record_event(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: int | None,
    summary: str,
    before: dict | None = None,
    after: dict | None = None,
    on_behalf_of: User | None = None,
) -> int:
    """Append an event to the caller's transaction (not committed: the change and its record
    are committed together or not at all), after flushing the caller's pending changes, so a
    constraint refuses the change here as before; returns the event's id. One prepared INSERT,
    not the ORM's unit of work: nearly every write records an event, and the unit of work's
    flush of one new row cost several times the INSERT itself."""
    db.session.flush()
    row = event_row(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary,
        before=before,
        after=after,
        on_behalf_of=on_behalf_of,
    )
    return db.session.connection().execute(_insert_returning_id(), row).scalar_one()


def insert_events(rows: list[dict]) -> None:
    """Append events built by `event_row` in one statement, in the caller's transaction: for
    a write path that runs often under contention and so writes its rows without the ORM."""
    db.session.connection().execute(_insert_statement(), rows)


@cache
def _insert_statement():
    return insert(AuditEvent.__table__)


@cache
def _insert_returning_id():
    return insert(AuditEvent.__table__).returning(AuditEvent.__table__.c.id)


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    object_type: str | None = None
    object_id: int | None = None
    actor_id: int | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    total: int
    page: int
    pages: int


def _london_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


def list_events(*, filters: AuditFilter, page: int = 1, page_size: int = PAGE_SIZE) -> AuditPage:
    """Newest first. Dates are London calendar days, `until` inclusive."""
    conditions = []
    if filters.action:
        conditions.append(AuditEvent.action.startswith(filters.action))
    if filters.object_type:
        conditions.append(AuditEvent.object_type == filters.object_type)
    if filters.object_id is not None:
        conditions.append(AuditEvent.object_id == filters.object_id)
    if filters.actor_id is not None:
        conditions.append(AuditEvent.actor_id == filters.actor_id)
    if filters.since:
        conditions.append(AuditEvent.at >= _london_midnight_utc(filters.since))
    if filters.until:
        conditions.append(AuditEvent.at < _london_midnight_utc(filters.until + timedelta(days=1)))
    total = db.session.scalar(select(func.count()).select_from(AuditEvent).where(*conditions)) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    events = (
        db.session.scalars(
            select(AuditEvent)
            .where(*conditions)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(page_size)
            .offset((page - 1) * page_size)
        )
        .unique()
        .all()
    )
    return AuditPage(events=list(events), total=total, page=page, pages=pages)


def events_for(*, object_type: str, object_id: int, limit: int = 10) -> list[AuditEvent]:
    """The most recent events about one object (for its page's history panel)."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
        ).unique()
    )


def known_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def known_object_types() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)))
