"""What a locality's gaps page shows (reads only): by postcode district and by category, what is
on offer (running activities, their sessions in the coming week, how many are free, meet in the
evening or at the weekend, suit each group), the "I'm interested" entries waiting, and the
searches near the locality's districts that found nothing; and those searches one by one.

Five statements, however many activities: the taxonomy, the locality's activities (with their
venues, categories and suitable-for terms), their upcoming sessions summed per activity, the
interest entries counted per activity, and the searches that found nothing summed per key."""

import csv
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from flask import url_for
from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from ...collectives.models import Collective
from ...core.values.timeutils import london_today
from ...extensions import db
from ...partners.organisations.export import safe_cell
from ..geo.locations import district_localities
from ..interest.models import ActivityInterest
from ..listings.models import Activity, ActivityOccurrence, ServiceAtLocation
from ..listings.vocabulary import PARTS_OF_DAY, SUITABLE_FOR, WEEKDAYS
from ..models import TaxonomyTerm
from ..search.misses.models import SearchMiss
from ..search.misses.rules import NO_WORDS, OTHER_WORDS, kept_since, month_of
from ..search.terms import STOP_WORDS, words
from .rules import NAME_SORT, SortOrder, comparable_count, heat_band, is_gap, postcode_district, shown_count, sort_rows

PERIODS = {"month": "This month", "year": "The last 12 months"}
NO_VENUE = "No venue"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    supply: bool  # something on offer (a gap is none) rather than demand (interest, searches)

    @property
    def people(self) -> bool:
        """Counts of people are shown as "fewer than 5" from 1 to 4 (rules.shown_count)."""
        return not self.supply


ON_OFFER = (
    Column("activities", "Activities running", True),
    Column("sessions", "Sessions in the coming week", True),
    Column("free", "Free", True),
    Column("evening", "Meet in the evening", True),
    Column("weekend", "Meet at the weekend", True),
)
SUITABLE = tuple(Column(f"suitable_{code}", label, True) for code, label in SUITABLE_FOR.items())
WAITING = (
    Column("interest", "“I'm interested” waiting", False),
    Column("misses", "Searches that found nothing", False),
)
COLUMNS = (*ON_OFFER, *SUITABLE, *WAITING)
COLUMN_KEYS = {column.key: column for column in COLUMNS}
SORTS = (NAME_SORT, *COLUMN_KEYS)


def call_for_bids_url(slug: str, *, district: str = "", category: str = "") -> str:
    """The collective's new call for bids, filled in for this gap (the calls stage reads
    `district` and `category` and ignores anything else)."""
    prefilled: dict[str, Any] = {
        name: value for name, value in (("district", district), ("category", category)) if value
    }
    return url_for("calls.new_call", slug=slug, **prefilled)


@dataclass(frozen=True)
class Cell:
    text: str
    band: int  # 0 (nothing) to rules.BANDS, for the bar and the shade
    gap: bool


@dataclass
class Row:
    key: str  # a postcode district or a category's code ("" for no venue)
    name: str
    figures: Counter = field(default_factory=Counter)
    cells: list[Cell] = field(default_factory=list)
    call_url: str = ""

    @property
    def has_gap(self) -> bool:
        return any(cell.gap for cell in self.cells)


@dataclass(frozen=True)
class MissRow:
    district: str
    category: str
    words: str
    days: str
    times: str
    searches: int
    call_url: str

    @property
    def shown(self) -> str:
        return shown_count(self.searches)


@dataclass(frozen=True)
class GapsPage:
    collective: Collective
    period: str
    since: date
    category: TaxonomyTerm | None
    sort: str
    districts: list[Row]
    categories: list[Row]
    misses: list[MissRow]

    @property
    def period_label(self) -> str:
        return PERIODS[self.period]

    @property
    def columns(self) -> tuple[Column, ...]:
        return COLUMNS


class _Miss(NamedTuple):
    district: str
    category: str
    days: str
    times: str
    words: str
    searches: int


@dataclass(frozen=True)
class _Activity:
    district: str
    top_categories: frozenset[str]
    is_free: bool
    suitable: frozenset[str]


