"""Withdrawing a bid while its vote is open: the vote is void (no decision; its votes never
count), the earmark is released, the bid is withdrawn, and the electorate and the partner's
people are told why."""

from datetime import datetime

from sqlalchemy import select

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.unit_of_work import unit_of_work
from ...errors import PermissionDenied, RuleViolation
from ...extensions import db
from ..bids.access import may_move
from ..bids.lifecycle import BidStatus
from ..bids.models import Bid
from ..bids.moves import make_move
from ..bids.services import lock_bid
from ..money import ledger
from ..money import services as funds
from ..money.models import EntryKind, LedgerEntry
from ..notices import messages as notices
from .access import elector_ids, lock_poll
from .models import Poll, PollStatus


def _withdrawal_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason or len(reason) > 500:
        raise RuleViolation("Say why the bid is withdrawn, in up to 500 characters.", field="reason")
    return reason


def withdraw_during_vote(*, actor: User, bid: Bid, reason: str, now: datetime) -> None:
    """The partner's own people (or a coordinator) withdraw a bid while its vote is open, with
    a reason, e.g. to make a material change and bid again: the vote is void (its votes never
    count, and the electorate is told why), the earmark is released and the bid is withdrawn; a
    coordinator can then return it for changes. PermissionDenied for anyone else; RuleViolation
    without a reason or when no vote is open."""
    with unit_of_work():
        if not may_move(actor, "withdraw_during_vote", bid):
            raise PermissionDenied()
        reason = _withdrawal_reason(reason)
        bid = lock_bid(bid.id)
        poll_id = db.session.scalar(select(Poll.id).where(Poll.bid_id == bid.id, Poll.status == PollStatus.OPEN.value))
        if bid.state is not BidStatus.OPEN_FOR_VOTE or poll_id is None:
            raise RuleViolation("Only a bid whose vote is open can be withdrawn here.")
        poll = lock_poll(poll_id)
        poll.status, poll.closed_at = PollStatus.VOID.value, now
        poll.reasons = (
            f"The bid was withdrawn by {actor.name} during the vote, so no decision was made. "
            f"The reason given: {reason}"
        )
        earmark = db.session.get_one(LedgerEntry, poll.earmark_entry_id)
        funds.write_entry(
            actor=actor,
            fund=earmark.fund,
            kind=EntryKind.RELEASE,
            amount_pence=ledger.outstanding(earmark),
            verb="released",
            related=earmark,
            reference=earmark.reference,
            note="Bid withdrawn during the vote",
        )
        make_move("withdraw_during_vote", actor=actor, bid=bid, now=now, message=reason)
        notices.bid_withdrawn(
            bid=notices.facts_of(bid),
            withdrawn_by=actor.name,
            now=now,
            poll_id=poll.id,
            elector_ids=elector_ids(poll),
            reason=reason,
        )
        record_event(
            actor=actor,
            action="poll.voided",
            object_type="poll",
            object_id=poll.id,
            summary=f"Vote on {bid.title} void: the bid was withdrawn",
            after={"bid_id": bid.id, "reason": reason},
        )
