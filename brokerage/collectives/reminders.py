"""The collectives' checks on the delivery worker's clock (notifications/sweeps.py): the one
reminder to vote, and closing votes whose window has ended so that their decision is sent even
when nobody opens a page that shows votes."""

from datetime import datetime

from sqlalchemy import select

from ..core.data.unit_of_work import unit_of_work
from ..core.values.timeutils import london_today
from ..extensions import db
from ..notifications.sweeps import register_sweep
from .models import Membership
from .notices import messages as notices
from .voting.closing import settle_due_votes
from .voting.models import Declaration, Poll, PollElector, PollStatus, Vote
from .voting.rules import reminder_due


def _still_to_vote(poll: Poll, now: datetime) -> list[int]:
    """The poll's electors who have not voted, have not declared a connection (recused), and are
    still members of its collective."""
    voted = select(Vote.user_id).where(Vote.poll_id == poll.id, Vote.is_current)
    members = select(Membership.user_id).where(
        Membership.collective_id == poll.collective_id, Membership.active_on(london_today(now))
    )
    return list(
        db.session.scalars(
            select(PollElector.user_id).where(
                PollElector.poll_id == poll.id,
                PollElector.user_id.not_in(voted),
                PollElector.user_id.in_(members),
                (PollElector.declaration.is_(None)) | (PollElector.declaration != Declaration.INTEREST.value),
            )
        )
    )


def remind_voters(now: datetime) -> int:
    """Write the reminder of every open vote whose reminder is due (24 hours before it closes, or
    half-way through a shorter window) to each elector still to vote. Once per vote and person:
    the outbox's key makes a second run write nothing. Returns how many messages it wrote."""
    with unit_of_work():
        polls = db.session.scalars(
            select(Poll).where(Poll.status == PollStatus.OPEN.value, Poll.closes_at > now).order_by(Poll.closes_at)
        ).all()
        return sum(
            notices.vote_reminder(
                poll_id=poll.id,
                bid=notices.facts_of(poll.bid),
                closes_at=poll.closes_at,
                elector_ids=_still_to_vote(poll, now),
                now=now,
            )
            for poll in polls
            if reminder_due(poll.opened_at, poll.closes_at, now)
        )


def close_due_votes(now: datetime) -> int:
    """Close the votes whose window has ended (their decisions are written to the outbox as they
    close). Returns how many closed."""
    return settle_due_votes(now=now)


def register_sweeps() -> None:
    register_sweep("collectives.vote_reminders", remind_voters)
    register_sweep("collectives.close_due_votes", close_due_votes)
