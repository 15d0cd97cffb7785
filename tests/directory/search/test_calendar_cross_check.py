"""The calendar file and the activity page agree across both clock changes, checked by an
independent reader: the `icalendar` package parses the file, builds the time zone from the file's
own VTIMEZONE (not the system's), and dateutil expands the RRULE and EXDATE. Its sessions, in UTC,
must be the page's "Next sessions", so a calendar keeps a 6pm session at 6pm in March and October."""
import re
from datetime import date, datetime, time, timedelta, timezone

import icalendar
import pytest
from dateutil.rrule import rrulestr

from brokerage.directory.listings.schedules import LAST, Frequency, Occurrence, Schedule, describe_occurrence
from brokerage.extensions import db

SHOWN, WEEKS = 5, 12  # the activity page lists the next five sessions within twelve weeks
CLOCK_CHANGES = [
    # (now, schedule): the sessions the page shows straddle the last Sunday of March or of October.
    pytest.param(datetime(2026, 3, 23, 12, tzinfo=timezone.utc),
                 Schedule(Frequency.WEEKLY, date(2026, 3, 4), time(18), time(20), exceptions={date(2026, 4, 8)}),
                 id="weekly evening into summer time, with a holiday"),
    pytest.param(datetime(2026, 10, 12, 9, tzinfo=timezone.utc),
                 Schedule(Frequency.FORTNIGHTLY, date(2026, 10, 1), time(10), time(12)),
                 id="fortnightly morning back to winter time"),
    pytest.param(datetime(2026, 9, 20, 9, tzinfo=timezone.utc),
                 Schedule(Frequency.MONTHLY, date(2026, 9, 1), time(14), time(15, 30), weekday=6, week_of_month=LAST,
                          until=date(2026, 12, 1)),
                 id="monthly on the last Sunday, the day the clocks go back, until December"),
]


def independent_sessions(calendar_text: str, *, after: datetime) -> list[Occurrence]:
    """Every session the calendar file describes that has not ended by `after`, in UTC, as another
    program reads it (up to a year ahead, enough for any page)."""
    calendar = icalendar.Calendar.from_ical(calendar_text)
    zone = calendar.walk("VTIMEZONE")[0].to_tz(lookup_tzid=False)  # from the file's rules alone
    sessions = []
    for event in calendar.walk("VEVENT"):
        start = event["DTSTART"].dt.replace(tzinfo=zone)
        length = event["DTEND"].dt.replace(tzinfo=zone) - start
        starts = [start]
        if "RRULE" in event:
            starts = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start).between(
                start, after + timedelta(days=366), inc=True)
        exdates = event.get("EXDATE", [])
        excluded = {moment.dt.replace(tzinfo=None) for dates in (exdates if isinstance(exdates, list) else [exdates])
                    for moment in dates.dts}
        for moment in starts:
            if moment.replace(tzinfo=None) not in excluded:
                begin = moment.astimezone(timezone.utc)
                sessions.append(Occurrence(begin, (moment + length).astimezone(timezone.utc)))
    return sorted((session for session in sessions if session.end > after), key=lambda session: session.start)


def next_sessions_on_the_page(html: str) -> list[str]:
    listed = re.search(r"<h3>Next sessions</h3>\s*<ul>(.*?)</ul>", html, re.DOTALL)
    assert listed, "the page lists no next sessions"
    return re.findall(r"<li>(.*?)</li>", listed[1])


@pytest.mark.parametrize("now, schedule", CLOCK_CHANGES)
def test_the_calendar_file_gives_the_pages_next_sessions_across_the_clock_change(client, directory, fixed_now, now,
                                                                                 schedule):
    fixed_now(now)
    activity_id = directory.activity(schedule=schedule, now=now).id
    db.session.commit()
    calendar = client.get(f"/activities/{activity_id}.ics").get_data(as_text=True)
    expected = [session for session in independent_sessions(calendar, after=now)
                if session.start < now + timedelta(weeks=WEEKS)][:SHOWN]
    offsets = {session.start.hour for session in expected}
    assert len(offsets) == 2, "the sessions checked do not straddle a clock change"
    page = client.get(f"/activities/{activity_id}").get_data(as_text=True)
    assert next_sessions_on_the_page(page) == [describe_occurrence(session) for session in expected]
