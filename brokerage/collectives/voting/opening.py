"""Opening a vote on a bid.

Opening (a coordinator, for a bid ready for a vote or awaiting funds) snapshots the electorate,
the rules in force and the bid's content and earmarks the award in the locality's fund for this
financial year, in one write transaction after the reads (see `open_vote_on`).
If the money is not there, the bid waits as *awaiting funds* instead and no poll opens.
The reads and rule checks, and who may vote, are in planning.py.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Insert, Update, bindparam, insert, update
from sqlalchemy.sql.dml import ReturningInsert

from ...accounts.models import User
from ...audit.services import event_row, insert_events
from ...core.data.database import reading_before_writing
from ...core.data.unit_of_work import Conflict, unit_of_work
from ...core.web.filters import money
from ...errors import PermissionDenied, RuleViolation
from ...extensions import db
from ..bids import lifecycle
from ..bids.access import may_move
from ..bids.lifecycle import BidStatus
from ..bids.models import Bid, BidTransition
from ..bids.moves import move_event
from ..money import ledger
from ..money import services as funds
from ..money.ledger import InsufficientFunds
from ..money.models import EntryKind, LedgerEntry
from ..notices import messages as notices
from ..notices.messages import BidFacts
from . import planning as poll_planning
from .access import get_poll
from .models import Poll, PollElector, PollStatus
from .planning import Plan


class _BidChanged(Exception):
    """The bid moved between the read phase and its lock: plan again."""


@dataclass(frozen=True)
class OpeningSQL:
    """The seam of the opening's hand-written SQL (a speed-up): every write of an opening is one
    of these statements, run with named parameters on the session's connection, skipping the
    ORM's execution machinery (none of their tables is one the directory's page cache watches,
    see directory/page_cache.py). Built once (`opening_sql`): building and compiling them cost
    more than running them."""

    entry: ReturningInsert[tuple[int]]  # INSERT a ledger entry (the earmark), RETURNING its id
    poll: ReturningInsert[tuple[int]]  # INSERT the poll, RETURNING its id
    elector: Insert  # INSERT the electorate (one row per `planning.Elector`)
    transition: Insert  # INSERT the bid's history row
    move: Update  # UPDATE the bid's status if it is as the plan read it (compare and set)


@cache
def opening_sql() -> OpeningSQL:
    """The opening's statements, built once."""
    bids = Bid.__table__.c
    return OpeningSQL(
        entry=insert(LedgerEntry.__table__).returning(LedgerEntry.__table__.c.id),
        poll=insert(Poll.__table__).returning(Poll.__table__.c.id),
        elector=insert(PollElector.__table__),
        transition=insert(BidTransition.__table__),
        # Moves the bid only if it is as the plan read it (compare and set: this locks its row).
        move=update(Bid.__table__)
        .where(
            bids.id == bindparam("bid_id"),
            bids.status == bindparam("seen_status"),
            bids.status_changed_at == bindparam("seen_changed_at"),
            bids.updated_at == bindparam("seen_updated_at"),
        )
        .values(status=bindparam("new_status"), status_changed_at=bindparam("changed_at")),
    )


def _move_planned_bid(actor: User, plan: Plan, name: str, now: datetime, *, message: str = "") -> dict:
    """Make the bid lifecycle's move `name`, if the bid is as the plan read it (else
    _BidChanged), as the write's first statement: this locks its row (on SQLite, it begins the
    write). The same rows as `bids.moves.make_move`, in plain SQL: writes its history row and
    returns its audit row."""
    move = lifecycle.check(name, plan.status)
    statements, connection = opening_sql(), db.session.connection()
    status, changed_at, updated_at = plan.seen
    moved = connection.execute(
        statements.move,
        {
            "bid_id": plan.bid_id,
            "seen_status": status,
            "seen_changed_at": changed_at,
            "seen_updated_at": updated_at,
            "new_status": move.target.value,
            "changed_at": now,
        },
    )
    if moved.rowcount != 1:
        raise _BidChanged()
    connection.execute(
        statements.transition,
        {
            "bid_id": plan.bid_id,
            "from_status": plan.status.value,
            "to_status": move.target.value,
            "actor_id": actor.id,
            "message": message,
            "at": now,
        },
    )
    return event_row(
        **move_event(
            actor=actor, bid_id=plan.bid_id, title=plan.title, before=plan.status.value, move=move, message=message
        )
    )


