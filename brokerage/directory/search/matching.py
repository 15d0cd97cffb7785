"""Which activities a search finds, as one SQL expression (`matching`): each match's id and
its sort key (and, ranking by best match, its `tier`), nothing else, so that sorting and
counting them stays cheap.

Best match (the default when words are typed): the tier is the sum of each word's weight
(terms.weighted_terms: title or category, description, provider's name), so that "football"
lists football before the walking netball its football league runs; within a tier, nearest (or
soonest) first. The weights are read from the term index, one row per word, so the statement's
shape depends only on how many words there are, never on which.

Three shapes, each led by an index (index.py): text near a postcode reads only the term
index, which carries each term's place, freshness and `listed` flag; a postcode alone reads the
activity's place index; text alone reads the term index and sorts by next session. Other
filters are checked on the activity row of each candidate."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, exists, or_, select

from ...core.data.models import Locality
from ...core.values.timeutils import london_today
from ...partners.marks.pages import marked_partner_ids
from ..listings.models import (
    Accessibility,
    Activity,
    ActivityCategory,
    ActivityJoinMethod,
    ActivityOccurrence,
    ActivitySearchTerm,
    ActivitySuitableFor,
    ServiceAtLocation,
)
from ..listings.services import hidden_before
from ..models import TaxonomyTerm
from .index import Nearby, near_place, place_parameters
from .strips import strip_place

BEST, NEAREST = "best", "nearest"
SORTS = {BEST: "Best match", NEAREST: "Nearest first"}


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
    mark: bool = False
    age: int | None = None
    suitable: tuple[str, ...] = ()
    join: tuple[str, ...] = ()
    access: tuple[str, ...] = ()
    page: int = 1
    sort: str = BEST

    @property
    def ranked(self) -> bool:
        """Best matches first: words typed, and the person did not ask for nearest first."""
        return bool(self.q.strip()) and self.sort == BEST


def _parameter(name: str):
    """A value given when the statement runs (`parameters`); required, so none is left unset."""
    return bindparam(name, required=True)


NOW = _parameter("now")
TODAY = _parameter("today")
# The filters that take several values: each value is a parameter named after the filter.
LISTS = ("category", "day", "time", "suitable", "join", "access")


def _values(name: str, chosen: tuple) -> list:
    """One parameter per value chosen (`parameters`), so the SQL depends on how many, not which."""
    return [_parameter(f"{name}_{number}") for number in range(len(chosen))]


def shaped(query: SearchQuery) -> SearchQuery:
    """`query` without the filter values that `parameters` supply: only which filters, and how
    many values each, decide the SQL."""
    counted: dict[str, Any] = {name: tuple(range(len(getattr(query, name)))) for name in LISTS}
    return replace(query, locality="chosen" if query.locality else "", age=None if query.age is None else 0, **counted)


@lru_cache(maxsize=64)
def _category_tree(codes: tuple):
    """The chosen terms and every term below them; one object per number of choices, since a
    search statement holds it more than once and a CTE may appear only once by its name."""
    chosen = (
        select(TaxonomyTerm.id)
        .where(TaxonomyTerm.code.in_(_values("category", codes)))
        .cte("chosen_terms", recursive=True)
    )
    return chosen.union_all(select(TaxonomyTerm.id).where(TaxonomyTerm.parent_id == chosen.c.id))


def _categories(codes: tuple[str, ...]):
    return exists().where(
        ActivityCategory.activity_id == Activity.id,
        ActivityCategory.taxonomy_term_id.in_(select(_category_tree(codes).c.id)),
    )


def _sessions(query: SearchQuery):
    conditions = [ActivityOccurrence.activity_id == Activity.id, ActivityOccurrence.ends_at > NOW]
    if query.day:
        conditions.append(ActivityOccurrence.weekday.in_(_values("day", query.day)))
    if query.time:
        conditions.append(ActivityOccurrence.part_of_day.in_(_values("time", query.time)))
    if query.this_week:
        conditions.append(ActivityOccurrence.starts_at < _parameter("week_end"))
    return exists().where(*conditions)


def _visible(columns) -> list:
    """Listed (running, provider not archived) and checked within the last 12 months."""
    return [columns.listed == True, columns.last_checked_on >= _parameter("hidden_before")]  # noqa: E712


def _filters(query: SearchQuery) -> list:
    """Every filter but text, place and visibility, on the activity row."""
    conditions = [_categories(query.category)] if query.category else []
    if query.locality:
        conditions.append(
            Activity.locality_id == select(Locality.id).where(Locality.slug == _parameter("locality")).scalar_subquery()
        )
    if query.day or query.time or query.this_week:
        conditions.append(_sessions(query))
    if query.free:
        conditions.append(Activity.is_free == True)  # noqa: E712
    if query.mark:
        conditions.append(Activity.partner_id.in_(marked_partner_ids(TODAY)))
    if query.age is not None:
        conditions += [
            or_(Activity.min_age.is_(None), Activity.min_age <= _parameter("age")),
            or_(Activity.max_age.is_(None), Activity.max_age >= _parameter("age")),
        ]
    conditions += [
        exists().where(ActivitySuitableFor.activity_id == Activity.id, ActivitySuitableFor.term == term)
        for term in _values("suitable", query.suitable)
    ]
    conditions += [
        exists().where(ActivityJoinMethod.activity_id == Activity.id, ActivityJoinMethod.method == method)
        for method in _values("join", query.join)
    ]
    conditions += [
        exists().where(
            ServiceAtLocation.activity_id == Activity.id,
            Accessibility.location_id == ServiceAtLocation.location_id,
            Accessibility.feature == feature,
        )
        for feature in _values("access", query.access)
    ]
    return conditions


def _also_has(activity_id, words: int) -> list:
    """Every further word typed must be among the activity's terms too."""
    more = ActivitySearchTerm.__table__.alias("more_terms")
    return [
        exists().where(more.c.activity_id == activity_id, more.c.term == _parameter(f"word_{i}"))
        for i in range(1, words)
    ]


