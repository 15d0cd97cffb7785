"""Votes on bids: each collective's versioned decision rules, polls (one per listing of a
bid), the electorate snapshot with declarations of interest, votes (one current vote per
member per poll, with history), meeting attendance, and awards.

A poll snapshots its rules (`rules`), the bid's content (`bid_snapshot`, `bid_version`) and
its electorate (`PollElector` rows) when it opens; none of these change afterwards.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from ...accounts.models import User
from ...core.data.types import UTCDateTime
from ...core.values.timeutils import utcnow
from ...extensions import Model
from ..bids.models import Bid
from .rules import Choice, Outcome, split_questions


def _in_list(column: str, values) -> str:
    return f"{column} in ({', '.join(repr(str(value)) for value in values)})"


class PollStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # decided
    VOID = "void"  # the bid was withdrawn during the vote: no decision, the votes do not count


class Declaration(StrEnum):
    NO_INTEREST = "no_interest"
    INTEREST = "interest"


class VoteMethod(StrEnum):
    ONLINE = "online"
    MEETING = "meeting"
    ASSISTED = "assisted"


class DecisionRuleSet(Model):
    """A version of a collective's quorum and decision rules, in force from `effective_from`."""

    __tablename__ = "decision_rule_set"
    __table_args__ = (
        UniqueConstraint("collective_id", "version"),
        UniqueConstraint("collective_id", "effective_from"),
        CheckConstraint("quorum_minimum between 1 and 100", name="sane_quorum_minimum"),
        CheckConstraint("quorum_percent between 1 and 100", name="sane_quorum_percent"),
        CheckConstraint("staff_max_percent between 1 and 100", name="sane_staff_share"),
        CheckConstraint("support_minimum between 1 and 100", name="sane_support_minimum"),
        CheckConstraint("min_window_hours >= 24 and max_window_hours >= min_window_hours", name="sane_window"),
        CheckConstraint("max_deferrals between 0 and 3", name="sane_deferrals"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    collective_id: Mapped[int] = mapped_column(ForeignKey("collective.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[date]
    quorum_minimum: Mapped[int] = mapped_column(Integer)
    quorum_percent: Mapped[int] = mapped_column(Integer)
    require_lived_or_carer: Mapped[bool] = mapped_column(Boolean)
    staff_max_percent: Mapped[int] = mapped_column(Integer)
    support_minimum: Mapped[int] = mapped_column(Integer)
    min_window_hours: Mapped[int] = mapped_column(Integer)
    max_window_hours: Mapped[int] = mapped_column(Integer)
    max_deferrals: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class Poll(Model):
    __tablename__ = "poll"
    __table_args__ = (
        UniqueConstraint("bid_id", "round"),
        CheckConstraint(_in_list("status", PollStatus), name="known_status"),
        CheckConstraint(f"outcome is null or {_in_list('outcome', Outcome)}", name="known_outcome"),
        CheckConstraint("closes_at > opened_at", name="closes_after_opening"),
        CheckConstraint(
            "(status = 'closed') = (closed_at is not null and outcome is not null)", name="closed_with_outcome"
        ),
        # At most one open poll per bid.
        Index(
            "uq_poll_open_per_bid",
            "bid_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id"), index=True)
    collective_id: Mapped[int] = mapped_column(ForeignKey("collective.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=PollStatus.OPEN.value, index=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    rule_set_version: Mapped[int] = mapped_column(Integer)  # 0: the defaults
    rules: Mapped[dict] = mapped_column(JSON)
    bid_version: Mapped[int] = mapped_column(Integer)
    bid_snapshot: Mapped[dict] = mapped_column(JSON)
    award_pence: Mapped[int] = mapped_column(BigInteger)  # earmarked when the poll opened
    earmark_entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entry.id"))
    outcome: Mapped[str | None] = mapped_column(String(16))
    reasons: Mapped[str] = mapped_column(Text, default="")
    questions: Mapped[str] = mapped_column(Text, default="")  # to the partner, when deferred
    tally: Mapped[dict | None] = mapped_column(JSON)  # written only when the poll closes
    # The member a chair (or coordinator) handed the recording of others' votes to, e.g. when the
    # chair declared a connection: whoever records for others has none (access.recording_refusal).
    recorder_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The partner's answers to a deferred listing's questions, one per question, in order
    # (rules.split_questions); shown beside the questions when the bid is listed again.
    answers: Mapped[list | None] = mapped_column(JSON(none_as_null=True))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    bid: Mapped[Bid] = relationship(lazy="joined")
    # Its bid's title, for audit summaries, read with the poll when asked for (access.lock_poll) without loading the bid.
    bid_title: Mapped[str] = column_property(
        select(Bid.title).where(Bid.id == bid_id).correlate_except(Bid).scalar_subquery(), deferred=True
    )

    @property
    def is_open(self) -> bool:
        return self.status == PollStatus.OPEN

    @property
    def is_decided(self) -> bool:
        return self.status == PollStatus.CLOSED

    @property
    def outcome_value(self) -> Outcome | None:
        return Outcome(self.outcome) if self.outcome else None

    @property
    def listing_words(self) -> str:
        """'The first time this bid was listed', for 'listing 1'."""
        nth = {1: "first", 2: "second", 3: "third", 4: "fourth"}.get(self.round, f"{self.round}th")
        return f"The {nth} time this bid was listed"

    @property
    def questions_and_answers(self) -> list[tuple[str, str | None]]:
        """Each of the members' questions with the partner's answer (None until answered)."""
        answers = self.answers or []
        return [
            (question, answers[index] if index < len(answers) else None)
            for index, question in enumerate(split_questions(self.questions))
        ]


class PollElector(Model):
    """A member of the poll's electorate, as snapshotted when it opened, with their declaration."""

    __tablename__ = "poll_elector"
    __table_args__ = (
        UniqueConstraint("poll_id", "user_id"),
        CheckConstraint(f"declaration is null or {_in_list('declaration', Declaration)}", name="known_declaration"),
        CheckConstraint("(declaration = 'interest') = (interest_text <> '')", name="interest_described"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    constituency: Mapped[str] = mapped_column(String(32))
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)  # register of interests names the partner
    declaration: Mapped[str | None] = mapped_column(String(16))
    interest_text: Mapped[str] = mapped_column(String(1000), default="")
    declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when a chair recorded the answer on the member's behalf (e.g. by telephone), with why.
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    declaration_reason: Mapped[str] = mapped_column(String(500), default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    declared_by: Mapped[User | None] = relationship(foreign_keys=[declared_by_id], lazy="joined")

    @property
    def recused(self) -> bool:
        return self.declaration == Declaration.INTEREST


class Vote(Model):
    """A vote; a change adds a new current row and keeps the old one as history."""

    __tablename__ = "poll_vote"
    __table_args__ = (
        CheckConstraint(_in_list("choice", Choice), name="known_choice"),
        CheckConstraint(_in_list("method", VoteMethod), name="known_method"),
        CheckConstraint("(method = 'assisted') = (on_behalf_reason <> '')", name="assisted_with_reason"),
        Index(
            "uq_poll_vote_current",
            "poll_id",
            "user_id",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    choice: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(String(2000), default="")
    method: Mapped[str] = mapped_column(String(16), default=VoteMethod.ONLINE.value)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    on_behalf_reason: Mapped[str] = mapped_column(String(500), default="")
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime())
    replaced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id], lazy="joined")


class PollAttendance(Model):
    """A member present at a meeting where the chair records votes (meeting mode)."""

    __tablename__ = "poll_attendance"
    __table_args__ = (UniqueConstraint("poll_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


class Award(Model):
    """The money a collective awarded a bid: the commitment made from the poll's earmark."""

    __tablename__ = "award"
    __table_args__ = (CheckConstraint("amount_pence > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id"), unique=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id"), unique=True)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    commitment_entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entry.id"), unique=True)
    awarded_at: Mapped[datetime] = mapped_column(UTCDateTime())
