"""Postcode lookup that works offline: full postcodes (from an ONSPD import) or districts
(shipped with the project), never a call to a third party."""

import csv
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite

from ...core.data.driver_statements import DriverStatement
from ...core.data.unit_of_work import unit_of_work
from ...core.values.postcodes import InvalidPostcode, is_postcode, normalise_district, normalise_postcode, outward_code
from ...extensions import db
from ..page_cache import kept_for_this_version
from .models import PostcodeCentroid

DISTRICTS_FILE = Path(__file__).resolve().parent / "data" / "postcode_districts.csv"
UNKNOWN_MESSAGE = "We don't know where that postcode is. Try the first part, like HD1."


@dataclass(frozen=True)
class Location:
    """Where a postcode is: `precision` is 'unit' (the postcode itself) or 'district'
    (the centre of its district, a few miles out at most)."""

    postcode: str
    latitude: float
    longitude: float
    precision: str

    @property
    def point(self) -> tuple[float, float]:
        return self.latitude, self.longitude

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class DistrictCentroid:
    district: str
    latitude: float
    longitude: float
    locality: str
    town: str


def normalise_place(text: str) -> str:
    """A full postcode ('HD1 2QA') or a district ('HD1'), written one way.
    Raises InvalidPostcode (with a message for the person) for anything else."""
    text = (text or "").strip()
    if is_postcode(text):
        return normalise_postcode(text)
    try:
        if " " in text:  # a postcode cut short, like "HD1 2"
            raise InvalidPostcode(text)
        return normalise_district(text)
    except InvalidPostcode:
        raise InvalidPostcode("Enter a postcode, like HD1 2QA, or the first part of one, like HD1.") from None


@cache
def _centroids() -> DriverStatement:
    """Built once: every search near a postcode runs it, handed to the driver as compiled
    (core/data/driver_statements.py). Plain columns, not entities; the postcode and its
    district (the same twice for a district) in one statement: searches count their statements."""
    columns = PostcodeCentroid
    return DriverStatement(
        select(columns.postcode, columns.latitude, columns.longitude, columns.precision).where(
            columns.postcode.in_([bindparam("place", required=True), bindparam("district", required=True)])
        )
    )


def locate(text: str) -> Location | None:
    """Where a postcode or district is: the postcode's own centroid when it has been imported,
    else its district's. None when neither is known. Raises InvalidPostcode for text that is
    neither a postcode nor a district (e.g. "ZZ", "'; drop table"). A public page keeps the
    answer for the directory's version it read (page_cache.kept_for_this_version): people
    search around the same few dozen districts all day."""
    place = normalise_place(text)
    return kept_for_this_version("places", place, lambda: _located(place))


def _located(place: str) -> Location | None:
    district_code = outward_code(place)
    rows = _centroids().rows(db.session.connection(), {"place": place, "district": district_code})
    found = {row.postcode: row for row in rows}
    unit = found.get(place) if " " in place else None
    if unit is not None:
        return Location(place, unit.latitude, unit.longitude, "unit")
    district = found.get(district_code)
    if district is None or district.precision != "district":
        return None
    return Location(place, district.latitude, district.longitude, "district")


def read_district_centroids(path: Path = DISTRICTS_FILE) -> list[DistrictCentroid]:
    """The shipped table of district centres (district, latitude, longitude, locality, town);
    `locality` is the Creative Minds locality slug, empty for neighbouring districts."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            DistrictCentroid(
                row["district"], float(row["latitude"]), float(row["longitude"]), row["locality"], row["town"]
            )
            for row in csv.DictReader(handle)
        ]


@cache
def district_localities() -> dict[str, str]:
    """Postcode district -> Creative Minds locality slug, for the shipped footprint districts."""
    return {row.district: row.locality for row in read_district_centroids() if row.locality}


def upsert_centroids(rows: list[dict]) -> None:
    """Insert or replace postcode_centroid rows (dicts of all its columns) with one statement
    executed for every row (compiled once). Flushes only; the caller commits."""
    if not rows:
        return
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(PostcodeCentroid.__table__)
    changes = {column: statement.excluded[column] for column in ("latitude", "longitude", "precision", "terminated")}
    db.session.execute(statement.on_conflict_do_update(index_elements=["postcode"], set_=changes), rows)


def load_district_centroids(path: Path = DISTRICTS_FILE, *, replace: bool = False) -> int:
    """Load the shipped district centres that are missing (all of them with `replace`).
    Centres recalculated from an ONSPD import are better than the shipped ones, so they are
    kept unless `replace` is given. Safe to run again. Returns how many rows were written."""
    with unit_of_work():
        present = (
            set()
            if replace
            else set(
                db.session.scalars(select(PostcodeCentroid.postcode).where(PostcodeCentroid.precision == "district"))
            )
        )
        rows = [
            {
                "postcode": row.district,
                "latitude": row.latitude,
                "longitude": row.longitude,
                "precision": "district",
                "terminated": False,
            }
            for row in read_district_centroids(path)
            if row.district not in present
        ]
        upsert_centroids(rows)
    return len(rows)
