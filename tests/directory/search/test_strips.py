"""The count of a search near a postcode reads strips of its circle (search/strips.py): every place
within the distance lies in exactly one strip of its band, a whole strip holds nothing beyond
the distance, and the total shown is exactly the number of results listed."""
import math
import random

from geopy.distance import geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from brokerage.directory.geo.distances import MAX_RADIUS_MILES, MIN_RADIUS_MILES
from brokerage.directory.search.pages import PER_PAGE, SearchQuery, search_activities
from brokerage.directory.search.index import BAND_DEGREES, band_of, place_values
from brokerage.directory.search.strips import STRIPS_PER_BAND, strips
from brokerage.extensions import db

from ..conftest import NOW


def _within(place: dict, latitude: float, longitude: float) -> bool:
    """The search's own distance test (search.index.near_place), in Python."""
    north, east = latitude - place["latitude"], (longitude - place["longitude"]) * place["scale"]
    return north * north + east * east <= place["limit_squared"]


def _holding(found, latitude: float, longitude: float):
    band = band_of(latitude)
    return [strip for strip in found if strip.band == band and strip.west <= longitude < strip.east]


@settings(max_examples=60, deadline=None)
@given(latitude=st.floats(49.9, 58.7), longitude=st.floats(-6.4, 1.8),
       miles=st.floats(MIN_RADIUS_MILES, MAX_RADIUS_MILES), seed=st.integers(0, 2 ** 16))
def test_every_place_within_the_distance_is_counted_once_and_no_place_beyond(latitude, longitude, miles, seed):
    place = place_values(latitude, longitude, miles)
    found = strips(place)
    assert len(found) == STRIPS_PER_BAND * len(place["bands"])
    reach = math.sqrt(place["limit_squared"])
    sample = random.Random(seed)
    for _ in range(300):
        # Points spread over the circle and a little beyond it, and some right on its edge.
        angle, share = sample.uniform(0, 2 * math.pi), sample.choice([sample.uniform(0, 1.1), 1.0])
        point = (latitude + reach * share * math.sin(angle),
                 longitude + reach * share * math.cos(angle) / place["scale"])
        holding = _holding(found, *point)
        counted = len(holding) == 1 and (holding[0].whole or _within(place, *point))
        assert len(holding) <= 1
        assert counted == _within(place, *point), (point, holding)


@settings(max_examples=30, deadline=None)
@given(latitude=st.floats(50, 58), miles=st.floats(MIN_RADIUS_MILES, MAX_RADIUS_MILES), seed=st.integers(0, 2 ** 16))
def test_a_whole_strip_holds_only_places_within_the_distance(latitude, miles, seed):
    place = place_values(latitude, -1.8, miles)
    sample = random.Random(seed)
    for strip in (strip for strip in strips(place) if strip.whole and strip.east > strip.west):
        south = strip.band * BAND_DEGREES
        for corner_latitude in (south, south + BAND_DEGREES - 1e-12, sample.uniform(south, south + BAND_DEGREES)):
            for corner_longitude in (strip.west, math.nextafter(strip.east, strip.west)):
                if band_of(corner_latitude) == strip.band:
                    assert _within(place, corner_latitude, corner_longitude)


def test_the_total_is_the_number_of_results_listed_however_the_places_lie(directory):
    """Activities scattered inside and just outside 3 miles of HD1: the count (strips) and the
    listed results (the distance tested row by row) agree, on every page."""
    origin = search_activities(query=SearchQuery(postcode="HD1", distance=3), now=NOW).origin
    sample = random.Random(7)
    for number in range(70):
        activity = directory.activity(title=f"Walk {number}", categories=("walking",), postcode="HD1 2QA")
        spot = geodesic(miles=3 * math.sqrt(sample.uniform(0, 1.3))).destination(origin.point, sample.uniform(0, 360))
        activity.latitude, activity.longitude = spot.latitude, spot.longitude
    db.session.commit()
    for query in (dict(postcode="HD1", distance=3), dict(postcode="HD1", distance=3, q="walk")):
        pages = [search_activities(query=SearchQuery(**query, page=number), now=NOW) for number in (1, 2, 3, 4)]
        listed = [result.activity.id for page in pages for result in page.results]
        assert len(listed) == len(set(listed)) == pages[0].total
        assert 40 < pages[0].total < 70 and all(page.total == pages[0].total for page in pages)
        assert len(pages[0].results) == PER_PAGE and all(result.distance_miles <= 3.02 for page in pages
                                                         for result in page.results)
