"""What pages show about activities: on the public pages, an activity's public address (never a
private one), its schedules in words, its next sessions, and the choices the search form
offers; for the people who keep listings up to date, the activities they look after (the ones
due a "Still running?" check flagged) and the activities panel on a partner's page."""

from dataclasses import dataclass
from datetime import date, datetime
from time import monotonic

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ...accounts.models import User
from ...core.data.models import Locality
from ...extensions import db
from ...partners.access import can_edit_partner
from ...partners.models import Partner
from ...partners.page import PartnerPanel, register_partner_panel
from ..models import TaxonomyTerm
from .access import editable_providers
from .ical import CalendarEvent
from .models import Activity, ServiceAtLocation
from .occurrences import to_schedule
from .schedules import Occurrence, describe_occurrence, describe_schedule
from .services import freshness
from .vocabulary import STATUSES

CHOICES_TTL_SECONDS = 300
NEXT_SESSIONS_SHOWN = 5


@dataclass(frozen=True)
class CategoryGroup:
    """A parent category and its children, for fieldsets of checkboxes."""

    parent: TaxonomyTerm
    children: list[TaxonomyTerm]


def public_address(activity: Activity) -> str:
    """Venue, street, town and postcode; for a private address only the venue name, the town
    and the postcode district."""
    location = activity.location
    if location is None:
        return ""
    if location.address_is_private:
        parts = [location.name, location.city, location.postal_code.split(" ")[0]]
    else:
        parts = [location.name, location.address_1, location.city, location.postal_code]
    return ", ".join(part for part in parts if part)


def schedule_descriptions(activity: Activity) -> list[str]:
    return [describe_schedule(to_schedule(row)) for row in activity.schedules]


@dataclass(frozen=True)
class ListingFacts:
    """What a printed listing must hold to stand alone on paper: where (the public address) and
    when (the pattern), and, from the activity, how to join, the cost and who to ask."""

    activity: Activity
    address: str
    schedules: list[str]


def listing_facts(activity_ids: list[int]) -> dict[int, ListingFacts]:
    """The facts of these activities by id, each relationship loaded once for all of them."""
    activities = db.session.scalars(
        select(Activity)
        .where(Activity.id.in_(activity_ids))
        .options(
            selectinload(Activity.places).selectinload(ServiceAtLocation.location),
            selectinload(Activity.schedules),
            selectinload(Activity.cost_options),
            selectinload(Activity.contacts),
            selectinload(Activity.join_method_rows),
        )
    )
    return {
        activity.id: ListingFacts(activity, public_address(activity), schedule_descriptions(activity))
        for activity in activities
    }


def next_sessions(activity: Activity, *, now: datetime) -> list[str]:
    sessions = [Occurrence(row.starts_at, row.ends_at) for row in activity.occurrences if row.ends_at > now]
    return [describe_occurrence(session) for session in sessions[:NEXT_SESSIONS_SHOWN]]


def calendar_events(activity: Activity, *, url: str) -> list[CalendarEvent]:
    return [
        CalendarEvent(
            uid=f"activity-{activity.id}-schedule-{row.id}@creativeminds",
            summary=activity.title,
            schedule=to_schedule(row),
            description=activity.description,
            location=public_address(activity),
            url=url,
        )
        for row in activity.schedules
    ]


def category_groups() -> list[CategoryGroup]:
    terms = list(db.session.scalars(select(TaxonomyTerm).order_by(TaxonomyTerm.id)))
    children: dict[int, list[TaxonomyTerm]] = {}
    for term in terms:
        if term.parent_id is not None:
            children.setdefault(term.parent_id, []).append(term)
    return [CategoryGroup(term, children.get(term.id, [])) for term in terms if term.parent_id is None]


def _load_search_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    categories = []
    for group in category_groups():
        categories.append((group.parent.code, group.parent.name))
        categories += [(child.code, f"– {child.name}") for child in group.children]
    localities = [(row.slug, row.name) for row in db.session.scalars(select(Locality).order_by(Locality.name))]
    return categories, localities


def search_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(category choices, locality choices) for the search form, kept for five minutes per
    app, so that a search request spends its statements on the search."""
    cached = current_app.extensions.get("directory_search_choices")
    if cached is None or monotonic() - cached[0] > CHOICES_TTL_SECONDS:
        cached = (monotonic(), _load_search_choices())
        current_app.extensions["directory_search_choices"] = cached
    return cached[1]


@dataclass(frozen=True)
class EditorRow:
    activity: Activity
    freshness: str  # 'fresh', 'stale' (flagged) or 'hidden' (no longer in search)


def _editable_activities(user: User) -> list[Activity]:
    query = select(Activity).order_by(Activity.title, Activity.id)
    if not user.is_coordinator:
        providers = editable_providers(user)
        partner_ids = [provider.id for provider in providers if provider.kind == "partner"]
        group_ids = [provider.id for provider in providers if provider.kind == "group"]
        query = query.where(or_(Activity.partner_id.in_(partner_ids), Activity.group_id.in_(group_ids)))
    return list(db.session.scalars(query))


def activities_for_editor(user: User, *, today: date) -> list[EditorRow]:
    """Every activity the user may edit, those most in need of a check first."""
    rows = [EditorRow(activity, freshness(activity, today=today)) for activity in _editable_activities(user)]
    order = {"hidden": 0, "stale": 1, "fresh": 2}
    return sorted(rows, key=lambda row: order[row.freshness])


def partner_activities(partner: Partner, viewer: User) -> dict | None:
    """The partner page's panel (when it has activities): them, and a way to list another."""
    activities = list(
        db.session.scalars(select(Activity).where(Activity.partner_id == partner.id).order_by(Activity.title))
    )
    if not activities:
        return None
    can_list = not partner.is_archived and can_edit_partner(viewer, partner)
    return {"activities": activities, "statuses": STATUSES, "can_list": can_list, "partner": partner}


register_partner_panel(
    PartnerPanel(order=10, template="directory/listings/_partner_panel.html", load=partner_activities)
)
