"""A call for bids: what a collective asks partners to bid for, up to an amount, until a day.

Open from when it is issued until the end of `closes_on` (a Europe/London date), unless a chair
or coordinator closes it early with a reason; whether it is open is computed (rules.call_state),
so no scheduled task is needed. `first_answered_at` is set when the first bid answers it: from
then on what it asks for is fixed, so no partner's bid answers a call that changed under it.
"""

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...core.data.types import UTCDateTime
from ...core.input.fields import MAX_AMOUNT_PENCE
from ...core.values.timeutils import utcnow
from ...extensions import Model
from ..models import Collective


class CallForBids(Model):
    __tablename__ = "call_for_bids"
    __table_args__ = (
        CheckConstraint(f"upper_pence > 0 and upper_pence <= {MAX_AMOUNT_PENCE}", name="sane_upper_amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    collective_id: Mapped[int] = mapped_column(ForeignKey("collective.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    wanted: Mapped[str] = mapped_column(Text)
    districts: Mapped[str] = mapped_column(String(200), default="")  # postcode districts, space separated
    category_code: Mapped[str] = mapped_column(String(60), default="")
    category_label: Mapped[str] = mapped_column(String(120), default="")
    audience: Mapped[str] = mapped_column(String(300), default="")
    upper_pence: Mapped[int] = mapped_column(BigInteger)
    closes_on: Mapped[date] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    first_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_early_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_early_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    closed_early_reason: Mapped[str] = mapped_column(Text, default="")

    collective: Mapped[Collective] = relationship(lazy="joined")

    @property
    def district_list(self) -> list[str]:
        return self.districts.split()

    @property
    def locality_id(self) -> int:
        return self.collective.locality_id
