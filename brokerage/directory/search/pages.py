"""Public activity search: one SQL statement for the results, their count and their next
sessions (plus one for the postcode). The place and text indexes of index find the
candidates; matching ids are sorted and cut to one page before anything else (provider, area,
next session) is joined.

Only listed activities (running, provider not archived) checked within the last 12 months are
found. With a postcode, results are those within the distance, nearest first (ordered in SQL by
a flat-earth distance that SQLite and PostgreSQL compute identically, ties by id; the distance
shown is the great-circle one, geo.shown_miles); without one, soonest first. When words are
typed, the best matches come first unless the person asks for nearest first (matching.py). Near a postcode,
the total is the sum of the counts of the circle's strips (strips), which measures the
distance only of the places near the circle's edge."""

import math
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Integer, bindparam, case, func, inspect, select, union_all

from ...core.data.driver_statements import DriverStatement
from ...core.data.models import Locality
from ...core.values.postcodes import InvalidPostcode
from ...errors import RuleViolation
from ...extensions import db
from ...groups.models import Group
from ...partners.marks.models import MarkApplication
from ...partners.marks.pages import marked_partner_ids
from ...partners.models import Partner
from ..geo.distances import MAX_RADIUS_MILES, MIN_RADIUS_MILES, check_radius, shown_miles
from ..geo.locations import UNKNOWN_MESSAGE, Location, locate
from ..listings.models import Activity, ActivityOccurrence
from ..listings.schedules import Occurrence
from .index import close_bands, place_bind_values, place_values, query_terms, shape_bands
from .matching import BEST, NEAREST, NOW, TODAY, SearchQuery, matching, parameters, shaped
from .strips import strip_kinds, strip_values, strips

PER_PAGE = 20
CLOSE_SHARE = 0.125
MAX_PAGE = 500
MAX_TEXT = 200
# A place with no activities (in the Atlantic), near which statements are prepared.
NOWHERE = Location("", 0.005, 0.0, "district")
# The page's place in the results, parameters, so that every page shares its first's statement.
OFFSET, ENOUGH = (bindparam(name, type_=Integer, required=True) for name in ("offset", "enough"))


@dataclass(frozen=True)
class ResultActivity:
    """What a result card shows of the activity itself (read as plain columns, not an entity)."""

    id: int
    title: str
    is_free: bool
    marked: bool = False  # its partner holds the mental-health-friendly mark today


@dataclass(frozen=True)
class SearchResult:
    activity: ResultActivity
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


@dataclass(frozen=True)
class Shape:
    """What decides a search statement's SQL: the query without the values its parameters
    take (matching.shaped) and, near a postcode, how many latitude bands the statement reads
    for the whole distance and its close share (index.shape_bands; the count reads three strips
    a band, strips). So a handful of shapes serve every distance, page and filter value."""

    query: SearchQuery
    bands: tuple[int, int]

    @property
    def everywhere(self) -> tuple[str, int]:
        return "all", self.bands[0]

    @property
    def close(self) -> tuple[str, int]:
        return "close", self.bands[1]


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


def _order(columns, near: bool, ranked: bool) -> tuple:
    tier = (columns.tier,) if ranked else ()
    if not near:
        return *tier, columns.rank.is_(None), columns.rank, columns.id
    return *tier, columns.rank, columns.id


def _one_page(statement, query: SearchQuery, near: bool, limit=PER_PAGE):
    rows = statement.subquery()
    return select(rows).order_by(*_order(rows.c, near, query.ranked)).limit(limit).offset(OFFSET).subquery()


def _page(everything, shape: Shape, words: int, near: bool):
    """The page's ids and ranks from `everything` that matches. Near a postcode, the nearest
    rows are looked for within an eighth of the distance first (a sixty-fourth of the area, so
    of the rows to sort where activities are dense); only when that holds too few for the page
    is the whole distance sorted. Ranked by best match, the close share counts only the best
    tier's rows: when it holds a page of them, no row further away can come before them. The branch not taken gets LIMIT 0, which both databases check
    before reading any row, so only one branch does any work."""
    query = shape.query
    if not near:
        return _one_page(everything, query, near)
    close = matching(query, words=words, place=shape.close, best_only=query.ranked)
    found = select(func.count()).select_from(close.limit(ENOUGH).subquery()).scalar_subquery()
    close_enough = found >= ENOUGH
    return union_all(
        select(_one_page(close, query, near, case((close_enough, PER_PAGE), else_=0))),
        select(_one_page(everything, query, near, case((close_enough, 0), else_=PER_PAGE))),
    ).subquery("page")


