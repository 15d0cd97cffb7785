"""The search index kept beside each activity, and the place conditions that read it.

Place: the earth is cut into latitude bands BAND_DEGREES high (`search_band`, an integer
computed here, never by the database). A search near a point asks for the bands its bounding
box covers and the box's longitudes, which one composite index answers on SQLite and
PostgreSQL alike; the exact distance is then plain arithmetic on the indexed columns
(latitude difference² + (longitude difference × cos(origin latitude))², the cosine a
constant computed here), which both databases evaluate identically, ties broken by id.

Text: `activity_search_term` holds one row per activity and term (terms.weighted_terms:
stems and the synonym keys they satisfy, so the same stemming and synonyms on every database,
each with its weight: where in the listing it was found, for ranking the best matches first),
with the activity's place, `listed` flag and last_checked_on copied onto it, so that "these
words near here" reads that one index.

`reindex_activities` rewrites an activity's band, `listed` flag and terms. A flush hook here
runs it for every new or changed activity (text, categories, place, status, last check) and
for the activities of a renamed partner or group or an archived or restored partner, whichever
service made the change; `flask seed --synthetic-activities` and the migration write the same
rows in bulk (`term_rows`, `reindex_activities`)."""

import math
from dataclasses import dataclass
from datetime import date
from typing import Any, overload

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Float,
    Integer,
    bindparam,
    delete,
    event,
    func,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.util import identity_key

from ...groups.models import Group
from ...partners.models import Partner
from ..geo.distances import EARTH_RADIUS_MILES, MIN_RADIUS_MILES, bounding_box
from ..listings.models import Activity, ActivityCategory, ActivitySearchTerm
from ..models import TaxonomyTerm
from .terms import query_words, weighted_terms

BAND_DEGREES = 0.01  # about 1.1 km
# Bands a search statement reads (shape_bands); 50 miles, the widest distance, covers at most 147.
SHAPE_BANDS = (3, 6, 12, 24, 48, 96, 148)
MAX_TERM = 40
# The flat-earth distance is within 0.5% of the geodesic one up to 50 miles in the UK.
FLAT_MARGIN = 1.005
PLACE_NAMES = (
    "latitude",
    "longitude",
    "scale",
    "bands",
    "min_latitude",
    "max_latitude",
    "min_longitude",
    "max_longitude",
    "limit_squared",
)
# What the index rows copy or derive from an activity (or its categories).
ACTIVITY_FIELDS = (
    "title",
    "description",
    "status",
    "last_checked_on",
    "latitude",
    "longitude",
    "partner_id",
    "group_id",
    "categories",
)


@overload
def band_of(latitude: float) -> int: ...
@overload
def band_of(latitude: float | None) -> int | None: ...
def band_of(latitude: float | None) -> int | None:
    return None if latitude is None else math.floor(latitude / BAND_DEGREES)


def index_terms(*, title: str, description: str, categories: list[str], provider: str) -> dict[str, int]:
    """The terms stored for a listing, each with its weight (terms.weighted_terms; a term cut to
    MAX_TERM keeps the best weight of the terms it stands for)."""
    found: dict[str, int] = {}
    weighted = weighted_terms(title=" ".join([title, *categories]), description=description, provider=provider)
    for term, weight in weighted.items():
        found[term[:MAX_TERM]] = min(weight, found.get(term[:MAX_TERM], weight))
    return found


def query_terms(text: str) -> list[str]:
    """The term each word typed must be stored under, as stored."""
    return [word[:MAX_TERM] for word in query_words(text)]


def term_rows(
    activity_id: int,
    terms: dict[str, int],
    *,
    latitude: float | None,
    longitude: float | None,
    listed: bool,
    last_checked_on: date,
) -> list[dict]:
    """`terms`: index_terms."""
    band = band_of(latitude)
    return [
        {
            "activity_id": activity_id,
            "term": term,
            "weight": weight,
            "search_band": band,
            "latitude": latitude,
            "longitude": longitude,
            "listed": listed,
            "last_checked_on": last_checked_on,
        }
        for term, weight in sorted(terms.items())
    ]


@dataclass(frozen=True)
class Nearby:
    """Conditions on a table with search_band, latitude and longitude columns, for the rows
    within `miles` of the origin, and the squared flat-earth distance in degrees² to order by."""

    conditions: list
    squared: ColumnElement[float]


def place_values(latitude: float, longitude: float, miles: float) -> dict:
    """What `nearby` compares the columns with, for the rows within `miles` of the point."""
    box = bounding_box(latitude, longitude, max(miles, MIN_RADIUS_MILES))  # the API allows 100 m
    limit = math.degrees(miles / EARTH_RADIUS_MILES) * FLAT_MARGIN
    return {
        "latitude": latitude,
        "longitude": longitude,
        "scale": math.cos(math.radians(latitude)),
        "bands": list(range(band_of(box.min_latitude), band_of(box.max_latitude) + 1)),
        "min_latitude": box.min_latitude,
        "max_latitude": box.max_latitude,
        "min_longitude": box.min_longitude,
        "max_longitude": box.max_longitude,
        "limit_squared": limit * limit,
    }


def place_parameters(prefix: str, bands: int) -> dict:
    """Named parameters standing for `place_values` of a place covering `bands` bands (their
    values: `place_bind_values`), so that one statement serves every origin; required, so a
    search that forgets one fails instead of reusing another's place. One parameter per band,
    not an expanding list, so that running the statement does not rewrite its SQL."""
    found: dict[str, BindParameter[Any] | list[BindParameter[int]]] = {
        name: bindparam(f"{prefix}_{name}", type_=Float, required=True) for name in PLACE_NAMES if name != "bands"
    }
    found["bands"] = [bindparam(f"{prefix}_band{number}", type_=Integer, required=True) for number in range(bands)]
    return found


