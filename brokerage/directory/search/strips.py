"""How a search near a postcode counts its matches without measuring the distance of most of them.

The circle of a search (index.place_values) is cut along the latitude bands of the
place index into strips, each one band and a range of longitudes [west, east). In each band
the middle strip holds only places within the distance, whatever their latitude in the band,
so its rows are counted as the index range gives them (where the circle is narrower than the
band, the middle is empty); the two ends of the band are tested row by row with the same
flat-earth distance as the search.
The strips of a band do not overlap and together hold every place of the band within the
distance, so the sum of their counts is exactly the number of matches.

At 5 km most matches lie in middle strips, which takes the count from a distance test per
row in the bounding box to one per row near the circle's edge."""

import math
from dataclasses import dataclass

from sqlalchemy import Float, Integer, bindparam

from .index import BAND_DEGREES, Nearby, near_place

# Degrees (about 0.1 mm): far more than any rounding of a band's edges or of a distance.
MARGIN = 1e-9
STRIP_NAMES = ("band", "west", "east")
STRIPS_PER_BAND = 3  # the middle (whole), then the west and east ends (tested)


@dataclass(frozen=True)
class Strip:
    band: int
    west: float
    east: float  # west <= longitude < east
    whole: bool  # every place of the band in the strip is within the distance


def _band_strips(place: dict, band: int) -> list[Strip]:
    """The band's middle (whole; empty where the circle is narrower than the band) and its two ends."""
    latitude, longitude, scale, limit_squared = (
        place[name] for name in ("latitude", "longitude", "scale", "limit_squared")
    )
    south, north = band * BAND_DEGREES - MARGIN, (band + 1) * BAND_DEGREES + MARGIN
    nearest = 0.0 if south <= latitude <= north else min(abs(south - latitude), abs(north - latitude))
    farthest = max(abs(south - latitude), abs(north - latitude))
    reach = math.sqrt(max(0.0, limit_squared - nearest * nearest)) / scale + MARGIN
    middle = max(0.0, math.sqrt(max(0.0, limit_squared - farthest * farthest)) / scale - MARGIN)
    return [
        Strip(band, longitude - middle, longitude + middle, whole=True),
        Strip(band, longitude - reach, longitude - middle, whole=False),
        Strip(band, longitude + middle, longitude + reach, whole=False),
    ]


def strips(place: dict) -> list[Strip]:
    """The strips of `place` (index.place_values): three per band, so that the SQL
    depends only on how many bands the distance covers (see `strip_kinds`)."""
    return [strip for band in place["bands"] for strip in _band_strips(place, band)]


def strip_kinds(bands: int) -> list[tuple[int, bool]]:
    """(number, whole) of each strip of a place covering `bands` bands, in the order of `strips`."""
    return [(number, number % STRIPS_PER_BAND == 0) for number in range(STRIPS_PER_BAND * bands)]


def _parameter_name(prefix: str, number: int, name: str) -> str:
    return f"{prefix}_strip{number}_{name}"


def strip_values(prefix: str, found: list[Strip], bands: int) -> dict:
    """The values of the strips of a statement reading `bands` bands (index.shape_bands):
    `found`, then empty strips (west = east) for the bands it does not cover, which count nothing."""
    last = found[-1]
    empty = Strip(last.band, last.west, last.west, whole=False)
    padded = found + [empty] * (STRIPS_PER_BAND * bands - len(found))
    return {
        _parameter_name(prefix, number, name): getattr(strip, name)
        for number, strip in enumerate(padded)
        for name in STRIP_NAMES
    }


def strip_place(columns, place: dict, prefix: str, number: int, whole: bool) -> Nearby:
    """The conditions for strip `number` (named parameters, see `strip_values`) on a table
    with search_band, latitude and longitude columns; `place`: the search's place_parameters,
    for the distance test of a strip that is not whole."""
    near = near_place(columns, place)
    band, west, east = (
        bindparam(_parameter_name(prefix, number, name), type_=Integer if name == "band" else Float, required=True)
        for name in STRIP_NAMES
    )
    conditions = [columns.search_band == band, columns.longitude >= west, columns.longitude < east]
    if not whole:
        conditions.append(near.squared <= place["limit_squared"])
    return Nearby(conditions, near.squared)
