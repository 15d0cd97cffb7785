"""A fund per locality per financial year, and its append-only ledger (integer pence).

`Fund.available_pence` is a running balance kept in step with the ledger inside the same
transaction as each entry; a CHECK constraint keeps it from ever going below zero. Ledger
entries, like audit events, are never updated or deleted (ORM listener + database triggers).
The meaning of each kind of entry is set out in `ledger.py`.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...core.data.append_only import make_append_only
from ...core.data.models import Locality
from ...core.data.types import UTCDateTime
from ...core.values.timeutils import financial_year_label, utcnow
from ...extensions import Model


class EntryKind(StrEnum):
    ALLOCATION = "allocation"
    EARMARK = "earmark"
    RELEASE = "release"
    COMMITMENT = "commitment"
    PAYMENT = "payment"
    REVERSAL = "reversal"

    @property
    def label(self) -> str:
        return ENTRY_WORDS[self]


# Plain words for each kind of entry (the precise terms are on the "What these words mean" page).
ENTRY_WORDS = {
    EntryKind.ALLOCATION: "Money allocated to the fund",
    EntryKind.EARMARK: "Money set aside for a bid while it is voted on",
    EntryKind.RELEASE: "Money set aside, given back to the fund",
    EntryKind.COMMITMENT: "Money committed to an approved bid",
    EntryKind.PAYMENT: "Money paid to the partner",
    EntryKind.REVERSAL: "A correction that cancels an earlier entry",
}


# Kinds that act on an earlier entry of the same fund (and so must name it in `related_id`).
RELATED_KINDS = (EntryKind.RELEASE, EntryKind.COMMITMENT, EntryKind.PAYMENT, EntryKind.REVERSAL)


def _in_list(column: str, values) -> str:
    return f"{column} in ({', '.join(repr(str(value)) for value in values)})"


class Fund(Model):
    __tablename__ = "fund"
    __table_args__ = (
        UniqueConstraint("locality_id", "start_year"),
        CheckConstraint("available_pence >= 0", name="available_not_negative"),
        CheckConstraint("start_year between 2000 and 2100", name="sane_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    locality_id: Mapped[int] = mapped_column(ForeignKey("locality.id"), index=True)
    start_year: Mapped[int]  # the financial year that starts on 1 April of this year
    available_pence: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    locality: Mapped[Locality] = relationship(lazy="joined")

    @property
    def year_label(self) -> str:
        return financial_year_label(self.start_year)


class LedgerEntry(Model):
    __tablename__ = "ledger_entry"
    __table_args__ = (
        CheckConstraint(_in_list("kind", EntryKind), name="known_kind"),
        CheckConstraint("amount_pence > 0", name="amount_positive"),
        CheckConstraint(
            f"({_in_list('kind', RELATED_KINDS)}) = (related_id is not null)", name="related_entry_when_needed"
        ),
        # An entry is reversed at most once.
        Index(
            "uq_ledger_entry_one_reversal",
            "related_id",
            unique=True,
            sqlite_where=text("kind = 'reversal'"),
            postgresql_where=text("kind = 'reversal'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("fund.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    related_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entry.id"), index=True)
    reference: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    fund: Mapped[Fund] = relationship()
    related: Mapped["LedgerEntry | None"] = relationship(remote_side=[id])
    actor = relationship("User", lazy="joined")

    @property
    def kind_value(self) -> EntryKind:
        return EntryKind(self.kind)


class LedgerIsAppendOnly(Exception):
    pass


make_append_only(LedgerEntry, LedgerIsAppendOnly, "ledger entries cannot be changed or deleted: add a reversal")
