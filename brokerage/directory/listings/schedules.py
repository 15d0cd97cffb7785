"""Schedules of activities and the sessions (occurrences) they produce.

Pure functions, no database. A schedule is local: dates and times in Europe/London.
Occurrences are aware UTC datetimes, so a 6pm session is 18:00 UTC in winter and
17:00 UTC in summer. Weekly and fortnightly schedules repeat on the weekday of their
first date (fortnightly counts from that date); monthly ones fall on the nth (or last)
given weekday of each month; one-off ones happen once on their date.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from ...core.values.timeutils import LONDON, to_london
from ...errors import RuleViolation

DEFAULT_WEEKS = 12
FAR_WEEKS = 5 * 52
LAST = -1
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORDINAL_NAMES = {1: "first", 2: "second", 3: "third", 4: "fourth", LAST: "last"}


class Frequency(StrEnum):
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    ONCE = "once"


@dataclass(frozen=True)
class Schedule:
    """When an activity meets. Invalid combinations raise RuleViolation naming the field.

    `weekday` (0 = Monday) and `week_of_month` (1-4, or -1 for the last) are for monthly
    schedules only; `until` is the last date it may run (inclusive); `exceptions` are
    local dates with no session (holidays)."""

    frequency: Frequency
    start_date: date
    start_time: time
    end_time: time
    until: date | None = None
    weekday: int | None = None
    week_of_month: int | None = None
    exceptions: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "frequency", Frequency(self.frequency))
        object.__setattr__(self, "exceptions", frozenset(self.exceptions))
        if self.end_time <= self.start_time:
            raise RuleViolation("The end time must be after the start time.", field="end_time")
        if self.until is not None and self.until < self.start_date:
            raise RuleViolation("The last date must be on or after the first date.", field="until")
        if self.frequency is Frequency.MONTHLY:
            self._check_monthly()
        elif self.weekday is not None or self.week_of_month is not None:
            raise RuleViolation("Only monthly schedules take a weekday and a week of the month.", field="week_of_month")

    def _check_monthly(self) -> None:
        if self.weekday not in range(7):
            raise RuleViolation("Choose the day of the week a monthly activity meets on.", field="weekday")
        if self.week_of_month not in ORDINAL_NAMES:
            raise RuleViolation("Choose which week of the month: first to fourth, or last.", field="week_of_month")


@dataclass(frozen=True, order=True)
class Occurrence:
    """One session: aware UTC start and end."""

    start: datetime
    end: datetime


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The nth (1-4) or last (-1) given weekday of a month; None if the month has no such day."""
    if nth == LAST:
        following = date(year + month // 12, month % 12 + 1, 1)
        last_day = following - timedelta(days=1)
        return last_day - timedelta(days=(last_day.weekday() - weekday) % 7)
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    return day if day.month == month else None


def _repeating_dates(schedule: Schedule, since: date, step: int) -> Iterator[date]:
    start = schedule.start_date
    skipped = max(0, -(-(since - start).days // step))
    day = start + timedelta(days=skipped * step)
    while True:
        yield day
        day += timedelta(days=step)


def _monthly_dates(schedule: Schedule, since: date) -> Iterator[date]:
    assert schedule.weekday is not None and schedule.week_of_month is not None  # monthly: both, by __post_init__
    since = max(since, schedule.start_date)
    year, month = since.year, since.month
    while True:
        day = nth_weekday(year, month, schedule.weekday, schedule.week_of_month)
        if day is not None and day >= since:
            yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def session_dates(schedule: Schedule, since: date) -> Iterator[date]:
    """Local dates of sessions on or after `since` (without exceptions or the last date applied)."""
    if schedule.frequency is Frequency.ONCE:
        return iter([schedule.start_date] if schedule.start_date >= since else [])
    if schedule.frequency is Frequency.MONTHLY:
        return _monthly_dates(schedule, since)
    step = 7 if schedule.frequency is Frequency.WEEKLY else 14
    return _repeating_dates(schedule, max(since, schedule.start_date), step)


def local_moment(day: date, at: time) -> datetime:
    """A Europe/London wall-clock date and time as an aware UTC datetime."""
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)


def occurrence_on(schedule: Schedule, day: date) -> Occurrence:
    return Occurrence(local_moment(day, schedule.start_time), local_moment(day, schedule.end_time))


def _sessions_before(schedule: Schedule, *, now: datetime, horizon: date) -> Iterator[Occurrence]:
    """Sessions not yet finished at `now` on local dates before `horizon`, skipping exception
    dates and anything after the last date."""
    for day in session_dates(schedule, to_london(now).date()):
        if day >= horizon or (schedule.until is not None and day > schedule.until):
            return
        occurrence = occurrence_on(schedule, day)
        if day not in schedule.exceptions and occurrence.end > now:
            yield occurrence


def upcoming(schedule: Schedule, *, now: datetime, weeks: int = DEFAULT_WEEKS) -> list[Occurrence]:
    """Sessions not yet finished at `now` that start within `weeks` weeks of today (London),
    skipping exception dates and anything after the last date."""
    horizon = to_london(now).date() + timedelta(weeks=weeks)
    return list(_sessions_before(schedule, now=now, horizon=horizon))


def next_occurrence(schedule: Schedule, *, now: datetime, weeks: int = FAR_WEEKS) -> Occurrence | None:
    """The next session however far ahead (up to `weeks` weeks, so that a schedule whose every
    date is an exception still ends): a one-off event, a monthly group or a seasonal one may
    next meet months from now, and "Next" must say when rather than that it never will."""
    horizon = to_london(now).date() + timedelta(weeks=weeks)
    return next(_sessions_before(schedule, now=now, horizon=horizon), None)


def sessions_ahead(schedule: Schedule, *, now: datetime) -> list[Occurrence]:
    """The sessions of the next DEFAULT_WEEKS weeks (what searching by day and time reads) or,
    when none falls in them, the next session however far ahead, so that it is never lost."""
    found = upcoming(schedule, now=now)
    if found:
        return found
    following = next_occurrence(schedule, now=now)
    return [following] if following else []


def first_session_date(schedule: Schedule) -> date | None:
    """The first date the schedule really meets on (monthly ones may start after start_date)."""
    return next(session_dates(schedule, schedule.start_date), None)


def clock(moment: datetime | time, *, suffix: bool = True) -> str:
    """6pm, 6:30pm, 12pm (noon), 12am (midnight); `suffix=False` drops am/pm."""
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{('am' if moment.hour < 12 else 'pm') if suffix else ''}"


def time_range(start: datetime | time, end: datetime | time) -> str:
    """'6–8pm', '10:30am–12pm'; the first am/pm is left out when both match."""
    same_half = (start.hour < 12) == (end.hour < 12)
    return f"{clock(start, suffix=not same_half)}–{clock(end)}"


def describe_occurrence(occurrence: Occurrence) -> str:
    """'Wed 19 Mar, 6–8pm' in Europe/London time."""
    start, end = to_london(occurrence.start), to_london(occurrence.end)
    return f"{start:%a} {start.day} {start:%b}, {time_range(start, end)}"


def describe_next(occurrence: Occurrence | None) -> str:
    """'Next: Wed 19 Mar, 6–8pm', or a plain statement when nothing is coming up."""
    if occurrence is None:
        return "No upcoming sessions"
    return f"Next: {describe_occurrence(occurrence)}"


def describe_schedule(schedule: Schedule) -> str:
    """'Every Wednesday, 6–8pm', 'Every other Wednesday, ...', 'Second Monday of the month, ...',
    'Sat 4 Apr 2026, ...'."""
    times = time_range(schedule.start_time, schedule.end_time)
    weekday = WEEKDAY_NAMES[schedule.start_date.weekday()]
    if schedule.frequency is Frequency.WEEKLY:
        return f"Every {weekday}, {times}"
    if schedule.frequency is Frequency.FORTNIGHTLY:
        return f"Every other {weekday}, {times}"
    if schedule.frequency is Frequency.MONTHLY:
        assert schedule.weekday is not None and schedule.week_of_month is not None  # monthly: both, by __post_init__
        ordinal = ORDINAL_NAMES[schedule.week_of_month].capitalize()
        return f"{ordinal} {WEEKDAY_NAMES[schedule.weekday]} of the month, {times}"
    day = schedule.start_date
    return f"{day:%a} {day.day} {day:%b} {day.year}, {times}"
