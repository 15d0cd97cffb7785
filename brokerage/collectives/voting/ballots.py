"""A member's own declarations of interest and votes, and the steps that recording them for
others (on_behalf.py: meeting mode, assisted votes) shares.

- Before the ballot unlocks, each member of the electorate answers: no interest, or an
  interest (described in their own words). Declaring an interest recuses them: they cannot
  vote and are not counted for the quorum. Being connected is normal; this keeps it open.
- Votes: support, oppose or abstain, with an optional comment. One current vote per member
  per poll (a partial unique index); a change keeps the earlier vote as history. Votes can
  change until the poll closes.

Every call locks the poll row first and commits once, through the unit of work; the one exception
is the same vote sent again, answered from a plain read (`cast_vote`). Votes and
declarations lock it shared and lock the member's own row in the electorate, so different
members' votes run side by side while one member's simultaneous ones queue; once committed,
each checks whether the outcome is settled and closes the poll if so
(closing.close_once_decided, which locks it unshared).
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import lazyload

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.unit_of_work import Conflict, unit_of_work
from ...errors import PermissionDenied, RuleViolation
from ...extensions import db
from .access import lock_elector, lock_poll, standing_vote
from .closing import close_once_decided
from .models import Declaration, Poll, PollElector, PollStatus, Vote, VoteMethod
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


def open_poll(poll_id: int, now: datetime, *, shared: bool = False) -> Poll:
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


def record_declaration(
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
        poll = open_poll(poll_id, now, shared=True)
        elector = _elector(poll, actor)
        record_declaration(actor=actor, poll=poll, elector=elector, interest=interest, now=now)
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


def record_vote(
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
        poll = open_poll(poll_id, now, shared=True)
        cast = record_vote(
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
