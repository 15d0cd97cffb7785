"""Planning the opening of a vote: every read and rule check, with nothing locked.

`plan_opening` reads the bid (with its collective and this year's fund), the rules in force,
its earlier listings, the match rule and the electorate, checks the rules for opening, and
returns a `Plan` that poll_opening writes in one short transaction. The electorate: active
members of the locality's collective, minus the bid's author and the partner's own people
(accounts linked to the partner). Members whose register of interests names the partner are
flagged, so they are asked about it first.
"""
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache

from sqlalchemy import and_, bindparam, exists, select
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..core.timeutils import financial_year_label, financial_year_start, london_today
from ..errors import NotFound, RuleViolation
from ..extensions import db
from ..partners.models import PartnerUser
from . import match_rules
from .bid_models import MAX_PENCE, Bid, BidStatus
from .decision_rules import check_window
from .ledger_models import Fund
from .match import match_award
from .models import Collective, Interest, Membership
from .poll_models import Poll
from .polls import OPENABLE
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


@cache
def _last_listing_statement():
    return (select(Poll.round, Poll.bid_version, Poll.bid_snapshot).where(Poll.bid_id == bindparam("bid_id"))
            .order_by(Poll.round.desc()).limit(1))


def _last_listing(bid: Bid) -> Listing:
    row = db.session.connection().execute(_last_listing_statement(), {"bid_id": bid.id}).first()
    return Listing(*row) if row else Listing()


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
class Opening:
    """What opening a vote has checked and read, before any money moves."""
    collective_id: int
    in_force: RulesInForce
    listing: Listing
    amount: int


def _check_opening(bid: Bid, collective_id: int, now: datetime, closes_at: datetime) -> Opening:
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
    return Opening(collective_id, in_force, listing, amount)


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
    status: BidStatus
    seen: tuple  # the bid's (status, status_changed_at, updated_at) as read; the write moves it only if unchanged
    opening: Opening
    snapshot: dict
    electorate: list[tuple[int, str, bool]]
    fund: FundSeen | None

    @property
    def fundable(self) -> bool:
        return self.fund is not None and self.fund.available >= self.opening.amount


@cache
def _bid_statement():
    """The bid with its collective and this year's fund, in one statement (built once)."""
    return (select(Bid, Collective.id, Fund.id, Fund.available_pence, Fund.start_year)
            .outerjoin(Collective, Collective.locality_id == Bid.locality_id)
            .outerjoin(Fund, and_(Fund.locality_id == Bid.locality_id, Fund.start_year == bindparam("start_year")))
            .where(Bid.id == bindparam("bid_id"))
            .options(joinedload(Bid.partner).lazyload("*"), joinedload(Bid.lines))
            .execution_options(populate_existing=True))


def plan_opening(bid_id: int, now: datetime, closes_at: datetime) -> Plan:
    """Every read and rule check of an opening, with nothing locked. NotFound, RuleViolation."""
    day = london_today(now)
    row = db.session.execute(_bid_statement(), {"bid_id": bid_id, "start_year": financial_year_start(day)}
                             ).unique().one_or_none()
    if row is None:
        raise NotFound()
    bid, collective_id, fund_id, available, start_year = row
    opening = _check_opening(bid, collective_id, now, closes_at)
    fund = None if fund_id is None else FundSeen(fund_id, available,
                                                 f"{bid.locality.name} {financial_year_label(start_year)}")
    plan = Plan(bid_id=bid.id, title=bid.title, status=bid.state, seen=(bid.status, bid.status_changed_at,
                 bid.updated_at), opening=opening, snapshot={}, electorate=[], fund=fund)
    if not plan.fundable:  # it will wait for funds: no electorate or snapshot needed yet
        return plan
    electorate = _electorate(opening.collective_id, bid, day)
    if not electorate:
        raise RuleViolation("No member of the collective is eligible to vote on this bid.")
    return replace(plan, snapshot=bid_snapshot(bid), electorate=electorate)
