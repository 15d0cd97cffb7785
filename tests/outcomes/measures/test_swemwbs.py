"""The SWEMWBS scoring: every raw score against the published table, items and labels."""
from decimal import Decimal

import pytest

from brokerage.errors import RuleViolation
from brokerage.outcomes.measures.rules import (NEUTRAL_CHOICES, choice_labels, item_labels, metric_score, raw_score,
                                               validated_items)

# Stewart-Brown et al. 2009, as given in design/domain.md section 5.
PUBLISHED = """7 7.00, 8 9.51, 9 11.25, 10 12.40, 11 13.33, 12 14.08, 13 14.75, 14 15.32, 15 15.84, 16 16.36,
17 16.88, 18 17.43, 19 17.98, 20 18.59, 21 19.25, 22 19.98, 23 20.73, 24 21.54, 25 22.35, 26 23.21, 27 24.11,
28 25.03, 29 26.02, 30 27.03, 31 28.13, 32 29.31, 33 30.70, 34 32.55, 35 35.00"""
TABLE = {int(raw): Decimal(metric) for raw, metric in (pair.split() for pair in PUBLISHED.split(","))}


def test_the_published_table_has_every_raw_score_from_7_to_35():
    assert sorted(TABLE) == list(range(7, 36))


@pytest.mark.parametrize("raw", range(7, 36))
def test_every_raw_score_converts_to_its_published_metric_score(raw):
    assert metric_score(raw) == TABLE[raw]


@pytest.mark.parametrize("raw", [6, 36, 0])
def test_raw_scores_outside_7_to_35_have_no_metric_score(raw):
    with pytest.raises(ValueError):
        metric_score(raw)


def test_raw_score_is_the_sum_of_the_seven_items():
    assert raw_score((1, 2, 3, 4, 5, 1, 2)) == 18


@pytest.mark.parametrize("items, field", [
    ((3, 3, 3, 6, 3, 3, 3), "item_4"), ((0, 3, 3, 3, 3, 3, 3), "item_1"), ((3, 3, 3, 3, 3, 3, None), "item_7")])
def test_scores_outside_1_to_5_or_missing_are_refused_by_item(items, field):
    with pytest.raises(RuleViolation) as refused:
        validated_items(items)
    assert refused.value.field == field


def test_fewer_than_seven_items_are_refused():
    with pytest.raises(RuleViolation):
        validated_items((3, 3, 3))


def test_statements_are_neutral_unless_the_licensed_wording_is_configured():
    labels, licensed = item_labels({"SWEMWBS_ITEMS": None})
    assert labels[0] == "Statement 1" and labels[6] == "Statement 7" and not licensed
    wording = [f"Licensed statement {number}" for number in range(7)]
    assert item_labels({"SWEMWBS_ITEMS": wording}) == (tuple(wording), True)


def test_answer_choices_are_neutral_unless_configured():
    assert choice_labels({}) == NEUTRAL_CHOICES == ("1 (lowest)", "2", "3", "4", "5 (highest)")
    anchors = ("Never", "Rarely", "Some", "Often", "Always")
    assert choice_labels({"SWEMWBS_CHOICES": anchors}) == anchors
