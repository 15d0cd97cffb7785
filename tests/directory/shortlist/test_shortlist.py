"""Workers' shortlists: kept in order with next sessions, shared read-only, no account needed."""
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from brokerage.directory.shortlist import services as shortlist
from brokerage.directory.shortlist.models import Shortlist, ShortlistItem
from brokerage.core.web.log_privacy import AccessLogRedactor
from brokerage.extensions import db

from ...conftest import page_text
from ..conftest import NOW, weekly


@pytest.fixture
def now(fixed_now):
    fixed_now(NOW)
    return fixed_now


@pytest.fixture
def activities(directory, now):
    ids = [directory.activity().id,
           directory.activity(title="Community choir", categories=("choir",),
                              schedule=weekly(start=date(2026, 6, 19))).id]
    db.session.commit()
    return ids


def _add(client, activity_id, next_path="/shortlist"):
    return client.post("/shortlist/add", data={"activity_id": str(activity_id), "next": next_path})


def _items(client, url="/shortlist") -> str:
    """The text of the list itself (not the flashed messages around it)."""
    body = client.get(url).get_data(as_text=True)
    found = re.search(r'<ol class="card-list shortlist">(.*?)</ol>', body, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))) if found else ""


def _share_link(client) -> str:
    return re.search(r'href="http://localhost(/shortlist/[A-Za-z0-9_-]{40,})"',
                     client.get("/shortlist").get_data(as_text=True)).group(1)


def test_a_worker_builds_a_list_in_order_with_next_sessions(client, activities):
    football, choir = activities
    assert _add(client, choir).status_code == 302
    _add(client, football)
    _add(client, choir)  # again: no duplicate
    text = _items(client)
    assert text.index("Community choir") < text.index("Walking football")
    assert text.count("Remove Community choir") == 1 and "Next: Wed 17 Jun, 6–8pm" in text
    assert "Next: Fri 19 Jun, 6–8pm" in text
    assert f"/activities/{football}.ics" in client.get("/shortlist").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ShortlistItem)) == 2


def test_adding_returns_to_the_page_it_came_from_but_never_off_site(client, activities):
    assert _add(client, activities[0], "/activities?q=art").headers["Location"] == "/activities?q=art"
    assert _add(client, activities[0], "//evil.example/").headers["Location"] == "/shortlist"
    assert _add(client, activities[0], "https://evil.example/").headers["Location"] == "/shortlist"


def test_the_search_results_and_activity_page_offer_add_to_shortlist(client, activities):
    assert 'action="/shortlist/add"' in client.get("/activities?q=football").get_data(as_text=True)
    assert 'action="/shortlist/add"' in client.get(f"/activities/{activities[0]}").get_data(as_text=True)


def test_removing_an_item_and_adding_a_note(client, activities):
    football, choir = activities
    _add(client, football)
    _add(client, choir)
    client.post("/shortlist/remove", data={"activity_id": str(football)})
    client.post("/shortlist/note", data={"note": "Try the choir first; the bus stops outside."})
    assert "Walking football" not in _items(client) and "Community choir" in _items(client)
    assert "the bus stops outside" in page_text(client.get("/shortlist"))


def test_the_shared_link_is_read_only_for_someone_else(client, app, activities):
    _add(client, activities[0])
    client.post("/shortlist/note", data={"note": "See you there"})
    link = _share_link(client)
    other = app.test_client()
    response = other.get(link)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Walking football" in body and "See you there" in body
    assert "/shortlist/remove" not in body and "/shortlist/note" not in body
    # Their own session has no list, so their changes never touch this one.
    other_client = type(client)(app, app.response_class, use_cookies=True)
    assert other_client.post("/shortlist/remove", data={"activity_id": str(activities[0])}).status_code == 404
    assert other_client.post("/shortlist/note", data={"note": "changed"}).status_code == 404
    assert "See you there" in page_text(other.get(link))


def test_an_unknown_or_expired_token_is_404(client, activities, now):
    assert client.get("/shortlist/" + "x" * 43).status_code == 404
    assert client.get("/shortlist/" + "x" * 500).status_code == 404
    _add(client, activities[0])
    link = _share_link(client)
    now(NOW + timedelta(days=shortlist.SHORTLIST_DAYS, seconds=1))
    assert client.get(link).status_code == 404


def test_only_the_token_hash_is_stored(client, activities):
    _add(client, activities[0])
    token = _share_link(client).rsplit("/", 1)[1]
    assert db.session.scalar(select(Shortlist.token_hash)) != token


def test_an_expired_list_starts_afresh_and_old_ones_are_purged(client, activities, now, runner):
    _add(client, activities[0])
    now(NOW + timedelta(days=91))
    _add(client, activities[1])
    assert "Walking football" not in _items(client) and "Community choir" in _items(client)
    result = runner.invoke(args=["directory", "purge-interest"])
    assert "Expired shortlists deleted: 1." in result.output


def test_bad_ids_and_missing_csrf_are_refused(client, activities):
    assert client.post("/shortlist/add", data={"activity_id": "abc"}).status_code == 404
    assert client.post("/shortlist/add", data={"activity_id": "999999"}).status_code == 404
    assert client.post("/shortlist/add", data={"activity_id": str(activities[0])}, csrf=False).status_code == 400


def test_a_note_that_is_too_long_is_refused_next_to_the_field(client, activities):
    _add(client, activities[0])
    response = client.post("/shortlist/note", data={"note": "x" * 1001})
    assert "Keep the note to 1000 characters." in page_text(response)
    assert 'id="note-error"' in response.get_data(as_text=True)


def test_an_empty_shortlist_says_so(client, directory, now):
    assert "There is nothing on your shortlist yet." in page_text(client.get("/shortlist"))


def test_a_shared_shortlist_and_its_owners_page_are_never_cached(app, client, activities):
    _add(client, activities[0])
    link = _share_link(client)
    assert client.get("/shortlist").headers.get("Cache-Control") == "no-store"
    shared = app.test_client().get(link)
    assert shared.status_code == 200 and shared.headers.get("Cache-Control") == "no-store"


def test_access_logs_never_hold_a_shared_shortlist_token(app):
    redact = AccessLogRedactor(app).redact
    assert redact("GET /shortlist/Abc-12_xyz HTTP/1.1") == "GET /shortlist/[redacted] HTTP/1.1"
    assert redact("POST /shortlist/add HTTP/1.1") == "POST /shortlist/add HTTP/1.1"


def test_a_printed_shortlist_stands_alone_with_address_pattern_joining_cost_and_contact(client, app, directory, now):
    activity = directory.activity(title="Pottery taster", categories=("pottery",), cost_kind="price",
                                  cost_amount=350, join_methods=("drop_in", "booking"), contact_name="Sam",
                                  contact_phone="01484 000000", contact_email="sam@example.org")
    db.session.commit()
    _add(client, activity.id)
    shared = page_text(app.test_client().get(_share_link(client)))
    for expected in ("Where Oakwell Stadium, Grove Street, Barnsley, S71 1ET", "When Every Wednesday, 6–8pm",
                     "How to join Drop in: just turn up; Book a place", "Cost A set price: £3.50",
                     "Who to ask Sam, 01484 000000, sam@example.org"):
        assert expected in shared
