"""iCalendar (RFC 5545) for activities: one VEVENT per schedule, recurring by RRULE.

Times are local Europe/London wall-clock times (TZID) with the matching VTIMEZONE, so a
calendar keeps a 6pm session at 6pm across the clock changes. Lines end in CRLF, are
folded at 75 octets (never inside a UTF-8 character) and text values are escaped.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from .schedules import Frequency, Schedule, first_session_date, local_moment

TZID = "Europe/London"
PRODID = "-//Creative Minds//brokerage activity directory//EN"
MAX_OCTETS = 75
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

# Europe/London since 1996: summer time from 01:00 UTC on the last Sunday of March
# (01:00 GMT -> 02:00 BST) to 01:00 UTC on the last Sunday of October (02:00 BST -> 01:00 GMT).
VTIMEZONE_LONDON = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0100",
    "TZNAME:BST",
    "DTSTART:19810329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0000",
    "TZNAME:GMT",
    "DTSTART:19961027T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)


@dataclass(frozen=True)
class CalendarEvent:
    """What a calendar needs to know about one activity."""

    uid: str
    summary: str
    schedule: Schedule
    description: str = ""
    location: str = ""
    url: str = ""


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newlines."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into CRLF-joined pieces of at most 75 octets (RFC 5545 3.1);
    continuation pieces start with one space. UTF-8 characters are never split."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > MAX_OCTETS:
            pieces.append(current)
            current, size = " ", 1
        current += char
        size += width
    pieces.append(current)
    return "\r\n".join(pieces)


def local_stamp(day: date, at: time) -> str:
    return f"{day:%Y%m%d}T{at:%H%M%S}"


def utc_stamp(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%S}Z"


def recurrence_rule(schedule: Schedule) -> str | None:
    """The RRULE value for a repeating schedule; None for a one-off. UNTIL is in UTC, as the
    RFC requires when DTSTART has a TZID."""
    if schedule.frequency is Frequency.ONCE:
        return None
    if schedule.frequency is Frequency.MONTHLY:
        assert schedule.weekday is not None and schedule.week_of_month is not None  # monthly: both, by __post_init__
        parts = ["FREQ=MONTHLY", f"BYDAY={schedule.week_of_month}{WEEKDAY_CODES[schedule.weekday]}"]
    else:
        parts = ["FREQ=WEEKLY", f"BYDAY={WEEKDAY_CODES[schedule.start_date.weekday()]}"]
        if schedule.frequency is Frequency.FORTNIGHTLY:
            parts.insert(1, "INTERVAL=2")
    if schedule.until is not None:
        parts.append(f"UNTIL={utc_stamp(local_moment(schedule.until, schedule.start_time))}")
    return ";".join(parts)


def event_lines(event: CalendarEvent, *, dtstamp: datetime) -> list[str]:
    """The unfolded content lines of one VEVENT (empty if the schedule never meets)."""
    schedule = event.schedule
    first = first_session_date(schedule)
    if first is None or (schedule.until is not None and first > schedule.until):
        return []
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{utc_stamp(dtstamp)}",
        f"DTSTART;TZID={TZID}:{local_stamp(first, schedule.start_time)}",
        f"DTEND;TZID={TZID}:{local_stamp(first, schedule.end_time)}",
    ]
    rule = recurrence_rule(schedule)
    if rule:
        lines.append(f"RRULE:{rule}")
        exceptions = sorted(day for day in schedule.exceptions if day >= first)
        if exceptions:
            stamps = ",".join(local_stamp(day, schedule.start_time) for day in exceptions)
            lines.append(f"EXDATE;TZID={TZID}:{stamps}")
    lines.append(f"SUMMARY:{escape_text(event.summary)}")
    for name, value in (("DESCRIPTION", event.description), ("LOCATION", event.location)):
        if value:
            lines.append(f"{name}:{escape_text(value)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines.append("END:VEVENT")
    return lines


def render_calendar(events: list[CalendarEvent], *, dtstamp: datetime, name: str = "") -> str:
    """A complete VCALENDAR (one VTIMEZONE, one VEVENT per event), CRLF-terminated and folded."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    lines.extend(VTIMEZONE_LONDON)
    for event in events:
        lines.extend(event_lines(event, dtstamp=dtstamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
