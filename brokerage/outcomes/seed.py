"""Demo wellbeing measures (seed/outcomes.json) and stories (seed/stories.json) for demo projects,
recorded through the services. A project that already has participants (or stories) is left alone."""

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from ..accounts.models import User
from ..core.values.timeutils import london_today, utcnow
from ..directory.listings.models import Activity
from ..extensions import db
from .measures.models import OutcomeParticipant
from .measures.services import MeasureAnswers, add_participant, record_measure
from .stories.models import Story
from .stories.services import StoryDetails, add_story


def _answers(timepoint: str, row: dict) -> MeasureAnswers:
    return MeasureAnswers(
        timepoint=timepoint, measured_on=date.fromisoformat(row["measured_on"]), items=tuple(row["items"])
    )


def _seed_project(actor: User, activity: Activity, participants: list[dict], now: datetime) -> None:
    for row in participants:
        participant = add_participant(actor=actor, activity=activity, now=now)
        record_measure(actor=actor, participant=participant, answers=_answers("baseline", row["baseline"]), now=now)
        for follow_up in row["follow_ups"]:
            record_measure(
                actor=actor, participant=participant, answers=_answers(follow_up["timepoint"], follow_up), now=now
            )


def _unseeded(seed_dir: Path, filename: str, project_column) -> Iterator[tuple[User, Activity, dict]]:
    """(actor, project, its seed data) for each seeded project that exists and has no rows yet
    in the table of `project_column` (an activity id column), so seeding twice adds nothing."""
    data = json.loads((seed_dir / filename).read_text(encoding="utf-8"))
    actor = db.session.scalar(select(User).where(User.email == data["actor"]))
    for project in data["projects"]:
        activity = db.session.scalar(select(Activity).where(Activity.title == project["activity"]))
        if (
            actor is None
            or activity is None
            or db.session.scalar(select(project_column).where(project_column == activity.id).limit(1))
        ):
            continue
        yield actor, activity, project


def seed_outcomes(seed_dir: Path, now: datetime | None = None) -> int:
    """Record the demo measures for each project that exists and has no participants yet;
    returns how many projects were seeded."""
    seeded = 0
    for actor, activity, project in list(_unseeded(seed_dir, "outcomes.json", OutcomeParticipant.activity_id)):
        _seed_project(actor, activity, project["participants"], now or utcnow())
        seeded += 1
    return seeded


def _details(row: dict) -> StoryDetails:
    return StoryDetails(
        title=row["title"],
        text=row["text"],
        media_url=row["media_url"],
        reporter=row["reporter"],
        told_on=date.fromisoformat(row["told_on"]),
        consent=row["consent"],
    )


def seed_stories(seed_dir: Path, now: datetime | None = None) -> int:
    """Add the demo stories (seed/stories.json) to each project that exists and has none yet;
    returns how many projects were given stories."""
    moment = now or utcnow()
    seeded = 0
    for actor, activity, project in list(_unseeded(seed_dir, "stories.json", Story.activity_id)):
        for row in project["stories"]:
            add_story(actor=actor, activity=activity, details=_details(row), today=london_today(moment), now=moment)
        seeded += 1
    return seeded
