"""Closing polls and landing their decisions.

A poll closes when its window ends or, earlier, when everyone eligible has voted or the
remaining votes cannot change the outcome (rules.outcome_settled). Closing is checked after
every vote and declaration, by `settle_due_votes` before any page that shows votes is read
(pages never write), and by `flask close-due-polls`; it never depends on a scheduler alone.

On close the outcome is computed with the poll's own snapshotted rules, and in the same
transaction: approved -> the earmark is committed and an award recorded; not approved ->
the earmark is released; deferred -> the earmark is released and the bid goes back to
ready for vote (re-listed) with the members' questions for the partner; and the electors and
the partner's people are sent the decision (or the questions). A bid withdrawn during its vote
leaves the poll void (no decision) and its earmark released, and tells the same people.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.exc import OperationalError

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.database import reading_before_writing, writing_first
from ...core.data.unit_of_work import unit_of_work
from ...core.web.filters import money
from ...errors import PermissionDenied, RuleViolation
from ...extensions import db
from ..bids.access import can_act_for, may_move
from ..bids.lifecycle import BidStatus
from ..bids.models import Bid
from ..bids.moves import make_move
from ..bids.services import lock_bid
from ..money import ledger
from ..money import services as funds
from ..money.models import EntryKind, LedgerEntry
from ..notices import messages as notices
from .access import deferral_count, deferrals_of_bid, lock_poll
from .models import Award, Declaration, Poll, PollElector, PollStatus, Vote
from .rules import (
    Count,
    Decision,
    Group,
    Outcome,
    Remaining,
    RuleSet,
    count_votes,
    decide,
    group_of,
    outcome_settled,
    split_questions,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Standing:
    rules: RuleSet
    eligible: int
    count: Count
    remaining: Remaining
    earlier_deferrals: int


def standing(poll: Poll) -> Standing:
    """Where the poll stands now (never shown before close: tallies stay hidden)."""
    return _standing(poll.id, poll.rules, deferral_count(poll.bid_id))


def _standing(poll_id: int, rules: dict, earlier_deferrals: int) -> Standing:
    """Read as plain columns (the members themselves are not needed): the electorate with each
    member's current vote, in one statement."""
    electors = db.session.execute(_electorate_statement(), {"poll_id": poll_id}).all()
    eligible = [e for e in electors if e.declaration != Declaration.INTEREST]
    count = count_votes([(e.constituency, e.choice) for e in eligible if e.choice is not None])
    waiting = [group_of(e.constituency) for e in eligible if e.choice is None]
    remaining = Remaining(
        lived_or_carer=waiting.count(Group.LIVED_OR_CARER),
        staff=waiting.count(Group.TRUST_STAFF),
        other=waiting.count(Group.OTHER),
    )
    return Standing(RuleSet.from_dict(rules), len(eligible), count, remaining, earlier_deferrals)


@cache
def _electorate_statement():
    """Built once (every vote that changes something runs it): the electorate, each with their current vote."""
    return (
        select(PollElector.constituency, PollElector.declaration, Vote.choice)
        .outerjoin(
            Vote, and_(Vote.poll_id == PollElector.poll_id, Vote.user_id == PollElector.user_id, Vote.is_current)
        )
        .where(PollElector.poll_id == bindparam("poll_id"))
    )


@cache
def _poll_state_statement():
    """Built once: the poll's state, rules and earlier deferrals, for the check after each vote."""
    return select(Poll.status, Poll.closes_at, Poll.rules, deferrals_of_bid(Poll.bid_id)).where(
        Poll.id == bindparam("poll_id")
    )


def _questions(poll: Poll) -> str:
    comments = db.session.scalars(
        select(Vote.comment).where(Vote.poll_id == poll.id, Vote.is_current, Vote.comment != "").order_by(Vote.id)
    )
    return "\n".join(f"- {comment}" for comment in comments)


def _land_money(poll: Poll, decision: Decision, now: datetime) -> LedgerEntry | None:
    earmark = db.session.get_one(LedgerEntry, poll.earmark_entry_id)
    if decision.outcome is Outcome.APPROVED:
        entry = funds.write_entry(
            actor=None,
            fund=earmark.fund,
            kind=EntryKind.COMMITMENT,
            amount_pence=poll.award_pence,
            verb="committed",
            related=earmark,
            reference=earmark.reference,
            note="Approved by the collective's vote",
        )
        db.session.add(
            Award(
                bid_id=poll.bid_id,
                poll_id=poll.id,
                amount_pence=poll.award_pence,
                commitment_entry_id=entry.id,
                awarded_at=now,
            )
        )
        return entry
    left = ledger.outstanding(earmark)
    if left == 0:
        return None
    return funds.write_entry(
        actor=None,
        fund=earmark.fund,
        kind=EntryKind.RELEASE,
        amount_pence=left,
        verb="released",
        related=earmark,
        reference=earmark.reference,
        note=f"Vote {decision.outcome.label.lower()}",
    )


