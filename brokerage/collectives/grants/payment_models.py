"""Payments against awards: each is a ledger payment entry plus the evidence it was made on
(whether the partner's own funds have been received, and when; the invoice reference)."""
from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...core.types import UTCDateTime
from ...extensions import db
from ..voting.models import Award


class Payment(db.Model):
    __tablename__ = "award_payment"
    __table_args__ = (
        CheckConstraint("amount_pence > 0", name="amount_positive"),
        CheckConstraint("invoice_reference <> ''", name="invoice_given"),
        CheckConstraint("partner_funds_received = (partner_funds_received_on is not null)",
                        name="received_with_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id"), index=True)
    ledger_entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entry.id"), unique=True)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    partner_funds_received: Mapped[bool] = mapped_column(Boolean)
    partner_funds_received_on: Mapped[date | None]
    invoice_reference: Mapped[str] = mapped_column(String(120))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    award: Mapped[Award] = relationship()
    recorded_by = relationship("User", lazy="joined")
