"""Answers and votes recorded on a member's behalf, by the same rules as their own (ballots.py).

- Meeting mode: a chair (or coordinator) records who is present and the votes and
  declarations of members present.
- Assisted votes (e.g. a member absent from the meeting, by telephone) are cast on behalf of a
  member with a reason, with their answer to the connection question if they have not given it;
  the member is told by email and can change both before close.
- Whoever records for others has no connection with the bid (access.recording_refusal): a chair
  with one hands over to another member or a coordinator (`hand_over`), and the decision record
  says who recorded each answer and vote.

Every call locks the poll row first (shared for answers and votes, as a member's own are;
unshared for attendance and the handover) and commits once, through the unit of work.
"""

from datetime import datetime

from sqlalchemy import select

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.unit_of_work import unit_of_work
from ...core.values.timeutils import london_today
from ...errors import PermissionDenied, RuleViolation
from ...extensions import db
from ..notices import messages as notices
from .access import can_hand_over, can_manage_poll, lock_elector, recording_refusal
from .ballots import VOTED_A_MOMENT_AGO, Answer, Ballot, open_poll, record_declaration, record_vote
from .closing import close_once_decided
from .models import Declaration, Poll, PollAttendance, PollElector, Vote, VoteMethod
from .rules import Choice


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
        poll = open_poll(poll_id, now, shared=True)
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
            record_declaration(
                actor=actor, poll=poll, elector=elector, interest=answer.interest, now=now, reason=reason
            )
        if ballot is None and not elector.recused:
            raise RuleViolation("Choose support, oppose or abstain.", field="choice")
        vote = (
            None
            if elector.recused
            else db.session.get(  # in the session already: the vote just recorded, or the one that stands
                Vote,
                record_vote(
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
        poll = open_poll(poll.id, now)
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
        poll = open_poll(poll.id, now)
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
        poll = open_poll(poll_id, now, shared=True)
        elector = _helper_elector(actor, poll, user_id, now)
        if (
            db.session.scalar(
                select(PollAttendance.id).where(PollAttendance.poll_id == poll.id, PollAttendance.user_id == user_id)
            )
            is None
        ):
            raise RuleViolation("Record the member as present at the meeting first.", field="member")
        if elector.declaration is None or (interest is not None and not elector.recused):
            record_declaration(actor=actor, poll=poll, elector=elector, interest=interest, now=now)
        if ballot is not None and not elector.recused:
            record_vote(actor=actor, poll=poll, elector=elector, ballot=ballot, now=now, method=VoteMethod.MEETING)
    close_once_decided(poll_id=poll_id, now=now)
