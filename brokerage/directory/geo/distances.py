"""Distances (geopy, in miles) and bounding boxes that let a search use a lat/lon index.

A search for everything within r miles first keeps rows inside `bounding_box(...)` (two
range conditions an index can serve), then measures the exact distance to the few left."""

import math
from dataclasses import dataclass

from geopy.distance import EARTH_RADIUS, geodesic

from ...errors import RuleViolation

KM_PER_MILE = 1.609344
EARTH_RADIUS_MILES = EARTH_RADIUS / KM_PER_MILE
MIN_RADIUS_MILES = 0.1
MAX_RADIUS_MILES = 50.0
# The box is drawn on a sphere; the WGS-84 ellipsoid differs by well under 1%, so widen by 1%.
SAFETY_MARGIN = 1.01

Point = tuple[float, float]


@dataclass(frozen=True)
class BoundingBox:
    min_latitude: float
    max_latitude: float
    min_longitude: float
    max_longitude: float

    def contains(self, latitude: float, longitude: float) -> bool:
        return (
            self.min_latitude <= latitude <= self.max_latitude and self.min_longitude <= longitude <= self.max_longitude
        )


def distance_miles(origin: Point, destination: Point) -> float:
    """Geodesic (WGS-84) distance in miles between two (latitude, longitude) points."""
    return geodesic(origin, destination).miles


def shown_miles(origin: Point, destination: Point) -> float:
    """The distance a search result shows: great-circle on geopy's earth radius (the haversine
    formula), within 0.5% of the geodesic distance and a small part of its cost, which matters
    when it is measured for every row shown."""
    latitude, other_latitude = math.radians(origin[0]), math.radians(destination[0])
    half_north = (other_latitude - latitude) / 2
    half_east = math.radians(destination[1] - origin[1]) / 2
    chord = math.sin(half_north) ** 2 + math.cos(latitude) * math.cos(other_latitude) * math.sin(half_east) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(min(1.0, chord)))


def miles_text(distance: float, *, rough: bool = False) -> str:
    """How far, in words. Measured from a full postcode: 0.43 -> '0.4 miles', 1.0 -> '1 mile',
    12.6 -> '13 miles'. Measured from the centre of a postcode district (`rough`), the person may
    be a mile or two from that centre, so tenths would claim a precision the distance lacks:
    0.3 -> 'under 1 mile', 1.6 -> 'about 2 miles'."""
    if rough:
        whole = round(distance)
        return "under 1 mile" if whole < 1 else f"about {whole} {'mile' if whole == 1 else 'miles'}"
    shown = f"{distance:.1f}".removesuffix(".0") if distance < 10 else f"{distance:.0f}"
    return f"{shown} {'mile' if shown == '1' else 'miles'}"


def miles_to_metres(miles: float) -> float:
    return miles * KM_PER_MILE * 1000


def metres_to_miles(metres: float) -> float:
    return metres / (KM_PER_MILE * 1000)


def check_radius(miles: float) -> float:
    """A search distance a person may ask for. Raises RuleViolation (field 'distance') otherwise."""
    if not (isinstance(miles, (int, float)) and math.isfinite(miles) and MIN_RADIUS_MILES <= miles <= MAX_RADIUS_MILES):
        raise RuleViolation(
            f"Choose a distance from {MIN_RADIUS_MILES:g} to {MAX_RADIUS_MILES:g} miles.", field="distance"
        )
    return float(miles)


def bounding_box(latitude: float, longitude: float, radius_miles: float) -> BoundingBox:
    """The smallest latitude/longitude box that holds every point within `radius_miles`
    (valid away from the poles and the 180° meridian, as everywhere in the UK)."""
    angle = check_radius(radius_miles) * SAFETY_MARGIN / EARTH_RADIUS_MILES
    delta_latitude = math.degrees(angle)
    delta_longitude = math.degrees(math.asin(min(1.0, math.sin(angle) / math.cos(math.radians(latitude)))))
    return BoundingBox(
        latitude - delta_latitude, latitude + delta_latitude, longitude - delta_longitude, longitude + delta_longitude
    )
