"""The search index follows every change: archived partners' activities leave search and the
API, renamed providers are found by their new name, moved venues by their new place; the
flat-earth distance filter keeps every place inside the radius."""
import math
from dataclasses import replace

import pytest
from geopy.distance import geodesic
from sqlalchemy import select

from brokerage.core.values.roles import Role
from brokerage.core.data.models import Locality
from brokerage.directory.listings import services
from brokerage.directory.geo.distances import EARTH_RADIUS_MILES, MAX_RADIUS_MILES
from brokerage.directory.search.pages import SearchQuery, search_activities
from brokerage.directory.search.index import BAND_DEGREES, FLAT_MARGIN, band_of
from brokerage.extensions import db
from brokerage.groups import services as groups
from brokerage.partners.organisations import services as partners

from ..conftest import NOW

HUDDERSFIELD = (53.6458, -1.7850)


def _titles(**query) -> list[str]:
    return [result.activity.title for result in search_activities(query=SearchQuery(**query), now=NOW).results]


def _api_names(client, **params) -> list[str]:
    return [item["name"] for item in client.get("/api/v1/services", query_string=params).get_json()["contents"]]


def test_activities_of_an_archived_partner_leave_search_and_the_api_until_it_is_restored(directory, client):
    partner = directory.partner()
    directory.activity(partner=partner, title="Walking football")
    assert _titles(q="football", postcode="S71", distance=5) == ["Walking football"]
    partners.set_archived(actor=directory.coordinator, partner=partner, archived=True)
    assert _titles(q="football") == [] and _titles(postcode="S71", distance=5) == []
    assert _api_names(client, search="football") == []
    partners.set_archived(actor=directory.coordinator, partner=partner, archived=False)
    assert _titles(q="football", postcode="S71", distance=5) == ["Walking football"]
    assert _api_names(client, search="football") == ["Walking football"]


def test_renamed_partners_and_groups_are_found_by_their_new_name(directory):
    partner = directory.partner()
    directory.activity(partner=partner, title="Walking football")
    partners.update_partner(actor=directory.coordinator, partner=partner, details=partners.PartnerDetails(
        name="Oakwell Trust", type="informal_group", locality_ids=[loc.id for loc in partner.localities]))
    assert _titles(q="oakwell") == ["Walking football"] and _titles(q="reds") == []

    champion = directory.user(Role.CHAMPION)
    details = groups.GroupDetails(name="Wakefield Walkers", aims="Walking.", activity="A weekly walk.",
                                  locality_id=db.session.scalar(select(Locality.id).where(Locality.slug == "wakefield")),
                                  meeting_place="The Ridings", meeting_place_private=False)
    group = groups.create_group(actor=champion, details=details)
    services.create_activity(actor=champion, provider_key=f"group-{group.id}", now=NOW,
                             details=directory.details(title="Riverside", categories=("walking",), postcode="WF1 5AW"))
    groups.update_group(actor=champion, group=group, details=replace(details, name="Calder Striders"))
    assert _titles(q="striders") == ["Riverside"] and _titles(q="wakefield walkers") == []


def test_a_moved_venue_is_found_near_its_new_place(directory):
    activity = directory.activity(title="Walking football", postcode="S71 1ET")
    services.update_activity(actor=directory.coordinator, activity=activity, now=NOW,
                             details=directory.details(title="Walking football", postcode="HD1 2QA"))
    assert _titles(q="football", postcode="HD1", distance=3) == ["Walking football"]
    assert _titles(q="football", postcode="S71", distance=3) == []


def test_bands_are_whole_numbers_from_the_latitude():
    assert band_of(HUDDERSFIELD[0]) == math.floor(HUDDERSFIELD[0] / BAND_DEGREES) and band_of(None) is None


@pytest.mark.parametrize("miles", [0.1, 3, 10, MAX_RADIUS_MILES])
def test_the_flat_earth_filter_keeps_every_place_inside_the_radius_and_little_beyond(miles):
    scale = math.cos(math.radians(HUDDERSFIELD[0]))
    limit = math.degrees(miles / EARTH_RADIUS_MILES) * FLAT_MARGIN

    def inside(point) -> bool:
        return math.hypot(point.latitude - HUDDERSFIELD[0], (point.longitude - HUDDERSFIELD[1]) * scale) <= limit
    for bearing in range(0, 360, 15):
        assert inside(geodesic(miles=miles * 0.9999).destination(HUDDERSFIELD, bearing))
        assert not inside(geodesic(miles=miles * 1.02).destination(HUDDERSFIELD, bearing))


def test_nearest_first_whether_the_page_is_found_close_by_or_across_the_whole_distance(directory):
    """The search sorts an eighth of the distance first and falls back to the whole distance
    when that holds too few for the page; the order and the total are the same either way."""
    origin = search_activities(query=SearchQuery(postcode="HD1", distance=1), now=NOW).origin
    for number in range(1, 26):
        activity = directory.activity(title=f"Walk {number}", categories=("walking",), postcode="HD1 2QA")
        place = geodesic(miles=0.15 * number).destination(origin.point, 40 * number)
        activity.latitude, activity.longitude = place.latitude, place.longitude
    db.session.commit()
    expected = [f"Walk {number}" for number in range(1, 26)]
    for miles in (4, 32):  # an eighth of 4 miles holds 3 of them; an eighth of 32 holds all 25
        for query in (dict(postcode="HD1", distance=miles), dict(postcode="HD1", distance=miles, q="walk")):
            first = search_activities(query=SearchQuery(**query), now=NOW)
            second = search_activities(query=SearchQuery(**query, page=2), now=NOW)
            shown = [result.activity.title for result in first.results + second.results]
            assert (shown, first.total) == (expected, 25), (miles, query)
