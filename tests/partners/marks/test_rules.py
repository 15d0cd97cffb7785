"""The mark's pure rules: award lengths, evidence dates, and when the mark lapses."""
from datetime import date

import pytest

from brokerage.errors import RuleViolation
from brokerage.partners.marks.rules import (add_months, check_award, check_criterion, check_evidence, status,
                                            valid_until)

TODAY = date(2026, 12, 5)


def test_a_month_later_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 5), 24) == date(2028, 12, 5)


@pytest.mark.parametrize("name, minimum, field", [("", 1, "name"), ("First aiders", 0, "minimum"),
                                                  ("First aiders", -2, "minimum"), ("First aiders", None, "minimum")])
def test_a_criterion_needs_a_name_and_a_positive_count(name, minimum, field):
    with pytest.raises(RuleViolation) as error:
        check_criterion(name, minimum)
    assert error.value.field == field


def test_a_certificate_cannot_be_issued_in_the_future_or_expire_before_issue():
    with pytest.raises(RuleViolation, match="future"):
        check_evidence("c1_", date(2026, 12, 6), None, TODAY)
    with pytest.raises(RuleViolation, match="after the date issued") as error:
        check_evidence("c1_", date(2026, 1, 1), date(2025, 12, 1), TODAY)
    assert error.value.field == "c1_expires_on"
    check_evidence("c1_", date(2026, 1, 1), date(2029, 1, 1), TODAY)


def test_an_award_cannot_outlast_its_schemes_length():
    with pytest.raises(RuleViolation, match="at most 12 months"):
        check_award(date(2027, 12, 6), 12, TODAY)
    with pytest.raises(RuleViolation, match="after today"):
        check_award(TODAY, 12, TODAY)
    check_award(date(2027, 12, 5), 12, TODAY)


def test_an_expired_certificate_suspends_the_mark_before_the_award_ends():
    lapses = valid_until(date(2027, 12, 5), [date(2027, 3, 1), None])
    assert lapses == date(2027, 3, 1)
    assert status("awarded", lapses, date(2027, 3, 1)) == "marked"
    assert status("awarded", lapses, date(2027, 3, 2)) == "suspended"
