"""Opening a vote on a bid.

Opening (a coordinator, for a bid ready for a vote or awaiting funds) snapshots the electorate,
the rules in force and the bid's content and earmarks the award in the locality's fund for this
financial year, in one write transaction after the reads (see `open_vote_on`).
If the money is not there, the bid waits as *awaiting funds* instead and no poll opens.

The electorate: active members of the locality's collective, minus the bid's author and the
partner's own people (accounts linked to the partner). Members whose register of interests
names the partner are flagged, so they are asked about it first.
"""
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache

from sqlalchemy import and_, bindparam, exists, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..audit.services import event_row, insert_events
from ..core.database import reading_before_writing
from ..core.filters import money
from ..core.timeutils import financial_year_label, financial_year_start, london_today
from ..errors import NotFound, PermissionDenied, RuleViolation
from ..extensions import db
from ..partners.models import PartnerUser
from . import funds, ledger, match_rules
from .bid_models import MAX_PENCE, Bid, BidStatus, BidTransition
from .decision_rules import check_window
from .ledger import InsufficientFunds
from .ledger_models import EntryKind, Fund, LedgerEntry
from .match import match_award
from .models import Collective, Interest, Membership
from .poll_models import Poll, PollElector, PollStatus
from .polls import OPENABLE, get_poll, move_event
from .rule_sets import RulesInForce, rules_in_force


def bid_snapshot(bid: Bid) -> dict:
    """The bid's content as the voters see it (frozen into the poll)."""
    return {"title": bid.title, "partner": bid.partner.name, "locality": bid.locality.name,
            "summary": bid.summary, "easy_read_summary": bid.easy_read_summary, "who_for": bid.who_for,
            "how_reached": bid.how_reached, "start_on": bid.start_on.isoformat(), "end_on": bid.end_on.isoformat(),
            "expected_participants": bid.expected_participants, "total_cost_pence": bid.total_cost_pence,
            "requested_pence": bid.requested_pence, "confirmed_funds_pence": bid.confirmed_funds_pence,
            "lines": [{"source": line.source, "amount_pence": line.amount_pence, "status": line.status,
                       "evidence": line.evidence} for line in bid.lines]}


@dataclass(frozen=True)
class _Listing:
    """The bid's latest vote so far (rounds count up from 1, so its round is how many there were)."""
    round: int = 0
    bid_version: int = 0
    bid_snapshot: dict | None = None

    def version_for(self, snapshot: dict) -> int:
        """The same version number while the content is unchanged, the next one otherwise."""
        if not self.round:
            return 1
        return self.bid_version if self.bid_snapshot == snapshot else self.bid_version + 1


@cache
def _last_listing_statement():
    return (select(Poll.round, Poll.bid_version, Poll.bid_snapshot).where(Poll.bid_id == bindparam("bid_id"))
            .order_by(Poll.round.desc()).limit(1))


def _last_listing(bid: Bid) -> _Listing:
    row = db.session.connection().execute(_last_listing_statement(), {"bid_id": bid.id}).first()
    return _Listing(*row) if row else _Listing()


def award_for(bid: Bid, day, collective_id: int | None = None) -> int:
    """The match award, before looking at the money available (that decides awaiting funds)."""
    rule = (match_rules.current_rule(collective_id=collective_id, day=day) if collective_id
            else match_rules.rule_for_locality(locality=bid.locality, day=day))
    return match_award(requested=bid.requested_pence, confirmed_funds=bid.confirmed_funds_pence, ratio=rule.ratio,
                       cap=rule.cap_pence, available=MAX_PENCE).award


@cache
def _electorate_statement():
    partner_id = bindparam("partner_id")
    flagged = exists().where(Interest.user_id == Membership.user_id, Interest.partner_id == partner_id,
                             Interest.ended_on.is_(None))
    partner_people = select(PartnerUser.user_id).where(PartnerUser.partner_id == partner_id)
    return (select(Membership.user_id, Membership.constituency, flagged)
            .join(User, User.id == Membership.user_id)
            .where(Membership.collective_id == bindparam("collective_id"), Membership.active_on(bindparam("day")),
                   Membership.user_id.not_in(partner_people), Membership.user_id != bindparam("author_id"))
            .order_by(User.name))


def _electorate(collective_id: int, bid: Bid, day) -> list[tuple[int, str, bool]]:
    """(user id, constituency, flagged) of each eligible member, in one query: the active
    members, minus the bid's author and the partner's own people, flagged when their register
    of interests names the partner."""
    rows = db.session.connection().execute(_electorate_statement(), {
        "partner_id": bid.partner_id, "collective_id": collective_id, "day": day,
        "author_id": bid.created_by_id or 0})  # ids start at 1, so 0 excludes no one
    return [(user_id, constituency, bool(is_flagged)) for user_id, constituency, is_flagged in rows]


@dataclass(frozen=True)
class _Opening:
    """What opening a vote has checked and read, before any money moves."""
    collective_id: int
    in_force: RulesInForce
    listing: _Listing
    amount: int


