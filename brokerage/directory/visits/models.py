"""A request for a guided first visit. The person's details (first name, email, phone) and the
status link's token are kept only until `purge_after` (3 months after the session), then blanked
(`flask directory purge-guided-visits`); the row stays, without them, so the club's report still
counts the visit when the person agreed to be counted."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...core.data.types import UTCDateTime
from ...extensions import Model
from ..listings.models import Activity

NAME_MAX = 60
EMAIL_MAX = 254
PHONE_MAX = 40
NOTE_MAX = 1000


class GuidedVisit(Model):
    __tablename__ = "guided_visit"
    __table_args__ = (
        CheckConstraint("state IN ('asked', 'accepted', 'offered')", name="state_known"),
        CheckConstraint("meet IN ('lead', 'buddy', 'either')", name="meet_known"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("came_back IS NULL OR came", name="came_back_needs_came"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    email: Mapped[str] = mapped_column(String(EMAIL_MAX), default="")
    phone: Mapped[str] = mapped_column(String(PHONE_MAX), default="")
    meet: Mapped[str] = mapped_column(String(6), default="either")
    may_count: Mapped[bool] = mapped_column(Boolean, default=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(8), default="asked")
    answer_note: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    came: Mapped[bool | None] = mapped_column(Boolean)
    came_back: Mapped[bool | None] = mapped_column(Boolean)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    purge_after: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    activity: Mapped[Activity] = relationship()
