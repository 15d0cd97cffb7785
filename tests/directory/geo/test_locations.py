"""Offline postcode lookup: the shipped district centres, and full postcodes once imported."""
import pytest
from sqlalchemy import func, select

from brokerage.core.values.postcodes import InvalidPostcode
from brokerage.directory.geo.distances import distance_miles
from brokerage.directory.geo.locations import (Location, load_district_centroids, locate, normalise_place,
                                               read_district_centroids, upsert_centroids)
from brokerage.directory.geo.models import PostcodeCentroid
from brokerage.extensions import db

FOOTPRINT = {
    "barnsley": ["S70", "S71", "S72", "S73", "S74", "S75", "S35", "S36", "S63"],
    "calderdale": [f"HX{n}" for n in range(1, 8)] + ["OL14"],
    "kirklees": [f"HD{n}" for n in range(1, 10) if n != 6] + [f"WF{n}" for n in range(12, 18)]
    + ["BD19", "BD11", "BD12"],
    "wakefield": [f"WF{n}" for n in range(1, 12)],
}
TOWN_CENTRES = {"barnsley": (53.5526, -1.4797), "calderdale": (53.7248, -1.8658),
                "kirklees": (53.6458, -1.7850), "wakefield": (53.6830, -1.4977)}


@pytest.fixture
def districts(app):
    with app.app_context():
        load_district_centroids()
    return app


def test_every_footprint_district_ships_with_its_locality():
    shipped = {row.district: row for row in read_district_centroids()}
    for locality, districts in FOOTPRINT.items():
        for district in districts:
            assert shipped[district].locality == locality, district
    assert shipped["HD6"].locality == "calderdale"  # Brighouse: a Huddersfield postcode in Calderdale


def test_shipped_centres_lie_near_their_localitys_towns():
    rows = read_district_centroids()
    assert len({row.district for row in rows}) == len(rows)
    for row in rows:
        assert 53.2 < row.latitude < 54.0 and -2.3 < row.longitude < -1.1, row.district
        if row.locality:
            # Every footprint district is within 13 miles of its locality's main town.
            assert distance_miles(row_point(row), TOWN_CENTRES[row.locality]) < 13, row.district


def row_point(row):
    return row.latitude, row.longitude


def test_loading_districts_twice_keeps_one_row_each(districts):
    with districts.app_context():
        assert load_district_centroids() == 0
        assert load_district_centroids(replace=True) == len(read_district_centroids())
        assert db.session.scalar(select(func.count()).select_from(PostcodeCentroid)) == len(read_district_centroids())


@pytest.mark.parametrize("typed, expected", [("hd1", "HD1"), (" HD1 ", "HD1"), ("hd12qa", "HD1 2QA"),
                                             ("HD1  2QA", "HD1 2QA"), ("wf17 7aa", "WF17 7AA")])
def test_postcodes_and_districts_are_written_one_way(typed, expected):
    assert normalise_place(typed) == expected


@pytest.mark.parametrize("typed", ["", "ZZ", "'; drop table postcode_centroid", "HD1 2", "X" * 500])
def test_text_that_is_not_a_postcode_is_refused_with_a_message(districts, typed):
    with districts.app_context(), pytest.raises(InvalidPostcode) as error:
        locate(typed)
    assert "postcode" in str(error.value)


def test_a_district_is_located_at_its_centre(districts):
    with districts.app_context():
        location = locate("hx7")
    assert location == Location("HX7", 53.742, -2.012, "district")


def test_a_full_postcode_falls_back_to_its_district_until_imported(districts):
    with districts.app_context():
        before = locate("hd1 2qa")
        upsert_centroids([{"postcode": "HD1 2QA", "latitude": 53.6437, "longitude": -1.7781,
                           "precision": "unit", "terminated": False}])
        db.session.commit()
        after = locate("HD12QA")
    assert (before.postcode, before.precision) == ("HD1 2QA", "district")
    assert before.point == (53.646, -1.785)
    assert after == Location("HD1 2QA", 53.6437, -1.7781, "unit")


def test_unknown_districts_and_postcodes_are_not_located(districts):
    with districts.app_context():
        assert locate("TR19 7AA") is None
        assert locate("TR19") is None
        with pytest.raises(InvalidPostcode):
            locate("ZZ99 9ZZ")  # the NHS "no fixed abode" pseudo-postcode is not a place


def test_nothing_is_located_before_the_districts_are_loaded(app):
    with app.app_context():
        assert locate("HD1") is None
