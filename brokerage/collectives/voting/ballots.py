"""Declarations of interest and votes.

- Before the ballot unlocks, each member of the electorate answers: no interest, or an
  interest (described in their own words). Declaring an interest recuses them: they cannot
  vote and are not counted for the quorum. Being connected is normal; this keeps it open.
- Votes: support, oppose or abstain, with an optional comment. One current vote per member
  per poll (a partial unique index); a change keeps the earlier vote as history. Votes can
  change until the poll closes.
- Meeting mode: a chair (or coordinator) records who is present and the votes and
  declarations of members present. Assisted votes (e.g. a member absent from the meeting, by
  telephone) are cast on behalf of a member with a reason, with their answer to the connection
  question if they have not given it; the member is told by email and can change both before close.
- Whoever records for others has no connection with the bid (access.recording_refusal): a chair
  with one hands over to another member or a coordinator (`hand_over`), and the decision record
  says who recorded each answer and vote.

Every call locks the poll row first and commits once, through the unit of work; the one exception
is the same vote sent again, answered from a plain read (`cast_vote`). Votes and
declarations lock it shared and lock the member's own row in the electorate, so different
members' votes run side by side while one member's simultaneous ones queue; once committed,
each checks whether the outcome is settled and closes the poll if so
(closing.close_once_decided, which locks it unshared). Everything else locks it unshared.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import lazyload

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.unit_of_work import Conflict, unit_of_work
from ...core.values.timeutils import london_today
from ...errors import PermissionDenied, RuleViolation
from ...extensions import db
from ..notices import messages as notices
from .access import can_hand_over, can_manage_poll, lock_elector, lock_poll, recording_refusal, standing_vote
from .closing import close_once_decided
from .models import Declaration, Poll, PollAttendance, PollElector, PollStatus, Vote, VoteMethod
from .rules import Choice

MAX_COMMENT = 2000
VOTED_A_MOMENT_AGO = Conflict("Your vote was recorded a moment ago: check it and change it if you need to.")


@dataclass(frozen=True)
class Ballot:
    choice: Choice
    comment: str = ""


@dataclass(frozen=True)
class Answer:
    """An answer to the connection question: `interest=None` for no connection, else its description."""

    interest: str | None = None


@dataclass(frozen=True)
class Cast:
    """A vote recorded (its id), whether it changed anything (the same vote sent again does
    not), and whether it was the last needed: the poll closed after it."""

    vote_id: int
    closed: bool
    changed: bool = True


def _open_poll(poll_id: int, now: datetime, *, shared: bool = False) -> Poll:
    poll = lock_poll(poll_id, shared=shared)
    if not poll.is_open or now >= poll.closes_at:
        raise RuleViolation("This vote has closed, so nothing more can be recorded.")
    return poll


def _elector(poll: Poll, user: User) -> PollElector:
    """The actor's own row in the electorate, locked. PermissionDenied for anyone outside it."""
    elector = lock_elector(poll, user.id)
    if elector is None:
        raise PermissionDenied()
    return elector


def current_vote(poll: Poll, user_id: int) -> Vote | None:
    return db.session.scalar(_current_vote_statement(), {"poll_id": poll.id, "user_id": user_id})


@cache
def _current_vote_statement():
    """Built once: every vote runs it."""
    return (
        select(Vote)
        .where(Vote.poll_id == bindparam("poll_id"), Vote.user_id == bindparam("user_id"), Vote.is_current)
        .options(lazyload(Vote.user), lazyload(Vote.recorded_by))
    )


def _retire_current(vote: Vote | None, now: datetime) -> Vote | None:
    if vote is not None:
        vote.is_current, vote.replaced_at = False, now
        db.session.flush()
    return vote


def _recorded_for_them(elector: PollElector) -> bool:
    return elector.declared_by_id is not None and elector.declared_by_id != elector.user_id