def _weight_of(activity_id, word: int):
    found = ActivitySearchTerm.__table__.alias(f"weight_{word}")
    return (
        select(found.c.weight)
        .where(found.c.activity_id == activity_id, found.c.term == _parameter(f"word_{word}"))
        .scalar_subquery()
    )


def _tier(activity_id, words: int, first=None):
    """The sum of the words' weights (`first`: the first word's, when its row is at hand)."""
    weights = [first if first is not None else _weight_of(activity_id, 0)]
    weights += [_weight_of(activity_id, word) for word in range(1, words)]
    return sum(weights[1:], weights[0]).label("tier")


def _near(columns, place: tuple[str, int], strip: tuple[int, bool] | None) -> Nearby:
    prefix, bands = place
    if strip is None:
        return near_place(columns, place_parameters(prefix, bands))
    return strip_place(columns, place_parameters(prefix, bands), prefix, *strip)


def _words_near(
    query: SearchQuery, words: int, place: tuple[str, int], strip: tuple[int, bool] | None, best_only: bool
):
    """Text near a postcode, from the term index alone (unless other filters need the activity):
    one exact term per word, so each activity appears once."""
    terms = ActivitySearchTerm
    near = _near(terms, place, strip)
    statement = select(terms.activity_id.label("id"), near.squared.label("rank")).where(
        terms.term == _parameter("word_0"), *near.conditions, *_visible(terms), *_also_has(terms.activity_id, words)
    )
    if query.ranked:
        tier = _tier(terms.activity_id, words, first=terms.weight)
        statement = statement.add_columns(tier).where(tier == 0) if best_only else statement.add_columns(tier)
    others = _filters(query)
    if others:
        statement = statement.where(exists().where(Activity.id == terms.activity_id, *others))
    return statement


def matching(
    query: SearchQuery,
    *,
    words: int,
    place: tuple[str, int] | None,
    strip: tuple[int, bool] | None = None,
    best_only: bool = False,
):
    """A SELECT of every match's `id` and `rank` (squared flat distance, or next session), and
    its `tier` when ranked (SearchQuery.ranked), its values left as named parameters
    (`parameters`) so that one statement serves every search of the same shape: `words` words
    typed, and near `place` (None: no postcode): the prefix of its parameters' names and how
    many bands it covers (index.place_parameters); with `strip` (number, whole), only the
    matches in that strip of the place (strips.py); with `best_only`, only the best tier's."""
    if words and place is not None:
        return _words_near(query, words, place, strip, best_only)
    statement = select(Activity.id).where(*_visible(Activity), *_filters(query))
    if words:
        first = select(ActivitySearchTerm.activity_id).where(ActivitySearchTerm.term == _parameter("word_0"))
        statement = statement.where(Activity.id.in_(first), *_also_has(Activity.id, words))
    if place is None:
        statement = statement.add_columns(Activity.next_occurrence_at.label("rank"))
    else:
        near = _near(Activity, place, strip)
        statement = statement.add_columns(near.squared.label("rank")).where(*near.conditions)
    if words and query.ranked:
        statement = statement.add_columns(_tier(Activity.id, words))
    return statement


def parameters(query: SearchQuery, words: list[str], now: datetime) -> dict:
    """The values of `matching`'s parameters but the places' (index.place_values)."""
    values: dict[str, Any] = {"now": now, "hidden_before": hidden_before(london_today(now))}
    values.update((f"word_{i}", word) for i, word in enumerate(words))
    if query.this_week:
        values["week_end"] = now + timedelta(days=7)
    if query.age is not None:
        values["age"] = query.age
    if query.locality:
        values["locality"] = query.locality
    for name in LISTS:
        values.update((f"{name}_{number}", value) for number, value in enumerate(getattr(query, name)))
    values["today"] = london_today(now)  # the mark's filter, and each result's mark (pages._shaped_statement)
    return values
