"""What the collectives pages show, gathered in a few queries so that templates never query."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ..accounts.models import User
from ..core.values.timeutils import financial_year_label, financial_year_start
from ..core.web.panels import Panel, Panels, RenderedPanel
from ..extensions import db
from .grants.corrections import decision_entry_ids
from .members import access as members
from .members import interests, membership
from .models import Collective, Interest, JoinRequest, Membership
from .money import services as funds
from .money.access import can_manage_money
from .money.ledger import FundSummary
from .money.models import Fund, LedgerEntry
from .voting.access import can_set_rules


@dataclass(frozen=True)
class CollectiveCard:
    collective: Collective
    member_count: int
    available: int | None  # None when no fund is open this year
    is_member: bool


@dataclass(frozen=True)
class BarPart:
    """A part of the year's money bar: its words, amount, and where it sits (percent of allocated)."""

    key: str  # set_aside, committed, paid, available: the pattern that marks it without colour
    label: str
    pence: int
    start: float
    width: float


def money_bar(summary: FundSummary) -> list[BarPart]:
    """The year's allocated money split into set aside, committed, paid and available, as parts of
    one bar (empty when nothing is allocated). Pure arithmetic on the summary."""
    if summary.allocated <= 0:
        return []
    parts, start = [], 0.0
    for key, label, pence in (
        ("set_aside", "Set aside", summary.earmarked),
        ("committed", "Committed", summary.committed),
        ("paid", "Paid", summary.paid),
        ("available", "Available", max(summary.available, 0)),
    ):
        width = round(100 * pence / summary.allocated, 2)
        parts.append(BarPart(key, label, pence, start, width))
        start = round(start + width, 2)
    return parts


@dataclass(frozen=True)
class YearChoice:
    start_year: int
    label: str  # "2027-28 (next year)"
    current: bool  # the year shown


_PANELS = Panels()


def register_collective_panel(panel: Panel) -> None:
    """A section from a feature that depends on collectives (the locality's gaps), shown on the
    collective's page when its `load(collective, viewer)` has something to show (core/web/panels.py)."""
    _PANELS.register(panel)


@dataclass(frozen=True)
class CollectivePage:
    collective: Collective
    year_label: str
    years: list[YearChoice]  # this financial year, the next, and earlier ones with a fund
    bar: list[BarPart]
    members: list[membership.MemberRow]
    viewer_membership: Membership | None
    viewer_request: JoinRequest | None
    can_manage: bool
    join_requests: list[JoinRequest]
    decidable_request_ids: set[int]  # the requests the viewer may decide (never their own)
    summary: FundSummary
    entries: list[LedgerEntry]
    reversible_ids: set[int]  # entries a coordinator may reverse from the ledger table
    sees_constituencies: bool  # the "Joined as" column, and how each request asks to join
    can_set_roles: bool
    can_manage_money: bool  # allocating money, the ledger's corrections
    can_set_rules: bool  # the collective's decision rules for votes
    panels: list[RenderedPanel]  # sections from the features above collectives


@dataclass(frozen=True)
class YourCollectivesPage:
    memberships: list[Membership]
    waiting: list[JoinRequest]
    interests: list[Interest]


def index_cards(*, viewer: User, day: date) -> list[CollectiveCard]:
    """Each collective with its number of active members and this year's available money."""
    counts = dict(
        list(
            db.session.execute(
                select(Membership.collective_id, func.count())
                .where(Membership.active_on(day))
                .group_by(Membership.collective_id)
            ).tuples()
        )
    )
    available = dict(
        list(
            db.session.execute(
                select(Fund.locality_id, Fund.available_pence).where(Fund.start_year == financial_year_start(day))
            ).tuples()
        )
    )
    mine = {m.collective_id for m in membership.memberships_for(user=viewer, day=day)}
    return [
        CollectiveCard(
            collective=c,
            member_count=counts.get(c.id, 0),
            available=available.get(c.locality_id),
            is_member=c.id in mine,
        )
        for c in membership.list_collectives()
    ]


def _years(collective: Collective, this_year: int, shown: int) -> list[YearChoice]:
    funded = set(db.session.scalars(select(Fund.start_year).where(Fund.locality_id == collective.locality_id)))
    words = {this_year: " (this year)", this_year + 1: " (next year)"}
    return [
        YearChoice(year, financial_year_label(year) + words.get(year, ""), year == shown)
        for year in sorted(funded | {this_year, this_year + 1})
    ]


def collective_page(*, viewer: User, collective: Collective, day: date, year: int | None = None) -> CollectivePage:
    """The collective's page, with the money of financial year `year` (its start year: this year
    when not given, or not one of the years a member can choose)."""
    this_year = financial_year_start(day)
    years = _years(collective, this_year, this_year)
    year = year if year in {choice.start_year for choice in years} else this_year
    fund = funds.fund_for(locality=collective.locality, start_year=year)
    summary = funds.fund_summary(fund)
    manage = membership.can_manage(user=viewer, collective=collective, day=day)
    requests = membership.pending_requests(viewer=viewer, collective=collective, day=day) if manage else []
    entries = funds.recent_entries(fund, limit=10)
    return CollectivePage(
        collective=collective,
        year_label=financial_year_label(year),
        bar=money_bar(summary),
        years=[YearChoice(c.start_year, c.label, c.start_year == year) for c in years],
        members=membership.member_rows(viewer=viewer, collective=collective, day=day),
        viewer_membership=membership.membership_of(user=viewer, collective=collective, day=day),
        viewer_request=membership.pending_request_of(user=viewer, collective=collective),
        can_manage=manage,
        join_requests=requests,
        decidable_request_ids={
            request.id
            for request in requests
            if membership.may_decide_request(user=viewer, join_request=request, day=day)
        },
        summary=summary,
        entries=entries,
        reversible_ids=_reversible(viewer, entries),
        sees_constituencies=members.sees_every_constituency(viewer),
        can_set_roles=members.can_set_roles(viewer),
        can_manage_money=can_manage_money(viewer),
        can_set_rules=can_set_rules(viewer),
        panels=_PANELS.render(collective, viewer),
    )


def _reversible(viewer: User, entries: list[LedgerEntry]) -> set[int]:
    if not can_manage_money(viewer):
        return set()
    candidates = [entry.id for entry in entries if entry.kind != "reversal"]
    return set(candidates) - decision_entry_ids(candidates)


def your_collectives(*, viewer: User, day: date) -> YourCollectivesPage:
    return YourCollectivesPage(
        memberships=membership.memberships_for(user=viewer, day=day),
        waiting=membership.pending_requests_of(user=viewer),
        interests=interests.interests_of(user=viewer),
    )
