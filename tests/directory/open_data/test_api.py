"""The Open Referral UK API: valid records, only what the public may see, and 400s for bad input."""
import json
import re
from datetime import date, time

import pytest

from brokerage.directory.listings import services
from brokerage.directory.listings.schedules import Schedule
from brokerage.directory.open_data.serialisers import public_id, row_id
from brokerage.directory.listings.services import Venue
from brokerage.extensions import db

from ..conftest import NOW, weekly
from .oruk import assert_valid


@pytest.fixture
def listed(directory, fixed_now):
    fixed_now(NOW)
    barnsley, halifax = directory.partner(), directory.partner("Halifax Arts Café", "calderdale")
    football = directory.activity(partner=barnsley, title="Walking football", min_age=50, max_age=90,
                                  contact_name="Sam Smith", contact_phone="01226 000111",
                                  contact_email="sam.smith@example.org")
    choir = directory.activity(
        partner=halifax, title="Halifax Community Choir", categories=("choir",), cost_kind="price",
        cost_amount=350, description="Sing together, no auditions.",
        venue=Venue(name="Jo's front room", postcode="HX1 1QG", address_1="12 Secret Lane", city="Halifax",
                    address_is_private=True, accessibility=("step_free",)),
        schedule=Schedule(frequency="monthly", start_date=date(2026, 6, 1), start_time=time(10, 30),
                          end_time=time(12), weekday=0, week_of_month=2))
    paused = directory.activity(partner=barnsley, title="Paused painting", categories=("painting",),
                                schedule=weekly(start=date(2026, 6, 18), at=time(10), until=time(12)))
    services.set_status(actor=directory.coordinator, activity=paused, status="paused", now=NOW)
    stale = directory.activity(partner=barnsley, title="Forgotten fishing", categories=("walking-football",))
    stale.last_checked_on = date(2025, 6, 1)
    db.session.commit()
    return {"football": football.id, "choir": choir.id, "paused": paused.id, "stale": stale.id}


