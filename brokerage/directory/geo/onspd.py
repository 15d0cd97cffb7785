"""Import full postcode centroids from the ONS Postcode Directory (ONSPD) CSV.

The file has about 2.7 million rows, so it is streamed line by line and written in batches
(one upsert statement executed for every row of the batch), each batch committed so memory
stays flat and an interrupted import can simply be run again. Columns used: pcds (the postcode), lat, long,
doterm (date terminated, empty for live postcodes). Rows without coordinates (ONS writes
lat 99.999999) or with a malformed postcode are skipped. Terminated postcodes are kept,
flagged: people still type them and they still mark a real place. Afterwards every
district's centre is recalculated as the mean of its live postcodes, replacing the
approximate centres shipped with the project and adding every other district in the file.
"""

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import func, select

from ...core.data.unit_of_work import unit_of_work
from ...core.values.postcodes import InvalidPostcode, normalise_postcode
from ...errors import RuleViolation
from ...extensions import db
from .locations import upsert_centroids
from .models import PostcodeCentroid

REQUIRED_COLUMNS = ("pcds", "lat", "long", "doterm")
NO_COORDINATES = 99.999999
DEFAULT_BATCH_SIZE = 5000


@dataclass
class ImportSummary:
    loaded: int = 0
    skipped: int = 0
    terminated: int = 0
    districts: int = 0


def _decoded_lines(stream: BinaryIO, progress: Callable[[int], None] | None) -> Iterator[str]:
    """Lines as text, reporting how many bytes each one took (for a progress bar)."""
    for raw in stream:
        if progress:
            progress(len(raw))
        yield raw.decode("utf-8-sig", errors="replace")  # a garbled row is then skipped


def _check_header(reader: csv.DictReader) -> None:
    reader.fieldnames = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in reader.fieldnames]
    if missing:
        raise RuleViolation(f"This is not an ONS Postcode Directory CSV: no {', '.join(missing)} column.")


def centroid_row(row: dict) -> dict | None:
    """The postcode_centroid values for one ONSPD row, or None when it must be skipped."""
    try:
        postcode = normalise_postcode(row["pcds"])
        latitude, longitude = float(row["lat"]), float(row["long"])
    except (InvalidPostcode, TypeError, ValueError):
        return None
    if abs(latitude - NO_COORDINATES) < 1e-6 or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return {
        "postcode": postcode,
        "latitude": latitude,
        "longitude": longitude,
        "precision": "unit",
        "terminated": bool((row["doterm"] or "").strip()),
    }


def _write(batch: dict[str, dict]) -> None:
    with unit_of_work():
        upsert_centroids(list(batch.values()))
    batch.clear()


def import_onspd(
    stream: BinaryIO, *, batch_size: int = DEFAULT_BATCH_SIZE, progress: Callable[[int], None] | None = None
) -> ImportSummary:
    """Load (or refresh) postcode centroids from an ONSPD CSV opened in binary mode.
    `progress` is called with the number of bytes read as the file is consumed.
    Raises RuleViolation when the header lacks a required column."""
    reader = csv.DictReader(_decoded_lines(stream, progress))
    _check_header(reader)
    summary, batch = ImportSummary(), {}
    for row in reader:
        values = centroid_row(row)
        if values is None:
            summary.skipped += 1
            continue
        summary.loaded += 1
        summary.terminated += values["terminated"]
        batch[values["postcode"]] = values  # a repeated postcode keeps its last row
        if len(batch) >= batch_size:
            _write(batch)
    _write(batch)
    summary.districts = recalculate_district_centroids()
    return summary


def recalculate_district_centroids() -> int:
    """Set each district's centre to the mean position of its live imported postcodes.
    Returns the number of districts written."""
    with unit_of_work():
        outward = func.substr(PostcodeCentroid.postcode, 1, func.length(PostcodeCentroid.postcode) - 4)
        means = db.session.execute(
            select(outward, func.avg(PostcodeCentroid.latitude), func.avg(PostcodeCentroid.longitude))
            .where(PostcodeCentroid.precision == "unit", PostcodeCentroid.terminated.is_(False))
            .group_by(outward)
        ).all()
        upsert_centroids(
            [
                {
                    "postcode": district,
                    "latitude": round(latitude, 6),
                    "longitude": round(longitude, 6),
                    "precision": "district",
                    "terminated": False,
                }
                for district, latitude, longitude in means
            ]
        )
    return len(means)
