"""Schedules expand into sessions at the right UTC instants, across the clock changes."""
from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brokerage.directory.listings.schedules import (LAST, Frequency, Occurrence, Schedule, describe_next,
                                                    describe_occurrence, describe_schedule, next_occurrence,
                                                    nth_weekday, sessions_ahead, upcoming)
from brokerage.core.values.timeutils import to_london
from brokerage.errors import RuleViolation

UTC = timezone.utc
SIX, EIGHT = time(18, 0), time(20, 0)


def weekly(start: date, **kwargs) -> Schedule:
    return Schedule(Frequency.WEEKLY, start, kwargs.pop("start_time", SIX), kwargs.pop("end_time", EIGHT), **kwargs)


def test_weekly_session_is_18_utc_in_winter_and_17_utc_in_summer():
    # Wednesdays from 18 March 2026; clocks go forward on Sunday 29 March 2026.
    sessions = upcoming(weekly(date(2026, 3, 18)), now=datetime(2026, 3, 16, tzinfo=UTC), weeks=2)
    assert [s.start for s in sessions] == [datetime(2026, 3, 18, 18, tzinfo=UTC),
                                           datetime(2026, 3, 25, 18, tzinfo=UTC)]
    later = upcoming(weekly(date(2026, 3, 18)), now=datetime(2026, 3, 30, tzinfo=UTC), weeks=1)
    assert later == [Occurrence(datetime(2026, 4, 1, 17, tzinfo=UTC), datetime(2026, 4, 1, 19, tzinfo=UTC))]


@pytest.mark.parametrize("sunday, before_hour, after_hour", [
    (date(2026, 3, 29), 10, 9),   # clocks go forward: 10am GMT = 10:00 UTC, then 10am BST = 09:00 UTC
    (date(2027, 3, 28), 10, 9),
    (date(2026, 10, 25), 9, 10),  # clocks go back
    (date(2027, 10, 31), 9, 10),
])
def test_sunday_sessions_keep_their_local_time_on_the_day_the_clocks_change(sunday, before_hour, after_hour):
    schedule = weekly(date(2026, 1, 4), start_time=time(10), end_time=time(12))
    week_before = sunday - timedelta(days=7)
    sessions = upcoming(schedule, now=datetime.combine(week_before, time(), tzinfo=UTC), weeks=2)
    assert [(s.start.date(), s.start.hour) for s in sessions] == [(week_before, before_hour),
                                                                  (sunday, after_hour)]
    assert all(s.end - s.start == timedelta(hours=2) for s in sessions)


def test_sessions_on_the_day_the_clocks_change_are_two_hours_long():
    schedule = Schedule(Frequency.ONCE, date(2026, 10, 25), time(0, 30), time(2, 30))
    [session] = upcoming(schedule, now=datetime(2026, 10, 1, tzinfo=UTC))
    # 00:30 BST = 23:30 UTC on the 24th; 02:30 GMT = 02:30 UTC: three real hours.
    assert session.start == datetime(2026, 10, 24, 23, 30, tzinfo=UTC)
    assert session.end == datetime(2026, 10, 25, 2, 30, tzinfo=UTC)


def test_fortnightly_counts_from_its_first_date():
    schedule = Schedule(Frequency.FORTNIGHTLY, date(2026, 1, 7), SIX, EIGHT)
    sessions = upcoming(schedule, now=datetime(2026, 2, 1, tzinfo=UTC), weeks=6)
    assert [s.start.date() for s in sessions] == [date(2026, 2, 4), date(2026, 2, 18), date(2026, 3, 4)]


def test_monthly_second_monday_and_last_friday():
    second_monday = Schedule(Frequency.MONTHLY, date(2026, 1, 1), SIX, EIGHT, weekday=0, week_of_month=2)
    last_friday = Schedule(Frequency.MONTHLY, date(2026, 1, 1), SIX, EIGHT, weekday=4, week_of_month=LAST)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert [s.start.date() for s in upcoming(second_monday, now=now)] == [
        date(2026, 1, 12), date(2026, 2, 9), date(2026, 3, 9)]
    assert [s.start.date() for s in upcoming(last_friday, now=now)] == [
        date(2026, 1, 30), date(2026, 2, 27)]  # 27 March is beyond the 12 weeks


def test_nth_weekday_handles_december_and_missing_fifth_weeks():
    assert nth_weekday(2026, 12, 3, LAST) == date(2026, 12, 31)
    assert nth_weekday(2026, 2, 0, 4) == date(2026, 2, 23)
    assert nth_weekday(2026, 2, 0, 5) is None


def test_monthly_schedule_starts_from_its_first_date_not_earlier_in_the_month():
    schedule = Schedule(Frequency.MONTHLY, date(2026, 1, 13), SIX, EIGHT, weekday=0, week_of_month=2)
    first = next_occurrence(schedule, now=datetime(2026, 1, 1, tzinfo=UTC))
    assert first.start.date() == date(2026, 2, 9)


def test_exception_dates_and_last_date_are_respected():
    schedule = weekly(date(2026, 12, 2), exceptions={date(2026, 12, 23), date(2026, 12, 30)},
                      until=date(2027, 1, 13))
    sessions = upcoming(schedule, now=datetime(2026, 12, 1, tzinfo=UTC))
    assert [s.start.date() for s in sessions] == [
        date(2026, 12, 2), date(2026, 12, 9), date(2026, 12, 16), date(2027, 1, 6), date(2027, 1, 13)]


