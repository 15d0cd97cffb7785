"""The match rule: award <= min(requested, ratio x confirmed partner funds, per-bid cap, available)."""
import pytest

from brokerage.collectives.bids.models import LineStatus
from brokerage.collectives.bids.rules import Limit, Ratio, match_award

ONE_TO_ONE = Ratio(1, 1)


@pytest.mark.parametrize(("requested", "confirmed", "ratio", "cap", "available", "award", "binding"), [
    # each limit binding in turn
    (300_000, 600_000, ONE_TO_ONE, 500_000, 5_000_000, 300_000, (Limit.REQUESTED,)),
    (450_000, 200_000, ONE_TO_ONE, 500_000, 5_000_000, 200_000, (Limit.MATCH,)),
    (900_000, 800_000, ONE_TO_ONE, 500_000, 5_000_000, 500_000, (Limit.CAP,)),
    (400_000, 600_000, ONE_TO_ONE, 500_000, 150_000, 150_000, (Limit.AVAILABLE,)),
    # a 2:1 ratio doubles the match limit; 1:2 halves it
    (450_000, 200_000, Ratio(2, 1), 500_000, 5_000_000, 400_000, (Limit.MATCH,)),
    (450_000, 200_000, Ratio(1, 2), 500_000, 5_000_000, 100_000, (Limit.MATCH,)),
    # zero confirmed funds: no match at all
    (400_000, 0, ONE_TO_ONE, 500_000, 5_000_000, 0, (Limit.MATCH,)),
    # no money available (no fund, or an empty one)
    (400_000, 600_000, ONE_TO_ONE, 500_000, 0, 0, (Limit.AVAILABLE,)),
    # ties: every limit equal to the award is named
    (500_000, 500_000, ONE_TO_ONE, 500_000, 5_000_000, 500_000, (Limit.REQUESTED, Limit.MATCH, Limit.CAP)),
])
def test_match_award_is_the_smallest_limit(requested, confirmed, ratio, cap, available, award, binding):
    figures = match_award(requested=requested, confirmed_funds=confirmed, ratio=ratio, cap=cap, available=available)
    assert figures.award == award
    assert figures.binding == binding


def test_match_ratio_rounds_down_to_the_penny():
    figures = match_award(requested=10_000, confirmed_funds=1_001, ratio=Ratio(1, 2), cap=10_000, available=10_000)
    assert figures.match_limit == 500
    assert figures.award == 500


def test_negative_available_money_offers_nothing():
    figures = match_award(requested=10_000, confirmed_funds=10_000, ratio=ONE_TO_ONE, cap=10_000, available=-5)
    assert figures.award == 0


def test_pledged_funds_do_not_count_towards_the_match():
    assert not LineStatus.PLEDGED.counts_for_match
    assert LineStatus.CONFIRMED.counts_for_match
    assert LineStatus.RECEIVED.counts_for_match


def test_figures_list_the_four_limits_in_order():
    figures = match_award(requested=1, confirmed_funds=2, ratio=ONE_TO_ONE, cap=3, available=4)
    assert figures.limits() == [(Limit.REQUESTED, 1), (Limit.MATCH, 2), (Limit.CAP, 3), (Limit.AVAILABLE, 4)]


@pytest.mark.parametrize(("numerator", "denominator"), [(-1, 1), (1, 0), (1, -2)])
def test_a_ratio_must_make_sense(numerator, denominator):
    with pytest.raises(ValueError):
        Ratio(numerator, denominator)
