"""The optional online geocoder: off by default, only for coordinators and champions placing a
venue, every failure a message on the form, and never asked during a service user's search.
No test touches the network: a fake geocoder is installed through the seam."""
import pytest
from geopy.exc import GeocoderServiceError, GeocoderTimedOut, GeocoderUnavailable
from geopy.geocoders import Nominatim
from geopy.location import Location as GeopyLocation

from brokerage import create_app
from brokerage.core.values.roles import Role
from brokerage.directory.listings.models import Activity
from brokerage.directory.geo.geocoding import NominatimGeocoder, Place
from brokerage.extensions import db
from config import TestingConfig, environment_overrides

from ...conftest import page_text
from ..conftest import _form

NEAR_HALIFAX = Place(53.723101, -1.860502, "Arts Café, 1 Square Road, Halifax, HX1 1QG, United Kingdom")
LONDON = Place(51.507400, -0.127800, "1 Square Road, London, United Kingdom")
TICKED = '<input checked class="choice__input" id="use_position"'
FIND_BUTTON = "Find the venue on the map from its address"
NOMINATIM = {"GEOCODER": "nominatim", "GEOCODER_USER_AGENT": "creative-minds-test (it@example.org)"}


class FakeGeocoder:
    """Answers with `answer` (a Place, None, or an exception to raise) and records each address."""

    def __init__(self, answer=NEAR_HALIFAX):
        self.answer, self.addresses = answer, []

    def find(self, address):
        self.addresses.append(address)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.fixture
def geocoder(app):
    fake = FakeGeocoder()
    app.extensions["geocoder"] = fake
    return fake


@pytest.fixture
def partner(directory, now):
    partner = directory.partner("Halifax Arts Café", "calderdale")
    db.session.commit()
    return partner


def _find(client, directory, partner, **changes):
    return client.post("/activities/new/find-venue", data=_form(directory, partner, **changes))


def test_the_geocoder_is_off_unless_configured(app, client, coordinator, directory, partner):
    assert "geocoder" not in app.extensions
    assert FIND_BUTTON not in page_text(client.get("/activities/new"))
    response = _find(client, directory, partner)
    assert response.status_code == 200 and "not switched on here" in page_text(response)


def test_switched_on_it_is_nominatim_behind_a_rate_limiter_of_at_least_a_second(database_url):
    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": database_url, **NOMINATIM, "GEOCODER_TIMEOUT": 3.0})
    geocoder = app.extensions["geocoder"]
    assert isinstance(geocoder, NominatimGeocoder)
    assert geocoder.limiter.min_delay_seconds >= 1 and geocoder.limiter.max_retries == 0
    assert geocoder.service.headers["User-Agent"] == NOMINATIM["GEOCODER_USER_AGENT"]
    assert geocoder.service.timeout == 3.0 and geocoder.service.domain == "nominatim.openstreetmap.org"


@pytest.mark.parametrize("settings, message", [
    ({"GEOCODER": "nominatim"}, "GEOCODER_USER_AGENT"),
    ({**NOMINATIM, "GEOCODER_MIN_DELAY": 0.5}, "at least 1 second"),
    ({**NOMINATIM, "GEOCODER_TIMEOUT": 0.0}, "GEOCODER_TIMEOUT"),
    ({"GEOCODER": "google"}, "GEOCODER must be empty"),
])
def test_unsafe_geocoder_settings_refuse_to_start(database_url, settings, message):
    with pytest.raises(RuntimeError, match=message):
        create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": database_url, **settings})


def test_geocoder_settings_are_read_from_the_environment():
    env = {"GEOCODER": "nominatim", "GEOCODER_USER_AGENT": " brokerage (it@example.org) ",
           "GEOCODER_TIMEOUT": "2.5", "GEOCODER_MIN_DELAY": "2", "GEOCODER_DOMAIN": "nominatim.example.org"}
    overrides = environment_overrides(env)
    assert overrides["GEOCODER_USER_AGENT"] == "brokerage (it@example.org)"
    assert (overrides["GEOCODER_TIMEOUT"], overrides["GEOCODER_MIN_DELAY"]) == (2.5, 2.0)
    assert overrides["GEOCODER_DOMAIN"] == "nominatim.example.org"
    with pytest.raises(RuntimeError, match="GEOCODER_TIMEOUT must be a number"):
        environment_overrides({"GEOCODER_TIMEOUT": "soon"})


