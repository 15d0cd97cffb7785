"""The public directory pages: search, the activity page and its calendar file."""
import logging
import re
from datetime import date, time

import pytest
from flask import url_for
from sqlalchemy import select

from brokerage.core.web.log_privacy import AccessLogRedactor, RedactAccessLog
from brokerage.directory.listings.models import Activity
from brokerage.directory.listings.schedules import Schedule
from brokerage.directory.listings.services import Venue
from brokerage.extensions import db

from ...conftest import page_text


def test_anyone_can_search_and_see_distance_and_next_session(client, listed):
    response = client.get("/activities?q=football&postcode=S70&distance=10")
    text = page_text(response)
    assert response.status_code == 200
    assert "Football near S70, within 10 miles Change your search 1 activity found" in text
    assert "Walking football" in text and "miles away" in text
    assert "Distances are from the centre of S70, so they are rough." in text
    assert "Next: Wed 17 Jun, 6–8pm" in text


def test_a_monthly_activity_next_meeting_in_four_months_shows_that_date(client, directory, now):
    """Beyond the 12 weeks of stored sessions, "Next" still names the real next session."""
    schedule = Schedule(frequency="monthly", start_date=date(2026, 10, 1), start_time=time(18), end_time=time(20),
                        weekday=0, week_of_month=2)
    activity = directory.activity(title="Autumn sketching club", schedule=schedule)
    db.session.commit()
    results = page_text(client.get("/activities?q=sketching"))
    assert "Next: Mon 12 Oct, 6–8pm" in results and "No upcoming sessions" not in results
    assert "Mon 12 Oct, 6–8pm" in page_text(client.get(f"/activities/{activity.id}"))


def test_each_result_links_to_its_own_activity_page(app, client, directory, now):
    for title in ("Walking football", "Singing for fun", "Sketching club"):
        directory.activity(title=title)
    db.session.commit()
    body = client.get("/activities?q=&postcode=S70&distance=30").get_data(as_text=True)
    links = re.findall(r'<a class="card__link" href="([^"]+)">([^<]+)</a>', body)
    assert len(links) == 3
    with app.test_request_context():
        expected = {title: url_for("directory.show", activity_id=activity_id)
                    for activity_id, title in db.session.execute(select(Activity.id, Activity.title))}
    for href, title in links:
        assert href == expected[title]
        assert title in page_text(client.get(href))


def test_after_a_search_the_results_come_first_and_the_form_is_folded_away(client, listed):
    body = client.get("/activities?q=football&postcode=S70+1ET&distance=10").get_data(as_text=True)
    assert body.index('id="results"') < body.index('id="search-form"')
    assert '<details class="search-again">' in body and 'action="/activities#results"' in body
    assert "<h2" not in body[body.index('role="status"') - 40:body.index('role="status"')]
    before = client.get("/activities").get_data(as_text=True)
    assert 'id="results"' not in before and "search-again" not in before


def test_distances_from_a_district_centre_say_so_and_are_rounded(client, listed):
    text = page_text(client.get("/activities?postcode=S70+1ET&distance=10"))
    assert "Distances are from the centre of S70, so they are rough." in text
    assert re.search(r"(under 1 mile|about \d+ miles?) away", text) and not re.search(r"\d\.\d miles away", text)


def test_words_typed_offer_nearest_first_and_back(client, listed):
    best = page_text(client.get("/activities?q=football+walking&postcode=S70&distance=10"))
    assert "Show nearest first" not in best  # one result: nothing to reorder
    directory_two = client.get("/activities?q=football&sort=banana")
    assert "There is a problem" in page_text(directory_two) and "Not a valid choice" in page_text(directory_two)


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


def test_access_log_lines_of_searches_lose_their_postcode(app):
    record = logging.LogRecord("werkzeug", logging.INFO, "", 0, '%s - - "%s" %s',
                               ("203.0.113.9", "GET /activities?postcode=HD1+2QA&q=art HTTP/1.1", "200"), None)
    RedactAccessLog(AccessLogRedactor(app)).filter(record)
    assert "HD1" not in record.getMessage() and "203.0.113.9" in record.getMessage()


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


def test_printable_results_hold_address_pattern_joining_cost_and_contact(client, directory, now):
    directory.activity(title="Pottery taster", categories=("pottery",), cost_kind="price", cost_amount=350,
                       contact_name="Sam", contact_phone="01226 000000")
    db.session.commit()
    results = client.get("/activities?q=pottery&postcode=S70&distance=10").get_data(as_text=True)
    assert "/activities/printable?q=pottery&amp;postcode=S70&amp;distance=10" in results
    text = page_text(client.get("/activities/printable?q=pottery&postcode=S70&distance=10"))
    for expected in ("Activities: Pottery near S70, within 10 miles", "Where Oakwell Stadium, Grove Street, Barnsley",
                     "When Every Wednesday, 6–8pm", "How to join Drop in: just turn up", "Cost A set price: £3.50",
                     "Who to ask Sam, 01226 000000", "Next: Wed 17 Jun, 6–8pm"):
        assert expected in text


@pytest.mark.parametrize("query", ["postcode=ZZ", "distance=banana&postcode=S70", "day=9", "page=99999"])
def test_a_printable_search_that_needs_correcting_goes_back_to_the_search(client, listed, query):
    response = client.get(f"/activities/printable?{query}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/activities?")
