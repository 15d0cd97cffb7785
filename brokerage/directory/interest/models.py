"""People who said "I'm interested" in an activity (no account).

An interest row holds only what the person chose to give (a first name, an email or phone
number with consent) and is deleted when `expires_at` passes (`flask directory
purge-interest`); it is never shown after that. `ip_key` is a keyed hash used to limit
repeated submissions, never an address in clear."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...core.data.types import UTCDateTime
from ...extensions import Model
from ..listings.models import Activity

NAME_MAX = 60
CONTACT_MAX = 200  # as group_person.contact, so a founding member keeps it whole


class ActivityInterest(Model):
    __tablename__ = "activity_interest"
    __table_args__ = (
        CheckConstraint("contact = '' OR consent_given", name="contact_needs_consent"),
        CheckConstraint("contact_kind IN ('', 'email', 'phone')", name="known_contact_kind"),
        CheckConstraint("expires_at > created_at", name="expires_after_created"),
        Index("ix_activity_interest_activity_created", "activity_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    first_name: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    contact: Mapped[str] = mapped_column(String(CONTACT_MAX), default="")
    contact_kind: Mapped[str] = mapped_column(String(5), default="")
    consent_given: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    contacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ip_key: Mapped[str] = mapped_column(String(64), index=True)

    activity: Mapped[Activity] = relationship()