class _Taxonomy:
    """The categories: each term's top-level one, names, and the term a known word names."""

    def __init__(self, terms: Iterable[TaxonomyTerm]):
        self.terms = {term.code: term for term in terms}
        by_id = {term.id: term for term in self.terms.values()}
        self.top = {
            term.code: (by_id[term.parent_id].code if term.parent_id in by_id else term.code)
            for term in self.terms.values()
        }
        self.by_words = {
            " ".join(word for word in words(term.name) if word not in STOP_WORDS): term.code
            for term in sorted(self.terms.values(), key=lambda term: term.parent_id is None)
        }

    def within(self, code: str) -> set[str]:
        """The term's code and its children's."""
        return {code, *(child for child, top in self.top.items() if top == code)}

    def name(self, code: str) -> str:
        return self.terms[code].name if code in self.terms else "Any category"

    def code_for(self, miss: _Miss) -> str:
        """The category a search meant: the one it chose, else the one its known words name."""
        return miss.category or self.by_words.get(miss.words, "")


def _activities(locality_id: int, taxonomy: _Taxonomy, chosen: set[str] | None) -> dict[int, _Activity]:
    query = (
        select(Activity)
        .where(Activity.locality_id == locality_id, Activity.listed.is_(True))
        .options(
            selectinload(Activity.categories),
            selectinload(Activity.suitable_for_rows),
            selectinload(Activity.places).joinedload(ServiceAtLocation.location),
        )
    )
    found = {}
    for activity in db.session.scalars(query):
        codes = {term.code for term in activity.categories}
        if chosen is not None and not codes & chosen:
            continue
        location = activity.location
        found[activity.id] = _Activity(
            postcode_district(location.postal_code) if location else "",
            frozenset(taxonomy.top.get(code, code) for code in codes),
            activity.is_free,
            frozenset(activity.suitable_for),
        )
    return found


def _sessions(ids: list[int], now: datetime) -> dict[int, tuple[int, bool, bool]]:
    """Per activity: its sessions in the coming week, and whether any upcoming one is in the
    evening, and at the weekend (Europe/London, as stored)."""
    if not ids:
        return {}
    occurrence = ActivityOccurrence
    rows = db.session.execute(
        select(
            occurrence.activity_id,
            func.sum(case((occurrence.starts_at < now + timedelta(days=7), 1), else_=0)),
            func.max(case((occurrence.part_of_day == "evening", 1), else_=0)),
            func.max(case((occurrence.weekday >= 5, 1), else_=0)),
        )
        .where(occurrence.activity_id.in_(ids), occurrence.starts_at >= now)
        .group_by(occurrence.activity_id)
    )
    return {activity_id: (int(week or 0), bool(evening), bool(weekend)) for activity_id, week, evening, weekend in rows}


def _interest(ids: list[int], now: datetime) -> Counter:
    if not ids:
        return Counter()
    rows = db.session.execute(
        select(ActivityInterest.activity_id, func.count())
        .where(ActivityInterest.activity_id.in_(ids), ActivityInterest.expires_at > now)
        .group_by(ActivityInterest.activity_id)
    )
    return Counter(dict(rows.tuples().all()))


def _misses(districts: list[str], since: date) -> list[_Miss]:
    columns = (SearchMiss.district, SearchMiss.category, SearchMiss.days, SearchMiss.times, SearchMiss.words)
    rows = db.session.execute(
        select(*columns, func.sum(SearchMiss.searches))
        .where(SearchMiss.district.in_(districts), SearchMiss.month >= since)
        .group_by(*columns)
    )
    return [
        _Miss(district, category, days, times, words_, int(total))
        for district, category, days, times, words_, total in rows
    ]


def _add_activity(row: Row, activity: _Activity, sessions: tuple[int, bool, bool], interest: int) -> None:
    week, evening, weekend = sessions
    row.figures.update(
        activities=1,
        sessions=week,
        free=int(activity.is_free),
        evening=int(evening),
        weekend=int(weekend),
        interest=interest,
        **{f"suitable_{term}": 1 for term in activity.suitable},
    )


def _finish(rows: list[Row], order: SortOrder | None) -> list[Row]:
    """Each row's cells (banded by its column's largest figure), sorted."""
    largest = {
        column.key: max((comparable_count(row.figures[column.key], people=column.people) for row in rows), default=0)
        for column in COLUMNS
    }
    for row in rows:
        row.cells = []
        for column in COLUMNS:
            value = row.figures[column.key]
            shown = comparable_count(value, people=column.people)
            row.cells.append(
                Cell(
                    shown_count(value) if column.people else str(value),
                    heat_band(shown, largest[column.key]),
                    is_gap(value, supply=column.supply),
                )
            )
    return sort_rows(
        rows,
        order,
        name=lambda row: row.name,
        value=lambda row, key: comparable_count(row.figures[key], people=COLUMN_KEYS[key].people),
    )


