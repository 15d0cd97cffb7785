"""Planning the opening of a vote: every read and rule check, with nothing locked.

`plan_opening` reads the bid with its collective, this year's fund, its latest listing and the
decision rules and match rule in force, all in one statement, checks the rules for opening,
and returns a `Plan` that opening.py writes in one short transaction. Only when the money
is there does it read the electorate and the bid's content for the snapshot. The electorate: active
members of the locality's collective, minus the bid's author and the partner's own people
(accounts linked to the partner). Members whose register of interests names the partner are
flagged, so they are asked about it first.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import BindParameter, and_, bindparam, exists, select
from sqlalchemy.orm import aliased, joinedload

from ...accounts.models import User
from ...core.data.models import Locality
from ...core.values.timeutils import financial_year_label, financial_year_start, london_today
from ...errors import NotFound, RuleViolation
from ...extensions import db
from ...partners.models import PartnerUser
from .. import versions
from ..bids import lifecycle, match_rules
from ..bids.lifecycle import BidStatus
from ..bids.models import MAX_PENCE, Bid, MatchRule, confirmed_funds_sql
from ..bids.rules import match_award
from ..models import Collective, Interest, Membership
from ..money.models import Fund
from . import rule_sets
from .models import DecisionRuleSet, Poll
from .rule_sets import RulesInForce
from .rules import check_window


def bid_snapshot(bid: Bid) -> dict:
    """The bid's content as the voters see it (frozen into the poll)."""
    return {
        "title": bid.title,
        "partner": bid.partner.name,
        "locality": bid.locality.name,
        "summary": bid.summary,
        "easy_read_summary": bid.easy_read_summary,
        "who_for": bid.who_for,
        "how_reached": bid.how_reached,
        "start_on": bid.start_on.isoformat(),
        "end_on": bid.end_on.isoformat(),
        "expected_participants": bid.expected_participants,
        "total_cost_pence": bid.total_cost_pence,
        "requested_pence": bid.requested_pence,
        "confirmed_funds_pence": bid.confirmed_funds_pence,
        "lines": [
            {"source": line.source, "amount_pence": line.amount_pence, "status": line.status, "evidence": line.evidence}
            for line in bid.lines
        ],
        **_call_answered(bid),
    }


def _call_answered(bid: Bid) -> dict:
    """The call for bids the bid answers, kept with the content voted on (only when it answers one,
    so that the snapshots of other bids, and so their version numbers, are unchanged)."""
    if bid.call is None:
        return {}
    return {"call": {"id": bid.call.id, "title": bid.call.title, "upper_pence": bid.call.upper_pence}}


@dataclass(frozen=True)
class Listing:
    """The bid's latest vote so far (rounds count up from 1, so its round is how many there were)."""

    round: int = 0
    bid_version: int = 0
    bid_snapshot: dict | None = None

    def version_for(self, snapshot: dict) -> int:
        """The same version number while the content is unchanged, the next one otherwise."""
        if not self.round:
            return 1
        return self.bid_version if self.bid_snapshot == snapshot else self.bid_version + 1


def _last_poll_id(bid_id):
    """The id of the bid's latest poll (its listing so far), as a scalar subquery: NULL before the first."""
    poll = aliased(Poll)
    return (
        select(poll.id)
        .where(poll.bid_id == bid_id)
        .order_by(poll.round.desc())
        .limit(1)
        .correlate_except(poll)
        .scalar_subquery()
    )


def _award(requested: int, confirmed_funds: int, rule: match_rules.RuleVersion) -> int:
    return match_award(
        requested=requested, confirmed_funds=confirmed_funds, ratio=rule.ratio, cap=rule.cap_pence, available=MAX_PENCE
    ).award


def award_for(bid: Bid, day, collective_id: int | None = None) -> int:
    """The match award, before looking at the money available (that decides awaiting funds)."""
    rule = (
        match_rules.current_rule(collective_id=collective_id, day=day)
        if collective_id
        else match_rules.rule_for_locality(locality=bid.locality, day=day)
    )
    return _award(bid.requested_pence, bid.confirmed_funds_pence, rule)


@cache
def _electorate_statement():
    partner_id: BindParameter[int] = bindparam("partner_id")
    day: BindParameter[date] = bindparam("day")
    flagged = exists().where(
        Interest.user_id == Membership.user_id, Interest.partner_id == partner_id, Interest.ended_on.is_(None)
    )
    partner_people = select(PartnerUser.user_id).where(PartnerUser.partner_id == partner_id)
    return (
        select(Membership.user_id, Membership.constituency, flagged)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.collective_id == bindparam("collective_id"),
            Membership.active_on(day),
            Membership.user_id.not_in(partner_people),
            Membership.user_id != bindparam("author_id"),
        )
        .order_by(User.name)
    )


