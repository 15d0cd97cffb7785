"""Keeping an activity's upcoming sessions (the next 12 weeks, and each schedule's next session
however far ahead) and its next session up to date.
Run on every save and nightly by `flask directory refresh-occurrences`, so that "this week",
day and time-of-day searches and each result's "Next: ..." stay right."""

from datetime import date, datetime

from sqlalchemy import delete, select

from ...core.data.unit_of_work import unit_of_work
from ...core.values.timeutils import to_london
from ...extensions import db
from .models import Activity, ActivityOccurrence, ActivitySchedule
from .schedules import Frequency, Occurrence, Schedule, sessions_ahead
from .vocabulary import part_of_day


def parse_exceptions(text: str) -> frozenset[date]:
    return frozenset(date.fromisoformat(part) for part in text.split(",") if part.strip())


def format_exceptions(days) -> str:
    return ",".join(day.isoformat() for day in sorted(days))


def to_schedule(row: ActivitySchedule) -> Schedule:
    return Schedule(
        frequency=Frequency(row.frequency),
        start_date=row.valid_from,
        start_time=row.opens_at,
        end_time=row.closes_at,
        until=row.valid_to,
        weekday=row.weekday,
        week_of_month=row.week_of_month,
        exceptions=parse_exceptions(row.exception_dates),
    )


def schedule_row(schedule: Schedule) -> ActivitySchedule:
    return ActivitySchedule(
        frequency=str(schedule.frequency),
        valid_from=schedule.start_date,
        valid_to=schedule.until,
        opens_at=schedule.start_time,
        closes_at=schedule.end_time,
        weekday=schedule.weekday,
        week_of_month=schedule.week_of_month,
        exception_dates=format_exceptions(schedule.exceptions),
    )


def upcoming_sessions(activity: Activity, *, now: datetime) -> list[Occurrence]:
    """Every schedule's sessions in the next 12 weeks (or its next one, however far ahead),
    soonest first."""
    return sorted(session for row in activity.schedules for session in sessions_ahead(to_schedule(row), now=now))


def _occurrence_row(activity_id: int, session: Occurrence) -> dict:
    local = to_london(session.start)
    return {
        "activity_id": activity_id,
        "starts_at": session.start,
        "ends_at": session.end,
        "weekday": local.weekday(),
        "part_of_day": part_of_day(local.hour),
    }


def refresh_occurrences(activity: Activity, *, now: datetime) -> int:
    """Replace the activity's stored sessions with upcoming_sessions (none unless it is
    running) and set next_occurrence_at. Flushes only. Returns the number of sessions."""
    db.session.flush()
    db.session.execute(delete(ActivityOccurrence).where(ActivityOccurrence.activity_id == activity.id))
    sessions = upcoming_sessions(activity, now=now) if activity.status == "active" else []
    if sessions:
        db.session.execute(
            ActivityOccurrence.__table__.insert(), [_occurrence_row(activity.id, session) for session in sessions]
        )
    activity.next_occurrence_at = sessions[0].start if sessions else None
    db.session.expire(activity, ["occurrences"])
    db.session.flush()
    return len(sessions)


def refresh_all_occurrences(*, now: datetime) -> tuple[int, int]:
    """Refresh every activity's sessions; commits. Returns (activities, sessions)."""
    with unit_of_work():
        activities = list(db.session.scalars(select(Activity).order_by(Activity.id)))
        sessions = sum(refresh_occurrences(activity, now=now) for activity in activities)
    return len(activities), sessions
