"""Listing pages: listing and editing an activity, who may, and the partner page's activities."""
import re
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from brokerage.core.values.roles import Role
from brokerage.directory.listings.models import Activity
from brokerage.extensions import db

from ...conftest import page_text
from ..conftest import _form


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
