"""New "I'm interested" entries: one message a day per activity to the people who run it, saying
how many people said they were interested the day before (London time) and where to see the list.
Never the people's names or contact details: those stay behind sign-in.

Why a sweep over the previous day rather than a message at the first entry: the count is then
exact, ten entries in a day make one email, and nothing about the entries is kept beyond the
entries themselves (the message's occasion, activity and day, makes a second run write nothing)."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from ...core.data.unit_of_work import unit_of_work
from ...core.values.timeutils import LONDON, london_today
from ...core.web.links import absolute_url
from ...extensions import db
from ...notifications.models import OutboxMessage
from ...notifications.services import notify
from ...notifications.sweeps import register_sweep
from ..interest.models import ActivityInterest
from ..listings.models import Activity
from .recipients import providers


def _bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=LONDON)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=LONDON)


def _counts(day: date) -> dict[int, int]:
    start, end = _bounds(day)
    return dict(
        db.session.execute(
            select(ActivityInterest.activity_id, func.count())
            .where(ActivityInterest.created_at >= start, ActivityInterest.created_at < end)
            .group_by(ActivityInterest.activity_id)
        )
        .tuples()
        .all()
    )


def _already_told(occasion: str) -> bool:
    return db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.occasion == occasion).limit(1)) is not None


def _tell(activity: Activity, count: int, day: date, now: datetime) -> int:
    occasion = f"interest:{activity.id}:{day}"
    if _already_told(occasion):
        return 0
    people = "1 person" if count == 1 else f"{count} people"
    context = {
        "activity": activity.title,
        "people": people,
        "day": day,
        "link": absolute_url("interest.interest_list", activity_id=activity.id),
    }
    return sum(
        notify(
            kind="interest_entries",
            occasion=occasion,
            recipient=person,
            subject=f"New interest in {activity.title}",
            why=f"You help run {activity.title} for {activity.provider_name}.",
            context=context,
            now=now,
        )
        for person in providers(activity)
    )


def send_interest_counts(now: datetime) -> int:
    """Tell each activity's providers how many people said they were interested yesterday."""
    day = london_today(now) - timedelta(days=1)
    written = 0
    with unit_of_work():
        for activity_id, count in sorted(_counts(day).items()):
            activity = db.session.get(Activity, activity_id)
            if activity is not None and activity.status != "ended":
                written += _tell(activity, count, day, now)
    return written


register_sweep("directory.interest_entries", send_interest_counts)