def _check_opening(bid: Bid, collective_id: int, now: datetime, closes_at: datetime) -> _Opening:
    """The rules for opening, on the bid as read. Reads only."""
    if bid.state not in OPENABLE:
        raise RuleViolation(f"Only a bid ready for a vote can be opened for a vote. This bid is "
                            f"{bid.state.label.lower()}.")
    day = london_today(now)
    in_force = rules_in_force(collective_id=collective_id, day=day)
    check_window(in_force.rules, now, closes_at)
    listing = _last_listing(bid)
    if listing.round > in_force.rules.max_deferrals:
        raise RuleViolation("This bid has already been listed as many times as the rules allow.")
    amount = award_for(bid, day, collective_id)
    if amount <= 0:
        raise RuleViolation("The match rule allows no award for this bid: it needs confirmed partner funds.")
    return _Opening(collective_id, in_force, listing, amount)


@dataclass(frozen=True)
class _FundSeen:
    id: int
    available: int
    label: str  # "Barnsley 2026-27", for the audit summary


@dataclass(frozen=True)
class _Plan:
    """What opening a vote read and decided before taking any lock."""
    bid_id: int
    title: str
    status: BidStatus
    seen: tuple  # the bid's (status, status_changed_at, updated_at) as read, checked again under the lock
    opening: _Opening
    snapshot: dict
    electorate: list[tuple[int, str, bool]]
    fund: _FundSeen | None

    @property
    def fundable(self) -> bool:
        return self.fund is not None and self.fund.available >= self.opening.amount


class _BidChanged(Exception):
    """The bid moved between the read phase and its lock: plan again."""


@dataclass(frozen=True)
class _Statements:
    bid: object
    entry: object
    poll: object
    elector: object
    transition: object
    move: object


@cache
def _plan_statements() -> _Statements:
    """The opening's statements, built once: building and compiling them cost more than running them.
    The Core ones run on the session's connection, skipping the ORM's execution machinery (none of
    their tables is one the directory's page cache watches, see directory/page_cache.py)."""
    bids = Bid.__table__.c
    return _Statements(
        # The bid with its collective and this year's fund, in one statement.
        bid=select(Bid, Collective.id, Fund.id, Fund.available_pence, Fund.start_year)
        .outerjoin(Collective, Collective.locality_id == Bid.locality_id)
        .outerjoin(Fund, and_(Fund.locality_id == Bid.locality_id, Fund.start_year == bindparam("start_year")))
        .where(Bid.id == bindparam("bid_id"))
        .options(joinedload(Bid.partner).lazyload("*"), joinedload(Bid.lines))
        .execution_options(populate_existing=True),
        entry=insert(LedgerEntry.__table__).returning(LedgerEntry.__table__.c.id),
        poll=insert(Poll.__table__).returning(Poll.__table__.c.id),
        elector=insert(PollElector.__table__),
        transition=insert(BidTransition.__table__),
        # Moves the bid only if it is as the plan read it (compare and set: this locks its row).
        move=update(Bid.__table__).where(bids.id == bindparam("bid_id"), bids.status == bindparam("seen_status"),
                                         bids.status_changed_at == bindparam("seen_changed_at"),
                                         bids.updated_at == bindparam("seen_updated_at"))
        .values(status=bindparam("new_status"), status_changed_at=bindparam("changed_at")))


def _plan_opening(bid_id: int, now: datetime, closes_at: datetime) -> _Plan:
    """Every read and rule check of an opening, with nothing locked. NotFound, RuleViolation."""
    day = london_today(now)
    row = db.session.execute(_plan_statements().bid, {"bid_id": bid_id, "start_year": financial_year_start(day)}
                             ).unique().one_or_none()
    if row is None:
        raise NotFound()
    bid, collective_id, fund_id, available, start_year = row
    opening = _check_opening(bid, collective_id, now, closes_at)
    fund = None if fund_id is None else _FundSeen(fund_id, available,
                                                  f"{bid.locality.name} {financial_year_label(start_year)}")
    plan = _Plan(bid_id=bid.id, title=bid.title, status=bid.state, seen=(bid.status, bid.status_changed_at,
                 bid.updated_at), opening=opening, snapshot={}, electorate=[], fund=fund)
    if not plan.fundable:  # it will wait for funds: no electorate or snapshot needed yet
        return plan
    electorate = _electorate(opening.collective_id, bid, day)
    if not electorate:
        raise RuleViolation("No member of the collective is eligible to vote on this bid.")
    return replace(plan, snapshot=bid_snapshot(bid), electorate=electorate)