class Elector(NamedTuple):
    """A member of a vote's electorate, as the opening reads and writes them."""

    user_id: int
    constituency: str
    flagged: bool  # their register of interests names the partner: asked about it first


def _electorate(collective_id: int | None, seen: "BidSeen", day) -> list[Elector]:
    """Each eligible member, in one query: the active members, minus the bid's author and the
    partner's own people, flagged when their register of interests names the partner."""
    rows = db.session.connection().execute(
        _electorate_statement(),
        {"partner_id": seen.partner_id, "collective_id": collective_id, "day": day, "author_id": seen.author_id or 0},
    )  # ids start at 1, so 0 excludes no one
    return [Elector(user_id, constituency, bool(is_flagged)) for user_id, constituency, is_flagged in rows]


@dataclass(frozen=True)
class BidSeen:
    """The bid as the rules for opening read it, with what is in force for it (one statement)."""

    id: int
    title: str
    status: str
    status_changed_at: datetime
    updated_at: datetime
    requested: int
    confirmed_funds: int
    partner_id: int
    author_id: int | None
    collective_id: int | None
    fund: "FundSeen | None"
    listing: "Listing"
    in_force: RulesInForce
    match_rule: match_rules.RuleVersion

    @property
    def state(self) -> BidStatus:
        return BidStatus(self.status)


@dataclass(frozen=True)
class Opening:
    """What opening a vote has checked and read, before any money moves."""

    collective_id: int | None  # None: the locality has no collective, so no one is eligible to vote
    in_force: RulesInForce
    listing: Listing
    amount: int


def _check_opening(seen: BidSeen, now: datetime, closes_at: datetime) -> Opening:
    """The rules for opening, on the bid as read."""
    lifecycle.check("open_vote", seen.state)
    check_window(seen.in_force.rules, now, closes_at)
    if seen.listing.round > seen.in_force.rules.max_deferrals:
        raise RuleViolation("This bid has already been listed as many times as the rules allow.")
    amount = _award(seen.requested, seen.confirmed_funds, seen.match_rule)
    if amount <= 0:
        raise RuleViolation("The match rule allows no award for this bid: it needs confirmed partner funds.")
    return Opening(seen.collective_id, seen.in_force, seen.listing, amount)


@dataclass(frozen=True)
class FundSeen:
    id: int
    available: int
    label: str  # "Barnsley 2026-27", for the audit summary


@dataclass(frozen=True)
class Plan:
    """What opening a vote read and decided before taking any lock."""

    bid_id: int
    title: str
    partner_id: int
    status: BidStatus
    seen: tuple  # the bid's (status, status_changed_at, updated_at) as read; the write moves it only if unchanged
    opening: Opening
    snapshot: dict
    electorate: list[Elector]
    fund: FundSeen | None

    @property
    def fundable(self) -> bool:
        return self.fund is not None and self.fund.available >= self.opening.amount


class SeenRow(NamedTuple):
    """The bid's part of the opening's one statement, by name: a row of `seen_columns`, in its
    order (the statement stays one fast SELECT; the names are only on this side)."""

    bid_id: int
    title: str
    status: str
    status_changed_at: datetime
    updated_at: datetime
    requested: int
    confirmed_funds: int
    partner_id: int
    author_id: int | None
    locality_name: str
    collective_id: int | None  # None: the locality has no collective (NULL from the outer joins)
    fund_id: int | None  # None: no fund this financial year
    fund_available: int | None
    fund_start_year: int | None
    listing_round: int | None  # None: never listed for a vote
    listing_version: int | None
    listing_snapshot: dict | None


def seen_columns() -> tuple[Any, ...]:
    """The statement's column for each field of `SeenRow`, in its order."""
    columns = dict(
        bid_id=Bid.id,
        title=Bid.title,
        status=Bid.status,
        status_changed_at=Bid.status_changed_at,
        updated_at=Bid.updated_at,
        requested=Bid.requested_pence,
        confirmed_funds=confirmed_funds_sql(),
        partner_id=Bid.partner_id,
        author_id=Bid.created_by_id,
        locality_name=Locality.name,
        collective_id=Collective.id,
        fund_id=Fund.id,
        fund_available=Fund.available_pence,
        fund_start_year=Fund.start_year,
        listing_round=Poll.round,
        listing_version=Poll.bid_version,
        listing_snapshot=Poll.bid_snapshot,
    )
    return tuple(columns[name] for name in SeenRow._fields)


