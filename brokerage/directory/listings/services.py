"""Listing activities: create and edit them, change their status, confirm they are still
running. Every change is audited; sessions are refreshed on each save."""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.models import Locality
from ...core.data.unit_of_work import unit_of_work
from ...core.values.postcodes import InvalidPostcode, outward_code
from ...core.values.timeutils import london_today
from ...errors import NotFound, PermissionDenied, RuleViolation
from ...extensions import db
from ..geo.locations import Location as PostcodeLocation
from ..geo.locations import district_localities, locate
from ..geo.venue_lookup import check_near_postcode, may_place_venues
from ..models import TaxonomyTerm
from .access import Provider, require_edit, require_provider
from .models import (
    Accessibility,
    Activity,
    ActivityContact,
    ActivityJoinMethod,
    ActivitySuitableFor,
    CostOption,
    Location,
    ServiceAtLocation,
)
from .occurrences import refresh_occurrences, schedule_row
from .schedules import Schedule
from .vocabulary import (
    ACCESSIBILITY,
    COST_KINDS,
    HIDDEN_AFTER_DAYS,
    JOIN_METHODS,
    NOISE_LEVELS,
    STALE_AFTER_DAYS,
    STATUSES,
    SUITABLE_FOR,
)

VENUE_UNKNOWN_MESSAGE = "We don't know where that postcode is. Check it, or ask a coordinator to add it."
PRIVATE_POSITION_MESSAGE = "A private address is placed at its postcode, not on the map. Untick one of the two boxes."
CHOICES = (("cost_kind", COST_KINDS), ("suitable_for", SUITABLE_FOR), ("join_methods", JOIN_METHODS))


@dataclass(frozen=True)
class Venue:
    name: str
    postcode: str
    address_1: str = ""
    city: str = ""
    address_is_private: bool = False
    accessibility: tuple[str, ...] = ()
    position: tuple[float, float] | None = None  # found on the map from the address (venue_lookup)


@dataclass(frozen=True)
class FirstVisit:
    what_to_expect: str = ""
    meeting_point: str = ""
    what_to_bring: str = ""
    beginners_welcome: bool = False
    bring_a_friend: bool = False
    peer_buddy: bool = False
    noise_level: str | None = None
    quiet_space: bool = False


@dataclass(frozen=True)
class ActivityDetails:
    """Everything the listing form collects. Money in pence."""

    title: str
    description: str
    category_ids: tuple[int, ...]
    venue: Venue
    schedule: Schedule
    cost_kind: str = "free"
    cost_amount: int | None = None
    cost_description: str = ""
    min_age: int | None = None
    max_age: int | None = None
    capacity: int | None = None
    suitable_for: tuple[str, ...] = ()
    join_methods: tuple[str, ...] = ()
    first_visit: FirstVisit = field(default_factory=FirstVisit)
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""


def get_activity(activity_id: int) -> Activity:
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        raise NotFound()
    return activity


def _check_choices(details: ActivityDetails) -> None:
    if not details.title.strip() or len(details.title) > 120:
        raise RuleViolation("Enter the name of the activity, up to 120 characters.", field="title")
    if not details.description.strip():
        raise RuleViolation("Describe the activity.", field="description")
    for name, known in CHOICES:
        value = getattr(details, name)
        if any(code not in known for code in ((value,) if isinstance(value, str) else value)):
            raise RuleViolation("Choose from the options given.", field=name)
    if any(code not in ACCESSIBILITY for code in details.venue.accessibility):
        raise RuleViolation("Choose from the options given.", field="accessibility")
    if details.first_visit.noise_level not in (None, *NOISE_LEVELS):
        raise RuleViolation("Choose from the options given.", field="noise_level")


