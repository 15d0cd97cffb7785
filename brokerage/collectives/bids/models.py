"""Bids for match funding, their match-funding lines and state history, and each
collective's versioned match rule. Money is integer pence.

A bid's states and the moves between them are one table, `lifecycle.py`; every move is
made through it (`moves.py`, and the votes, payments and grant stages) and is a
`BidTransition` row (the time-stamped history) and an audit event.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    cast,
    func,
    literal,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...core.data.models import Locality
from ...core.data.types import UTCDateTime
from ...core.values.timeutils import utcnow
from ...extensions import Model
from ...partners.models import Partner
from ..calls.models import CallForBids
from .lifecycle import EDITABLE_STATUSES, BidStatus


class LineStatus(StrEnum):
    PLEDGED = "pledged"
    CONFIRMED = "confirmed"
    RECEIVED = "received"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def counts_for_match(self) -> bool:
        """Only money that is confirmed or already received is matched; a pledge is not."""
        return self is not LineStatus.PLEDGED


def _in_list(column: str, values) -> str:
    return f"{column} in ({', '.join(repr(str(value)) for value in values)})"


MAX_PENCE = 1_000_000_000  # £10,000,000


class Bid(Model):
    __tablename__ = "bid"
    __table_args__ = (
        CheckConstraint(_in_list("status", BidStatus), name="known_status"),
        CheckConstraint("end_on > start_on", name="ends_after_start"),
        CheckConstraint(f"total_cost_pence > 0 and total_cost_pence <= {MAX_PENCE}", name="sane_total_cost"),
        CheckConstraint("requested_pence > 0 and requested_pence <= total_cost_pence", name="requested_within_cost"),
        CheckConstraint("expected_participants between 1 and 100000", name="sane_participants"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    locality_id: Mapped[int] = mapped_column(ForeignKey("locality.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    easy_read_summary: Mapped[str] = mapped_column(Text, default="")
    who_for: Mapped[str] = mapped_column(Text)
    how_reached: Mapped[str] = mapped_column(Text)
    start_on: Mapped[date]
    end_on: Mapped[date]
    expected_participants: Mapped[int] = mapped_column(Integer)
    total_cost_pence: Mapped[int] = mapped_column(BigInteger)
    requested_pence: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(24), default=BidStatus.DRAFT.value, index=True)
    return_message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # first submission
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("call_for_bids.id"), index=True)  # the call it answers

    partner: Mapped[Partner] = relationship(lazy="joined")
    call: Mapped[CallForBids | None] = relationship()
    locality: Mapped[Locality] = relationship(lazy="joined")
    lines: Mapped[list["MatchLine"]] = relationship(
        back_populates="bid", cascade="all, delete-orphan", order_by="MatchLine.id", lazy="selectin"
    )

    @property
    def state(self) -> BidStatus:
        return BidStatus(self.status)

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATUSES

    @property
    def partner_funds_pence(self) -> int:
        """All match-funding lines, whatever their status."""
        return sum(line.amount_pence for line in self.lines)

    @property
    def confirmed_funds_pence(self) -> int:
        """Lines confirmed or received: the partner funds the match rule counts."""
        return sum(line.amount_pence for line in self.lines if line.line_status.counts_for_match)


def confirmed_funds_sql():
    """`Bid.confirmed_funds_pence` in SQL, as a scalar subquery correlated to the bid: for a
    statement that reads the figure without loading the lines. (Cast, as PostgreSQL sums
    bigints as numeric; the statuses are bound one by one, not as an expanding list, so that
    running the statement does not rewrite its SQL.)"""
    counted = [literal(status.value) for status in LineStatus if status.counts_for_match]
    return (
        select(cast(func.coalesce(func.sum(MatchLine.amount_pence), 0), BigInteger))
        .where(MatchLine.bid_id == Bid.id, MatchLine.status.in_(counted))
        .scalar_subquery()
    )


class MatchLine(Model):
    """One source of the partner's own money for the project."""

    __tablename__ = "bid_match_line"
    __table_args__ = (
        CheckConstraint(_in_list("status", LineStatus), name="known_status"),
        CheckConstraint(f"amount_pence > 0 and amount_pence <= {MAX_PENCE}", name="sane_amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(200))
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    evidence: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    bid: Mapped[Bid] = relationship(back_populates="lines")

    @property
    def line_status(self) -> LineStatus:
        return LineStatus(self.status)


class BidTransition(Model):
    """One move of a bid from a state to another: who, when, and any message."""

    __tablename__ = "bid_transition"

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    message: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor = relationship("User", lazy="joined")

    @property
    def to_state(self) -> BidStatus:
        return BidStatus(self.to_status)


class MatchRule(Model):
    """A version of a collective's match rule: the award is at most `numerator/denominator`
    times the partner's confirmed funds, and at most `cap_pence` per bid. The current
    version is the one with the latest `effective_from` on or before the day asked about
    (one per day per collective: unique)."""

    __tablename__ = "match_rule"
    __table_args__ = (
        UniqueConstraint("collective_id", "effective_from"),
        CheckConstraint("ratio_numerator between 0 and 100", name="sane_numerator"),
        CheckConstraint("ratio_denominator between 1 and 100", name="sane_denominator"),
        CheckConstraint(f"cap_pence > 0 and cap_pence <= {MAX_PENCE}", name="sane_cap"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    collective_id: Mapped[int] = mapped_column(ForeignKey("collective.id"), index=True)
    ratio_numerator: Mapped[int] = mapped_column(Integer)
    ratio_denominator: Mapped[int] = mapped_column(Integer)
    cap_pence: Mapped[int] = mapped_column(BigInteger)
    effective_from: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