def _shape(query: SearchQuery, words: list[str], bands: tuple[int, int]) -> Shape:
    sort = BEST if words and query.ranked else NEAREST
    return Shape(
        replace(shaped(query), q=str(len(words)), postcode="near" if bands[0] else "", distance=0.0, page=1, sort=sort),
        bands,
    )


@lru_cache(maxsize=256)
def _shaped_statement(shape: Shape):
    """The page's rows: matching ids sorted and cut to one page first, then only those rows
    joined to their provider, area and next session; the total counted once alongside. Built
    once per shape (and so compiled once): a search only supplies its values (`_prepared`)."""
    query = shape.query
    words, near = int(query.q), bool(query.postcode)
    everything = matching(query, words=words, place=shape.everywhere if near else None)
    page = _page(everything, shape, words, near)
    total = _total(shape).scalar_subquery()
    provider = func.coalesce(Partner.name, Group.name).label("provider_name")
    marked = marked_partner_ids(TODAY).where(MarkApplication.partner_id == Activity.partner_id).exists().label("marked")
    return (
        select(
            Activity.id,
            Activity.title,
            Activity.is_free,
            Activity.latitude,
            Activity.longitude,
            provider,
            Locality.name.label("locality_name"),
            total.label("total"),
            marked,
            *_next_session_columns(),
        )
        .join(page, page.c.id == Activity.id)
        .outerjoin(Partner, Partner.id == Activity.partner_id)
        .outerjoin(Group, Group.id == Activity.group_id)
        .outerjoin(Locality, Locality.id == Activity.locality_id)
        .order_by(*_order(page.c, near, query.ranked))
    )


def _counted(everything):
    """How many rows `everything` matches, without its rank (SQLite would compute it for every row)."""
    return select(func.count()).select_from(everything.with_only_columns(everything.selected_columns[0]).subquery())


@lru_cache(maxsize=256)
def _total(shape: Shape):
    """How many rows the search matches; near a postcode, the sum of its strips' counts."""
    query = shape.query
    if not query.postcode:
        return _counted(matching(query, words=int(query.q), place=None))
    counts = [
        _counted(matching(query, words=int(query.q), place=shape.everywhere, strip=kind)).scalar_subquery()
        for kind in strip_kinds(shape.bands[0])
    ]
    return select(sum(counts[1:], counts[0]))


def _place_values(query: SearchQuery, origin: Location) -> tuple[dict, tuple[int, int]]:
    """The values of both places' parameters (the whole distance with its strips, and its
    close share), and how many bands each statement reads (index.shape_bands)."""
    everywhere = place_values(origin.latitude, origin.longitude, query.distance)
    close = place_values(origin.latitude, origin.longitude, query.distance * CLOSE_SHARE)
    whole = shape_bands(len(everywhere["bands"]))
    bands = whole, max(close_bands(whole), shape_bands(len(close["bands"])))
    values = place_bind_values("all", everywhere, bands[0]) | place_bind_values("close", close, bands[1])
    return values | strip_values("all", strips(everywhere), bands[0]), bands


def _prepared(query: SearchQuery, origin: Location | None, now: datetime) -> tuple[Shape, dict]:
    """This search's shape (`_shaped_statement`, `_total`) and the values of its parameters."""
    words = query_terms(query.q)
    values = parameters(query, words, now) | {"offset": (query.page - 1) * PER_PAGE, "enough": query.page * PER_PAGE}
    bands = (0, 0)
    if origin is not None:
        place, bands = _place_values(query, origin)
        values.update(place)
    return _shape(query, words, bands), values


def _next_session_columns():
    upcoming = select(ActivityOccurrence).where(
        ActivityOccurrence.activity_id == Activity.id, ActivityOccurrence.ends_at > NOW
    )
    first = upcoming.order_by(ActivityOccurrence.starts_at).limit(1)
    return (
        first.with_only_columns(ActivityOccurrence.starts_at).scalar_subquery().label("next_start"),
        first.with_only_columns(ActivityOccurrence.ends_at).scalar_subquery().label("next_end"),
    )