def shape_bands(bands: int) -> int:
    """How many bands a statement reads for a place covering `bands` bands: the next of
    SHAPE_BANDS, so that every distance a person types (free text, 0.1 to 50 miles) shares one
    of a few statements, each built and compiled once (a new one cost 20 to 700 ms of CPU)."""
    return next(size for size in SHAPE_BANDS if size >= bands)


def close_bands(whole: int) -> int:
    """How many bands the statement reads for the close share (an eighth) of a distance whose
    whole reads `whole`: tied to it, so a distance has one shape, not two."""
    return shape_bands(math.ceil(whole / 8) + 2)


def place_bind_values(prefix: str, place: dict, bands: int) -> dict:
    """The values of place_parameters(prefix, bands) for `place` (place_values): the bands it
    covers, then its last band again, up to `bands` (shape_bands; a band listed twice finds the
    same rows)."""
    values = {f"{prefix}_{name}": value for name, value in place.items() if name != "bands"}
    covered = place["bands"] + [place["bands"][-1]] * (bands - len(place["bands"]))
    values.update((f"{prefix}_band{number}", band) for number, band in enumerate(covered))
    return values


def nearby(columns, latitude: float, longitude: float, miles: float) -> Nearby:
    return near_place(columns, place_values(latitude, longitude, miles))


def near_place(columns, place: dict) -> Nearby:
    """`place`: place_values, or place_parameters."""
    north, east = columns.latitude - place["latitude"], (columns.longitude - place["longitude"]) * place["scale"]
    squared = north * north + east * east
    return Nearby(
        [
            columns.search_band.in_(place["bands"]),
            columns.longitude.between(place["min_longitude"], place["max_longitude"]),
            columns.latitude.between(place["min_latitude"], place["max_latitude"]),
            squared <= place["limit_squared"],
        ],
        squared,
    )


def _documents(connection, activity_ids: list[int]) -> list:
    provider = func.coalesce(Partner.name, Group.name).label("provider")
    return connection.execute(
        select(
            Activity.id,
            Activity.title,
            Activity.description,
            Activity.latitude,
            Activity.longitude,
            Activity.status,
            Activity.last_checked_on,
            Partner.archived_at,
            provider,
        )
        .outerjoin(Partner, Partner.id == Activity.partner_id)
        .outerjoin(Group, Group.id == Activity.group_id)
        .where(Activity.id.in_(activity_ids))
    ).all()


def _category_names(connection, activity_ids: list[int]) -> dict[int, list[str]]:
    """Each activity's category names and their parents' names."""
    parent = aliased(TaxonomyTerm)
    rows = connection.execute(
        select(ActivityCategory.activity_id, TaxonomyTerm.name, parent.name)
        .join(TaxonomyTerm, TaxonomyTerm.id == ActivityCategory.taxonomy_term_id)
        .outerjoin(parent, parent.id == TaxonomyTerm.parent_id)
        .where(ActivityCategory.activity_id.in_(activity_ids))
    )
    names: dict[int, list[str]] = {}
    for activity_id, name, parent_name in rows:
        names.setdefault(activity_id, []).extend(filter(None, (name, parent_name)))
    return names


def reindex_activities(connection, activity_ids: list[int]) -> None:
    """Rewrite the search band, `listed` and the search terms of these (flushed) activities
    from what the database holds, through `connection`."""
    if not activity_ids:
        return
    documents, categories = _documents(connection, activity_ids), _category_names(connection, activity_ids)
    connection.execute(delete(ActivitySearchTerm).where(ActivitySearchTerm.activity_id.in_(activity_ids)))
    rows = []
    for document in documents:
        listed = document.status == "active" and document.archived_at is None
        terms = index_terms(
            title=document.title,
            description=document.description,
            categories=categories.get(document.id, []),
            provider=document.provider or "",
        )
        rows += term_rows(
            document.id,
            terms,
            latitude=document.latitude,
            longitude=document.longitude,
            listed=listed,
            last_checked_on=document.last_checked_on,
        )
        connection.execute(
            update(Activity)
            .where(Activity.id == document.id)
            .values(search_band=band_of(document.latitude), listed=listed)
        )
    if rows:
        connection.execute(ActivitySearchTerm.__table__.insert(), rows)


def _changed(session: Session, model, names: tuple[str, ...]) -> list[int]:
    return [
        target.id
        for target in session.dirty
        if isinstance(target, model) and any(inspect(target).attrs[name].history.has_changes() for name in names)
    ]


@event.listens_for(Session, "after_flush")
def _reindex_changed(session: Session, context) -> None:
    """Whichever service (or test) made the change: a new or changed activity, a renamed
    partner or group (their activities' text), an archived or restored partner (hidden or shown)."""
    activities = [target.id for target in session.new if isinstance(target, Activity)]
    activities += _changed(session, Activity, ACTIVITY_FIELDS)
    partners, groups = _changed(session, Partner, ("name", "archived_at")), _changed(session, Group, ("name",))
    connection = session.connection()
    if partners or groups:
        activities += connection.scalars(
            select(Activity.id).where(Activity.partner_id.in_(partners) | Activity.group_id.in_(groups))
        )
    if activities:
        reindex_activities(connection, sorted(set(activities)))
        session.info.setdefault("reindexed_activities", set()).update(activities)


@event.listens_for(Session, "after_flush_postexec")
def _reload_reindexed(session: Session, context) -> None:
    """The activities' objects read their new band and `listed` from the database next time."""
    for activity_id in session.info.pop("reindexed_activities", ()):
        activity = session.identity_map.get(identity_key(Activity, activity_id))
        if activity is not None:
            session.expire(activity, ["search_band", "listed"])
