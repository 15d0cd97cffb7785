"""The partner's answers to the members' questions on a deferred listing, given before the bid
is listed for a vote again; the members see them beside the questions when the vote opens."""

from datetime import datetime

from sqlalchemy import func, select

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.unit_of_work import unit_of_work
from ...errors import PermissionDenied, RuleViolation
from ...extensions import db
from ..bids.access import can_act_for
from ..bids.lifecycle import BidStatus
from .access import lock_poll
from .models import Poll
from .rules import Outcome, split_questions

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