def _result(row, origin: Location | None) -> SearchResult:
    """The distance shown is measured (geo.shown_miles) for the rows shown only."""
    distance = shown_miles(origin.point, (row.latitude, row.longitude)) if origin else None
    session = Occurrence(row.next_start, row.next_end) if row.next_start else None
    return SearchResult(
        ResultActivity(row.id, row.title, row.is_free, bool(row.marked)),
        row.provider_name,
        row.locality_name,
        distance,
        session,
    )


def suggestions_for(query: SearchQuery, origin: Location | None) -> list[Suggestion]:
    """Ways to find something when nothing matched: a wider distance, then each filter removed."""
    found = []
    if origin is not None and query.distance < MAX_RADIUS_MILES:
        wider = min(MAX_RADIUS_MILES, max(10.0, query.distance * 2))
        found.append(Suggestion(f"Look up to {wider:g} miles away", {"distance": f"{wider:g}"}))
    named = (
        ("q", "Search for any activity, not just these words"),
        ("category", "Include every category"),
        ("locality", "Look in every area"),
        ("day", "Include every day"),
        ("time", "Include any time of day"),
        ("this_week", "Include later weeks"),
        ("free", "Include activities that cost something"),
        ("mark", "Include clubs without the mental-health-friendly mark"),
        ("age", "Include every age"),
        ("suitable", "Include activities for everyone"),
        ("join", "Include every way to join"),
        ("access", "Include every venue"),
    )
    found += [Suggestion(label, {name: None}) for name, label in named if getattr(query, name)]
    return found


@lru_cache(maxsize=256)
def _page_rows(shape: Shape) -> DriverStatement:
    """`_shaped_statement`, handed to the driver as compiled (core/data/driver_statements.py):
    its ~840 placeholders made SQLAlchemy's pass over the parameters cost more than the search."""
    return DriverStatement(_shaped_statement(shape))


def _run(statement, values: dict):
    """Plain columns: run on the session's connection, past the ORM's execution machinery
    (flushed first, as the ORM would, so that a search sees the session's own changes)."""
    db.session.flush()
    return db.session.connection().execute(statement, values)


def _rows(shape: Shape, values: dict) -> list:
    """The page's rows, flushed first as `_run` is."""
    db.session.flush()
    return _page_rows(shape).rows(db.session.connection(), values)


def prepare_statements(now: datetime) -> int:
    """Build and compile, on the app's database, the statement of every shape a distance can
    take (index.shape_bands) for a search with a postcode and no filters, with no word or one
    (either sort), so that no person waits for the compiling (20 ms to 0.9 s of CPU each) on
    their first search at any distance; run near a place with no activities, they read nothing.
    About 5 s of CPU, paid once in gunicorn's master before it forks the workers
    (deploy/gunicorn.conf.py), never by a worker or a person. Returns how many (none when the
    tables are not there yet, as before the first migration)."""
    if not inspect(db.engine).has_table(Activity.__tablename__):
        return 0
    searches = [
        replace(query, q=words, sort=sort)
        for query in _one_per_shape(now)
        for words, sort in (("", BEST), ("prepare", BEST), ("prepare", NEAREST))
    ]
    for query in searches:
        shape, values = _prepared(query, NOWHERE, now)
        _rows(shape, values)
    db.session.remove()
    return len(searches)


def _one_per_shape(now: datetime) -> list[SearchQuery]:
    """A search near NOWHERE for each shape a distance can take (index.shape_bands), found by
    trying distances 5% apart from the least to the most a person may choose."""
    found: dict[tuple[int, int], SearchQuery] = {}
    miles = MIN_RADIUS_MILES
    while miles <= MAX_RADIUS_MILES:
        query = SearchQuery(postcode="nowhere", distance=round(miles, 2))
        found.setdefault(_prepared(query, NOWHERE, now)[0].bands, query)
        miles *= 1.05
    return list(found.values())


def search_activities(*, query: SearchQuery, now: datetime) -> SearchPage:
    """Find running, recently checked activities matching every filter, 20 a page. At most
    3 SQL statements. Raises RuleViolation (field 'postcode', 'distance', 'q', 'age' or 'page')
    for input a person must correct."""
    _check(query)
    origin = _origin(query)
    shape, values = _prepared(query, origin, now)
    rows = _rows(shape, values)
    if rows:
        total = rows[0].total
    elif query.page > 1:
        total = _run(_total(shape), values).scalar_one()
    else:
        total = 0
    results = [_result(row, origin) for row in rows]
    suggestions = suggestions_for(query, origin) if total == 0 else []
    return SearchPage(query, results, total, origin, suggestions)
