"""Distances in miles and bounding boxes that never cut off a place inside the radius."""
import math

import pytest
from geopy.distance import geodesic, great_circle

from brokerage.directory.geo.distances import (MAX_RADIUS_MILES, miles_text, bounding_box, check_radius, distance_miles,
                                               metres_to_miles, miles_to_metres, shown_miles)
from brokerage.errors import RuleViolation

HUDDERSFIELD = (53.6458, -1.7850)
HALIFAX = (53.7248, -1.8658)


def test_huddersfield_to_halifax_is_about_six_and_a_half_miles():
    assert distance_miles(HUDDERSFIELD, HALIFAX) == pytest.approx(6.5, abs=0.3)
    assert distance_miles(HUDDERSFIELD, HUDDERSFIELD) == 0


def test_miles_and_metres_convert_both_ways():
    assert miles_to_metres(1) == pytest.approx(1609.344)
    assert metres_to_miles(16093.44) == pytest.approx(10)


@pytest.mark.parametrize("radius", [0.5, 3, 10, MAX_RADIUS_MILES])
@pytest.mark.parametrize("centre", [HUDDERSFIELD, (50.1, -5.5), (58.6, -3.0)])
def test_bounding_box_holds_every_point_on_the_circle(centre, radius):
    box = bounding_box(*centre, radius)
    for bearing in range(0, 360, 5):
        point = geodesic(miles=radius * 0.9999).destination(centre, bearing)
        assert box.contains(point.latitude, point.longitude), bearing


def test_bounding_box_is_tight_enough_to_be_useful():
    box = bounding_box(*HUDDERSFIELD, 10)
    north = geodesic(miles=10).destination(HUDDERSFIELD, 0).latitude
    east = geodesic(miles=10).destination(HUDDERSFIELD, 90).longitude
    assert box.max_latitude - HUDDERSFIELD[0] == pytest.approx(north - HUDDERSFIELD[0], rel=0.02)
    assert box.max_longitude - HUDDERSFIELD[1] == pytest.approx(east - HUDDERSFIELD[1], rel=0.02)
    assert box.contains(*HALIFAX)  # 6.5 miles away
    further_north = geodesic(miles=10.5).destination(HUDDERSFIELD, 0)
    assert not box.contains(further_north.latitude, further_north.longitude)


@pytest.mark.parametrize("radius", [0, -1, 0.05, 51, 10_000, math.nan, math.inf])
def test_distances_out_of_range_are_refused(radius):
    with pytest.raises(RuleViolation) as error:
        check_radius(radius)
    assert error.value.field == "distance"
    assert "miles" in error.value.message


def test_the_distance_shown_in_search_is_within_half_a_percent_of_the_geodesic_one():
    assert shown_miles(HUDDERSFIELD, HALIFAX) == pytest.approx(distance_miles(HUDDERSFIELD, HALIFAX), rel=0.005)


@pytest.mark.parametrize("destination", [HALIFAX, (53.6459, -1.7850), (51.5007, -0.1246), (53.6458, -1.7850)])
def test_the_distance_shown_in_search_is_geopys_great_circle_distance(destination):
    assert shown_miles(HUDDERSFIELD, destination) == pytest.approx(great_circle(HUDDERSFIELD, destination).miles,
                                                                   rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("miles, exact, rough", [
    (0.0, "0 miles", "under 1 mile"), (0.43, "0.4 miles", "under 1 mile"), (1.0, "1 mile", "about 1 mile"),
    (1.6, "1.6 miles", "about 2 miles"), (12.6, "13 miles", "about 13 miles"),
])
def test_a_distance_from_a_district_centre_is_rounded_to_what_it_can_claim(miles, exact, rough):
    assert (miles_text(miles), miles_text(miles, rough=True)) == (exact, rough)
