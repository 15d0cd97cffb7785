"""The bid's lifecycle table on its own (no database): every state is reachable and has a way
on unless it is final, nothing leaves a final state, and a move the table does not have, or
from a state it does not start from, raises."""
import re
from pathlib import Path

import pytest

import brokerage
from brokerage.collectives.bids import lifecycle
from brokerage.collectives.bids.lifecycle import FINAL, MOVES, START, BidStatus, NotInTable, Who
from brokerage.errors import RuleViolation


def _reachable() -> set[BidStatus]:
    seen, frontier = {START}, [START]
    while frontier:
        state = frontier.pop()
        for move in MOVES.values():
            if state in move.sources and move.target not in seen:
                seen.add(move.target)
                frontier.append(move.target)
    return seen


def test_every_state_is_reachable_from_a_draft():
    assert _reachable() == set(BidStatus)


def test_a_withdrawn_bid_can_only_be_returned_for_changes_by_a_coordinator():
    leaving = [move for move in MOVES.values() if BidStatus.WITHDRAWN in move.sources]
    assert [(move.name, move.target, move.who) for move in leaving] == [("return", BidStatus.RETURNED, Who.COORDINATOR)]


def test_no_move_leaves_a_final_state():
    assert [move.name for move in MOVES.values() if move.sources & FINAL] == []


def test_every_state_that_is_not_final_has_a_move_out():
    stuck = {state for state in BidStatus if not any(state in move.sources for move in MOVES.values())}
    assert stuck == FINAL


def test_every_final_state_can_be_reached_and_a_grant_can_close():
    assert FINAL <= _reachable()
    assert {move.target for move in MOVES.values()} >= FINAL


def test_a_move_never_stays_in_its_own_state():
    assert [move.name for move in MOVES.values() if move.target in move.sources] == []


def test_each_move_is_made_by_one_stage_and_named_once():
    assert all(move.stage in {"bids", "voting", "grants"} for move in MOVES.values())
    assert all(name == move.name for name, move in MOVES.items())


def test_only_the_vote_decides_and_no_person_makes_the_votes_moves():
    decided = {move.target for move in MOVES.values() if move.who is Who.VOTE}
    assert decided == {BidStatus.APPROVED, BidStatus.NOT_APPROVED, BidStatus.DEFERRED, BidStatus.READY_FOR_VOTE}
    assert all(move.stage == "voting" for move in MOVES.values() if move.who is Who.VOTE)


def test_the_partner_may_withdraw_before_a_decision_but_not_after():
    withdrawable = MOVES["withdraw"].sources | MOVES["withdraw_during_vote"].sources
    decided = {BidStatus.APPROVED, BidStatus.NOT_APPROVED, BidStatus.AGREEMENT, BidStatus.PAID,
               BidStatus.REPORTED, BidStatus.CLOSED, BidStatus.WITHDRAWN}
    assert withdrawable == set(BidStatus) - decided - {BidStatus.DEFERRED}


def test_a_move_not_in_the_table_raises():
    with pytest.raises(NotInTable):
        lifecycle.check("teleport", BidStatus.DRAFT)
    with pytest.raises(NotInTable):
        lifecycle.refusal("teleport", BidStatus.DRAFT)


def test_a_move_from_a_state_it_does_not_start_from_raises_its_refusal_in_plain_words():
    with pytest.raises(RuleViolation) as refused:
        lifecycle.check("submit", BidStatus.SCREENING)
    assert refused.value.message == ("Only a draft, or a bid returned for changes, can be submitted. "
                                     "This bid is being screened.")
    assert lifecycle.check("submit", BidStatus.RETURNED) is MOVES["submit"]


@pytest.mark.parametrize("name", sorted(MOVES))
def test_every_refusal_reads_for_every_state_it_refuses(name):
    move = MOVES[name]
    for state in set(BidStatus) - move.sources:
        reason = lifecycle.refusal(name, state)
        assert reason and "{" not in reason
    assert all(lifecycle.refusal(name, state) is None for state in move.sources)


def test_the_bid_page_offers_the_bid_stages_moves_only():
    assert {move.name for move in lifecycle.moves_of("bids")} == {"submit", "pick_up", "return", "ready", "withdraw"}


def test_a_bids_state_is_written_only_where_the_table_is_checked():
    """Only bids/moves.py (`make_move`) sets a bid's status, and opening a vote writes the same
    move in plain SQL after `lifecycle.check` (voting/opening.py); a bid is born a draft
    (bids/services.py). Read from the source, so a new writer elsewhere fails here (an assignment
    starts its line; `bid.status` read into a mapping is not one)."""
    root = Path(brokerage.__file__).parent
    writers = {path.relative_to(root).as_posix() for path in root.rglob("*.py")
               if re.search(r"^\s*bid\.status\s*(,|=(?!=))|\bstatus=bindparam\(|(?<!class )\bBid\(", path.read_text(), re.M)}
    assert writers == {"collectives/bids/moves.py", "collectives/voting/opening.py", "collectives/bids/services.py"}
