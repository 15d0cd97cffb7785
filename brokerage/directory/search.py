"""Public activity search: one SQL statement for the results, their count and their next
sessions (plus one for the postcode). The place and text indexes of search_index find the
candidates; matching ids are sorted and cut to one page before anything else (provider, area,
next session) is joined.

Only listed activities (running, provider not archived) checked within the last 12 months are
found. With a postcode, results are those within the distance, nearest first (ordered in SQL by
a flat-earth distance that SQLite and PostgreSQL compute identically, ties by id; the distance
shown is the geodesic one); without one, soonest first."""
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import raiseload

from ..core.models import Locality
from ..core.postcodes import InvalidPostcode
from ..core.timeutils import london_today
from ..errors import RuleViolation
from ..extensions import db
from ..groups.models import Group
from ..partners.models import Partner
from .activity_models import (Accessibility, Activity, ActivityCategory, ActivityJoinMethod, ActivityOccurrence,
                              ActivitySearchTerm, ActivitySuitableFor, ServiceAtLocation)
from .geo import MAX_RADIUS_MILES, check_radius, distance_miles
from .locations import UNKNOWN_MESSAGE, Location, locate
from .models import TaxonomyTerm
from .schedules import Occurrence
from .search_index import nearby, query_stems
from .search_terms import query_terms
from .services import hidden_before

PER_PAGE = 20
MAX_PAGE = 500
MAX_TEXT = 200


@dataclass(frozen=True)
class SearchQuery:
    """What a person asked for; field names are the URL's parameter names."""

    q: str = ""
    postcode: str = ""
    distance: float = 5.0
    category: tuple[str, ...] = ()
    locality: str = ""
    day: tuple[int, ...] = ()
    time: tuple[str, ...] = ()
    this_week: bool = False
    free: bool = False
    age: int | None = None
    suitable: tuple[str, ...] = ()
    join: tuple[str, ...] = ()
    access: tuple[str, ...] = ()
    page: int = 1


@dataclass(frozen=True)
class SearchResult:
    activity: Activity
    provider_name: str
    locality_name: str | None
    distance_miles: float | None
    next_session: Occurrence | None


@dataclass(frozen=True)
class Suggestion:
    label: str
    changes: dict


@dataclass(frozen=True)
class SearchPage:
    query: SearchQuery
    results: list[SearchResult]
    total: int
    origin: Location | None
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / PER_PAGE))


def _origin(query: SearchQuery) -> Location | None:
    if not query.postcode.strip():
        return None
    try:
        found = locate(query.postcode)
    except InvalidPostcode as error:
        raise RuleViolation(str(error), field="postcode") from None
    if found is None:
        raise RuleViolation(UNKNOWN_MESSAGE, field="postcode")
    return found


def _check(query: SearchQuery) -> None:
    if query.postcode.strip():
        check_radius(query.distance)
    if len(query.q) > MAX_TEXT:
        raise RuleViolation(f"Use fewer words: up to {MAX_TEXT} characters.", field="q")
    if not 1 <= query.page <= MAX_PAGE:
        raise RuleViolation("That page does not exist.", field="page")
    if query.age is not None and not 0 <= query.age <= 120:
        raise RuleViolation("Enter an age from 0 to 120.", field="age")


def _text_conditions(words: list[set[str]], origin: Location | None, miles: float) -> list:
    """The first word typed drives the search through the term index (near the origin when
    there is one); each further word must also be among the activity's terms."""
    if not words:
        return []
    first = select(ActivitySearchTerm.activity_id).where(ActivitySearchTerm.term.in_(query_stems(words[0])))
    if origin is not None:
        first = first.where(*nearby(ActivitySearchTerm, origin.latitude, origin.longitude, miles).conditions)
    return [Activity.id.in_(first)] + [
        exists().where(ActivitySearchTerm.activity_id == Activity.id, ActivitySearchTerm.term.in_(query_stems(more)))
        for more in words[1:]]


def _categories(codes: tuple[str, ...]):
    chosen = select(TaxonomyTerm.id).where(TaxonomyTerm.code.in_(codes)).cte("chosen_terms", recursive=True)
    tree = chosen.union_all(select(TaxonomyTerm.id).where(TaxonomyTerm.parent_id == chosen.c.id))
    return exists().where(ActivityCategory.activity_id == Activity.id,
                          ActivityCategory.taxonomy_term_id.in_(select(tree.c.id)))


def _sessions(query: SearchQuery, now: datetime):
    conditions = [ActivityOccurrence.activity_id == Activity.id, ActivityOccurrence.ends_at > now]
    if query.day:
        conditions.append(ActivityOccurrence.weekday.in_(query.day))
    if query.time:
        conditions.append(ActivityOccurrence.part_of_day.in_(query.time))
    if query.this_week:
        conditions.append(ActivityOccurrence.starts_at < now + timedelta(days=7))
    return exists().where(*conditions)