@cache
def _seen_statement():
    """Everything the rules for opening read, in one statement (built once): the bid's state
    and amounts, its collective, this year's fund, its latest listing (a `SeenRow`), and the
    match rule and decision rules in force (NULL columns where none is: the defaults). Returns
    the statement and the widths of its first two groups of columns."""
    day: BindParameter[date] = bindparam("day")
    bid_columns = seen_columns()
    rule_columns = match_rules.rule_columns()
    statement = (
        select(*bid_columns, *rule_columns, *rule_sets.in_force_columns())
        .join(Locality, Locality.id == Bid.locality_id)
        .outerjoin(Collective, Collective.locality_id == Bid.locality_id)
        .outerjoin(Fund, and_(Fund.locality_id == Bid.locality_id, Fund.start_year == bindparam("start_year")))
        .outerjoin(Poll, Poll.id == _last_poll_id(Bid.id))
        .outerjoin(MatchRule, MatchRule.id == versions.in_force_id(MatchRule, Collective.id, day))
        .outerjoin(DecisionRuleSet, DecisionRuleSet.id == versions.in_force_id(DecisionRuleSet, Collective.id, day))
        .where(Bid.id == bindparam("bid_id"))
    )
    return statement, len(bid_columns), len(rule_columns)


def _read_bid(bid_id: int, day) -> BidSeen:
    statement, bid_width, rule_width = _seen_statement()
    row = (
        db.session.connection()
        .execute(statement, {"bid_id": bid_id, "day": day, "start_year": financial_year_start(day)})
        .first()
    )
    if row is None:
        raise NotFound()
    read = SeenRow._make(row[:bid_width])
    # The outer joins give a fund's (or a listing's) columns all NULL together, or none of them.
    fund = (
        None
        if read.fund_id is None or read.fund_available is None or read.fund_start_year is None
        else FundSeen(
            read.fund_id, read.fund_available, f"{read.locality_name} {financial_year_label(read.fund_start_year)}"
        )
    )
    listing = (
        Listing()
        if read.listing_round is None or read.listing_version is None
        else Listing(read.listing_round, read.listing_version, read.listing_snapshot)
    )
    rules_start = bid_width + rule_width
    return BidSeen(
        read.bid_id,
        read.title,
        read.status,
        read.status_changed_at,
        read.updated_at,
        read.requested,
        read.confirmed_funds,
        read.partner_id,
        read.author_id,
        read.collective_id,
        fund,
        listing,
        rule_sets.in_force_from(row[rules_start:]),
        match_rules.rule_from(row[bid_width:rules_start]),
    )


@cache
def _snapshot_statement():
    """The bid with what its snapshot shows (built once; read afresh, whatever the session holds)."""
    return (
        select(Bid)
        .where(Bid.id == bindparam("bid_id"))
        .options(joinedload(Bid.partner).lazyload("*"), joinedload(Bid.lines))
        .execution_options(populate_existing=True)
    )


def plan_opening(bid_id: int, now: datetime, closes_at: datetime) -> Plan:
    """Every read and rule check of an opening, with nothing locked. NotFound, RuleViolation.
    A bid that will wait for funds needs one statement; the electorate and the snapshot are
    read only for a bid the money is there for. (A bid that moves after the first statement
    fails the write's compare-and-set against what that statement saw, and is planned again.)"""
    day = london_today(now)
    seen = _read_bid(bid_id, day)
    opening = _check_opening(seen, now, closes_at)
    plan = Plan(
        bid_id=seen.id,
        title=seen.title,
        partner_id=seen.partner_id,
        status=seen.state,
        seen=(seen.status, seen.status_changed_at, seen.updated_at),
        opening=opening,
        snapshot={},
        electorate=[],
        fund=seen.fund,
    )
    if not plan.fundable:  # it will wait for funds: no electorate or snapshot needed yet
        return plan
    electorate = _electorate(opening.collective_id, seen, day)
    if not electorate:
        raise RuleViolation("No member of the collective is eligible to vote on this bid.")
    bid = db.session.execute(_snapshot_statement(), {"bid_id": bid_id}).unique().scalar_one()
    return replace(plan, snapshot=bid_snapshot(bid), electorate=electorate)
