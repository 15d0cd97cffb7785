"""Hosting's own records: the append-only ledger of what a host received and paid out for a group,
and expenses approved by two unrelated officers. (The agreement itself, `Hosting`, is in the
group's models, because the group's lifecycle reads it.)

`Hosting.balance_pence` is a running balance kept in step with the entries inside the same
transaction; a CHECK keeps it from ever going below zero. Entries are never updated or deleted
(ORM listener + database triggers), like the locality ledger.
"""

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...core.data.append_only import make_append_only
from ...core.data.types import UTCDateTime
from ...core.values.timeutils import utcnow
from ...extensions import Model
from ..models import GroupPerson, _in

ENTRY_KINDS = ("received", "host_fee", "expense_paid", "transfer_out")
EXPENSE_STATUSES = ("submitted", "approved", "paid", "withdrawn", "cancelled")
ENDED_STATUSES = ("withdrawn", "cancelled")


class HostedEntry(Model):
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


class Expense(Model):
    __tablename__ = "group_expense"
    __table_args__ = (
        CheckConstraint(_in("status", EXPENSE_STATUSES), name="known_status"),
        CheckConstraint("amount_pence > 0", name="amount_positive"),
        CheckConstraint(
            "status not in ('withdrawn', 'cancelled') or (ended_at is not null and end_reason != '')",
            name="ended_with_reason",
        ),
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
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_reason: Mapped[str] = mapped_column(String(500), default="")

    claimant: Mapped[GroupPerson] = relationship(lazy="joined")
    approvals: Mapped[list["ExpenseApproval"]] = relationship(
        back_populates="expense", order_by="ExpenseApproval.id", lazy="selectin"
    )
    cancellations: Mapped[list["ExpenseCancellation"]] = relationship(
        back_populates="expense", order_by="ExpenseCancellation.id", lazy="selectin"
    )


class ExpenseApproval(Model):
    """One officer's approval. The claimant is copied here so the database refuses self-approval too."""

    __tablename__ = "group_expense_approval"
    __table_args__ = (
        UniqueConstraint("expense_id", "officer_id"),
        CheckConstraint("officer_id != claimant_id", name="not_by_claimant"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    expense_id: Mapped[int] = mapped_column(ForeignKey("group_expense.id", ondelete="CASCADE"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("group_person.id"), index=True)
    claimant_id: Mapped[int] = mapped_column(ForeignKey("group_person.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    expense: Mapped[Expense] = relationship(back_populates="approvals")
    officer: Mapped[GroupPerson] = relationship(foreign_keys=[officer_id], lazy="joined")


class ExpenseCancellation(Model):
    """One officer's request to cancel an unpaid expense, with their reason; a second officer's
    request cancels it (so no one officer can quietly drop a member's claim)."""

    __tablename__ = "group_expense_cancellation"
    __table_args__ = (UniqueConstraint("expense_id", "officer_id"), CheckConstraint("reason != ''", name="has_reason"))

    id: Mapped[int] = mapped_column(primary_key=True)
    expense_id: Mapped[int] = mapped_column(ForeignKey("group_expense.id", ondelete="CASCADE"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("group_person.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reason: Mapped[str] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    expense: Mapped[Expense] = relationship(back_populates="cancellations")
    officer: Mapped[GroupPerson] = relationship(lazy="joined")


class HostedEntryIsAppendOnly(Exception):
    pass


make_append_only(HostedEntry, HostedEntryIsAppendOnly, "hosted money entries cannot be changed or deleted")
