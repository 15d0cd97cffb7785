"""Recording wellbeing measures: anonymous participant codes per project, and measures entered
by a worker or champion on the participant's behalf. One-time links are in links.py, results in results.py."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.unit_of_work import Conflict, refused_as, unit_of_work
from ...directory.listings.models import Activity
from ...errors import NotFound, RuleViolation
from ...extensions import db
from .access import can_record, require_record
from .models import TIMEPOINTS, OutcomeParticipant, WellbeingMeasure
from .rules import ITEM_FIELDS, metric_score, raw_score, validated_items

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read aloud and copy
CODE_LENGTH = 6


@dataclass(frozen=True)
class MeasureAnswers:
    timepoint: str
    measured_on: date | None
    items: tuple[int | None, ...]


def get_participant(participant_id: int) -> OutcomeParticipant:
    participant = db.session.get(OutcomeParticipant, participant_id)
    if participant is None:
        raise NotFound()
    return participant


@dataclass(frozen=True)
class ParticipantRow:
    participant: OutcomeParticipant
    measured_on: dict[str, date]  # timepoint -> date of the measure recorded for it


def participants_for(activity: Activity) -> list[ParticipantRow]:
    """The project's participants by code, each with the dates of the measures recorded so far."""
    participants = db.session.scalars(
        select(OutcomeParticipant)
        .where(OutcomeParticipant.activity_id == activity.id)
        .options(selectinload(OutcomeParticipant.measures))
        .order_by(OutcomeParticipant.code)
    )
    return [
        ParticipantRow(participant, {measure.timepoint: measure.measured_on for measure in participant.measures})
        for participant in participants
    ]


def _new_code(activity: Activity) -> str:
    used = set(db.session.scalars(select(OutcomeParticipant.code).where(OutcomeParticipant.activity_id == activity.id)))
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in used:
            return code


def add_participant(*, actor: User, activity: Activity, now: datetime) -> OutcomeParticipant:
    """Give a new participant of the project an anonymous code (unique in the project, never a name).
    Raises PermissionDenied unless the actor may record measures for the project."""
    with unit_of_work():
        require_record(actor, activity)
        participant = OutcomeParticipant(
            activity_id=activity.id, code=_new_code(activity), created_at=now, created_by_id=actor.id
        )
        db.session.add(participant)
        db.session.flush()
        record_event(
            actor=actor,
            action="outcomes.participant_added",
            object_type="outcome_participant",
            object_id=participant.id,
            summary=f"Participant {participant.code} added to {activity.title}",
            after={"activity_id": activity.id, "code": participant.code},
        )
    return participant


def existing_measure(participant: OutcomeParticipant, timepoint: str) -> WellbeingMeasure | None:
    return db.session.scalar(
        select(WellbeingMeasure).where(
            WellbeingMeasure.participant_id == participant.id, WellbeingMeasure.timepoint == timepoint
        )
    )


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _check_order(participant: OutcomeParticipant, timepoint: str, measured_on: date) -> None:
    if timepoint != "baseline":
        baseline = existing_measure(participant, "baseline")
        if baseline is not None and measured_on < baseline.measured_on:
            raise RuleViolation(
                f"A follow-up cannot be dated before the baseline ({_day(baseline.measured_on)}).", field="measured_on"
            )
        return
    earliest = db.session.scalar(
        select(func.min(WellbeingMeasure.measured_on)).where(
            WellbeingMeasure.participant_id == participant.id, WellbeingMeasure.timepoint != "baseline"
        )
    )
    if earliest is not None and measured_on > earliest:
        raise RuleViolation(f"The baseline cannot be dated after a follow-up ({_day(earliest)}).", field="measured_on")


def check_answers(participant: OutcomeParticipant, answers: MeasureAnswers) -> tuple[int, ...]:
    """Validate a measure before saving: known timepoint, a date, seven scores 1-5, the order of
    dates, one measure per timepoint. Returns the item scores; raises RuleViolation by field."""
    if answers.timepoint not in TIMEPOINTS:
        raise RuleViolation("Choose when this was measured.", field="timepoint")
    if answers.measured_on is None:
        raise RuleViolation("Enter the date of the measure.", field="measured_on")
    items = validated_items(answers.items)
    if existing_measure(participant, answers.timepoint) is not None:
        raise RuleViolation(
            f"Participant {participant.code} already has a {TIMEPOINTS[answers.timepoint].lower()} measure.",
            field="timepoint",
        )
    _check_order(participant, answers.timepoint, answers.measured_on)
    return items


def save_measure(
    *, actor: User | None, participant: OutcomeParticipant, answers: MeasureAnswers, entered_by: str, now: datetime
) -> WellbeingMeasure:
    """Check and add a measure with its audit event, flushed (in the caller's unit of work). A concurrent
    duplicate is caught by the unique constraint and refused as a RuleViolation."""
    items = check_answers(participant, answers)
    measure = WellbeingMeasure(
        participant_id=participant.id,
        timepoint=answers.timepoint,
        measured_on=answers.measured_on,
        raw_score=raw_score(items),
        entered_by=entered_by,
        recorded_by_id=actor.id if actor else None,
        recorded_at=now,
        **dict(zip(ITEM_FIELDS, items, strict=True)),
    )
    with refused_as(
        Conflict(f"Participant {participant.code} already has a measure for this timepoint.", field="timepoint")
    ):
        db.session.add(measure)
    record_event(
        actor=actor,
        action="outcomes.measure_recorded",
        object_type="wellbeing_measure",
        object_id=measure.id,
        summary=f"{TIMEPOINTS[measure.timepoint]} wellbeing measure for {participant.code} ({entered_by})",
        after={
            "participant": participant.code,
            "timepoint": measure.timepoint,
            "measured_on": measure.measured_on.isoformat(),
            "raw_score": measure.raw_score,
            "metric_score": str(metric_score(measure.raw_score)),
            "entered_by": entered_by,
        },
    )
    return measure


def record_measure(
    *, actor: User, participant: OutcomeParticipant, answers: MeasureAnswers, now: datetime
) -> WellbeingMeasure:
    """Record a measure on the participant's behalf. Raises PermissionDenied unless the actor may
    record for the project, RuleViolation (by field) for bad or duplicate answers; nothing is saved then."""
    with unit_of_work():
        require_record(actor, participant.activity)
        measure = save_measure(actor=actor, participant=participant, answers=answers, entered_by="worker", now=now)
    return measure


@dataclass(frozen=True)
class ProjectRow:
    activity: Activity
    participants: int


def projects_for(user: User) -> list[ProjectRow]:
    """The projects this user may record measures for, with how many participants each has."""
    counts = (
        select(OutcomeParticipant.activity_id, func.count().label("participants"))
        .group_by(OutcomeParticipant.activity_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Activity, func.coalesce(counts.c.participants, 0))
        .outerjoin(counts, counts.c.activity_id == Activity.id)
        .order_by(Activity.title)
    )
    return [ProjectRow(activity, participants) for activity, participants in rows if can_record(user, activity)]
