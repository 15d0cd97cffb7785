"""Directory pages: public search, the activity page and calendar, listing and its permissions."""
import logging
import re
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from brokerage.core.roles import Role
from brokerage.core.log_privacy import AccessLogRedactor, RedactAccessLog
from brokerage.directory.activity_models import Activity
from brokerage.directory.services import FirstVisit, Venue
from brokerage.extensions import db

from ..conftest import page_text
from .conftest import NOW

FORM = {
    "title": "Fortnightly pottery", "description": "Hand building with clay, tea and a chat.",
    "venue_name": "Arts Café", "address_1": "1 Square Road", "city": "Halifax", "postcode": "hx1 1qg",
    "frequency": "fortnightly", "start_date": "2026-06-18", "start_time": "14:00", "end_time": "16:00",
    "cost_kind": "price", "cost_amount": "3.50", "join_methods": ["drop_in"], "beginners_welcome": "y",
    "what_to_expect": "Someone will meet you at the door.", "contact_name": "Sam",
}


@pytest.fixture
def now(fixed_now):
    fixed_now(NOW)
    return fixed_now


@pytest.fixture
def listed(directory, now):
    activity = directory.activity(first_visit=FirstVisit(what_to_expect="A warm welcome at the gate.",
                                                         peer_buddy=True))
    activity_id = activity.id
    db.session.commit()  # and touch nothing after it: SQLite would hold a write lock for the next read
    return activity_id


def _form(directory, partner, **changes):
    data = {**FORM, "provider": f"partner-{partner.id}", "categories": [str(i) for i in directory.term_ids("pottery")]}
    data.update(changes)
    return data


def test_anyone_can_search_and_see_distance_and_next_session(client, listed):
    response = client.get("/activities?q=football&postcode=S70&distance=10")
    text = page_text(response)
    assert response.status_code == 200
    assert "1 activity found within 10 miles of S70" in text
    assert "Walking football" in text and "miles away" in text
    assert "Next: Wed 17 Jun, 6–8pm" in text


@pytest.mark.parametrize("query, message", [
    ("postcode=HD1&distance=banana", "Enter a distance in miles, like 5."),
    ("postcode=HD1&distance=900", "Choose a distance from 0.1 to 50 miles."),
    ("postcode=AB10+1XG", "know where that postcode is"),
    ("postcode=%27%3B+drop+table", "Enter a postcode"),
    ("day=9", "is not a valid choice"),
    ("page=99999", "That page does not exist."),
])
def test_bad_search_input_gets_a_message_by_the_field_never_a_500(client, listed, query, message):
    response = client.get(f"/activities?{query}")
    assert response.status_code == 200
    assert "There is a problem" in page_text(response) and message in page_text(response)


def test_empty_results_suggest_widening_the_search(client, listed):
    text = page_text(client.get("/activities?q=choir&postcode=S70&distance=3"))
    assert "0 activities found" in text and "Look up to 10 miles away" in text


def test_activity_page_shows_the_first_visit_and_how_to_join(client, listed):
    text = page_text(client.get(f"/activities/{listed}"))
    assert "Your first visit" in text and "A warm welcome at the gate." in text
    assert "A peer buddy can meet you on your first visit." in text
    assert "Drop in: just turn up" in text and "Every Wednesday, 6–8pm" in text
    assert "Oakwell Stadium, Grove Street, Barnsley, S71 1ET" in text


def test_a_private_address_is_never_shown(client, directory, now):
    activity = directory.activity(venue=Venue(name="Jo's house", postcode="HX1 1QG", address_1="4 Secret Lane",
                                              city="Halifax", address_is_private=True))
    db.session.commit()
    page = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    calendar = client.get(f"/activities/{activity.id}.ics").get_data(as_text=True)
    for body in (page, calendar):
        assert "Secret Lane" not in body and "HX1 1QG" not in body


def test_calendar_file_is_icalendar_with_the_recurrence(client, listed):
    response = client.get(f"/activities/{listed}.ics")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/calendar"
    assert body.startswith("BEGIN:VCALENDAR\r\n") and "RRULE:FREQ=WEEKLY;BYDAY=WE" in body
    assert "DTSTART;TZID=Europe/London:20260617T180000" in body


def test_unknown_activity_is_404(client, directory):
    assert client.get("/activities/999").status_code == 404
    assert client.get("/activities/999.ics").status_code == 404


def test_home_page_has_a_search_form_and_everyone_sees_find_an_activity(client):
    body = client.get("/").get_data(as_text=True)
    assert 'action="/activities"' in body and 'name="postcode"' in body
    assert ">Find an activity</a>" in body


def test_partner_contact_lists_an_activity_that_appears_in_search(client, auth, directory, now):
    partner = directory.partner("Halifax Arts Café", "calderdale")
    contact = directory.contact_for(partner)
    db.session.commit()
    auth.login(contact)
    response = client.post("/activities/new", data=_form(directory, partner))
    assert response.status_code == 302
    text = page_text(client.get("/activities?q=ceramics&postcode=HX1"))
    assert "Fortnightly pottery" in text and "Next: Thu 18 Jun, 2–4pm" in text


@pytest.mark.parametrize("changes, message", [
    ({"end_time": "13:00"}, "The end time must be after the start time."),
    ({"frequency": "monthly"}, "Choose the day of the week a monthly activity meets on."),
    ({"postcode": "AB10 1XG"}, "know where that postcode is"),
    ({"exceptions": "25/12/2026, tomorrow"}, "is not a date"),
    ({"cost_amount": "-3"}, "Enter an amount greater than £0."),
    ({"categories": []}, "Choose at least one category."),
])
def test_listing_mistakes_get_a_message_and_keep_the_answers(client, coordinator, directory, now, changes, message):
    partner = directory.partner()
    db.session.commit()
    response = client.post("/activities/new", data=_form(directory, partner, **changes))
    assert response.status_code == 200
    assert message in page_text(response) and 'value="Fortnightly pottery"' in response.get_data(as_text=True)


