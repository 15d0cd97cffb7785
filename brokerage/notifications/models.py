"""The outbox (one row per message to one person) and each person's choice per kind of message."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.data.types import UTCDateTime
from ..core.values.timeutils import utcnow
from ..extensions import db

STATES = ("pending", "digest", "sent", "failed", "no_address")


class OutboxMessage(db.Model):
    """A message to one person. `key` (kind, occasion, recipient) is unique, so the same occasion
    never mails the same person twice however often the change that causes it is retried."""
    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'digest', 'sent', 'failed', 'no_address')", name="outbox_state_known"),
        CheckConstraint("tries >= 0", name="outbox_tries_not_negative"),
        Index("ix_outbox_due", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    occasion: Mapped[str] = mapped_column(String(120))
    recipient_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"),
                                                          index=True)
    recipient_email: Mapped[str | None] = mapped_column(String(254))
    recipient_name: Mapped[str] = mapped_column(String(120))
    subject: Mapped[str] = mapped_column(String(200))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), default="pending")
    tries: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class NotificationChoice(db.Model):
    """How one person wants one kind of message (no row: immediately)."""
    __tablename__ = "notification_choice"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", name="one_choice_per_kind"),
        CheckConstraint("delivery IN ('immediately', 'daily', 'never')", name="notification_choice_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    delivery: Mapped[str] = mapped_column(String(12))