def _get(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.mimetype == "application/json"
    return response.get_json()


def _names(page: dict) -> list[str]:
    return [record["name"] for record in page["contents"]]


def test_meta_describes_the_api(client):
    body = _get(client, "/api/v1/")
    assert_valid("/", body)
    assert body["version"] == "3.0"


def test_services_list_only_running_recently_checked_activities(client, listed):
    body = _get(client, "/api/v1/services")
    assert_valid("/services", body)
    assert _names(body) == ["Walking football", "Halifax Community Choir"]
    assert body["total_items"] == 2 and body["first_page"] and body["last_page"]


def test_services_are_paginated(client, listed):
    body = _get(client, "/api/v1/services?per_page=1&page=2")
    assert_valid("/services", body)
    assert _names(body) == ["Halifax Community Choir"]
    assert (body["total_pages"], body["page_number"], body["size"], body["first_page"], body["last_page"]) == (
        2, 2, 1, False, True)
    beyond = _get(client, "/api/v1/services?page=50")
    assert beyond["empty"] and beyond["contents"] == [] and beyond["total_items"] == 2


def test_services_search_uses_stems_and_synonyms(client, listed):
    assert _names(_get(client, "/api/v1/services?search=singing")) == ["Halifax Community Choir"]
    assert _names(_get(client, "/api/v1/services?search=footy")) == ["Walking football"]


def test_taxonomy_term_filter_includes_narrower_terms(client, listed):
    terms = {term["term"]: term["id"] for term in _get(client, "/api/v1/taxonomy_terms?per_page=100")["contents"]}
    assert _names(_get(client, f"/api/v1/services?taxonomy_term_id={terms['choir']}")) == ["Halifax Community Choir"]
    parent = _get(client, f"/api/v1/taxonomy_terms/{terms['choir']}")["parent_id"]
    assert _names(_get(client, f"/api/v1/services?taxonomy_term_id={parent}")) == ["Halifax Community Choir"]


def test_age_day_and_time_filters_follow_the_spec(client, listed):
    assert _names(_get(client, "/api/v1/services?minimum_age=40")) == ["Walking football"]
    assert _names(_get(client, "/api/v1/services?maximum_age=80")) == []
    assert _names(_get(client, "/api/v1/services?day=MO")) == ["Halifax Community Choir"]
    assert _names(_get(client, "/api/v1/services?day=wednesday")) == ["Walking football"]
    assert _names(_get(client, "/api/v1/services?start_time=17:00")) == ["Walking football"]
    assert _names(_get(client, "/api/v1/services?end_time=12:00")) == ["Halifax Community Choir"]


def test_full_service_validates_and_carries_schedule_costs_and_categories(client, listed):
    body = _get(client, f"/api/v1/services/{public_id('service', listed['choir'])}")
    assert_valid("/services/{id}", body)
    schedule = body["schedules"][0]
    assert (schedule["freq"], schedule["byday"], schedule["opens_at"]) == ("MONTHLY", "2MO", "10:30:00")
    assert body["cost_options"][0]["amount"] == 3.5
    assert body["attributes"][0]["taxonomy_term"]["term"] == "choir"
    assert body["organization"]["name"] == "Halifax Arts Café"


def test_private_venues_and_contacts_are_never_published(client, listed):
    choir = _get(client, f"/api/v1/services/{public_id('service', listed['choir'])}")
    football = _get(client, f"/api/v1/services/{public_id('service', listed['football'])}")
    text = str(choir) + str(football)
    assert "Secret Lane" not in text and "HX1 1QG" not in text
    assert "Sam Smith" not in text and "01226" not in text and "sam.smith" not in text
    location = choir["service_at_locations"][0]["location"]
    assert location["addresses"][0]["postal_code"] == "HX1"
    assert location["latitude"] == round(location["latitude"], 2)


def test_hidden_and_unknown_services_are_not_found(client, listed):
    for number in (listed["paused"], listed["stale"], 999_999):
        body = _get(client, f"/api/v1/services/{public_id('service', number)}", status=404)
        assert body["error"] == "not_found"
    _get(client, "/api/v1/services/not-a-uuid", status=404)
    _get(client, f"/api/v1/services/{public_id('location', listed['choir'])}", status=404)
    _get(client, "/api/v1/organisations", status=404)


def test_public_ids_are_stable_and_reversible():
    identifier = public_id("service", 42)
    assert identifier == public_id("service", 42) != public_id("location", 42)
    assert row_id("service", identifier) == 42 and row_id("location", identifier) is None


def test_service_at_locations_within_proximity_nearest_first(client, listed):
    body = _get(client, "/api/v1/service_at_locations?postcode=HX1&proximity=80000")
    assert_valid("/service_at_locations", body)
    assert [record["service"]["name"] for record in body["contents"]] == [
        "Halifax Community Choir", "Walking football"]
    near = _get(client, "/api/v1/service_at_locations?postcode=HX1&proximity=5000")
    assert [record["service"]["name"] for record in near["contents"]] == ["Halifax Community Choir"]
    place = body["contents"][0]["id"]
    assert_valid("/service_at_locations/{id}", _get(client, f"/api/v1/service_at_locations/{place}"))


def test_taxonomies_and_terms_validate(client, listed):
    taxonomies = _get(client, "/api/v1/taxonomies")
    assert_valid("/taxonomies", taxonomies)
    taxonomy = _get(client, f"/api/v1/taxonomies/{taxonomies['contents'][0]['id']}")
    assert_valid("/taxonomies/{id}", taxonomy)
    terms = _get(client, "/api/v1/taxonomy_terms?per_page=5&page=2")
    assert_valid("/taxonomy_terms", terms)
    assert terms["size"] == 5 and terms["total_items"] == len(taxonomy["taxonomy_terms"])
    assert_valid("/taxonomy_terms/{id}", _get(client, f"/api/v1/taxonomy_terms/{terms['contents'][0]['id']}"))


@pytest.mark.parametrize("query", [
    "page=0", "page=abc", "page=%C2%B2", "page=99999999999999999999", "per_page=0", "per_page=1000",
    "minimum_age=-1", "maximum_age=nan", "day=funday", "start_time=25:00", "end_time=6pm", "taxonomy_term_id=not-a-uuid",
    "taxonomy_id=1", "modified_after=yesterday", "search=" + "x" * 201])
def test_bad_parameters_answer_400_with_a_reason(client, listed, query):
    body = _get(client, f"/api/v1/services?{query}", status=400)
    assert body["error"] == "bad_request" and body["message"]


@pytest.mark.parametrize("query", [
    "postcode=%27;%20drop%20table", "postcode=ZZ99%209ZZ", "postcode=HD1&proximity=0",
    "postcode=HD1&proximity=far", "postcode=HD1&proximity=1000000", "proximity=500"])
def test_bad_places_parameters_answer_400(client, listed, query):
    assert _get(client, f"/api/v1/service_at_locations?{query}", status=400)["message"]


def test_modified_after_keeps_recent_changes(client, listed):
    assert len(_get(client, "/api/v1/services?modified_after=2026-06-01T00:00:00Z")["contents"]) == 2
    assert _get(client, "/api/v1/services?modified_after=2026-07-01")["contents"] == []


def test_service_list_statements_do_not_grow_with_the_page(client, listed, count_queries):
    def statements(url: str) -> int:
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count
    statements("/api/v1/services")  # the first one also opens a connection (SQLite pragmas)
    assert statements("/api/v1/services?per_page=1") == statements("/api/v1/services?per_page=100") <= 5
    assert statements("/api/v1/service_at_locations?per_page=1") == statements(
        "/api/v1/service_at_locations?per_page=100")


@pytest.mark.parametrize("postcode", ["SW1A%201AA", "SW1A"])
def test_a_valid_postcode_outside_the_footprint_answers_nothing_near_not_400(client, listed, postcode):
    body = _get(client, f"/api/v1/service_at_locations?postcode={postcode}&proximity=1000")
    assert_valid("/service_at_locations", body)
    assert (body["contents"], body["total_items"]) == ([], 0)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/services", "/api/v1/services/x", "/api/v1/nowhere"])
def test_writes_answer_405_as_json_with_allow_and_cors(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 405 and response.mimetype == "application/json"
    assert sorted(response.headers["Allow"].split(", ")) == ["GET", "HEAD", "OPTIONS"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.get_json()["error"] == "method_not_allowed"


def test_the_advertised_openapi_description_exists_and_covers_every_route(app, client):
    url = _get(client, "/api/v1/")["openapi_url"]
    assert url.startswith("http") and url.endswith("/api/v1/openapi.json")
    document = _get(client, "/api/v1/openapi.json")
    assert document["openapi"].startswith("3.0") and document["servers"][0]["url"].endswith("/api/v1")
    routes = {rule.rule.removeprefix("/api/v1").replace("<", "{").replace(">", "}")
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("directory_api.")
              and "GET" in rule.methods and "path:" not in rule.rule and not rule.rule.endswith(".json")}
    named = {re.sub(r"\{\w+\}", "{id}", route) for route in routes}
    assert named == set(document["paths"])
    for reference in re.findall(r'"\$ref": "#/([^"]+)"', json.dumps(document)):
        found = document
        for part in reference.split("/"):
            found = found[part]
