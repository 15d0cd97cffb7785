"""An organisation's application to become a community partner, until a coordinator decides it."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ...core.data.types import UTCDateTime
from ...core.values.timeutils import utcnow
from ...extensions import Model

STATES = ("pending", "accepted", "declined")


class PartnerApplication(Model):
    """What the organisation told us, as checked by the partner rules; `partner_id` once accepted."""

    __tablename__ = "partner_application"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'accepted', 'declined')", name="partner_application_state_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(32))
    charity_number: Mapped[str | None] = mapped_column(String(8))
    company_number: Mapped[str | None] = mapped_column(String(8))
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    locality_ids: Mapped[list] = mapped_column(JSON, default=list)
    interests: Mapped[list] = mapped_column(JSON, default=list)
    proposal: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"))