def _write_opening(actor: User, plan: Plan, now: datetime, closes_at: datetime) -> int:
    """The poll, its electorate, the bid's move, the earmark, their audit rows and the electors'
    messages, in one transaction; the fund's balance is taken last, so that on PostgreSQL its row is locked only
    for that UPDATE, one INSERT and the COMMIT. InsufficientFunds (the unit of work rolls back)."""
    opening, fund, amount, statements = plan.opening, plan.fund, plan.opening.amount, opening_sql()
    assert fund is not None  # a plan that opens a vote has this year's fund (planning.py)
    moved = _move_planned_bid(actor, plan, "open_vote", now)
    reference, connection = f"bid {plan.bid_id}", db.session.connection()
    entry_id = connection.execute(
        statements.entry,
        {
            "fund_id": fund.id,
            "kind": EntryKind.EARMARK.value,
            "amount_pence": amount,
            "related_id": None,
            "reference": reference,
            "note": f"Vote on {plan.title}"[:500],
            "actor_id": actor.id,
        },
    ).scalar_one()
    in_force = opening.in_force
    poll_id = connection.execute(
        statements.poll,
        {
            "bid_id": plan.bid_id,
            "collective_id": opening.collective_id,
            "round": opening.listing.round + 1,
            "status": PollStatus.OPEN.value,
            "opened_at": now,
            "closes_at": closes_at,
            "opened_by_id": actor.id,
            "rule_set_version": in_force.version,
            "rules": in_force.rules.as_dict(),
            "bid_version": opening.listing.version_for(plan.snapshot),
            "bid_snapshot": plan.snapshot,
            "award_pence": amount,
            "earmark_entry_id": entry_id,
        },
    ).scalar_one()
    connection.execute(statements.elector, [{"poll_id": poll_id, **elector._asdict()} for elector in plan.electorate])
    notices.vote_opened(
        poll_id=poll_id,
        bid=BidFacts(plan.bid_id, plan.title, plan.partner_id, plan.snapshot["partner"], plan.snapshot["locality"]),
        closes_at=closes_at,
        elector_ids=[elector.user_id for elector in plan.electorate],
        now=now,
    )
    available = ledger.change_balance(fund.id, -amount)
    if available is None:
        raise InsufficientFunds("There is not enough money available in this fund.")
    insert_events(
        [
            event_row(
                **funds.entry_event(
                    actor=actor,
                    fund_id=fund.id,
                    entry_id=entry_id,
                    kind=EntryKind.EARMARK,
                    amount_pence=amount,
                    related_id=None,
                    reference=reference,
                    available_pence=available,
                    summary=f"{money(amount)} earmarked ({fund.label})",
                )
            ),
            moved,
            event_row(
                actor=actor,
                action="poll.opened",
                object_type="poll",
                object_id=poll_id,
                summary=f"Vote opened on {plan.title} until {closes_at:%d %b %Y %H:%M} UTC, {money(amount)} earmarked",
                after={
                    "bid_id": plan.bid_id,
                    "round": opening.listing.round + 1,
                    "bid_version": opening.listing.version_for(plan.snapshot),
                    "rule_set_version": in_force.version,
                    "electorate": len(plan.electorate),
                    "flagged": sum(elector.flagged for elector in plan.electorate),
                    "earmark_entry_id": entry_id,
                },
            ),
        ]
    )
    return poll_id


def _write_waiting(actor: User, plan: Plan, now: datetime) -> None:
    """The bid waits for funds (already waiting: nothing to write)."""
    if plan.status is not BidStatus.AWAITING_FUNDS:
        insert_events(
            [
                _move_planned_bid(
                    actor,
                    plan,
                    "await_funds",
                    now,
                    message=f"Not enough money is available yet to set aside {money(plan.opening.amount)}.",
                )
            ]
        )


PLAN_ATTEMPTS = 3
_OPENED = Conflict("A vote on this bid was opened a moment ago.")
# The poll's uniqueness (one open poll per bid, one poll per round), by name on PostgreSQL and
# by its columns in SQLite's message.
OPENED_A_MOMENT_AGO = {"uq_poll_open_per_bid": _OPENED, "uq_poll_bid_id_round": _OPENED, "poll.bid_id": _OPENED}


def open_vote_on(*, actor: User, bid_id: int, closes_at: datetime, now: datetime) -> int | None:
    """Open the collective's vote on a bid; returns the poll's id, or None when the money is
    not available: the bid is then marked awaiting funds (nothing is earmarked, no poll opens).
    Coordinators only (PermissionDenied). NotFound for an unknown bid. RuleViolation when the
    bid is in another state, the window is too short or too long, no award is possible under
    the match rule, no one is eligible to vote, or the bid has used up its listings.

    Why in two phases: every read and check runs first with nothing locked (on SQLite in its
    own read transaction, outside the write lock), then a short write transaction locks the
    bid, checks it has not moved since (else plans again), writes with plain SQL and takes the
    money from the fund's balance last. The conditional UPDATE of the balance is the guard: a
    balance that looked enough but is not any more rolls everything back and the bid waits."""
    if not may_move(actor, "open_vote"):
        raise PermissionDenied()
    for _attempt in range(PLAN_ATTEMPTS):
        with reading_before_writing():
            plan = poll_planning.plan_opening(bid_id, now, closes_at)
        try:
            if plan.fundable:
                try:
                    with unit_of_work(conflicts=OPENED_A_MOMENT_AGO):
                        return _write_opening(actor, plan, now, closes_at)
                except InsufficientFunds:
                    pass  # the unit rolled back; the bid waits for funds instead
            with unit_of_work():
                _write_waiting(actor, plan, now)
            return None
        except _BidChanged:
            pass  # the unit rolled back; plan again
    raise RuleViolation("This bid kept changing while the vote was being opened: look at it again and retry.")


def open_vote(*, actor: User, bid: Bid, closes_at: datetime, now: datetime) -> Poll | None:
    """`open_vote_on`, returning the poll itself (for services and seeding)."""
    poll_id = open_vote_on(actor=actor, bid_id=bid.id, closes_at=closes_at, now=now)
    return None if poll_id is None else get_poll(poll_id)