def _declare(
    *, actor: User, poll: Poll, elector: PollElector, interest: str | None, now: datetime, reason: str = ""
) -> None:
    """A connection recorded for a member by someone else can be changed by the member themself
    until close (they may have been misheard on the telephone); otherwise a declared connection stands."""
    if elector.recused and not (_recorded_for_them(elector) and actor.id == elector.user_id):
        raise RuleViolation("An interest has already been recorded for this vote.")
    text = (interest or "").strip()
    if interest is not None and not text:
        raise RuleViolation("Describe the connection in a few words.", field="interest")
    if len(text) > 1000:
        raise RuleViolation("Keep this to 1,000 characters or fewer.", field="interest")
    elector.declaration = (Declaration.INTEREST if interest is not None else Declaration.NO_INTEREST).value
    elector.interest_text, elector.declared_at = text, now
    elector.declared_by_id, elector.declaration_reason = actor.id, reason
    withdrawn = _retire_current(current_vote(poll, elector.user_id), now) if elector.recused else None
    on_behalf = actor.id != elector.user_id
    record_event(
        actor=actor,
        action=f"poll.declared_{elector.declaration}",
        object_type="poll",
        object_id=poll.id,
        summary=f"{elector.user.name} {'declared an interest' if elector.recused else 'has no interest'} "
        f"in the vote on {poll.bid_title}" + (f" (recorded by {actor.name})" if on_behalf else ""),
        after={
            "user_id": elector.user_id,
            "declaration": elector.declaration,
            "interest": text,
            "on_behalf_of": elector.user_id if on_behalf else None,
            "reason": reason,
            "vote_withdrawn": withdrawn.id if withdrawn else None,
        },
    )


def declare(*, actor: User, poll_id: int, interest: str | None, now: datetime) -> PollElector:
    """The actor answers the interests question for this vote: `interest=None` for no
    interest, else a description (which recuses them, and withdraws any vote they cast).
    NotFound for an unknown poll; PermissionDenied unless the actor is in the electorate;
    RuleViolation once closed, for an empty description, or when an interest was already declared."""
    with unit_of_work():
        poll = _open_poll(poll_id, now, shared=True)
        elector = _elector(poll, actor)
        _declare(actor=actor, poll=poll, elector=elector, interest=interest, now=now)
    close_once_decided(poll_id=poll_id, now=now)
    return elector


def _check_ballot(ballot: Ballot) -> str:
    comment = ballot.comment.strip()
    if len(comment) > MAX_COMMENT:
        raise RuleViolation(f"Keep your comment to {MAX_COMMENT:,} characters or fewer.", field="comment")
    return comment


def _same_vote(vote, actor: User, ballot: Ballot, comment: str, method: VoteMethod) -> bool:
    """The member's current vote (a Vote, or a row with its columns) already says this,
    recorded the same way by the same hand."""
    recorded = (vote.choice, vote.comment, vote.method, vote.recorded_by_id)
    return recorded == (ballot.choice.value, comment, method.value, actor.id)


def _record_vote(
    *,
    actor: User,
    poll: Poll,
    elector: PollElector,
    ballot: Ballot,
    now: datetime,
    method: VoteMethod,
    reason: str = "",
) -> Cast:
    """Record the vote (not yet checking whether it settles the outcome: `Cast.closed` is
    False). Sending the same vote again (a double click, a page sent twice) changes nothing:
    the vote already recorded stands, and no history or audit entry is added for it."""
    if elector.recused:
        raise PermissionDenied()
    if elector.declaration is None:
        raise RuleViolation("Answer the question about interests before the ballot opens.", field="choice")
    comment = _check_ballot(ballot)
    current = current_vote(poll, elector.user_id)  # read under the member's lock (access.lock_elector)
    if current is not None and not reason and _same_vote(current, actor, ballot, comment, method):
        return Cast(current.id, closed=False, changed=False)
    earlier = _retire_current(current, now)
    vote = Vote(
        poll_id=poll.id,
        user_id=elector.user_id,
        choice=ballot.choice.value,
        comment=comment,
        method=method.value,
        recorded_by_id=actor.id,
        on_behalf_reason=reason,
        cast_at=now,
    )
    db.session.add(vote)
    db.session.flush()  # one current vote per member: a refusal is VOTED_A_MOMENT_AGO, by the caller's unit
    on_behalf = actor.id != elector.user_id
    record_event(
        actor=actor,
        action="poll.vote_changed" if earlier else "poll.vote_cast",
        object_type="poll",
        object_id=poll.id,
        summary=f"Vote {'changed' if earlier else 'cast'} by {elector.user.name} on {poll.bid_title}"
        + (f", recorded by {actor.name} ({method.value})" if on_behalf else ""),
        after={
            "vote_id": vote.id,
            "user_id": elector.user_id,
            "method": method.value,
            "on_behalf_of": elector.user_id if on_behalf else None,
            "reason": reason,
            "replaces": earlier.id if earlier else None,
        },
    )
    return Cast(vote.id, closed=False, changed=True)


