"""Cached public pages stay correct: any change, made by any worker, shows at once; each visitor
gets their own CSRF token; signed-in people and waiting messages bypass the cache."""
import re

import pytest
from flask.testing import FlaskClient

from brokerage import create_app
from brokerage.accounts.models import User
from brokerage.core.values.roles import Role
from brokerage.directory.listings import services
from brokerage.directory.listings.occurrences import refresh_all_occurrences
from brokerage.directory.geo.locations import upsert_centroids
from brokerage.directory.page_cache import watched_tables
from brokerage.extensions import db
from brokerage.partners.organisations import services as partners
from brokerage.partners.models import Partner
from config import TestingConfig

from .. import conftest as shared
from ..conftest import page_text
from .conftest import NOW

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def listed(directory, fixed_now):
    fixed_now(NOW)
    activity = directory.activity(title="Walking football")
    db.session.commit()
    return activity


def test_a_change_shows_at_once_on_a_page_already_kept(client, directory, listed):
    assert "Walking football" in page_text(client.get(f"/activities/{listed.id}"))
    services.update_activity(actor=directory.coordinator, activity=listed, now=NOW,
                             details=directory.details(title="Walking netball"))
    assert "Walking netball" in page_text(client.get(f"/activities/{listed.id}"))
    assert "Walking netball" in page_text(client.get("/activities?q=walking")).split("Sport –")[-1]


def test_a_change_made_by_another_worker_shows_at_once(app, client, directory, listed, database_url):
    partner_id, coordinator_id = listed.partner_id, directory.coordinator.id
    link, search = f'href="/activities/{listed.id}"', "/activities?q=football&postcode=S71"
    db.session.commit()
    assert link in client.get(search).get_data(as_text=True)
    other_worker = create_app(TestingConfig, shared.test_overrides(database_url))
    with other_worker.app_context():
        partners.set_archived(actor=db.session.get(User, coordinator_id), partner=db.session.get(Partner, partner_id),
                              archived=True)
        db.engine.dispose()
    db.session.commit()  # this worker's next request starts a new transaction
    assert link not in client.get(search).get_data(as_text=True)


def _place_reads(counter) -> int:
    return sum("postcode_centroid" in statement for statement in counter.statements)


def test_a_postcodes_place_is_read_once_until_the_directory_changes(client, listed, count_queries):
    with count_queries() as first:
        assert "Walking football" in page_text(client.get("/activities?q=walking&postcode=S71&distance=5"))
    with count_queries() as again:
        assert "Walking football" in page_text(client.get("/activities?q=football&postcode=s71&distance=5"))
    assert (_place_reads(first), _place_reads(again)) == (1, 0)
    upsert_centroids([{"postcode": "S71", "latitude": 50.1, "longitude": -5.5, "precision": "district",
                       "terminated": False}])  # S71 moved to Cornwall
    db.session.commit()
    with count_queries() as moved:
        assert "Nothing matches" in page_text(client.get("/activities?q=walking&postcode=S71&distance=5"))
    with count_queries() as kept_again:
        client.get("/activities?q=walking&postcode=S71&distance=6")
    assert (_place_reads(moved), _place_reads(kept_again)) == (1, 0)


def test_a_signed_in_persons_search_reads_the_place_each_time(client, auth, listed, count_queries):
    auth.login_as(Role.CHAMPION)
    for _ in range(2):
        with count_queries() as search:
            assert "Walking football" in page_text(client.get("/activities?q=walking&postcode=S71&distance=5"))
        assert _place_reads(search) == 1


def test_sessions_refreshed_in_bulk_show_at_once(client, directory, listed, fixed_now):
    assert "Wed 17 Jun" in page_text(client.get(f"/activities/{listed.id}"))
    fixed_now(NOW.replace(day=18))
    refresh_all_occurrences(now=NOW.replace(day=18))
    assert "Wed 24 Jun" in page_text(client.get(f"/activities/{listed.id}"))


def _request(app, call):
    """As in a worker: each request in its own application context (its own `g`)."""
    with app.app_context():
        return call()


def test_each_visitor_gets_their_own_token_and_it_works(app, listed):
    first, second, page = FlaskClient(app), FlaskClient(app), f"/activities/{listed.id}"
    db.session.commit()
    tokens = [TOKEN.search(_request(app, lambda: visitor.get(page)).get_data(as_text=True)).group(1)
              for visitor in (first, second)]
    assert tokens[0] != tokens[1]
    response = _request(app, lambda: second.post("/shortlist/add", data={
        "activity_id": page.rsplit("/", 1)[1], "next": "/shortlist", "csrf_token": tokens[1]}))
    assert response.status_code == 302
    assert "Walking football" in page_text(_request(app, lambda: second.get("/shortlist")))


def test_signed_in_editors_never_get_the_anonymous_copy(client, auth, directory, listed):
    assert "Edit this listing" not in page_text(client.get(f"/activities/{listed.id}"))
    auth.login(directory.coordinator)
    assert "Edit this listing" in page_text(client.get(f"/activities/{listed.id}"))


def test_a_waiting_message_is_shown_and_never_kept(client, listed):
    page = f"/activities/{listed.id}"
    client.get(page)  # kept without a message
    client.post("/shortlist/add", data={"activity_id": str(listed.id), "next": page})
    assert "Added Walking football to your shortlist." in page_text(client.get(page))
    assert "Added Walking football" not in page_text(client.get(page))


def test_the_watched_tables_are_the_directorys_and_those_its_pages_show(app):
    """Each feature declares its own (PAGE_CACHE_TABLES); the set watched once the app is built
    is exactly the one the page cache watched when it named them all itself."""
    assert watched_tables() == {
        "activity", "activity_category", "activity_suitable_for", "activity_join_method", "activity_occurrence",
        "activity_search_term", "location", "service_at_location", "accessibility", "schedule", "cost_option",
        "contact", "taxonomy", "taxonomy_term", "postcode_centroid", "partner", "peer_group", "locality",
        "story", "mark_application"}