def test_only_sessions_within_the_window_and_not_finished_are_upcoming():
    schedule = weekly(date(2026, 1, 7))
    during = datetime(2026, 6, 17, 18, 30, tzinfo=UTC)  # 7:30pm BST on a Wednesday: still running
    sessions = upcoming(schedule, now=during)
    assert len(sessions) == 12
    assert sessions[0].start == datetime(2026, 6, 17, 17, tzinfo=UTC)
    after = datetime(2026, 6, 17, 19, 30, tzinfo=UTC)
    assert upcoming(schedule, now=after)[0].start.date() == date(2026, 6, 24)


def test_one_off_in_the_past_has_no_next_session():
    schedule = Schedule(Frequency.ONCE, date(2026, 4, 4), time(10), time(12))
    assert next_occurrence(schedule, now=datetime(2026, 5, 1, tzinfo=UTC)) is None
    assert describe_next(None) == "No upcoming sessions"


@pytest.mark.parametrize("kwargs, field", [
    ({"frequency": Frequency.WEEKLY, "start_time": EIGHT, "end_time": SIX}, "end_time"),
    ({"frequency": Frequency.WEEKLY, "start_time": SIX, "end_time": SIX}, "end_time"),
    ({"frequency": Frequency.WEEKLY, "until": date(2025, 12, 31)}, "until"),
    ({"frequency": Frequency.MONTHLY, "week_of_month": 2}, "weekday"),
    ({"frequency": Frequency.MONTHLY, "weekday": 0}, "week_of_month"),
    ({"frequency": Frequency.MONTHLY, "weekday": 0, "week_of_month": 5}, "week_of_month"),
    ({"frequency": Frequency.WEEKLY, "weekday": 2, "week_of_month": 1}, "week_of_month"),
])
def test_invalid_schedules_are_refused_with_the_field_to_fix(kwargs, field):
    values = {"start_date": date(2026, 1, 1), "start_time": SIX, "end_time": EIGHT, **kwargs}
    with pytest.raises(RuleViolation) as error:
        Schedule(**values)
    assert error.value.field == field


def test_unknown_frequency_is_refused():
    with pytest.raises(ValueError):
        Schedule("daily", date(2026, 1, 1), SIX, EIGHT)


def test_next_session_is_described_in_london_time():
    winter = Occurrence(datetime(2026, 3, 18, 18, tzinfo=UTC), datetime(2026, 3, 18, 20, tzinfo=UTC))
    summer = Occurrence(datetime(2026, 7, 1, 9, 30, tzinfo=UTC), datetime(2026, 7, 1, 11, tzinfo=UTC))
    assert describe_next(winter) == "Next: Wed 18 Mar, 6–8pm"
    assert describe_occurrence(summer) == "Wed 1 Jul, 10:30am–12pm"


def test_schedules_are_described_in_plain_english():
    assert describe_schedule(weekly(date(2026, 3, 18))) == "Every Wednesday, 6–8pm"
    assert describe_schedule(Schedule(Frequency.FORTNIGHTLY, date(2026, 3, 18), time(10), time(11, 30))) \
        == "Every other Wednesday, 10–11:30am"
    assert describe_schedule(Schedule(Frequency.MONTHLY, date(2026, 3, 1), time(11), time(13),
                                      weekday=0, week_of_month=2)) == "Second Monday of the month, 11am–1pm"
    assert describe_schedule(Schedule(Frequency.ONCE, date(2026, 4, 4), time(10), time(12))) \
        == "Sat 4 Apr 2026, 10am–12pm"


@settings(max_examples=200)
@given(start=st.dates(date(2026, 1, 1), date(2027, 12, 31)), hour=st.integers(6, 21),
       minute=st.sampled_from([0, 15, 30, 45]), frequency=st.sampled_from(list(Frequency)),
       weekday=st.integers(0, 6), week=st.sampled_from([1, 2, 3, 4, LAST]))
def test_every_session_starts_at_its_london_wall_clock_time(start, hour, minute, frequency, weekday, week):
    monthly = frequency is Frequency.MONTHLY
    schedule = Schedule(frequency, start, time(hour, minute), time(hour + 2, minute),
                        weekday=weekday if monthly else None, week_of_month=week if monthly else None)
    now = datetime.combine(start, time(), tzinfo=UTC)
    for session in upcoming(schedule, now=now, weeks=12):
        local = to_london(session.start)
        assert (local.hour, local.minute) == (hour, minute)
        assert start <= local.date() < start + timedelta(weeks=12)
        assert monthly is False or local.weekday() == weekday


def test_a_one_off_event_months_away_is_its_next_session():
    schedule = Schedule(Frequency.ONCE, date(2027, 3, 29), time(10), time(12))
    now = datetime(2026, 6, 15, 12, tzinfo=UTC)
    assert upcoming(schedule, now=now) == []
    assert [s.start.date() for s in sessions_ahead(schedule, now=now)] == [date(2027, 3, 29)]


def test_a_monthly_group_starting_in_four_months_keeps_its_next_session():
    schedule = Schedule(Frequency.MONTHLY, date(2026, 10, 1), SIX, EIGHT, weekday=0, week_of_month=2)
    found = sessions_ahead(schedule, now=datetime(2026, 6, 15, 12, tzinfo=UTC))
    assert [s.start.date() for s in found] == [date(2026, 10, 12)]


def test_a_season_that_has_ended_has_no_next_session_however_far_ahead():
    schedule = weekly(date(2026, 4, 1), until=date(2026, 5, 27))
    assert sessions_ahead(schedule, now=datetime(2026, 6, 15, 12, tzinfo=UTC)) == []
