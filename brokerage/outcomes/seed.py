"""Demo wellbeing measures (seed/outcomes.json): baselines and follow-ups for demo projects,
recorded through the services. A project that already has participants is left alone."""
import json
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from ..accounts.models import User
from ..core.timeutils import utcnow
from ..directory.activity_models import Activity
from ..extensions import db
from .models import OutcomeParticipant
from .services import MeasureAnswers, add_participant, record_measure


def _answers(timepoint: str, row: dict) -> MeasureAnswers:
    return MeasureAnswers(timepoint=timepoint, measured_on=date.fromisoformat(row["measured_on"]),
                          items=tuple(row["items"]))


def _seed_project(actor: User, activity: Activity, participants: list[dict], now: datetime) -> None:
    for row in participants:
        participant = add_participant(actor=actor, activity=activity, now=now)
        record_measure(actor=actor, participant=participant, answers=_answers("baseline", row["baseline"]), now=now)
        for follow_up in row["follow_ups"]:
            record_measure(actor=actor, participant=participant,
                           answers=_answers(follow_up["timepoint"], follow_up), now=now)


def seed_outcomes(seed_dir: Path, now: datetime | None = None) -> int:
    """Record the demo measures for each project that exists and has no participants yet;
    returns how many projects were seeded."""
    data = json.loads((seed_dir / "outcomes.json").read_text(encoding="utf-8"))
    actor = db.session.scalar(select(User).where(User.email == data["actor"]))
    seeded = 0
    for project in data["projects"]:
        activity = db.session.scalar(select(Activity).where(Activity.title == project["activity"]))
        if actor is None or activity is None or db.session.scalar(
                select(OutcomeParticipant.id).where(OutcomeParticipant.activity_id == activity.id).limit(1)):
            continue
        _seed_project(actor, activity, project["participants"], now or utcnow())
        seeded += 1
    return seeded
