"""iCalendar output follows RFC 5545: CRLF lines, 75-octet folding, escaping, RRULE/EXDATE with TZID."""
from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brokerage.core.values.timeutils import LONDON
from brokerage.directory.listings.ical import (VTIMEZONE_LONDON, CalendarEvent, escape_text, fold, recurrence_rule,
                                               render_calendar)
from brokerage.directory.listings.schedules import LAST, Frequency, Schedule, upcoming

STAMP = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
SIX, EIGHT = time(18), time(20)


def calendar(schedule: Schedule, **kwargs) -> str:
    event = CalendarEvent(uid="activity-7@brokerage", summary=kwargs.pop("summary", "Arts café"),
                          schedule=schedule, **kwargs)
    return render_calendar([event], dtstamp=STAMP)


def unfolded(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def properties(text: str) -> dict[str, str]:
    """The properties of the (single) VEVENT."""
    lines = unfolded(text)
    event = lines[lines.index("BEGIN:VEVENT") + 1:lines.index("END:VEVENT")]
    return dict(line.split(":", 1) for line in event)


def test_every_line_ends_in_crlf_and_no_bare_newlines():
    text = calendar(Schedule(Frequency.WEEKLY, date(2026, 3, 18), SIX, EIGHT), description="One\ntwo")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "\r" not in text.replace("\r\n", "")


def test_long_lines_fold_at_75_octets_without_splitting_characters():
    description = "Bring a friend – café, paint & brushes provided; all welcome. " * 6
    text = calendar(Schedule(Frequency.WEEKLY, date(2026, 3, 18), SIX, EIGHT), description=description)
    raw_lines = text.encode("utf-8").split(b"\r\n")
    assert max(len(line) for line in raw_lines) <= 75
    assert sum(len(line) >= 73 for line in raw_lines) >= 4  # folded close to the limit
    for line in raw_lines:
        line.decode("utf-8")  # a split multi-byte character would fail here
    assert properties(text)["DESCRIPTION"] == escape_text(description)


def test_fold_puts_one_space_before_each_continuation():
    folded = fold("X" * 200)
    pieces = folded.split("\r\n")
    assert [len(piece) for piece in pieces] == [75, 75, 52]
    assert all(piece.startswith(" ") and not piece.startswith("  ") for piece in pieces[1:])
    assert fold("short") == "short"


def test_text_values_are_escaped():
    assert escape_text("Tea, cake; a\\b\nnext") == "Tea\\, cake\\; a\\\\b\\nnext"
    text = calendar(Schedule(Frequency.ONCE, date(2026, 4, 4), time(10), time(12)),
                    summary="Paint, draw; relax", location="Hall 1, 2 High St\nHuddersfield")
    props = properties(text)
    assert props["SUMMARY"] == "Paint\\, draw\\; relax"
    assert props["LOCATION"] == "Hall 1\\, 2 High St\\nHuddersfield"


def test_calendar_has_the_required_properties_and_balanced_components():
    text = calendar(Schedule(Frequency.WEEKLY, date(2026, 3, 18), SIX, EIGHT), url="https://example.org/a/7")
    lines = unfolded(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    for required in ("VERSION:2.0", "CALSCALE:GREGORIAN", "UID:activity-7@brokerage", "DTSTAMP:20260301T090000Z",
                     "URL:https://example.org/a/7"):
        assert required in lines
    assert any(line.startswith("PRODID:") for line in lines)
    stack = []
    for line in lines:
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
        elif line.startswith("END:"):
            assert stack.pop() == line[4:]
    assert stack == []


def test_weekly_event_recurs_in_london_time():
    props = properties(calendar(Schedule(Frequency.WEEKLY, date(2026, 3, 18), SIX, EIGHT)))
    assert props["DTSTART;TZID=Europe/London"] == "20260318T180000"
    assert props["DTEND;TZID=Europe/London"] == "20260318T200000"
    assert props["RRULE"] == "FREQ=WEEKLY;BYDAY=WE"


def test_fortnightly_with_a_last_date_has_interval_and_utc_until():
    schedule = Schedule(Frequency.FORTNIGHTLY, date(2026, 3, 18), SIX, EIGHT, until=date(2026, 7, 22))
    # 6pm BST on 22 July is 17:00 UTC; UNTIL must be UTC when DTSTART has a TZID.
    assert recurrence_rule(schedule) == "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;UNTIL=20260722T170000Z"


@pytest.mark.parametrize("week, code, first", [(2, "2MO", "20260309T110000"), (LAST, "-1FR", "20260327T110000")])
def test_monthly_by_weekday_starts_on_its_first_real_session(week, code, first):
    weekday = 0 if week == 2 else 4
    schedule = Schedule(Frequency.MONTHLY, date(2026, 3, 1), time(11), time(13), weekday=weekday,
                        week_of_month=week)
    props = properties(calendar(schedule))
    assert props["RRULE"] == f"FREQ=MONTHLY;BYDAY={code}"
    assert props["DTSTART;TZID=Europe/London"] == first


def test_exception_dates_become_one_exdate_at_the_session_time():
    schedule = Schedule(Frequency.WEEKLY, date(2026, 12, 2), SIX, EIGHT,
                        exceptions={date(2026, 12, 30), date(2026, 12, 23)})
    props = properties(calendar(schedule))
    assert props["EXDATE;TZID=Europe/London"] == "20261223T180000,20261230T180000"


def test_one_off_has_no_recurrence():
    props = properties(calendar(Schedule(Frequency.ONCE, date(2026, 4, 4), time(10), time(12))))
    assert "RRULE" not in props and "EXDATE;TZID=Europe/London" not in props
    assert props["DTSTART;TZID=Europe/London"] == "20260404T100000"


def test_schedule_ending_before_its_first_monthly_session_renders_no_event():
    schedule = Schedule(Frequency.MONTHLY, date(2026, 3, 10), SIX, EIGHT, weekday=0, week_of_month=1,
                        until=date(2026, 3, 31))
    assert "BEGIN:VEVENT" not in calendar(schedule)


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - 6) % 7)


