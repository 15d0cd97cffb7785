"""What the collectives pages show, gathered in a few queries so that templates never query."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ..accounts.models import User
from ..core.values.timeutils import financial_year_label, financial_year_start
from ..extensions import db
from .money import services as funds
from .members import access as members, interests, membership
from .money.access import can_manage_money
from .voting.access import can_set_rules
from .grants.corrections import decision_entry_ids
from .money.ledger import FundSummary
from .money.models import Fund, LedgerEntry
from .models import Collective, Interest, JoinRequest, Membership


@dataclass(frozen=True)
class CollectiveCard:
    collective: Collective
    member_count: int
    available: int | None  # None when no fund is open this year
    is_member: bool


@dataclass(frozen=True)
class CollectivePage:
    collective: Collective
    year_label: str
    members: list[membership.MemberRow]
    viewer_membership: Membership | None
    viewer_request: JoinRequest | None
    can_manage: bool
    join_requests: list[JoinRequest]
    summary: FundSummary
    entries: list[LedgerEntry]
    reversible_ids: set[int]  # entries a coordinator may reverse from the ledger table
    sees_constituencies: bool  # the "Joined as" column, and how each request asks to join
    can_set_roles: bool
    can_manage_money: bool  # allocating money, the ledger's corrections
    can_set_rules: bool  # the collective's decision rules for votes


@dataclass(frozen=True)
class YourCollectivesPage:
    memberships: list[Membership]
    waiting: list[JoinRequest]
    interests: list[Interest]


def index_cards(*, viewer: User, day: date) -> list[CollectiveCard]:
    """Each collective with its number of active members and this year's available money."""
    counts = dict(list(db.session.execute(
        select(Membership.collective_id, func.count()).where(Membership.active_on(day))
        .group_by(Membership.collective_id)).tuples()))
    available = dict(list(db.session.execute(
        select(Fund.locality_id, Fund.available_pence).where(Fund.start_year == financial_year_start(day))).tuples()))
    mine = {m.collective_id for m in membership.memberships_for(user=viewer, day=day)}
    return [CollectiveCard(collective=c, member_count=counts.get(c.id, 0), available=available.get(c.locality_id),
                           is_member=c.id in mine)
            for c in membership.list_collectives()]


def collective_page(*, viewer: User, collective: Collective, day: date) -> CollectivePage:
    year = financial_year_start(day)
    fund = funds.fund_for(locality=collective.locality, start_year=year)
    manage = membership.can_manage(user=viewer, collective=collective, day=day)
    entries = funds.recent_entries(fund, limit=10)
    return CollectivePage(
        collective=collective, year_label=financial_year_label(year),
        members=membership.member_rows(viewer=viewer, collective=collective, day=day),
        viewer_membership=membership.membership_of(user=viewer, collective=collective, day=day),
        viewer_request=membership.pending_request_of(user=viewer, collective=collective),
        can_manage=manage,
        join_requests=membership.pending_requests(viewer=viewer, collective=collective, day=day) if manage else [],
        summary=funds.fund_summary(fund), entries=entries, reversible_ids=_reversible(viewer, entries),
        sees_constituencies=members.sees_every_constituency(viewer), can_set_roles=members.can_set_roles(viewer),
        can_manage_money=can_manage_money(viewer), can_set_rules=can_set_rules(viewer))


def _reversible(viewer: User, entries: list[LedgerEntry]) -> set[int]:
    if not can_manage_money(viewer):
        return set()
    candidates = [entry.id for entry in entries if entry.kind != "reversal"]
    return set(candidates) - decision_entry_ids(candidates)


def your_collectives(*, viewer: User, day: date) -> YourCollectivesPage:
    return YourCollectivesPage(memberships=membership.memberships_for(user=viewer, day=day),
                               waiting=membership.pending_requests_of(user=viewer),
                               interests=interests.interests_of(user=viewer))
