"""The outbox (one row per message to one person), each person's choice per kind of message, and
the kinds that contacts without an account stopped."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.data.types import UTCDateTime
from ..core.values.timeutils import utcnow
from ..extensions import Model

# "sending": claimed by a worker that is handing it to the mail server right now. A worker that
# dies mid-send leaves it there, shown as "may have been sent", rather than sending it twice.
STATES = ("pending", "sending", "digest", "sent", "failed", "no_address")


class OutboxMessage(Model):
    """A message to one person. `key` (kind, occasion, recipient) is unique, so the same occasion
    never mails the same person twice however often the change that causes it is retried."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint(
            "state IN ('pending', 'sending', 'digest', 'sent', 'failed', 'no_address')", name="outbox_state_known"
        ),
        CheckConstraint("tries >= 0", name="outbox_tries_not_negative"),
        Index("ix_outbox_due", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    occasion: Mapped[str] = mapped_column(String(120))
    recipient_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
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
    # The one-click link (RFC 8058) for the List-Unsubscribe header; none for security messages.
    unsubscribe_url: Mapped[str | None] = mapped_column(String(500))


class NotificationChoice(Model):
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


class NotificationOptOut(Model):
    """A kind of message that a contact without an account stopped by the link in an email: their
    address (lower case) gets no more of it. People with accounts choose on their account page
    (`NotificationChoice`), so an address here never silences an account's messages."""

    __tablename__ = "notification_opt_out"
    __table_args__ = (UniqueConstraint("email", "kind", name="one_opt_out_per_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class NotificationSetting(Model):
    """The one row of settings coordinators change: when the daily digest goes (London time)."""

    __tablename__ = "notification_setting"
    __table_args__ = (CheckConstraint("length(digest_time) = 5", name="digest_time_like_08_00"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    digest_time: Mapped[str] = mapped_column(String(5), default="08:00")
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
