"""Opening a vote plans with nothing locked, then writes: what happens when the bid or the
fund moves between the two phases (voting/opening.py, open_vote_on)."""
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from brokerage.collectives.money import services as funds, ledger
from brokerage.collectives.members import membership
from brokerage.collectives.voting import opening as poll_opening, planning as poll_planning
from brokerage.collectives.bids.lifecycle import BidStatus
from brokerage.collectives.money.models import EntryKind, LedgerEntry
from brokerage.collectives.voting.models import Poll
from brokerage.errors import NotFound, RuleViolation
from brokerage.extensions import db

from ..bids.helpers import NOW, get_bid, load
from .helpers import CLOSES

pytestmark = pytest.mark.usefixtures("electorate")


def _available(slug: str = "barnsley") -> int:
    locality = membership.get_collective(slug).locality
    return funds.fund_summary(funds.fund_for(locality=locality, start_year=2026)).available


def _counts() -> tuple[int, int]:
    polls_count = db.session.scalar(select(func.count()).select_from(Poll))
    earmarks = db.session.scalar(select(func.count()).select_from(LedgerEntry).where(
        LedgerEntry.kind == EntryKind.EARMARK))
    return polls_count, earmarks


def _planning(monkeypatch, change_plan, times: int) -> list:
    """Let `change_plan` alter the first `times` plans, as if the rows moved after they were read."""
    real, made = poll_planning.plan_opening, []

    def planned(*args):
        plan = real(*args)
        made.append(plan)
        return change_plan(plan) if len(made) <= times else plan
    monkeypatch.setattr(poll_planning, "plan_opening", planned)
    return made


def _moved(plan):
    return replace(plan, seen=("returned_for_changes", *plan.seen[1:]))


def test_a_bid_that_moved_after_it_was_read_is_planned_again(app, world, make_bid, monkeypatch):
    bid_id = make_bid(status="ready_for_vote")
    made = _planning(monkeypatch, _moved, times=1)
    with app.app_context():
        before = _available()
        poll_id = poll_opening.open_vote_on(actor=load(world.coordinator), bid_id=bid_id, closes_at=CLOSES, now=NOW)
        assert len(made) == 2 and poll_id is not None
        assert _counts() == (1, 1)  # the first attempt wrote nothing
        assert _available() == before - db.session.get(Poll, poll_id).award_pence


def test_a_bid_that_keeps_moving_is_refused_and_nothing_is_written(app, world, make_bid, monkeypatch):
    bid_id = make_bid(status="ready_for_vote")
    made = _planning(monkeypatch, _moved, times=poll_opening.PLAN_ATTEMPTS)
    with app.app_context():
        before = _available()
        with pytest.raises(RuleViolation, match="kept changing"):
            poll_opening.open_vote_on(actor=load(world.coordinator), bid_id=bid_id, closes_at=CLOSES, now=NOW)
        assert len(made) == poll_opening.PLAN_ATTEMPTS
        assert _counts() == (0, 0) and _available() == before
        assert get_bid(bid_id).state is BidStatus.READY_FOR_VOTE


def test_money_that_went_after_it_was_read_leaves_the_bid_awaiting_funds(app, world, make_bid, monkeypatch):
    """The balance read in the plan is only a hint: the conditional UPDATE of the fund decides."""
    bid_id = make_bid(status="ready_for_vote")

    def spent_meanwhile(plan):
        ledger.change_balance(plan.fund.id, -plan.fund.available)  # as if another opening took it all
        return plan
    _planning(monkeypatch, spent_meanwhile, times=1)
    with app.app_context():
        before = _available()
        opened = poll_opening.open_vote_on(actor=load(world.coordinator), bid_id=bid_id, closes_at=CLOSES, now=NOW)
        assert opened is None
        assert get_bid(bid_id).state is BidStatus.AWAITING_FUNDS
        assert _counts() == (0, 0) and _available() == before  # the refused write was rolled back whole


def test_an_unknown_bid_is_not_found(app, world):
    with app.app_context(), pytest.raises(NotFound):
        poll_opening.open_vote_on(actor=load(world.coordinator), bid_id=999_999, closes_at=CLOSES, now=NOW)
