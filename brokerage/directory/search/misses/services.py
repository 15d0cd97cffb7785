"""The public search's one write: counting a search near a postcode that found nothing
(`record_search_miss`), and deleting counts past their 12 months (`purge_old_search_misses`).

`record_search_miss` is the one named write a GET request to the search makes (the
route-convention test holds it back and proves that nothing else writes): one upsert statement
(INSERT ... ON CONFLICT DO UPDATE searches = searches + 1) in its own short transaction, after the
page is drawn and only when a search with a district found nothing, so a search with results
runs no extra statement. Two people missing at once both count: the database adds the second to
the first's row. The counts are not among the tables the kept pages show, so counting never
makes a kept page stale (directory/page_cache.py)."""

import json
import logging
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from functools import cache

from sqlalchemy import bindparam, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError

from ....audit.services import record_event
from ....core.data.database import writing_first
from ....core.data.results import rows_changed
from ....core.data.unit_of_work import unit_of_work
from ....core.values.postcodes import outward_code
from ....core.values.timeutils import london_today
from ....extensions import db
from ...geo.locations import Location, district_localities
from ...listings.taxonomy import TAXONOMY_FILE
from ..matching import SearchQuery
from ..terms import SYNONYMS
from .models import SearchMiss
from .rules import build_vocabulary, days_key, kept_since, miss_words, month_of, times_key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MissKey:
    """What one search that found nothing is counted under (see models.SearchMiss)."""

    month: date
    district: str
    category: str
    days: str
    times: str
    words: str


KEY_COLUMNS = tuple(field.name for field in fields(MissKey))  # the table's unique key, in order


def _names(terms: list[dict]) -> list[str]:
    return [text for term in terms for text in (term["name"], *_names(term.get("children", [])))]


@cache
def vocabulary() -> dict[str, str]:
    """The known words: those of the shipped categories' names, then the synonyms' words."""
    terms = json.loads(TAXONOMY_FILE.read_text(encoding="utf-8"))["terms"]
    synonyms = [word for key, values in SYNONYMS.items() for word in (key, *values)]
    return build_vocabulary([*_names(terms), *synonyms])


def miss_key(query: SearchQuery, origin: Location | None, now: datetime) -> MissKey | None:
    """The key a search that found nothing is counted under, or None when it is not counted:
    only searches near a postcode district of the project's footprint are."""
    if origin is None:
        return None
    district = outward_code(origin.postcode)
    if district not in district_localities():
        return None
    return MissKey(
        month=month_of(london_today(now)),
        district=district,
        category=query.category[0] if query.category else "",
        days=days_key(query.day),
        times=times_key(query.time),
        words=miss_words(query.q, vocabulary()),
    )


@cache
def _upsert(dialect: str):
    """Built once per database: insert the key's row with 1, or add 1 to it."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = SearchMiss.__table__
    statement = insert(table).values({**{name: bindparam(name) for name in KEY_COLUMNS}, "searches": 1})
    return statement.on_conflict_do_update(
        index_elements=[table.c[name] for name in KEY_COLUMNS], set_={"searches": table.c.searches + 1}
    )


def record_search_miss(key: MissKey) -> bool:
    """Count one search that found nothing, in its own short write transaction. A busy
    database loses this one count rather than the person's page. Returns whether it counted."""
    statement = _upsert(db.session.get_bind().dialect.name)
    try:
        with writing_first(), unit_of_work():
            db.session.execute(statement, asdict(key))
    except OperationalError:
        log.warning("a search that found nothing was not counted: database busy")
        return False
    return True


def purge_old_search_misses(*, now: datetime) -> int:
    """Delete the counts of months more than 12 months ago; returns how many rows went."""
    with unit_of_work():
        gone = rows_changed(
            db.session.execute(delete(SearchMiss).where(SearchMiss.month < kept_since(london_today(now))))
        )
        if gone:
            record_event(
                actor=None,
                action="search_miss.purged",
                object_type="search_miss",
                object_id=None,
                summary=f"Deleted {gone} counts of searches that found nothing, over 12 months old",
                after={"deleted": gone},
            )
    return gone
