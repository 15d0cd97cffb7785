"""Wellbeing measures: anonymous participant codes per project (an activity), one SWEMWBS
measure per code and timepoint, and one-time links that let a participant answer without an account."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...core.data.types import UTCDateTime
from ...core.values.timeutils import utcnow
from ...directory.listings.vocabulary import in_list
from ...extensions import Model
from .rules import ITEM_FIELDS

TIMEPOINTS = {"baseline": "Baseline (before the project)", "three_months": "3 months", "end": "End of the project"}


class OutcomeParticipant(Model):
    """An anonymous participant of a project: a code, never a name."""

    __tablename__ = "outcome_participant"
    __table_args__ = (UniqueConstraint("activity_id", "code", name="one_code_per_project"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), index=True)
    code: Mapped[str] = mapped_column(String(6))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    activity = relationship("Activity")
    measures: Mapped[list["WellbeingMeasure"]] = relationship(
        back_populates="participant", order_by="WellbeingMeasure.measured_on"
    )


def _item_checks() -> tuple[CheckConstraint, ...]:
    return tuple(CheckConstraint(f"{field} BETWEEN 1 AND 5", name=f"{field}_range") for field in ITEM_FIELDS)


class WellbeingMeasure(Model):
    """One SWEMWBS measure: the seven item scores and their raw total (7-35)."""

    __tablename__ = "wellbeing_measure"
    __table_args__ = (
        UniqueConstraint("participant_id", "timepoint", name="one_measure_per_timepoint"),
        CheckConstraint(in_list("timepoint", TIMEPOINTS), name="known_timepoint"),
        CheckConstraint(
            "raw_score = item_1 + item_2 + item_3 + item_4 + item_5 + item_6 + item_7", name="raw_score_is_sum"
        ),
        CheckConstraint("entered_by IN ('worker', 'participant')", name="known_entered_by"),
        *_item_checks(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("outcome_participant.id"), index=True)
    timepoint: Mapped[str] = mapped_column(String(12))
    measured_on: Mapped[date] = mapped_column(Date)
    item_1: Mapped[int] = mapped_column(SmallInteger)
    item_2: Mapped[int] = mapped_column(SmallInteger)
    item_3: Mapped[int] = mapped_column(SmallInteger)
    item_4: Mapped[int] = mapped_column(SmallInteger)
    item_5: Mapped[int] = mapped_column(SmallInteger)
    item_6: Mapped[int] = mapped_column(SmallInteger)
    item_7: Mapped[int] = mapped_column(SmallInteger)
    raw_score: Mapped[int] = mapped_column(SmallInteger)
    entered_by: Mapped[str] = mapped_column(String(11))  # worker (on the participant's behalf) or participant
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    participant: Mapped[OutcomeParticipant] = relationship(back_populates="measures")

    @property
    def items(self) -> tuple[int, ...]:
        return tuple(getattr(self, field) for field in ITEM_FIELDS)


class WellbeingLink(Model):
    """A one-time link for a participant to answer for one timepoint: only the token's SHA-256
    is stored; it works once, until expires_at."""

    __tablename__ = "wellbeing_link"
    __table_args__ = (CheckConstraint(in_list("timepoint", TIMEPOINTS), name="known_timepoint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("outcome_participant.id"), index=True)
    timepoint: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    participant: Mapped[OutcomeParticipant] = relationship()