def _miss_label(value: str) -> str:
    return {NO_WORDS: "No words", OTHER_WORDS: "Other words"}.get(value, f"“{value}”")


def _days_label(days: str) -> str:
    return ", ".join(WEEKDAYS[int(day)] for day in days.split(",")) if days else "Any day"


def _times_label(times: str) -> str:
    return ", ".join(PARTS_OF_DAY[part].split(" (")[0] for part in times.split(",")) if times else "Any time"


def sort_order(sort: str) -> SortOrder | None:
    """The order a ?sort= value asks for (None: by name)."""
    column = COLUMN_KEYS.get(sort)
    return SortOrder(column.key, fewest_first=column.supply) if column else None


def gaps_page(*, collective: Collective, now: datetime, period: str, category: str, sort: str) -> GapsPage:
    """The locality's gaps; `period` is a PERIODS key, `category` a term's code or "", `sort`
    one of SORTS (the view has checked them)."""
    today = london_today(now)
    since = month_of(today) if period == "month" else kept_since(today)
    taxonomy = _Taxonomy(db.session.scalars(select(TaxonomyTerm)))
    chosen = taxonomy.within(category) if category else None
    slug = collective.slug
    activities = _activities(collective.locality_id, taxonomy, chosen)
    ids = sorted(activities)
    sessions, interest = _sessions(ids, now), _interest(ids, now)
    footprint = sorted(district for district, locality in district_localities().items() if locality == slug)
    districts = {district: Row(district, district) for district in footprint}
    tops = {
        code: Row(code, term.name)
        for code, term in taxonomy.terms.items()
        if term.parent_id is None and (chosen is None or code in chosen or taxonomy.top[category] == code)
    }
    for activity_id, activity in activities.items():
        figures = (activity, sessions.get(activity_id, (0, False, False)), interest[activity_id])
        district = districts.setdefault(activity.district, Row(activity.district, activity.district or NO_VENUE))
        _add_activity(district, *figures)
        for code in activity.top_categories:
            if code in tops:
                _add_activity(tops[code], *figures)
    misses = []
    for miss in _misses(footprint, since):
        code = taxonomy.code_for(miss)
        if chosen is not None and code not in chosen:
            continue
        districts[miss.district].figures["misses"] += miss.searches
        top = taxonomy.top.get(code, "")
        if top in tops:
            tops[top].figures["misses"] += miss.searches
        misses.append(
            MissRow(
                miss.district,
                taxonomy.name(code),
                _miss_label(miss.words),
                _days_label(miss.days),
                _times_label(miss.times),
                miss.searches,
                call_for_bids_url(slug, district=miss.district, category=code),
            )
        )
    order = sort_order(sort)
    for row in districts.values():
        row.call_url = call_for_bids_url(slug, district=row.key, category=category)
    for row in tops.values():
        row.call_url = call_for_bids_url(slug, category=row.key)
    misses.sort(
        key=lambda miss: (-comparable_count(miss.searches, people=True), miss.district, miss.category, miss.words)
    )
    return GapsPage(
        collective,
        period,
        since,
        taxonomy.terms.get(category),
        sort,
        _finish(list(districts.values()), order),
        _finish(list(tops.values()), order),
        misses,
    )


def gaps_csv(page: GapsPage) -> str:
    """The page's figures as CSV, counts of people from 1 to 4 as "fewer than 5" as on the page;
    every cell formula-safe, with a BOM for spreadsheets."""
    header = [column.label for column in COLUMNS]
    rows: list[list] = [
        ["Locality", page.collective.locality.name],
        ["Period", page.period_label],
        ["Category", page.category.name if page.category else "Every category"],
        [],
        ["Postcode district", *header],
        *[[row.name, *[cell.text for cell in row.cells]] for row in page.districts],
        [],
        ["Category", *header],
        *[[row.name, *[cell.text for cell in row.cells]] for row in page.categories],
        [],
        ["Searches that found nothing: district", "Category", "Words", "Days", "Times", "Searches"],
        *[[miss.district, miss.category, miss.words, miss.days, miss.times, miss.shown] for miss in page.misses],
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return "\ufeff" + out.getvalue()
