"""Which activities a search finds, as one SQL expression (`matching`): each match's id and
its sort key, nothing else, so that sorting and counting them stays cheap.

Three shapes, each led by an index (search_index): text near a postcode reads only the term
index, which carries each term's place, freshness and `listed` flag; a postcode alone reads the
activity's place index; text alone reads the term index and sorts by next session. Other
filters are checked on the activity row of each candidate."""
from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime, timedelta

from sqlalchemy import exists, or_, select

from ..core.models import Locality
from ..core.timeutils import london_today
from .activity_models import (Accessibility, Activity, ActivityCategory, ActivityJoinMethod, ActivityOccurrence,
                              ActivitySearchTerm, ActivitySuitableFor, ServiceAtLocation)
from .locations import Location
from .models import TaxonomyTerm
from .search_index import nearby, query_terms
from .services import hidden_before


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


@lru_cache(maxsize=64)
def _category_tree(codes: tuple[str, ...]):
    """The chosen terms and every term below them; one object per choice, since a search
    statement holds it more than once and a CTE may appear only once by its name."""
    chosen = select(TaxonomyTerm.id).where(TaxonomyTerm.code.in_(codes)).cte("chosen_terms", recursive=True)
    return chosen.union_all(select(TaxonomyTerm.id).where(TaxonomyTerm.parent_id == chosen.c.id))


def _categories(codes: tuple[str, ...]):
    return exists().where(ActivityCategory.activity_id == Activity.id,
                          ActivityCategory.taxonomy_term_id.in_(select(_category_tree(codes).c.id)))


def _sessions(query: SearchQuery, now: datetime):
    conditions = [ActivityOccurrence.activity_id == Activity.id, ActivityOccurrence.ends_at > now]
    if query.day:
        conditions.append(ActivityOccurrence.weekday.in_(query.day))
    if query.time:
        conditions.append(ActivityOccurrence.part_of_day.in_(query.time))
    if query.this_week:
        conditions.append(ActivityOccurrence.starts_at < now + timedelta(days=7))
    return exists().where(*conditions)


def _visible(columns, now: datetime) -> list:
    """Listed (running, provider not archived) and checked within the last 12 months."""
    return [columns.listed == True, columns.last_checked_on >= hidden_before(london_today(now))]  # noqa: E712


def _filters(query: SearchQuery, now: datetime) -> list:
    """Every filter but text, place and visibility, on the activity row."""
    conditions = [_categories(query.category)] if query.category else []
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


def _also_has(activity_id, words: list[str]) -> list:
    """Every further word typed must be among the activity's terms too."""
    more = ActivitySearchTerm.__table__.alias("more_terms")
    return [exists().where(more.c.activity_id == activity_id, more.c.term == word) for word in words]


def _words_near(query: SearchQuery, words: list[str], origin: Location, miles: float, now: datetime):
    """Text near a postcode, from the term index alone (unless other filters need the activity):
    one exact term per word, so each activity appears once."""
    terms = ActivitySearchTerm
    near = nearby(terms, origin.latitude, origin.longitude, miles)
    statement = (select(terms.activity_id.label("id"), near.squared.label("rank"))
                 .where(terms.term == words[0], *near.conditions, *_visible(terms, now),
                        *_also_has(terms.activity_id, words[1:])))
    others = _filters(query, now)
    if others:
        statement = statement.where(exists().where(Activity.id == terms.activity_id, *others))
    return statement


def matching(query: SearchQuery, origin: Location | None, now: datetime, *, miles: float | None = None):
    """A SELECT of every match's `id` and `rank` (squared flat distance, or next session);
    within `miles` of the origin instead of the distance asked for, when given."""
    words, miles = query_terms(query.q), query.distance if miles is None else miles
    if words and origin is not None:
        return _words_near(query, words, origin, miles, now)
    statement = select(Activity.id).where(*_visible(Activity, now), *_filters(query, now))
    if words:
        first = select(ActivitySearchTerm.activity_id).where(ActivitySearchTerm.term == words[0])
        statement = statement.where(Activity.id.in_(first), *_also_has(Activity.id, words[1:]))
    if origin is None:
        return statement.add_columns(Activity.next_occurrence_at.label("rank"))
    near = nearby(Activity, origin.latitude, origin.longitude, miles)
    return statement.add_columns(near.squared.label("rank")).where(*near.conditions)