@pytest.mark.parametrize("year", [2026, 2027])
def test_vtimezone_rules_match_the_real_clock_changes(year):
    assert "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" in VTIMEZONE_LONDON
    assert "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU" in VTIMEZONE_LONDON
    spring, autumn = _last_sunday(year, 3), _last_sunday(year, 10)
    # The VTIMEZONE says: 01:00 local GMT on the spring day and 02:00 local BST on the autumn day.
    change_spring = datetime.combine(spring, time(1), tzinfo=timezone.utc)
    change_autumn = datetime.combine(autumn, time(1), tzinfo=timezone.utc)
    offset = lambda moment: moment.astimezone(LONDON).utcoffset()  # noqa: E731
    assert offset(change_spring - timedelta(seconds=1)) == timedelta(0)
    assert offset(change_spring) == timedelta(hours=1)
    assert offset(change_autumn - timedelta(seconds=1)) == timedelta(hours=1)
    assert offset(change_autumn) == timedelta(0)


def expand_rrule(props: dict[str, str], until_local: date) -> list[date]:
    """A tiny RFC 5545 reader for the rules we write, independent of the schedules module."""
    start = datetime.strptime(props["DTSTART;TZID=Europe/London"], "%Y%m%dT%H%M%S")
    rule = dict(part.split("=") for part in props["RRULE"].split(";"))
    until = datetime.strptime(rule["UNTIL"], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc) if "UNTIL" in rule \
        else None
    excluded = {datetime.strptime(v, "%Y%m%dT%H%M%S").date()
                for v in props.get("EXDATE;TZID=Europe/London", "").split(",") if v}
    codes = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    candidates = []
    day = start.date()
    while day <= until_local:
        if rule["FREQ"] == "WEEKLY":
            weeks = (day - start.date()).days // 7
            if codes[day.weekday()] == rule["BYDAY"] and weeks % int(rule.get("INTERVAL", 1)) == 0:
                candidates.append(day)
        else:
            nth, code = int(rule["BYDAY"][:-2]), rule["BYDAY"][-2:]
            same_month = [d for d in (day.replace(day=1) + timedelta(days=i) for i in range(31))
                          if d.month == day.month and codes[d.weekday()] == code]
            if day == same_month[nth - 1 if nth > 0 else nth]:
                candidates.append(day)
        day += timedelta(days=1)
    moment = lambda d: datetime.combine(d, start.time(), tzinfo=LONDON)  # noqa: E731
    return [d for d in candidates if d not in excluded and (until is None or moment(d) <= until)]


@pytest.mark.parametrize("schedule", [
    Schedule(Frequency.WEEKLY, date(2026, 3, 4), SIX, EIGHT, exceptions={date(2026, 4, 1)}),
    Schedule(Frequency.FORTNIGHTLY, date(2026, 3, 11), time(10), time(12), until=date(2026, 5, 20)),
    Schedule(Frequency.MONTHLY, date(2026, 3, 1), SIX, EIGHT, weekday=0, week_of_month=2,
             exceptions={date(2026, 4, 13)}),
    Schedule(Frequency.MONTHLY, date(2026, 9, 1), time(14), time(16), weekday=4, week_of_month=LAST,
             until=date(2026, 11, 27)),
])
def test_calendar_recurrence_gives_the_same_sessions_as_the_directory(schedule):
    props = properties(calendar(schedule))
    start = datetime.combine(schedule.start_date, time(), tzinfo=timezone.utc)
    expected = [s.start.astimezone(LONDON).date() for s in upcoming(schedule, now=start, weeks=12)]
    last_day = schedule.start_date + timedelta(weeks=12) - timedelta(days=1)
    assert expand_rrule(props, last_day) == expected
    assert expected  # the comparison is not vacuous


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=400))
def test_any_line_folds_within_75_octets_and_unfolds_to_itself(line):
    folded = fold(line)
    assert all(len(piece.encode("utf-8")) <= 75 for piece in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