def _filters(query: SearchQuery, now: datetime) -> list:
    """Every filter but text and place."""
    conditions = [Activity.listed == True, Activity.last_checked_on >= hidden_before(london_today(now))]  # noqa: E712
    if query.category:
        conditions.append(_categories(query.category))
    if query.locality:
        conditions.append(Activity.locality_id == select(Locality.id).where(Locality.slug == query.locality)
                          .scalar_subquery())
    if query.day or query.time or query.this_week:
        conditions.append(_sessions(query, now))
    if query.free:
        conditions.append(Activity.is_free == True)  # noqa: E712
    if query.age is not None:
        conditions += [or_(Activity.min_age.is_(None), Activity.min_age <= query.age),
                       or_(Activity.max_age.is_(None), Activity.max_age >= query.age)]
    conditions += [exists().where(ActivitySuitableFor.activity_id == Activity.id, ActivitySuitableFor.term == term)
                   for term in query.suitable]
    conditions += [exists().where(ActivityJoinMethod.activity_id == Activity.id, ActivityJoinMethod.method == method)
                   for method in query.join]
    conditions += [exists().where(ServiceAtLocation.activity_id == Activity.id,
                                  Accessibility.location_id == ServiceAtLocation.location_id,
                                  Accessibility.feature == feature) for feature in query.access]
    return conditions


def _matching(query: SearchQuery, origin: Location | None, now: datetime):
    """Every matching activity's id and sort key (`rank`): nothing else, so that sorting and
    counting them stays cheap. With text, the term index finds the candidates (and their
    place); without, the activity's own place index does."""
    words = query_terms(query.q)
    statement = select(Activity.id).where(*_filters(query, now), *_text_conditions(words, origin, query.distance))
    if origin is None:
        return statement.add_columns(Activity.next_occurrence_at.label("rank")).cte("matching")
    near = nearby(Activity, origin.latitude, origin.longitude, query.distance)
    conditions = near.conditions if not words else near.conditions[-1:]
    return statement.add_columns(near.squared.label("rank")).where(*conditions).cte("matching")


def _order(columns, origin: Location | None) -> tuple:
    if origin is None:
        return columns.rank.is_(None), columns.rank, columns.id
    return columns.rank, columns.id


def _statement(query: SearchQuery, origin: Location | None, now: datetime):
    """The page's rows: matching ids sorted and cut to one page first, then only those rows
    joined to their provider, area and next session; the total counted once alongside."""
    matching = _matching(query, origin, now)
    page = (select(matching).order_by(*_order(matching.c, origin))
            .limit(PER_PAGE).offset((query.page - 1) * PER_PAGE).subquery("page"))
    total = select(func.count()).select_from(matching).scalar_subquery().label("total")
    provider = func.coalesce(Partner.name, Group.name).label("provider_name")
    return (select(Activity, provider, Locality.name, total, *_next_session_columns(now))
            .join(page, page.c.id == Activity.id)
            .outerjoin(Partner, Partner.id == Activity.partner_id)
            .outerjoin(Group, Group.id == Activity.group_id)
            .outerjoin(Locality, Locality.id == Activity.locality_id)
            .order_by(*_order(page.c, origin)).options(raiseload("*")))


def _next_session_columns(now: datetime):
    upcoming = select(ActivityOccurrence).where(ActivityOccurrence.activity_id == Activity.id,
                                                ActivityOccurrence.ends_at > now)
    first = upcoming.order_by(ActivityOccurrence.starts_at).limit(1)
    return (first.with_only_columns(ActivityOccurrence.starts_at).scalar_subquery().label("next_start"),
            first.with_only_columns(ActivityOccurrence.ends_at).scalar_subquery().label("next_end"))


def _result(row, origin: Location | None) -> SearchResult:
    """The distance shown is the geodesic one, measured for the rows shown only."""
    activity = row[0]
    distance = distance_miles(origin.point, (activity.latitude, activity.longitude)) if origin else None
    session = Occurrence(row.next_start, row.next_end) if row.next_start else None
    return SearchResult(activity, row.provider_name, row[2], distance, session)


def suggestions_for(query: SearchQuery, origin: Location | None) -> list[Suggestion]:
    """Ways to find something when nothing matched: a wider distance, then each filter removed."""
    found = []
    if origin is not None and query.distance < MAX_RADIUS_MILES:
        wider = min(MAX_RADIUS_MILES, max(10.0, query.distance * 2))
        found.append(Suggestion(f"Look up to {wider:g} miles away", {"distance": f"{wider:g}"}))
    named = (("q", "Search for any activity, not just these words"), ("category", "Include every category"),
             ("locality", "Look in every area"), ("day", "Include every day"), ("time", "Include any time of day"),
             ("this_week", "Include later weeks"), ("free", "Include activities that cost something"),
             ("age", "Include every age"), ("suitable", "Include activities for everyone"),
             ("join", "Include every way to join"), ("access", "Include every venue"))
    found += [Suggestion(label, {name: None}) for name, label in named if getattr(query, name)]
    return found


def search_activities(*, query: SearchQuery, now: datetime) -> SearchPage:
    """Find running, recently checked activities matching every filter, 20 a page. At most
    3 SQL statements. Raises RuleViolation (field 'postcode', 'distance', 'q', 'age' or 'page')
    for input a person must correct."""
    _check(query)
    origin = _origin(query)
    rows = db.session.execute(_statement(query, origin, now)).all()
    if rows:
        total = rows[0].total
    elif query.page > 1:
        total = db.session.scalar(select(func.count()).select_from(_matching(query, origin, now)))
    else:
        total = 0
    results = [_result(row, origin) for row in rows]
    suggestions = suggestions_for(query, origin) if total == 0 else []
    return SearchPage(query, results, total, origin, suggestions)
