"""The rules of a call for bids, tested directly: districts, what a call must say, its amount
within the fund's available money, its closing date, when it is open, and who may answer it."""
from dataclasses import replace
from datetime import date

import pytest

from brokerage.collectives.calls import rules
from brokerage.collectives.calls.rules import CallDetails, CallState
from brokerage.errors import RuleViolation

TODAY = date(2026, 6, 15)
GOOD = CallDetails(title="Evening activities for young people in Dewsbury", wanted="Something to do after school.",
                   districts="wf13 WF12", category_code="sport", category_label="Sport", audience="Ages 13 to 19",
                   upper_pence=300_000, closes_on=date(2026, 7, 31))


def refusal(details: CallDetails, available: int = 500_000) -> tuple[str, str]:
    with pytest.raises(RuleViolation) as caught:
        rules.check_details(details, today=TODAY, available_pence=available)
    return caught.value.field, caught.value.message


def test_a_good_call_passes_and_its_districts_are_tidied():
    rules.check_details(GOOD, today=TODAY, available_pence=300_000)  # the whole of what is available is fine
    assert rules.parse_districts(" wf13, WF12 wf13;HD3 ") == ["WF13", "WF12", "HD3"]


@pytest.mark.parametrize("changes, field, words", [
    ({"title": "  "}, "title", "title"),
    ({"wanted": ""}, "wanted", "what the collective wants"),
    ({"districts": "WF13 4AB"}, "districts", "not a postcode district"),
    ({"districts": "Dewsbury"}, "districts", "not a postcode district"),
    ({"upper_pence": 0}, "upper", "greater than £0"),
    ({"upper_pence": -100}, "upper", "greater than £0"),
    ({"upper_pence": None}, "upper", "most a bid may ask"),
    ({"upper_pence": 500_001}, "upper", "£5,000 available"),
    ({"closes_on": date(2026, 6, 14)}, "closes_on", "in the past"),
    ({"closes_on": None}, "closes_on", "closes"),
    ({"category_code": "Not a code!"}, "category_label", "category"),
])
def test_bad_calls_are_refused_naming_the_field(changes, field, words):
    refused_field, message = refusal(replace(GOOD, **changes))
    assert refused_field == field
    assert words in message


def test_a_call_closing_today_is_allowed():
    rules.check_details(replace(GOOD, closes_on=TODAY), today=TODAY, available_pence=500_000)


def test_no_money_available_means_no_call():
    assert refusal(GOOD, available=0) == ("upper", "The fund has £0 available this financial year: "
                                                   "the call cannot offer more than that.")


def test_a_call_is_open_until_the_end_of_its_closing_day_unless_closed_early():
    closes = date(2026, 7, 31)
    assert rules.call_state(closes_on=closes, closed_early=False, today=closes) is CallState.OPEN
    assert rules.call_state(closes_on=closes, closed_early=False, today=date(2026, 8, 1)) is CallState.CLOSED
    assert rules.call_state(closes_on=closes, closed_early=True, today=TODAY) is CallState.CLOSED


@pytest.mark.parametrize("value, district", [("hd3", "HD3"), (" WF13 ", "WF13"), ("HD3 4AB", None),
                                             ("<script>", None), ("", None), (None, None)])
def test_query_districts_are_kept_only_when_they_are_districts(value, district):
    assert rules.clean_district(value) == district


def test_query_categories_are_codes_and_get_words():
    assert rules.clean_category("Arts-Crafts") == "arts-crafts"
    assert rules.clean_category("drop table;") is None
    assert rules.category_words("arts-crafts") == "Arts crafts"


def answer(**changes):
    values = dict(state=CallState.OPEN, call_locality_id=1, bid_locality_id=1, upper_pence=300_000,
                  requested_pence=300_000, already_answering=False)
    rules.check_answer(**{**values, **changes})


def test_a_bid_answers_an_open_call_of_its_locality_within_the_amount():
    answer()
    answer(state=CallState.CLOSED, already_answering=True)  # a bid keeps the call it answered


@pytest.mark.parametrize("changes, field, words", [
    ({"state": CallState.CLOSED}, "call_id", "has closed"),
    ({"bid_locality_id": 2}, "call_id", "another locality"),
    ({"requested_pence": 300_001}, "requested", "up to £3,000"),
])
def test_a_bid_cannot_answer_a_closed_call_another_localitys_or_ask_for_more(changes, field, words):
    with pytest.raises(RuleViolation) as caught:
        answer(**changes)
    assert caught.value.field == field and words in caught.value.message


def test_a_close_needs_a_reason():
    with pytest.raises(RuleViolation):
        rules.check_close_reason("   ")
    rules.check_close_reason("A partner already runs this.")


def test_a_bid_answering_a_call_is_first_submitted_before_it_closes():
    rules.check_submission(state=CallState.OPEN, closes_on=TODAY, first=True)
    rules.check_submission(state=CallState.CLOSED, closes_on=TODAY, first=False)  # resubmitted after a return
    with pytest.raises(RuleViolation) as caught:
        rules.check_submission(state=CallState.CLOSED, closes_on=TODAY, first=True)
    assert "closed on 15 June 2026" in caught.value.message