def test_nominatim_is_asked_within_great_britain_and_repeats_are_cached(monkeypatch):
    asked = []

    def geocode(self, query, **options):
        asked.append((query, options))
        return GeopyLocation("12 Westgate, Halifax", (53.72, -1.86), {})
    monkeypatch.setattr(Nominatim, "geocode", geocode)
    geocoder = NominatimGeocoder(user_agent="test", domain="nominatim.example.org", timeout=1, min_delay=1)
    assert geocoder.find("12 Westgate, Halifax") == Place(53.72, -1.86, "12 Westgate, Halifax")
    assert geocoder.find("12 Westgate, Halifax") == Place(53.72, -1.86, "12 Westgate, Halifax")
    assert asked == [("12 Westgate, Halifax", {"exactly_one": True, "country_codes": "gb"})]


def test_a_coordinator_finds_the_venue_confirms_it_and_it_is_saved_there(client, coordinator, directory, partner,
                                                                         geocoder):
    response = _find(client, directory, partner)
    body, text = response.get_data(as_text=True), page_text(response)
    assert response.status_code == 200 and "There is a problem" not in text
    assert geocoder.addresses == ["1 Square Road, Halifax, HX1 1QG"]
    assert "The map search found: Arts Café, 1 Square Road, Halifax" in text
    assert 'value="53.723101"' in body and 'value="-1.860502"' in body
    assert TICKED in body
    assert 'value="Fortnightly pottery"' in body  # everything typed is kept
    assert '<form method="post" action="/activities/new" novalidate>' in body  # saving still saves
    saved = client.post("/activities/new", data=_form(directory, partner, latitude="53.723101",
                                                        longitude="-1.860502", use_position="y"))
    assert saved.status_code == 302
    location = db.session.scalars(db.select(Activity)).one().location
    assert (location.latitude, location.longitude, location.location_precision) == (53.723101, -1.860502, "address")


def test_unticking_the_position_places_the_venue_at_its_postcode(client, coordinator, directory, partner, geocoder):
    saved = client.post("/activities/new", data=_form(directory, partner, latitude="53.723101", longitude="-1.860502"))
    assert saved.status_code == 302
    assert db.session.scalars(db.select(Activity)).one().location.location_precision == "district"


@pytest.mark.parametrize("answer, message", [
    (None, "We could not find that address on the map."),
    (GeocoderTimedOut("slow"), "The map search took too long to answer."),
    (GeocoderUnavailable("down"), "The map search is not available at the moment."),
    (GeocoderServiceError("HTTP 500"), "The map search is not available at the moment."),
    (LONDON, "more than 10 miles from HX1 1QG"),
])
def test_a_failed_search_says_why_keeps_what_was_typed_and_forgets_an_old_place(client, coordinator, directory,
                                                                              partner, geocoder, answer, message):
    geocoder.answer = answer
    response = _find(client, directory, partner, latitude="53.7", longitude="-1.8", use_position="y")
    text = page_text(response)
    assert response.status_code == 200
    assert "There is a problem" in text and message in text
    body = response.get_data(as_text=True)
    assert 'value="Fortnightly pottery"' in body and TICKED not in body and 'value="53.7"' not in body


@pytest.mark.parametrize("changes, message", [
    ({"address_is_private": "y"}, "A private address is never sent to the map search."),
    ({"address_1": ""}, "Enter the street address and town to find the venue on the map."),
])
def test_private_or_missing_addresses_are_never_sent(client, coordinator, directory, partner, geocoder,
                                                     changes, message):
    response = _find(client, directory, partner, **changes)
    assert response.status_code == 200 and message in page_text(response)
    assert geocoder.addresses == []