def _check(details: ActivityDetails) -> list[TaxonomyTerm]:
    _check_choices(details)
    if details.min_age is not None and details.max_age is not None and details.min_age > details.max_age:
        raise RuleViolation("The oldest age must be the same as or more than the youngest age.", field="max_age")
    if details.cost_kind == "price" and details.cost_amount is None:
        raise RuleViolation("Enter the price, like 3.50.", field="cost_amount")
    terms = list(db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.id.in_(details.category_ids))))
    if not terms or len(terms) != len(set(details.category_ids)):
        raise RuleViolation("Choose at least one category.", field="categories")
    return terms


def _locate_venue(venue: Venue, existing: Location | None) -> Location:
    """The activity's venue (its existing row, updated, when it has one), placed offline at its
    postcode, or at the position found on the map when it is within 10 miles of the postcode."""
    try:
        found = locate(venue.postcode)
    except InvalidPostcode as error:
        raise RuleViolation(str(error), field="postcode") from None
    if found is None:
        raise RuleViolation(VENUE_UNKNOWN_MESSAGE, field="postcode")
    location = existing or Location()
    if venue.position is not None:
        if venue.address_is_private:
            raise RuleViolation(PRIVATE_POSITION_MESSAGE, field="use_position")
        check_near_postcode(venue.position, found, field="use_position")
        found = PostcodeLocation(found.postcode, *venue.position, "address")
    location.name, location.address_1, location.city = venue.name, venue.address_1, venue.city
    location.postal_code, location.address_is_private = found.postcode, venue.address_is_private
    location.latitude, location.longitude, location.location_precision = found.point + (found.precision,)
    location.accessibility_rows = [Accessibility(feature=code) for code in sorted(set(venue.accessibility))]
    return location


def _require_may_place(actor: User, venue: Venue, existing: Location | None) -> None:
    """Only coordinators and champions put a venue somewhere other than its postcode; anyone
    who may edit the activity keeps the position it already has. PermissionDenied otherwise."""
    if venue.position is None or may_place_venues(actor):
        return
    if not (
        existing is not None
        and existing.location_precision == "address"
        and all(
            math.isclose(new, old, abs_tol=1e-6)
            for new, old in zip(venue.position, (existing.latitude, existing.longitude), strict=True)
        )
    ):
        raise PermissionDenied()


def _locality_id(postcode: str) -> int | None:
    slug = district_localities().get(outward_code(postcode))
    return db.session.scalar(select(Locality.id).where(Locality.slug == slug)) if slug else None


def _apply(
    activity: Activity, details: ActivityDetails, terms: list[TaxonomyTerm], location: Location, locality_id: int | None
) -> None:
    visit = details.first_visit
    for name in ("title", "description", "min_age", "max_age", "capacity"):
        setattr(activity, name, getattr(details, name))
    for name in FirstVisit.__dataclass_fields__:
        setattr(activity, f"first_visit_{name}", getattr(visit, name))
    activity.categories = terms
    if activity.location is not location:
        activity.places = [ServiceAtLocation(location=location)]
    activity.schedules = [schedule_row(details.schedule)]
    activity.cost_options = [
        CostOption(option=details.cost_kind, amount=details.cost_amount, amount_description=details.cost_description)
    ]
    activity.is_free = details.cost_kind == "free"
    activity.contacts = [
        ActivityContact(name=details.contact_name, phone=details.contact_phone, email=details.contact_email)
    ]
    activity.suitable_for_rows = [ActivitySuitableFor(term=term) for term in sorted(set(details.suitable_for))]
    activity.join_method_rows = [ActivityJoinMethod(method=method) for method in sorted(set(details.join_methods))]
    activity.latitude, activity.longitude = location.latitude, location.longitude
    activity.locality_id = locality_id


def _snapshot(activity: Activity) -> dict:
    return {
        "title": activity.title,
        "status": activity.status,
        "postcode": activity.location.postal_code if activity.location else None,
        "last_checked_on": activity.last_checked_on.isoformat() if activity.last_checked_on else None,
    }