def test_editing_keeps_every_answer_and_saves_changes(client, coordinator, directory, listed):
    form = client.get(f"/activities/{listed}/edit").get_data(as_text=True)
    assert 'value="Walking football"' in form and 'value="S71 1ET"' in form
    data = _form(directory, directory.partner(), title="Walking football plus")
    del data["provider"]  # the edit form does not ask who runs it
    response = client.post(f"/activities/{listed}/edit", data=data)
    assert response.status_code == 302
    assert db.session.get(Activity, listed).title == "Walking football plus"


def test_another_partners_contact_cannot_open_or_change_the_listing(client, auth, directory, listed):
    outsider = directory.contact_for(directory.partner("Halifax Arts Café", "calderdale"))
    db.session.commit()
    auth.login(outsider)
    assert client.get(f"/activities/{listed}/edit").status_code == 403
    assert client.post(f"/activities/{listed}/confirm").status_code == 403
    assert client.post(f"/activities/{listed}/status", data={"status": "ended"}).status_code == 403
    response = client.post("/activities/new", data=_form(directory, directory.partner()))
    assert response.status_code == 200 and "Not a valid choice" in page_text(response)


def test_collective_member_cannot_list_activities(client, auth, listed):
    auth.login_as(Role.COLLECTIVE_MEMBER)
    assert client.get("/activities/new").status_code == 403
    assert client.get(f"/activities/{listed}/edit").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in_to_list(client, listed):
    for response in (client.get("/activities/new"), client.get(f"/activities/{listed}/edit"),
                     client.post(f"/activities/{listed}/confirm")):
        assert response.status_code == 302 and "/login" in response.location


def test_still_running_and_status_changes(client, auth, directory, listed, now):
    champion = directory.champion_for(directory.partner())
    db.session.commit()
    auth.login(champion)
    now(datetime(2027, 6, 20, 12, 0, tzinfo=timezone.utc))
    assert "Hidden from search until checked" in page_text(client.get("/activities/manage"))
    now(datetime(2027, 1, 10, 12, 0, tzinfo=timezone.utc))
    assert "Check it is still running" in page_text(client.get("/activities/manage"))
    assert client.post(f"/activities/{listed}/confirm").status_code == 302
    assert client.post(f"/activities/{listed}/status", data={"status": "paused"}).status_code == 302
    db.session.expire_all()
    activity = db.session.get(Activity, listed)
    assert (activity.last_checked_on, activity.status) == (date(2027, 1, 10), "paused")


def test_partner_page_lists_its_activities_and_links_to_list_one(client, coordinator, directory, listed):
    partner_id = db.session.scalar(select(Activity.partner_id).where(Activity.id == listed))
    text = page_text(client.get(f"/partners/{partner_id}"))
    assert "Walking football" in text and "List an activity for Reds in the Community" in text
    form = client.get(f"/activities/new?provider=partner-{partner_id}").get_data(as_text=True)
    assert f'<option selected value="partner-{partner_id}">' in form


def test_access_log_lines_of_searches_lose_their_postcode(app):
    record = logging.LogRecord("werkzeug", logging.INFO, "", 0, '%s - - "%s" %s',
                               ("203.0.113.9", "GET /activities?postcode=HD1+2QA&q=art HTTP/1.1", "200"), None)
    RedactAccessLog(AccessLogRedactor(app)).filter(record)
    assert "HD1" not in record.getMessage() and "203.0.113.9" in record.getMessage()


def test_refresh_occurrences_command_reports_what_it_did(app, runner, listed):
    result = runner.invoke(args=["directory", "refresh-occurrences"])
    assert result.exit_code == 0 and "Activities refreshed: 1." in result.output


def _duplicate_ids(body: str) -> list[str]:
    ids = re.findall(r'\sid="([^"]+)"', body)
    return sorted({value for value in ids if ids.count(value) > 1})


def test_listing_form_groups_categories_by_parent_in_fieldsets(client, coordinator, listed):
    body = client.get("/activities/new").get_data(as_text=True)
    assert '<legend class="legend">Music</legend>' in body and ">Choir</label>" in body
    assert _duplicate_ids(body) == []


def test_search_and_manage_pages_have_unique_ids(client, coordinator, listed):
    for url in ("/activities?q=walk&day=2", "/activities/manage", f"/activities/{listed}", "/"):
        assert _duplicate_ids(client.get(url).get_data(as_text=True)) == [], url


def test_a_search_request_takes_at_most_three_statements(client, listed, count_queries):
    url = "/activities?q=football&postcode=S71+1ET&distance=10&day=2&time=evening"
    client.get(url)  # the first request loads the category and area choices, kept for five minutes
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    assert counter.count <= 3, counter.statements


def test_gunicorn_access_log_atoms_of_searches_lose_their_postcode(app):
    atoms = {"h": "203.0.113.9", "r": "GET /activities?postcode=HD1+2QA HTTP/1.1", "U": "/activities",
             "q": "postcode=HD1+2QA"}
    record = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, '%(h)s "%(r)s" %(q)s', (atoms,), None)
    RedactAccessLog(AccessLogRedactor(app)).filter(record)
    assert "HD1" not in record.getMessage() and "203.0.113.9" in record.getMessage()
