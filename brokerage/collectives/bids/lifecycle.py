"""A bid's states and the moves between them, each time-stamped and audited.

    draft -> submitted -> screening -> ready for vote
                              \\-> returned for changes -> submitted (again)
    withdrawn: from any state before a decision

The partner's own people (or a coordinator on their behalf) submit and withdraw;
coordinators pick a bid up for screening, return it with a message, or mark it ready for a
vote. Opening the vote belongs to the votes stage.
"""
from dataclasses import dataclass
from datetime import datetime

from ...accounts.models import User
from ...audit.services import record_event
from ...core.filters import money
from ...errors import PermissionDenied, RuleViolation
from ...extensions import db
from .models import Bid, BidStatus, BidTransition
from .services import lock_bid, on_behalf
from .access import can_act_for

S = BidStatus


@dataclass(frozen=True)
class Move:
    name: str
    sources: frozenset[BidStatus]
    target: BidStatus
    coordinator_only: bool
    refusal: str  # why it is refused, in plain words ({state} is the bid's state)
    summary: str  # the audit summary ({title})


MOVES = {move.name: move for move in (
    Move("submit", frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, False,
         "Only a draft, or a bid returned for changes, can be submitted. This bid is {state}.", "Bid submitted"),
    Move("pick_up", frozenset({S.SUBMITTED}), S.SCREENING, True,
         "Only a submitted bid can be picked up for screening. This bid is {state}.", "Bid picked up for screening"),
    Move("return", frozenset({S.SCREENING}), S.RETURNED, True,
         "Only a bid being screened can be returned for changes. This bid is {state}.", "Bid returned for changes"),
    Move("ready", frozenset({S.SCREENING}), S.READY_FOR_VOTE, True,
         "Only a bid being screened can be marked ready for a vote. This bid is {state}.", "Bid ready for a vote"),
    Move("withdraw", frozenset({S.DRAFT, S.SUBMITTED, S.SCREENING, S.RETURNED, S.READY_FOR_VOTE,
                             S.AWAITING_FUNDS}), S.WITHDRAWN,
         False, "This bid is {state}, so it can no longer be withdrawn.", "Bid withdrawn"),
)}


def allowed_moves(user: User, bid: Bid) -> set[str]:
    """The moves this user could make on this bid now (for showing the right buttons)."""
    return {move.name for move in MOVES.values()
            if bid.state in move.sources and (user.is_coordinator if move.coordinator_only else can_act_for(user, bid))}


def require_state_for(bid: Bid, name: str) -> None:
    """RuleViolation, in plain words, when the bid is not in a state the move starts from."""
    move = MOVES[name]
    if bid.state not in move.sources:
        raise RuleViolation(move.refusal.format(state=bid.state.label.lower()))


def _check_adds_up(bid: Bid) -> None:
    funding = bid.requested_pence + bid.partner_funds_pence
    if funding != bid.total_cost_pence:
        raise RuleViolation(
            f"The amount requested ({money(bid.requested_pence)}) and the match funding "
            f"({money(bid.partner_funds_pence)}) add up to {money(funding)}, but the total project cost is "
            f"{money(bid.total_cost_pence)}. Change the figures so that they add up before you submit.")


def _move(*, actor: User, bid: Bid, name: str, now: datetime, message: str = "") -> Bid:
    move = MOVES[name]
    allowed = actor.is_coordinator if move.coordinator_only else can_act_for(actor, bid)
    if not allowed:
        raise PermissionDenied()
    bid = lock_bid(bid.id)
    require_state_for(bid, name)
    if move.target is S.SUBMITTED:
        _check_adds_up(bid)
        bid.submitted_at = bid.submitted_at or now
    before = bid.status
    bid.status, bid.status_changed_at = move.target.value, now
    if move.target is S.RETURNED:
        bid.return_message = message
    db.session.add(BidTransition(bid_id=bid.id, from_status=before, to_status=bid.status, actor_id=actor.id,
                                 message=message, at=now))
    record_event(actor=actor, action=f"bid.{move.target.value}", object_type="bid", object_id=bid.id,
                 summary=f"{move.summary}: {bid.title}{on_behalf(actor, bid.partner)}",
                 before={"status": before}, after={"status": bid.status, "message": message} if message
                 else {"status": bid.status})
    db.session.commit()
    return bid


def submit(*, actor: User, bid: Bid, now: datetime) -> Bid:
    """Send a draft (or a returned bid) to the coordinators. The amount requested and the
    match-funding lines must add up to the total project cost. RuleViolation when they do not
    or the bid is in another state; PermissionDenied for anyone but the partner's people and
    coordinators."""
    return _move(actor=actor, bid=bid, name="submit", now=now)


def pick_up(*, actor: User, bid: Bid, now: datetime) -> Bid:
    """A coordinator starts screening a submitted bid (RuleViolation from any other state)."""
    return _move(actor=actor, bid=bid, name="pick_up", now=now)


def return_for_changes(*, actor: User, bid: Bid, message: str, now: datetime) -> Bid:
    """A coordinator sends a bid being screened back to the partner with a message the
    partner sees; the partner can then change it and submit again. RuleViolation without a
    message or from another state."""
    message = message.strip()
    if not message:
        raise RuleViolation("Tell the partner what needs to change.", field="message")
    if len(message) > 2000:
        raise RuleViolation("Keep the message to 2,000 characters or fewer.", field="message")
    return _move(actor=actor, bid=bid, name="return", now=now, message=message)


def mark_ready_for_vote(*, actor: User, bid: Bid, now: datetime) -> Bid:
    """A coordinator finishes screening: the bid can go to the collective's vote."""
    return _move(actor=actor, bid=bid, name="ready", now=now)


def withdraw(*, actor: User, bid: Bid, now: datetime) -> Bid:
    """The partner (or a coordinator) withdraws a bid at any point before a decision.
    RuleViolation once it has been withdrawn or decided."""
    return _move(actor=actor, bid=bid, name="withdraw", now=now)
