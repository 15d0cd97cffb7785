"""Who may see and act on a poll, and finding and locking polls.

Opening a vote is in planning.py (reads and checks) and opening.py (the write); voting in
ballots.py; closing and deciding in closing.py.
"""

from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import aliased, defer, lazyload, undefer

from ...accounts.models import User
from ...core.data.database import reading_before_writing
from ...core.data.driver_statements import DriverStatement
from ...errors import NotFound, PermissionDenied
from ...extensions import db
from ...partners.models import PartnerUser
from ..bids.lifecycle import MOVES
from ..bids.models import Bid
from ..members import membership
from ..models import Collective
from .models import Poll, PollElector, Vote

OPENABLE = MOVES["open_vote"].sources  # the states a vote opens from (bids/lifecycle.py)


def polls_of(bid: Bid) -> list[Poll]:
    return list(db.session.scalars(select(Poll).where(Poll.bid_id == bid.id).order_by(Poll.round)))


def _excluded_user_ids(bid: Bid) -> set[int]:
    partner_people = set(
        db.session.scalars(select(PartnerUser.user_id).where(PartnerUser.partner_id == bid.partner_id))
    )
    return partner_people | ({bid.created_by_id} if bid.created_by_id else set())


def default_closing(now: datetime, hours: int) -> datetime:
    return now + timedelta(hours=hours)


def get_poll(poll_id: int) -> Poll:
    poll = db.session.get(Poll, poll_id)
    if poll is None:
        raise NotFound()
    return poll


def lock_poll(poll_id: int, *, shared: bool = False) -> Poll:
    """Lock the poll row for the rest of the transaction and read its columns afresh, in one
    statement: its bid is read only when used (from the session when already loaded), so a vote,
    which needs only the poll's own columns, does not read the bid, its partner and their lines.
    `shared`: for votes and declarations, which only add rows of their own, so that they run side
    by side (FOR SHARE on PostgreSQL; SQLite has one writer at a time anyway) while closing,
    which takes the lock unshared, waits for every one under way and makes those after it find
    the poll closed. NotFound for an unknown poll."""
    poll = db.session.scalar(_lock_statement(shared), {"poll_id": poll_id})
    if poll is None:
        raise NotFound()
    return poll


@cache
def _lock_statement(shared: bool):
    """Built once for each kind of lock: every vote runs it. A shared lock is a vote's or an
    answer's: it reads the bid's title (for the audit entry) with the poll, and leaves the
    snapshot, tally and answers, which it never uses, to be read if asked for."""
    statement = (
        select(Poll)
        .where(Poll.id == bindparam("poll_id"))
        .with_for_update(read=shared, of=Poll)
        .options(lazyload(Poll.bid))
        .execution_options(populate_existing=True)
    )
    if shared:
        statement = statement.options(
            undefer(Poll.bid_title), defer(Poll.bid_snapshot), defer(Poll.tally), defer(Poll.answers)
        )
    return statement


def lock_elector(poll: Poll, user_id: int) -> PollElector | None:
    """The member's row in the electorate, locked and read afresh: one member's simultaneous
    answers and votes (a double click, two tabs) queue on it, while other members' go ahead.
    Read what it guards (their current vote) in a statement after it: on PostgreSQL, a statement
    that waited for the lock sees the locked row as now committed but its other rows as they
    were when it began, so a vote committed by the request it waited for would be missed."""
    return db.session.scalar(_elector_statement(), {"poll_id": poll.id, "user_id": user_id})


@cache
def _elector_statement():
    """Built once: every vote runs it."""
    return (
        select(PollElector)
        .where(PollElector.poll_id == bindparam("poll_id"), PollElector.user_id == bindparam("user_id"))
        .with_for_update(of=PollElector)
        .options(lazyload(PollElector.user), lazyload(PollElector.declared_by))
        .execution_options(populate_existing=True)
    )


def standing_vote(poll_id: int, user_id: int):
    """The member's current vote on the poll, with the poll's status and closing time and the
    member's answer to the connection question, in one plain read (no lock; on SQLite, a read
    transaction of its own, so not queued for the write lock), or None when they have no vote.
    A row with the vote's `id`, `choice`, `comment`, `method`, `recorded_by_id`, and `status`,
    `closes_at`, `declaration`."""
    with reading_before_writing():
        rows = _standing_vote_statement().rows(db.session.connection(), {"poll_id": poll_id, "user_id": user_id})
    return rows[0] if rows else None