def _save(activity: Activity, details: ActivityDetails, *, now: datetime) -> None:
    """Check and apply the details (queries first: a new activity joins the session only once
    it is complete), then refresh its sessions (search/index.py keeps its index rows on flush)."""
    with db.session.no_autoflush:
        terms, location = _check(details), _locate_venue(details.venue, activity.location)
        locality_id = _locality_id(location.postal_code)
        _apply(activity, details, terms, location, locality_id)
    activity.updated_at = now
    db.session.add(activity)
    refresh_occurrences(activity, now=now)


def create_activity(*, actor: User, provider_key: str, details: ActivityDetails, now: datetime) -> Activity:
    """List a new activity for a partner or group the actor may edit (PermissionDenied
    otherwise, also for a position on the map from anyone but a coordinator or champion);
    RuleViolation (with the field) for unknown postcodes, a position far from the postcode,
    missing categories, ages the wrong way round or a price with no amount. Counts as checked today."""
    with unit_of_work():
        provider: Provider = require_provider(actor, provider_key)
        _require_may_place(actor, details.venue, None)
        activity = Activity(status="active", last_checked_on=london_today(now), created_at=now)
        setattr(activity, f"{provider.kind}_id", provider.id)
        _save(activity, details, now=now)
        record_event(
            actor=actor,
            action="activity.created",
            object_type="activity",
            object_id=activity.id,
            summary=f"Listed {activity.title} for {provider.name}",
            after=_snapshot(activity),
        )
    return activity


def update_activity(*, actor: User, activity: Activity, details: ActivityDetails, now: datetime) -> Activity:
    """Change an activity's listing (PermissionDenied unless the actor may edit its provider;
    RuleViolation as for create_activity). Editing counts as checking it is still running."""
    with unit_of_work():
        require_edit(actor, activity)
        _require_may_place(actor, details.venue, activity.location)
        before = _snapshot(activity)
        activity.last_checked_on = london_today(now)
        _save(activity, details, now=now)
        record_event(
            actor=actor,
            action="activity.updated",
            object_type="activity",
            object_id=activity.id,
            summary=f"Updated {activity.title}",
            before=before,
            after=_snapshot(activity),
        )
    return activity


def set_status(*, actor: User, activity: Activity, status: str, now: datetime) -> None:
    """Mark an activity running, paused or ended; only running ones appear in search."""
    with unit_of_work():
        require_edit(actor, activity)
        if status not in STATUSES:
            raise RuleViolation("Choose running, paused or ended.", field="status")
        before = _snapshot(activity)
        activity.status = status
        refresh_occurrences(activity, now=now)
        record_event(
            actor=actor,
            action="activity.status_changed",
            object_type="activity",
            object_id=activity.id,
            summary=f"{activity.title}: {STATUSES[status]}",
            before=before,
            after=_snapshot(activity),
        )


def confirm_still_running(*, actor: User, activity: Activity, today: date) -> None:
    """The "Still running?" button: records that an editor checked the listing today."""
    with unit_of_work():
        require_edit(actor, activity)
        before = _snapshot(activity)
        activity.last_checked_on = today
        record_event(
            actor=actor,
            action="activity.confirmed",
            object_type="activity",
            object_id=activity.id,
            summary=f"Confirmed {activity.title} is still running",
            before=before,
            after=_snapshot(activity),
        )


def freshness(activity: Activity, *, today: date) -> str:
    """'fresh'; 'stale' (not checked for 6 months: flagged to its editors); 'hidden' (12 months:
    left out of search)."""
    age = (today - activity.last_checked_on).days
    if age >= HIDDEN_AFTER_DAYS:
        return "hidden"
    return "stale" if age >= STALE_AFTER_DAYS else "fresh"


def hidden_before(today: date) -> date:
    """Activities last checked before this date are left out of search."""
    return today - timedelta(days=HIDDEN_AFTER_DAYS - 1)
