"""The Open Referral API's queries: its URL parameters checked (ApiError, a 400, for bad ones)
and turned into one statement for a page and one for the count.

Only what the public search shows is published: running activities checked within the last
12 months (listings.services.hidden_before)."""

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time

from sqlalchemy import exists, func, select
from sqlalchemy.orm import defaultload, selectinload

from ...core.input.characters import has_unsaveable, shown_safely
from ...core.input.fields import EARLIEST_DATE, LATEST_DATE
from ...core.values.postcodes import InvalidPostcode
from ...core.values.timeutils import london_today
from ...extensions import db
from ..geo.distances import MAX_RADIUS_MILES, metres_to_miles, miles_to_metres
from ..geo.locations import Location, locate
from ..listings.models import (
    Activity,
    ActivityCategory,
    ActivityOccurrence,
    ActivitySchedule,
    ActivitySearchTerm,
    ServiceAtLocation,
)
from ..listings.models import Location as Venue
from ..listings.services import hidden_before
from ..listings.taxonomy import with_descendants
from ..models import Taxonomy, TaxonomyTerm
from ..search.index import nearby, query_terms

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
MAX_PAGE = 10_000
MAX_SEARCH = 200
DAYS = {code: number for number, code in enumerate(("mo", "tu", "we", "th", "fr", "sa", "su"))} | {
    name: number
    for number, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}


class ApiError(Exception):
    """A parameter the API cannot honour; answered with 400 and the message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ApiQuery:
    search: str = ""
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    term_ids: frozenset[int] | None = None
    minimum_age: float | None = None
    maximum_age: float | None = None
    day: int | None = None
    start_time: time | None = None
    end_time: time | None = None
    modified_after: datetime | None = None
    origin: Location | None = None
    proximity_miles: float = MAX_RADIUS_MILES
    unplaced: bool = False  # a well-formed postcode we cannot place: outside the footprint


def _integer(args, name: str, default: int, upper: int) -> int:
    text = args.get(name, "").strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= upper:
        raise ApiError(f"{name} must be a whole number from 1 to {upper}.")
    return int(text)


def _number(args, name: str) -> float | None:
    text = args.get(name, "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 <= value <= 120):
        raise ApiError(f"{name} must be an age from 0 to 120.")
    return value


def _time(args, name: str) -> time | None:
    text = args.get(name, "").strip()
    if not text:
        return None
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise ApiError(f"{name} must be a time like 18:00 or 18:00:00.") from None


def _day(args) -> int | None:
    text = args.get("day", "").strip().lower()
    if not text:
        return None
    if text not in DAYS:
        raise ApiError("day must be a day of the week, like MO or Monday.")
    return DAYS[text]


def _modified_after(args) -> datetime | None:
    text = args.get("modified_after", "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ApiError("modified_after must be a date and time like 2026-06-01T00:00:00Z.") from None
    if not EARLIEST_DATE.year <= moment.year <= LATEST_DATE.year:  # and UTC of the year 0001 or 9999 overflows
        raise ApiError(f"modified_after must be between {EARLIEST_DATE.year} and {LATEST_DATE.year}.")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _uuid(args, name: str) -> str | None:
    text = args.get(name, "").strip()
    if not text:
        return None
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise ApiError(f"{name} must be a UUID.") from None


def _term_ids(args) -> frozenset[int] | None:
    """Terms a service must carry one of: the term asked for and those below it, and/or any
    term of the taxonomy asked for. None when neither parameter was given."""
    term_uuid, taxonomy_uuid = _uuid(args, "taxonomy_term_id"), _uuid(args, "taxonomy_id")
    if term_uuid is None and taxonomy_uuid is None:
        return None
    found: set[int] | None = None
    if term_uuid is not None:
        found = with_descendants(set(db.session.scalars(select(TaxonomyTerm.id).where(TaxonomyTerm.uuid == term_uuid))))
    if taxonomy_uuid is not None:
        in_taxonomy = set(
            db.session.scalars(select(TaxonomyTerm.id).join(Taxonomy).where(Taxonomy.uuid == taxonomy_uuid))
        )
        found = in_taxonomy if found is None else found & in_taxonomy
    return frozenset(found or ())


def _proximity(proximity: str) -> float:
    if not proximity:
        return MAX_RADIUS_MILES
    limit = round(miles_to_metres(MAX_RADIUS_MILES))
    if not (proximity.isascii() and proximity.isdigit()) or not 100 <= int(proximity) <= limit:
        raise ApiError(f"proximity must be a whole number of metres from 100 to {limit}.")
    return metres_to_miles(int(proximity))


def _origin(args) -> tuple[Location | None, float, bool]:
    """Where to measure from, how far, and whether the postcode is well formed but not one we
    can place (outside the footprint, e.g. SW1A 1AA): nothing we list is near it, which is an
    answer (an empty page), not a mistake in the request (400 is kept for malformed input)."""
    postcode, proximity = args.get("postcode", "").strip(), args.get("proximity", "").strip()
    if not postcode:
        if proximity:
            raise ApiError("proximity needs a postcode to measure from.")
        return None, MAX_RADIUS_MILES, False
    try:
        origin = locate(postcode)
    except InvalidPostcode as error:
        raise ApiError(str(error)) from None
    return origin, _proximity(proximity), origin is None


def parse_query(args, *, places: bool = False) -> ApiQuery:
    """The parameters of a list request. Raises ApiError for any it cannot honour."""
    for name, value in args.items():
        if has_unsaveable(name) or has_unsaveable(value):
            raise ApiError(f"{shown_safely(name)} must not contain control characters, such as NUL.")
    search = args.get("search", "")
    if len(search) > MAX_SEARCH:
        raise ApiError(f"search must be at most {MAX_SEARCH} characters.")
    origin, miles, unplaced = _origin(args) if places else (None, MAX_RADIUS_MILES, False)
    return ApiQuery(
        search=search,
        page=_integer(args, "page", 1, MAX_PAGE),
        per_page=_integer(args, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE),
        term_ids=_term_ids(args),
        minimum_age=_number(args, "minimum_age"),
        maximum_age=_number(args, "maximum_age"),
        day=_day(args),
        start_time=_time(args, "start_time"),
        end_time=_time(args, "end_time"),
        modified_after=_modified_after(args),
        origin=origin,
        proximity_miles=miles,
        unplaced=unplaced,
    )


def visible(now: datetime) -> list:
    """Conditions for an activity the public may see: listed (running, its provider not
    archived) and checked within the last 12 months."""
    return [Activity.listed == True, Activity.last_checked_on >= hidden_before(london_today(now))]  # noqa: E712


def _conditions(query: ApiQuery, now: datetime) -> list:
    conditions = visible(now) + [
        exists().where(ActivitySearchTerm.activity_id == Activity.id, ActivitySearchTerm.term == word)
        for word in query_terms(query.search)
    ]
    if query.term_ids is not None:
        conditions.append(
            exists().where(
                ActivityCategory.activity_id == Activity.id,
                ActivityCategory.taxonomy_term_id.in_(sorted(query.term_ids) or [-1]),
            )
        )
    if query.minimum_age is not None:
        conditions.append(Activity.min_age >= query.minimum_age)
    if query.maximum_age is not None:
        conditions.append(Activity.max_age <= query.maximum_age)
    if query.day is not None:
        conditions.append(
            exists().where(
                ActivityOccurrence.activity_id == Activity.id,
                ActivityOccurrence.ends_at > now,
                ActivityOccurrence.weekday == query.day,
            )
        )
    times = [ActivitySchedule.opens_at >= query.start_time] if query.start_time else []
    times += [ActivitySchedule.closes_at <= query.end_time] if query.end_time else []
    if times:
        conditions.append(exists().where(ActivitySchedule.activity_id == Activity.id, *times))
    if query.modified_after is not None:
        conditions.append(Activity.updated_at >= query.modified_after)
    return conditions


def _page(statement, query: ApiQuery) -> tuple[list, int]:
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    rows = db.session.execute(statement.limit(query.per_page).offset((query.page - 1) * query.per_page))
    return list(rows.unique().scalars()), total


def _provider_only():
    """Load the provider (joined) without the partner's own collections."""
    return defaultload(Activity.partner).lazyload("*"), selectinload(Activity.locality)


