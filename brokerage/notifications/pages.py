"""What the outbox page shows: messages newest first, by state, a page at a time (never a body)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, true

from ..extensions import db
from .kinds import KINDS
from .models import STATES, NotificationSetting, OutboxMessage
from .rules import DEFAULT_DIGEST_TIME

PAGE_SIZE = 50
STATE_LABELS = {
    "pending": "Waiting to send",
    "sending": "May have been sent (the sender stopped mid-send)",
    "digest": "Waiting for the daily digest",
    "sent": "Sent",
    "failed": "Failed",
    "no_address": "No email address",
}


@dataclass(frozen=True)
class OutboxRow:
    id: int
    kind: str
    recipient_name: str
    recipient_email: str | None
    occasion: str
    state: str
    tries: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind].label if self.kind in KINDS else "Daily digest"

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    @property
    def may_send_again(self) -> bool:
        return self.state in {"failed", "sending"}


@dataclass(frozen=True)
class OutboxPage:
    rows: list[OutboxRow]
    page: int
    pages: int
    counts: dict[str, int]


def outbox(*, state: str | None, page: int = 1, page_size: int = PAGE_SIZE) -> OutboxPage:
    """Newest first; `state` one of STATES or None for all."""
    condition = OutboxMessage.state == state if state in STATES else true()
    total = db.session.scalar(select(func.count(OutboxMessage.id)).where(condition)) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    columns = [getattr(OutboxMessage, name) for name in OutboxRow.__dataclass_fields__]
    rows = db.session.execute(
        select(*columns)
        .where(condition)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    counts = dict(
        db.session.execute(select(OutboxMessage.state, func.count(OutboxMessage.id)).group_by(OutboxMessage.state))
        .tuples()
        .all()
    )
    return OutboxPage([OutboxRow(*row) for row in rows], page, pages, {name: counts.get(name, 0) for name in STATES})


def digest_time() -> str:
    """When the daily digest goes (London time)."""
    chosen = db.session.scalar(select(NotificationSetting.digest_time).order_by(NotificationSetting.id).limit(1))
    return chosen or DEFAULT_DIGEST_TIME