DECISION_MOVES = {Outcome.APPROVED: "approve", Outcome.NOT_APPROVED: "not_approve", Outcome.DEFERRED: "defer"}


def _move_bid(poll: Poll, decision: Decision, now: datetime) -> None:
    bid, reasons = poll.bid, " ".join(decision.reasons)
    if decision.outcome is Outcome.DEFERRED:
        reasons += f"\nQuestions from members:\n{poll.questions}" if poll.questions else ""
    make_move(DECISION_MOVES[decision.outcome], actor=None, bid=bid, now=now, message=reasons)
    if decision.outcome is Outcome.DEFERRED:
        make_move("relist", actor=None, bid=bid, now=now)


def _elector_ids(poll: Poll) -> list[int]:
    return list(db.session.scalars(select(PollElector.user_id).where(PollElector.poll_id == poll.id)))


def _close(poll: Poll, now: datetime, early: bool) -> Decision:
    state = standing(poll)
    decision = decide(state.rules, state.eligible, state.count, state.earlier_deferrals)
    poll.status, poll.closed_at, poll.outcome = PollStatus.CLOSED.value, now, decision.outcome.value
    poll.reasons = "\n".join(decision.reasons)
    poll.questions = _questions(poll) if decision.outcome is Outcome.DEFERRED else ""
    poll.tally = {
        "support": state.count.support,
        "oppose": state.count.oppose,
        "abstain": state.count.abstain,
        "cast": state.count.cast,
        "eligible": state.eligible,
        "quorate": decision.quorate,
    }
    db.session.flush()
    entry = _land_money(poll, decision, now)
    _move_bid(poll, decision, now)
    notices.decision(
        decided=notices.Decided(
            poll_id=poll.id,
            outcome=decision.outcome.value,
            label=decision.outcome.label,
            reasons=list(decision.reasons),
            award_pence=poll.award_pence if decision.outcome is Outcome.APPROVED else 0,
            questions=poll.questions,
        ),
        bid=notices.facts_of(poll.bid),
        elector_ids=_elector_ids(poll),
        now=now,
    )
    record_event(
        actor=None,
        action="poll.closed",
        object_type="poll",
        object_id=poll.id,
        summary=f"Vote on {poll.bid.title} closed{' early' if early else ''}",
        after=poll.tally,
    )
    record_event(
        actor=None,
        action=f"decision.{decision.outcome.value}",
        object_type="bid",
        object_id=poll.bid_id,
        summary=f"{poll.bid.title}: {decision.outcome.label}"
        + (f", {money(poll.award_pence)} awarded" if decision.outcome is Outcome.APPROVED else ""),
        after={
            "poll_id": poll.id,
            "outcome": decision.outcome.value,
            "reasons": list(decision.reasons),
            "ledger_entry_id": entry.id if entry else None,
        },
    )
    return decision


def close_if_settled(*, poll: Poll, now: datetime) -> bool:
    """For a poll already locked in this transaction: close it if its window has ended or
    its outcome can no longer change. Flushes; the caller's unit of work commits. True when it closed."""
    if not poll.is_open:
        return False
    due = now >= poll.closes_at
    if not due and not _settled(standing(poll)):
        return False
    _close(poll, now, early=not due)
    return True


def _settled(state: Standing) -> bool:
    return outcome_settled(state.rules, state.eligible, state.count, state.remaining, state.earlier_deferrals)


def close_once_decided(*, poll_id: int, now: datetime) -> bool:
    """After a vote or declaration has been committed (ballots.py): close the poll early if its
    outcome can no longer change. Votes hold the poll's lock shared, so they run side by side
    and none can close under it; this check reads what is committed after the vote's own
    commit, so of two last votes sent at once the later to commit sees both and closes. Only
    a settled (or due) poll is then locked unshared and checked again (close_if_settled), which
    waits for the votes under way and closes it once however many checks find it settled. A
    busy database only postpones the close (to the next vote or declaration, or the end of the
    window): the vote itself is already recorded. True when it closed."""
    with reading_before_writing():  # on SQLite, the check does not take the write lock
        row = db.session.execute(_poll_state_statement(), {"poll_id": poll_id}).one()
        ready = row.status == PollStatus.OPEN and (
            now >= row.closes_at or _settled(_standing(poll_id, row.rules, row.deferrals))
        )
    if not ready:
        return False
    try:
        with unit_of_work():
            return close_if_settled(poll=lock_poll(poll_id), now=now)
    except OperationalError:
        log.warning("poll %s: early close postponed, database busy", poll_id)
        return False