def cast_vote(*, actor: User, poll_id: int, ballot: Ballot, now: datetime) -> Cast:
    """Cast or change the actor's own vote. NotFound for an unknown poll; PermissionDenied
    unless in the electorate and not recused; RuleViolation when the poll has closed or the
    interests question is unanswered. Only a vote that changed something is checked for
    settling the outcome."""
    already = _already_recorded(actor=actor, poll_id=poll_id, ballot=ballot, now=now)
    if already is not None:
        return Cast(already, closed=False, changed=False)
    with unit_of_work(conflict=VOTED_A_MOMENT_AGO):
        poll = _open_poll(poll_id, now, shared=True)
        cast = _record_vote(
            actor=actor, poll=poll, elector=_elector(poll, actor), ballot=ballot, now=now, method=VoteMethod.ONLINE
        )
    if not cast.changed:
        return cast
    return Cast(cast.vote_id, closed=close_once_decided(poll_id=poll_id, now=now), changed=True)


def _already_recorded(*, actor: User, poll_id: int, ballot: Ballot, now: datetime) -> int | None:
    """The id of the actor's current vote when it already says exactly this ballot, in a poll
    still open, and the actor may vote: the same vote sent again (a double click, a page sent
    twice, a phone on a poor signal) is answered from one plain read, with no lock and, on
    SQLite, without queueing for the write lock. What was read held at one moment: the poll was
    open and the vote recorded, which is all the answer says. Anything else (no vote yet, a
    change, a closed poll, an unanswered or declared interest, a comment too long) returns None
    and takes the locked path, which records it or says why not."""
    comment = ballot.comment.strip()
    if len(comment) > MAX_COMMENT:
        return None
    found = standing_vote(poll_id, actor.id)
    if found is None:
        return None
    still_open = found.status == PollStatus.OPEN and now < found.closes_at
    may_vote = found.declaration == Declaration.NO_INTEREST
    if still_open and may_vote and _same_vote(found, actor, ballot, comment, VoteMethod.ONLINE):
        return found.id
    return None


def _helper_elector(actor: User, poll: Poll, user_id: int, now: datetime) -> PollElector:
    if not can_manage_poll(actor, poll, london_today(now)):
        raise PermissionDenied()
    refusal = recording_refusal(actor, poll)
    if refusal is not None:
        raise RuleViolation(refusal, field="member")
    elector = lock_elector(poll, user_id)
    if elector is None:
        raise RuleViolation("That person is not in the electorate for this vote.", field="member")
    return elector


def _assisted_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason or len(reason) > 500:
        raise RuleViolation("Give the reason the vote is recorded for them (up to 500 characters).", field="reason")
    return reason


def cast_assisted_vote(
    *,
    actor: User,
    poll: Poll,
    user_id: int,
    ballot: Ballot | None,
    reason: str,
    now: datetime,
    answer: Answer | None = None,
) -> Vote | None:
    """A chair, coordinator or the member they handed over to records, on behalf of a member
    who is absent or asked for help, the member's answer to the connection question (when they
    have not given it) and their vote, with the reason; both are logged as cast on their behalf,
    the member is told by email and can change them before close. Returns the vote (None when
    the answer recused them). PermissionDenied for anyone else; RuleViolation without a reason,
    without an answer from a member who has not given one, for a recorder with a connection, or once closed."""
    poll_id = poll.id
    with unit_of_work(conflict=VOTED_A_MOMENT_AGO):
        poll = _open_poll(poll_id, now, shared=True)
        elector = _helper_elector(actor, poll, user_id, now)
        reason = _assisted_reason(reason)
        declared = elector.declaration is None
        if elector.recused:
            raise RuleViolation(
                f"{elector.user.name} has declared a connection, so they do not vote on this bid.", field="member"
            )
        if declared:
            if answer is None:
                raise RuleViolation("Record their answer to the question about connections.", field="answer")
            _declare(actor=actor, poll=poll, elector=elector, interest=answer.interest, now=now, reason=reason)
        if ballot is None and not elector.recused:
            raise RuleViolation("Choose support, oppose or abstain.", field="choice")
        vote = (
            None
            if elector.recused
            else db.session.get(  # in the session already: the vote just recorded, or the one that stands
                Vote,
                _record_vote(
                    actor=actor,
                    poll=poll,
                    elector=elector,
                    ballot=ballot,
                    now=now,
                    method=VoteMethod.ASSISTED,
                    reason=reason,
                ).vote_id,
            )
        )
        notices.recorded_for_you(
            bid=notices.facts_of(poll.bid),
            poll_id=poll.id,
            user_id=elector.user_id,
            recorded_by=actor.name,
            reason=reason,
            answered=declared,
            recused=elector.recused,
            choice=Choice(vote.choice).label if vote else "",
            now=now,
        )
    close_once_decided(poll_id=poll_id, now=now)
    return vote


