"""The pure rules of guided first visits."""
from datetime import datetime, timedelta, timezone

import pytest

from brokerage.directory.visits import rules
from brokerage.errors import RuleViolation

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)
NEXT = NOW + timedelta(days=2)


def _field(call, *args) -> str | None:
    with pytest.raises(RuleViolation) as error:
        call(*args)
    return error.value.field


@pytest.mark.parametrize(("first_name", "email", "phone", "consent", "field"), [
    ("", "ana@example.org", "", True, "first_name"),
    ("Ana", "", "", True, "phone"),
    ("Ana", "", "12345", True, "phone"),
    ("Ana", "ana@example.org", "", False, "consent"),
])
def test_a_person_gives_a_first_name_one_way_to_reach_them_and_consent(first_name, email, phone, consent, field):
    assert _field(rules.check_person, first_name, email, phone, consent) == field


def test_a_phone_number_alone_or_an_email_alone_is_enough():
    rules.check_person("Ana", "", "01484 123456", True)
    rules.check_person("Ana", "ana@example.org", "", True)


def test_only_a_session_still_to_come_that_the_activity_holds_can_be_chosen():
    with pytest.raises(RuleViolation, match="already happened"):
        rules.check_session(NOW - timedelta(hours=1), [NEXT], NOW)
    with pytest.raises(RuleViolation, match="already happened"):
        rules.check_session(NOW, [NOW, NEXT], NOW)  # started: too late to be met at the door
    with pytest.raises(RuleViolation, match="sessions listed"):
        rules.check_session(NEXT + timedelta(hours=1), [NEXT], NOW)
    assert _field(rules.check_session, None, [NEXT], NOW) == "session"
    assert rules.check_session(NEXT, [NEXT], NOW) == NEXT


def test_details_are_kept_three_months_after_the_session():
    assert rules.purge_after(NEXT) == NEXT + timedelta(days=92)
    assert "3 months after the visit" == rules.RETENTION_WORDS


def test_a_request_is_answered_once_before_its_session_and_closes_after_it():
    assert rules.may_answer(rules.ASKED, NEXT, NOW)
    assert not rules.may_answer(rules.ACCEPTED, NEXT, NOW)
    assert not rules.may_answer(rules.ASKED, NOW, NOW)
    assert rules.is_closed(NOW, NOW) and not rules.is_closed(NEXT, NOW)


def test_another_session_offered_must_differ_and_say_why():
    assert _field(rules.check_offer, NEXT, NEXT, "Sorry") == "session"
    assert _field(rules.check_offer, NEXT + timedelta(days=7), NEXT, "") == "note"
    rules.check_offer(NEXT + timedelta(days=7), NEXT, "Our lead is away that week.")


def test_what_happened_is_recorded_after_the_session_and_coming_back_needs_coming():
    with pytest.raises(RuleViolation, match="after the session"):
        rules.check_outcome(NEXT, NOW, True, None)
    assert _field(rules.check_outcome, NOW, NOW, None, None) == "came"
    assert _field(rules.check_outcome, NOW, NOW, False, True) == "came_back"
    rules.check_outcome(NOW, NOW, True, True)


def test_the_report_counts_only_visits_counted_with_consent():
    outcomes = [(True, True, True), (True, True, False), (True, False, None), (True, None, None),
                (False, True, True)]
    assert rules.tally(outcomes) == rules.Tally(visits=4, came=2, came_back=1)
    assert rules.tally([]) == rules.Tally(0, 0, 0)


def test_a_worker_too_ticks_that_the_club_may_keep_the_request_and_contact_them():
    with pytest.raises(RuleViolation, match="Tick the box"):
        rules.check_consent(False)
    rules.check_consent(True)