def close_if_due(*, poll: Poll, now: datetime) -> bool:
    """Close one poll (and land the decision) once its window has ended, in its own unit of
    work. (Early close is checked with every vote and declaration, the only changes that can
    settle an outcome.) A busy database only postpones the close to the next check. True
    when it closed."""
    if not poll.is_open or now < poll.closes_at:
        return False
    try:
        with unit_of_work():
            closed = close_if_settled(poll=lock_poll(poll.id), now=now)
    except OperationalError:
        log.warning("poll %s: close postponed, database busy", poll.id)
        return False
    return closed


@cache
def _due_statement():
    return (
        select(Poll.id)
        .where(Poll.status == PollStatus.OPEN.value, Poll.closes_at <= bindparam("now"))
        .order_by(Poll.id)
    )


def settle_due_votes(*, now: datetime) -> int:
    """The one step that closes due votes (their window has ended) and lands their decisions,
    run before the read-only work of every page that shows votes (voting/views.py), so that
    pages never write and closing never depends on cron. One read finds the due votes (none:
    nothing else happens); then one write transaction, begun as a write even in a GET request
    (`core.data.database.writing_first`: on SQLite it takes the write lock up front), locks each due
    poll and reads it afresh before closing it, so two requests settling the same vote decide
    it once. A busy database only postpones the close to the next request. Returns how many
    closed."""
    with reading_before_writing():  # in a POST too, a read: it never holds the write lock for the request
        due = list(db.session.scalars(_due_statement(), {"now": now}))
    if not due:
        return 0
    try:
        with writing_first(), unit_of_work():
            closed = sum(close_if_settled(poll=lock_poll(poll_id), now=now) for poll_id in due)
    except OperationalError:
        log.warning("polls %s: close postponed, database busy", due)
        return 0
    return closed


def close_due_polls(*, now: datetime) -> int:
    """Close every open poll whose window has ended or whose outcome is settled (the CLI
    command); each in its own transaction. Returns how many closed."""
    with unit_of_work():  # the read, ended before the first close
        ids = list(db.session.scalars(select(Poll.id).where(Poll.status == PollStatus.OPEN.value).order_by(Poll.id)))
    closed = 0
    for poll_id in ids:
        with unit_of_work():
            closed += close_if_settled(poll=lock_poll(poll_id), now=now)
    return closed


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
            elector_ids=_elector_ids(poll),
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


ANSWERABLE = frozenset({BidStatus.READY_FOR_VOTE, BidStatus.AWAITING_FUNDS})  # deferred, not yet listed again


def answerable(poll: Poll) -> bool:
    """A deferred listing's questions can be answered until the bid's vote opens again."""
    latest = db.session.scalar(select(func.max(Poll.id)).where(Poll.bid_id == poll.bid_id))
    return (
        poll.id == latest
        and poll.outcome == Outcome.DEFERRED.value
        and bool(poll.questions)
        and poll.bid.state in ANSWERABLE
    )


def answer_questions(*, actor: User, poll: Poll, answers: list[str], now: datetime) -> None:
    """The partner's people (or a coordinator for them) answer each of the members' questions on
    a deferred listing, before the bid is listed again; the members see the answers beside the
    questions when the vote opens. Answers can be changed until then. PermissionDenied for
    anyone else; RuleViolation once the vote has opened again, or for an empty or long answer."""
    with unit_of_work():
        poll = lock_poll(poll.id)
        if not can_act_for(actor, poll.bid):
            raise PermissionDenied()
        if not answerable(poll):
            raise RuleViolation(
                "The bid has been listed for a vote again, so these questions can no longer be answered."
            )
        questions = split_questions(poll.questions)
        cleaned = [answer.strip() for answer in answers]
        for index, answer in enumerate(cleaned):
            if not answer or len(answer) > 2000:
                raise RuleViolation("Answer the question, in up to 2,000 characters.", field=f"answer_{index}")
        if len(cleaned) != len(questions):
            raise RuleViolation("Answer each of the members' questions.")
        poll.answers, poll.answered_at = cleaned, now
        record_event(
            actor=actor,
            action="poll.questions_answered",
            object_type="poll",
            object_id=poll.id,
            summary=f"Questions about {poll.bid.title} answered by {actor.name}",
            after={"answers": cleaned},
        )