def list_services(query: ApiQuery, *, now: datetime) -> tuple[list[Activity], int]:
    """A page of visible activities matching every parameter, oldest listing first; and the total."""
    statement = select(Activity).where(*_conditions(query, now)).order_by(Activity.id).options(*_provider_only())
    return _page(statement, query)


def list_places(query: ApiQuery, *, now: datetime) -> tuple[list[ServiceAtLocation], int]:
    """A page of (visible activity, venue) links; nearest first when a postcode is given;
    none near a postcode outside the footprint."""
    if query.unplaced:
        return [], 0
    statement = (
        select(ServiceAtLocation)
        .join(ServiceAtLocation.activity)
        .where(*_conditions(query, now))
        .options(selectinload(ServiceAtLocation.activity).options(*_provider_only()))
    )
    if query.origin is None:
        return _page(statement.order_by(ServiceAtLocation.id), query)
    near = nearby(Activity, query.origin.latitude, query.origin.longitude, query.proximity_miles)
    return _page(statement.where(*near.conditions).order_by(near.squared, ServiceAtLocation.id), query)


def full_service_options():
    return (
        selectinload(Activity.schedules),
        selectinload(Activity.cost_options),
        selectinload(Activity.categories).selectinload(TaxonomyTerm.parent),
        selectinload(Activity.categories).selectinload(TaxonomyTerm.taxonomy),
        selectinload(Activity.places).selectinload(ServiceAtLocation.location).selectinload(Venue.accessibility_rows),
        *_provider_only(),
    )


def get_visible_activity(activity_id: int | None, *, now: datetime) -> Activity | None:
    if activity_id is None:
        return None
    return db.session.scalar(
        select(Activity).where(Activity.id == activity_id, *visible(now)).options(*full_service_options())
    )