@cache
def _standing_vote_statement() -> DriverStatement:
    """Built once: every vote runs it first (ballots.cast_vote)."""
    return DriverStatement(
        select(
            Vote.id,
            Vote.choice,
            Vote.comment,
            Vote.method,
            Vote.recorded_by_id,
            Poll.status,
            Poll.closes_at,
            PollElector.declaration,
        )
        .join_from(Vote, Poll, Poll.id == Vote.poll_id)
        .join(PollElector, (PollElector.poll_id == Vote.poll_id) & (PollElector.user_id == Vote.user_id))
        .where(Vote.poll_id == bindparam("poll_id"), Vote.user_id == bindparam("user_id"), Vote.is_current)
    )


def elector_of(poll: Poll, user: User) -> PollElector | None:
    """(Its user is `user`, already loaded.)"""
    return db.session.scalar(
        select(PollElector)
        .where(PollElector.poll_id == poll.id, PollElector.user_id == user.id)
        .options(lazyload(PollElector.user), lazyload(PollElector.declared_by))
    )


def can_hand_over(user: User, poll: Poll, day) -> bool:
    """Coordinators and the active chairs of the poll's collective choose who records votes for
    others (a chair with a connection hands over to the vice-chair, or a member the meeting chooses)."""
    collective = db.session.get(Collective, poll.collective_id)
    return collective is not None and membership.can_manage(user=user, collective=collective, day=day)


def can_manage_poll(user: User, poll: Poll, day) -> bool:
    """Meeting mode and assisted votes: coordinators, the active chairs of the poll's collective,
    and the member a chair or coordinator handed the recording to."""
    return (poll.recorder_id is not None and poll.recorder_id == user.id) or can_hand_over(user, poll, day)


def recording_refusal(user: User, poll: Poll) -> str | None:
    """Why this person, though they may run the meeting, may not record answers or votes for
    others on this bid (None when they may). Whoever records for others must have no connection
    with the bid, so that a decision never rests on an interested hand: an elector must have
    answered "no connection" first; the partner's own people and the bid's author never record."""
    if user.id in _excluded_user_ids(poll.bid):
        return "You act for the organisation that made this bid, so someone else records votes for others."
    elector = elector_of(poll, user)
    if elector is None:
        return None
    if elector.recused:
        return (
            "You declared a connection with this bid, so someone without one records votes for others: "
            "hand over to the vice-chair, a member the meeting chooses, or a coordinator."
        )
    if elector.declaration is None:
        return (
            "Answer the question about connections for yourself first: whoever records votes for others "
            "must have no connection with this bid."
        )
    return None


def can_set_rules(user: User) -> bool:
    """Coordinators set a collective's decision rules (rule_sets.py)."""
    return user.is_coordinator


def can_view(user: User, poll: Poll, day) -> bool:
    """Coordinators, the electorate, members of that collective, and the partner's own people."""
    if user.is_coordinator or elector_of(poll, user) is not None:
        return True
    collective = db.session.get(Collective, poll.collective_id)
    if collective is not None and membership.membership_of(user=user, collective=collective, day=day) is not None:
        return True
    return user.id in _excluded_user_ids(poll.bid)


def poll_for_viewing(*, actor: User, poll_id: int, day) -> Poll:
    """NotFound for an unknown poll; PermissionDenied for someone who may not see it."""
    poll = get_poll(poll_id)
    if not can_view(actor, poll, day):
        raise PermissionDenied()
    return poll


def poll_for_managing(*, actor: User, poll_id: int, day) -> Poll:
    """For meeting mode and assisted votes: coordinators, the collective's active chairs and the
    member they handed the recording to. NotFound for an unknown poll; PermissionDenied for anyone else."""
    poll = get_poll(poll_id)
    if not can_manage_poll(actor, poll, day):
        raise PermissionDenied()
    return poll


def deferral_count(bid_id: int) -> int:
    return db.session.scalar(select(deferrals_of_bid(bid_id))) or 0


def deferrals_of_bid(bid_id):
    """How many of the bid's votes were deferred, as a column to select (`bid_id` a value or a column)."""
    earlier = aliased(Poll)
    return (
        select(func.count())
        .select_from(earlier)
        .where(earlier.bid_id == bid_id, earlier.outcome == "deferred")
        .scalar_subquery()
        .label("deferrals")
    )
