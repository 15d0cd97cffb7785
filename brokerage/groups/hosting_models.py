"""Hosting (fiscal-host style): a partner holds a group's money under an agreement; an append-only
ledger of what it received and paid out; expenses approved by two unrelated officers.

`Hosting.balance_pence` is a running balance kept in step with the entries inside the same
transaction; a CHECK keeps it from ever going below zero. Entries are never updated or deleted
(ORM listener + database triggers), like the locality ledger.
"""
from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.append_only import make_append_only
from ..core.timeutils import utcnow
from ..core.types import UTCDateTime
from ..extensions import db
from .models import Group, GroupPerson, _in

HOSTING_STATUSES = ("pending", "approved", "rejected", "expired", "ended")
ENTRY_KINDS = ("received", "host_fee", "expense_paid", "transfer_out")
EXPENSE_STATUSES = ("submitted", "approved", "paid")
MAX_FEE_PERCENT = 30


class Hosting(db.Model):
    """A group's application to a partner to be hosted and, once approved, the agreement."""

    __tablename__ = "group_hosting"
    __table_args__ = (
        CheckConstraint(_in("status", HOSTING_STATUSES), name="known_status"),
        CheckConstraint("balance_pence >= 0", name="balance_not_negative"),
        CheckConstraint(f"fee_percent is null or fee_percent between 1 and {MAX_FEE_PERCENT}", name="sane_fee"),
        CheckConstraint("status in ('pending', 'rejected') or (starts_on is not null and expires_on is not null)",
                        name="agreement_has_dates"),
        CheckConstraint("starts_on is null or expires_on > starts_on", name="expires_after_start"),
        # One live application or agreement per group at a time.
        Index("uq_group_hosting_one_live", "group_id", unique=True,
              sqlite_where=text("status in ('pending', 'approved')"),
              postgresql_where=text("status in ('pending', 'approved')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("peer_group.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    request: Mapped[str] = mapped_column(String(1000), default="")
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str] = mapped_column(String(1000), default="")
    starts_on: Mapped[date | None]
    expires_on: Mapped[date | None]
    fee_percent: Mapped[int | None]
    ended_on: Mapped[date | None]
    balance_pence: Mapped[int] = mapped_column(BigInteger, default=0)

    group: Mapped[Group] = relationship(lazy="joined")
    partner = relationship("Partner", lazy="joined")

    def expired_on(self, today: date) -> bool:
        return self.status == "approved" and self.expires_on is not None and self.expires_on < today

    def state(self, today: date) -> str:
        """The stored status, with an approved agreement past its expiry shown as expired."""
        return "expired" if self.expired_on(today) else self.status


class HostedEntry(db.Model):
    __tablename__ = "group_hosted_entry"
    __table_args__ = (
        CheckConstraint(_in("kind", ENTRY_KINDS), name="known_kind"),
        CheckConstraint("amount_pence > 0", name="amount_positive"),
        CheckConstraint("(kind = 'expense_paid') = (expense_id is not null)", name="expense_when_paid"),
        UniqueConstraint("expense_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hosting_id: Mapped[int] = mapped_column(ForeignKey("group_hosting.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    expense_id: Mapped[int | None] = mapped_column(ForeignKey("group_expense.id"))
    received_on: Mapped[date]
    note: Mapped[str] = mapped_column(String(300), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def signed_pence(self) -> int:
        return self.amount_pence if self.kind == "received" else -self.amount_pence


class Expense(db.Model):
    __tablename__ = "group_expense"
    __table_args__ = (
        CheckConstraint(_in("status", EXPENSE_STATUSES), name="known_status"),
        CheckConstraint("amount_pence > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hosting_id: Mapped[int] = mapped_column(ForeignKey("group_hosting.id"), index=True)
    description: Mapped[str] = mapped_column(String(300))
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    claimant_id: Mapped[int] = mapped_column(ForeignKey("group_person.id"), index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="submitted")
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    claimant: Mapped[GroupPerson] = relationship(lazy="joined")
    approvals: Mapped[list["ExpenseApproval"]] = relationship(
        back_populates="expense", order_by="ExpenseApproval.id", lazy="selectin")


class ExpenseApproval(db.Model):
    """One officer's approval. The claimant is copied here so the database refuses self-approval too."""

    __tablename__ = "group_expense_approval"
    __table_args__ = (UniqueConstraint("expense_id", "officer_id"),
                      CheckConstraint("officer_id != claimant_id", name="not_by_claimant"))

    id: Mapped[int] = mapped_column(primary_key=True)
    expense_id: Mapped[int] = mapped_column(ForeignKey("group_expense.id", ondelete="CASCADE"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("group_person.id"), index=True)
    claimant_id: Mapped[int] = mapped_column(ForeignKey("group_person.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    expense: Mapped[Expense] = relationship(back_populates="approvals")
    officer: Mapped[GroupPerson] = relationship(foreign_keys=[officer_id], lazy="joined")


class HostedEntryIsAppendOnly(Exception):
    pass


make_append_only(HostedEntry, HostedEntryIsAppendOnly, "hosted money entries cannot be changed or deleted")
