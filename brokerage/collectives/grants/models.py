"""What happens to an award after the decision: the grant agreement the partner signed, and
the partner's end-of-grant report (one of each per award; neither changes once recorded: the
bid's history and the audit trail say who recorded them and when); the payments against the
award, each a ledger payment entry plus the evidence it was made on (whether the partner's own
funds have been received, and when; the invoice reference)."""

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...core.data.types import UTCDateTime
from ...extensions import Model
from ..voting.models import Award


class GrantAgreement(Model):
    """The partner has signed (accepted) the grant agreement for an award."""

    __tablename__ = "grant_agreement"
    __table_args__ = (CheckConstraint("signed_by <> ''", name="signatory_given"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id"), unique=True)
    signed_on: Mapped[date]
    signed_by: Mapped[str] = mapped_column(String(200))  # who signed for the partner, in their work role
    reference: Mapped[str] = mapped_column(String(120), default="")  # the agreement document's reference
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    award: Mapped[Award] = relationship()
    recorded_by = relationship("User", lazy="joined")


class GrantReport(Model):
    """The partner's short end-of-grant report: how many took part and what happened."""

    __tablename__ = "grant_report"
    __table_args__ = (
        CheckConstraint("participants between 0 and 100000", name="sane_participants"),
        CheckConstraint("what_happened <> ''", name="report_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id"), unique=True)
    participants: Mapped[int] = mapped_column(Integer)
    what_happened: Mapped[str] = mapped_column(Text)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())

    award: Mapped[Award] = relationship()
    submitted_by = relationship("User", lazy="joined")


class Payment(Model):
    __tablename__ = "award_payment"
    __table_args__ = (
        CheckConstraint("amount_pence > 0", name="amount_positive"),
        CheckConstraint("invoice_reference <> ''", name="invoice_given"),
        CheckConstraint("partner_funds_received = (partner_funds_received_on is not null)", name="received_with_date"),
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
