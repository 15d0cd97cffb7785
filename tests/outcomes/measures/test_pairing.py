"""Pairing baseline with the latest follow-up, the 1-point 'unchanged' band and suppression below 5 pairs."""
from datetime import date
from decimal import Decimal

import pytest

from brokerage.outcomes.measures.pairing import Measure, Pair, classify, pair_measures, summarise


def m(code, timepoint, day, metric):
    return Measure(code=code, timepoint=timepoint, measured_on=date(2026, *day), metric=Decimal(metric))


def test_baseline_pairs_with_the_latest_follow_up_by_code():
    pairs = pair_measures([m("AAA", "baseline", (1, 5), "15.84"), m("AAA", "three_months", (4, 5), "17.43"),
                           m("AAA", "end", (7, 5), "19.25"), m("BBB", "baseline", (1, 5), "20.00")])
    assert pairs == [Pair("AAA", Decimal("15.84"), Decimal("19.25"))]
    assert pairs[0].change == Decimal("3.41")


def test_on_the_same_day_the_end_measure_is_the_latest():
    pairs = pair_measures([m("AAA", "baseline", (1, 5), "15"), m("AAA", "end", (4, 5), "18"),
                           m("AAA", "three_months", (4, 5), "16")])
    assert pairs[0].follow_up == Decimal("18")


def test_a_follow_up_without_a_baseline_is_not_paired():
    assert pair_measures([m("AAA", "end", (4, 5), "18")]) == []


@pytest.mark.parametrize("change, direction", [
    ("1.00", "improved"), ("0.99", "unchanged"), ("0", "unchanged"), ("-0.99", "unchanged"), ("-1.00", "worse"),
    ("3.5", "improved"), ("-2", "worse")])
def test_unchanged_means_less_than_one_metric_point_either_way(change, direction):
    assert classify(Decimal(change)) == direction


def _pairs(*changes):
    return [Pair(f"C{index}", Decimal("15"), Decimal("15") + Decimal(change)) for index, change in enumerate(changes)]


def test_fewer_than_five_pairs_are_too_few_to_report():
    summary = summarise(6, _pairs("2", "3", "-1", "0"))
    assert not summary.reportable and summary.pairs == 4
    assert summary.mean_change is None and summary.shares is None


def test_five_pairs_report_mean_change_and_shares():
    summary = summarise(7, _pairs("2", "3", "-1", "0", "0.5"))
    assert summary.reportable and summary.participants == 7 and summary.pairs == 5
    assert summary.mean_change == Decimal("0.90")
    assert summary.mean_baseline == Decimal("15.00") and summary.mean_follow_up == Decimal("15.90")
    assert summary.shares == {"improved": 40, "unchanged": 40, "worse": 20}