def _move_planned_bid(actor: User, plan: _Plan, target: BidStatus, now: datetime, *, summary: str,
                      message: str = "") -> dict:
    """Move the bid, if it is as the plan read it (else _BidChanged), as the write's first
    statement: this locks its row (on SQLite, it begins the write). Writes its history row
    and returns its audit row."""
    statements, connection = _plan_statements(), db.session.connection()
    status, changed_at, updated_at = plan.seen
    moved = connection.execute(statements.move, {
        "bid_id": plan.bid_id, "seen_status": status, "seen_changed_at": changed_at, "seen_updated_at": updated_at,
        "new_status": target.value, "changed_at": now})
    if moved.rowcount != 1:
        raise _BidChanged()
    connection.execute(statements.transition, {"bid_id": plan.bid_id, "from_status": plan.status.value,
                                               "to_status": target.value, "actor_id": actor.id,
                                               "message": message, "at": now})
    return event_row(**move_event(actor=actor, bid_id=plan.bid_id, title=plan.title, before=plan.status.value,
                                  target=target, summary=summary, message=message))


def _write_opening(actor: User, plan: _Plan, now: datetime, closes_at: datetime) -> int:
    """The poll, its electorate, the bid's move, the earmark and their audit rows, in one
    transaction; the fund's balance is taken last, so that on PostgreSQL its row is locked only
    for that UPDATE, one INSERT and the COMMIT. InsufficientFunds (the caller rolls back)."""
    opening, fund, amount, statements = plan.opening, plan.fund, plan.opening.amount, _plan_statements()
    moved = _move_planned_bid(actor, plan, BidStatus.OPEN_FOR_VOTE, now, summary="Vote opened")
    reference, connection = f"bid {plan.bid_id}", db.session.connection()
    entry_id = connection.execute(statements.entry, {
        "fund_id": fund.id, "kind": EntryKind.EARMARK.value, "amount_pence": amount, "related_id": None,
        "reference": reference, "note": f"Vote on {plan.title}"[:500], "actor_id": actor.id}).scalar_one()
    in_force = opening.in_force
    try:
        poll_id = connection.execute(statements.poll, {
            "bid_id": plan.bid_id, "collective_id": opening.collective_id, "round": opening.listing.round + 1,
            "status": PollStatus.OPEN.value, "opened_at": now, "closes_at": closes_at, "opened_by_id": actor.id,
            "rule_set_version": in_force.version, "rules": in_force.rules.as_dict(),
            "bid_version": opening.listing.version_for(plan.snapshot), "bid_snapshot": plan.snapshot,
            "award_pence": amount, "earmark_entry_id": entry_id}).scalar_one()
    except IntegrityError as error:
        db.session.rollback()
        raise RuleViolation("A vote on this bid was opened a moment ago.") from error
    connection.execute(statements.elector, [
        {"poll_id": poll_id, "user_id": user_id, "constituency": constituency, "flagged": flagged}
        for user_id, constituency, flagged in plan.electorate])
    available = ledger.change_balance(fund.id, -amount)
    if available is None:
        raise InsufficientFunds("There is not enough money available in this fund.")
    insert_events([
        event_row(**funds.entry_event(actor=actor, fund_id=fund.id, entry_id=entry_id,
                                      kind=EntryKind.EARMARK.value, amount_pence=amount, related_id=None,
                                      reference=reference, available_pence=available,
                                      summary=f"{money(amount)} earmarked ({fund.label})")),
        moved,
        event_row(actor=actor, action="poll.opened", object_type="poll", object_id=poll_id,
                  summary=f"Vote opened on {plan.title} until {closes_at:%d %b %Y %H:%M} UTC, "
                          f"{money(amount)} earmarked",
                  after={"bid_id": plan.bid_id, "round": opening.listing.round + 1,
                         "bid_version": opening.listing.version_for(plan.snapshot),
                         "rule_set_version": in_force.version, "electorate": len(plan.electorate),
                         "flagged": sum(flagged for _, _, flagged in plan.electorate),
                         "earmark_entry_id": entry_id})])
    db.session.commit()
    return poll_id


def _write_waiting(actor: User, plan: _Plan, now: datetime) -> None:
    """The bid waits for funds (already waiting: nothing to write)."""
    if plan.status is not BidStatus.AWAITING_FUNDS:
        insert_events([_move_planned_bid(
            actor, plan, BidStatus.AWAITING_FUNDS, now, summary="Bid awaiting funds",
            message=f"Not enough money is available yet to set aside {money(plan.opening.amount)}.")])
    db.session.commit()


PLAN_ATTEMPTS = 3


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
    if not actor.is_coordinator:
        raise PermissionDenied()
    for _attempt in range(PLAN_ATTEMPTS):
        with reading_before_writing():
            plan = _plan_opening(bid_id, now, closes_at)
        try:
            if plan.fundable:
                try:
                    return _write_opening(actor, plan, now, closes_at)
                except InsufficientFunds:
                    db.session.rollback()
            _write_waiting(actor, plan, now)
            return None
        except _BidChanged:
            db.session.rollback()
    raise RuleViolation("This bid kept changing while the vote was being opened: look at it again and retry.")


def open_vote(*, actor: User, bid: Bid, closes_at: datetime, now: datetime) -> Poll | None:
    """`open_vote_on`, returning the poll itself (for services and seeding)."""
    poll_id = open_vote_on(actor=actor, bid_id=bid.id, closes_at=closes_at, now=now)
    return None if poll_id is None else get_poll(poll_id)