def hand_over(*, actor: User, poll: Poll, user_id: int, now: datetime) -> PollElector:
    """A chair or coordinator hands the recording of others' answers and votes on this bid to a
    member of its electorate who has answered "no connection" (the vice-chair, or a member the
    meeting chooses), e.g. because the chair declared a connection; the handover is recorded
    with the decision. PermissionDenied for anyone else; RuleViolation for a member who has not
    answered "no connection" or is not in the electorate."""
    with unit_of_work():
        poll = _open_poll(poll.id, now)
        if not can_hand_over(actor, poll, london_today(now)):
            raise PermissionDenied()
        elector = db.session.scalar(
            select(PollElector).where(PollElector.poll_id == poll.id, PollElector.user_id == user_id)
        )
        if elector is None:
            raise RuleViolation("That person is not in the electorate for this vote.", field="member")
        if elector.declaration != Declaration.NO_INTEREST:
            raise RuleViolation(
                f"{elector.user.name} must first answer that they have no connection with this bid.", field="member"
            )
        poll.recorder_id = elector.user_id
        record_event(
            actor=actor,
            action="poll.recorder_chosen",
            object_type="poll",
            object_id=poll.id,
            summary=f"{actor.name} handed the recording of votes on {poll.bid.title} to {elector.user.name}",
            after={"recorder_id": elector.user_id},
        )
    return elector


def record_attendance(*, actor: User, poll: Poll, user_ids: list[int], now: datetime) -> int:
    """Meeting mode: a chair or coordinator records who is present (members of the
    electorate only). Returns how many were added. PermissionDenied for anyone else."""
    with unit_of_work():
        poll = _open_poll(poll.id, now)
        present = set(db.session.scalars(select(PollAttendance.user_id).where(PollAttendance.poll_id == poll.id)))
        added = [_helper_elector(actor, poll, user_id, now).user_id for user_id in user_ids if user_id not in present]
        db.session.add_all(
            [PollAttendance(poll_id=poll.id, user_id=user_id, recorded_by_id=actor.id, at=now) for user_id in added]
        )
        record_event(
            actor=actor,
            action="poll.attendance_recorded",
            object_type="poll",
            object_id=poll.id,
            summary=f"{len(added)} members recorded as present at the meeting on {poll.bid.title}",
            after={"user_ids": added},
        )
    return len(added)


def record_meeting_vote(
    *, actor: User, poll: Poll, user_id: int, interest: str | None, ballot: Ballot | None, now: datetime
) -> None:
    """Meeting mode: the chair records a present member's answer to the interests question
    (if not given yet, or a connection they now declare) and, optionally, their vote (unless they
    declared an interest): a declaration may be recorded on its own and the vote follow, by the
    same rules as online. PermissionDenied for anyone else; RuleViolation for a member not
    present, or for a recorder with a connection."""
    poll_id = poll.id
    with unit_of_work(conflict=VOTED_A_MOMENT_AGO):
        poll = _open_poll(poll_id, now, shared=True)
        elector = _helper_elector(actor, poll, user_id, now)
        if (
            db.session.scalar(
                select(PollAttendance.id).where(PollAttendance.poll_id == poll.id, PollAttendance.user_id == user_id)
            )
            is None
        ):
            raise RuleViolation("Record the member as present at the meeting first.", field="member")
        if elector.declaration is None or (interest is not None and not elector.recused):
            _declare(actor=actor, poll=poll, elector=elector, interest=interest, now=now)
        if ballot is not None and not elector.recused:
            _record_vote(actor=actor, poll=poll, elector=elector, ballot=ballot, now=now, method=VoteMethod.MEETING)
    close_once_decided(poll_id=poll_id, now=now)
