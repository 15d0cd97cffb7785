"""Making a bid's moves: each one named in the lifecycle table (`lifecycle.py`), time-stamped
in the bid's history and audited.

`make_move` is the one way a bid's state changes (the votes and grants stages call it by
name; opening a vote writes the same rows in plain SQL, with `move_event`). The bid stage's
own moves follow: the partner's people (or a coordinator on their behalf) submit and
withdraw; coordinators pick a bid up for screening, return it with a message, or mark it
ready for a vote. Each of these checks who may act, locks the bid and commits once; returning
and withdrawing also tell the partner's people (notices/messages.py) in the same commit.
"""

from datetime import datetime

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.unit_of_work import unit_of_work
from ...core.values.timeutils import london_today
from ...core.web.filters import money
from ...errors import PermissionDenied, RuleViolation
from ...extensions import db
from ..calls import rules as call_rules
from ..calls.services import state_of
from ..notices import messages as notices
from . import lifecycle
from .access import may_move
from .lifecycle import Move
from .models import Bid, BidTransition
from .services import lock_bid, on_behalf


def move_event(
    *, actor: User | None, bid_id: int, title: str, before: str, move: Move, message: str = "", partner_words: str = ""
) -> dict:
    """The audit event of a bid's move (as `record_event` arguments)."""
    target = move.target.value
    return {
        "actor": actor,
        "action": f"bid.{target}",
        "object_type": "bid",
        "object_id": bid_id,
        "summary": f"{move.summary}: {title}{partner_words}",
        "before": {"status": before},
        "after": {"status": target, "message": message} if message else {"status": target},
    }


def make_move(name: str, *, actor: User | None, bid: Bid, now: datetime, message: str = "") -> Move:
    """Move the bid by the lifecycle's move `name` (NotInTable for a name it does not have;
    its RuleViolation from a state the move does not start from): its history row and audit
    event. Who may make it is the caller's check (`access.may_move`). Writes; never commits."""
    move = lifecycle.check(name, bid.state)
    before = bid.status
    bid.status, bid.status_changed_at = move.target.value, now
    db.session.add(
        BidTransition(
            bid_id=bid.id,
            from_status=before,
            to_status=bid.status,
            actor_id=actor.id if actor else None,
            message=message,
            at=now,
        )
    )
    record_event(
        **move_event(
            actor=actor,
            bid_id=bid.id,
            title=bid.title,
            before=before,
            move=move,
            message=message,
            partner_words=on_behalf(actor, bid.partner) if move.names_partner else "",
        )
    )
    return move


def require_state_for(bid: Bid, name: str) -> None:
    """RuleViolation, in plain words, when the bid is not in a state the move starts from."""
    lifecycle.check(name, bid.state)


def _check_adds_up(bid: Bid) -> None:
    funding = bid.requested_pence + bid.partner_funds_pence
    if funding != bid.total_cost_pence:
        raise RuleViolation(
            f"The amount requested ({money(bid.requested_pence)}) and the match funding "
            f"({money(bid.partner_funds_pence)}) add up to {money(funding)}, but the total project cost is "
            f"{money(bid.total_cost_pence)}. Change the figures so that they add up before you submit."
        )


def _check_call_still_open(bid: Bid, now: datetime) -> None:
    if bid.call is not None:
        call_rules.check_submission(
            state=state_of(bid.call, london_today(now)), closes_on=bid.call.closes_on, first=bid.submitted_at is None
        )


def _move(*, actor: User, bid: Bid, name: str, now: datetime, message: str = "") -> Bid:
    with unit_of_work():
        if not may_move(actor, name, bid):
            raise PermissionDenied()
        bid = lock_bid(bid.id)
        require_state_for(bid, name)
        if name == "submit":
            _check_adds_up(bid)
            _check_call_still_open(bid, now)
            bid.submitted_at = bid.submitted_at or now
        if name == "return":
            bid.return_message = message
        make_move(name, actor=actor, bid=bid, now=now, message=message)
        if name == "return":
            notices.bid_returned(bid=notices.facts_of(bid), message=message, now=now)
        if name == "withdraw":
            notices.bid_withdrawn(bid=notices.facts_of(bid), withdrawn_by=actor.name, now=now)
    return bid


def submit(*, actor: User, bid: Bid, now: datetime) -> Bid:
    """Send a draft (or a returned bid) to the coordinators. The amount requested and the
    match-funding lines must add up to the total project cost, and a bid answering a call is
    first submitted before the call closes. RuleViolation when they do not or the bid is in
    another state; PermissionDenied for anyone but the partner's people and
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