def test_a_position_far_from_the_postcode_or_for_a_private_address_is_refused_on_save(client, coordinator, directory,
                                                                                      partner, geocoder):
    far = client.post("/activities/new", data=_form(directory, partner, latitude="51.5074", longitude="-0.1278",
                                                    use_position="y"))
    assert far.status_code == 200 and "more than 10 miles from HX1 1QG" in page_text(far)
    private = client.post("/activities/new", data=_form(directory, partner, latitude="53.723101",
                                                        longitude="-1.860502", use_position="y",
                                                        address_is_private="y"))
    assert "A private address is placed at its postcode" in page_text(private)
    garbled = client.post("/activities/new", data=_form(directory, partner, latitude="nan", use_position="y"))
    assert "Find the venue on the map again" in page_text(garbled)
    assert db.session.scalars(db.select(Activity)).all() == []


def test_a_linked_champion_may_find_venues(client, auth, directory, partner, geocoder):
    auth.login(directory.champion_for(partner))
    assert FIND_BUTTON in page_text(client.get("/activities/new"))
    assert "The map search found" in page_text(_find(client, directory, partner))


def test_anonymous_visitors_and_partner_contacts_cannot_reach_the_lookup(client, auth, directory, partner, geocoder,
                                                                         listed):
    anonymous = _find(client, directory, partner)
    assert anonymous.status_code == 302 and "/login" in anonymous.location
    auth.login(directory.contact_for(partner))
    assert FIND_BUTTON not in page_text(client.get("/activities/new"))
    assert _find(client, directory, partner).status_code == 403
    assert client.post(f"/activities/{listed}/edit/find-venue", data=_form(directory, partner)).status_code == 403
    placed = client.post("/activities/new", data=_form(directory, partner, latitude="53.723101",
                                                       longitude="-1.860502", use_position="y"))
    assert placed.status_code == 403
    assert geocoder.addresses == []


def test_a_partner_contact_editing_keeps_the_position_a_coordinator_found(client, auth, directory, partner, geocoder):
    coordinator = directory.coordinator
    auth.login(coordinator)
    client.post("/activities/new", data=_form(directory, partner, latitude="53.723101", longitude="-1.860502",
                                              use_position="y"))
    activity_id = db.session.scalars(db.select(Activity.id)).one()
    auth.logout()
    auth.login(directory.contact_for(partner))
    form = client.get(f"/activities/{activity_id}/edit").get_data(as_text=True)
    assert 'value="53.723101"' in form
    data = {**_form(directory, partner, title="Pottery", latitude="53.723101", longitude="-1.860502",
                    use_position="y")}
    del data["provider"]
    assert client.post(f"/activities/{activity_id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Activity, activity_id).location.location_precision == "address"


def test_the_edit_form_finds_venues_too(client, coordinator, directory, listed, geocoder):
    data = _form(directory, directory.partner(), postcode="HX1 1QG")
    del data["provider"]
    response = client.post(f"/activities/{listed}/edit/find-venue", data=data)
    assert response.status_code == 200 and "The map search found" in page_text(response)
    assert f'formaction="/activities/{listed}/edit/find-venue"' in response.get_data(as_text=True)
    assert f'<form method="post" action="/activities/{listed}/edit" novalidate>' in response.get_data(as_text=True)


@pytest.mark.parametrize("path", [
    "/activities?q=art&postcode=HD1+2QA&distance=10", "/activities?postcode=hd12qa", "/activities?postcode=ZZ99+9ZZ",
    "/activities?postcode=Huddersfield+town+centre", "/activities?q=1+Square+Road+Halifax",
    "/api/v1/service_at_locations?postcode=HX1+1QG&proximity=5000", "/api/v1/services?search=Halifax",
])
def test_a_service_users_search_never_asks_the_geocoder(client, listed, geocoder, path):
    geocoder.answer = AssertionError("a search must never reach the online geocoder")
    assert client.get(path).status_code in {200, 400}
    assert geocoder.addresses == []
