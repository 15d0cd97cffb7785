"""Call pages: the form prefilled from the gaps page's link (bad arguments ignored), bad input
shown next to the field and nothing saved, who may issue, change and close calls (forbidden
paths), the list, the call's page, the starting page's panel, and a bid answering a call."""
import pytest
from sqlalchemy import func, select

from brokerage.collectives.bids.models import Bid
from brokerage.collectives.calls.models import CallForBids
from brokerage.core.values.roles import Role
from brokerage.extensions import db
from tests.conftest import page_text

from ..bids.helpers import locality_id
from .helpers import get_call, issue

pytestmark = pytest.mark.usefixtures("fixed_now", "world")

FORM = {"title": "Evening activities for young people", "wanted": "Something to do after school.",
        "districts": "S70", "category_code": "", "category_label": "", "audience": "",
        "upper": "3,000", "closes_on": "2026-07-31"}


def calls(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CallForBids))


def _issued(app, world, **changes) -> int:
    with app.app_context():
        return issue(world.coordinator, **changes).id


def test_the_form_is_prefilled_from_the_gaps_pages_link_and_bad_arguments_are_ignored(client, auth, world):
    auth.login(world.coordinator)
    page = client.get("/collectives/barnsley/calls/new?district=s70&district=HD3&category=young-people")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'value="S70 HD3"' in html and 'value="young-people"' in html and 'value="Young people"' in html
    assert "£50,000" in page_text(page)  # the fund's available money
    bad = client.get("/collectives/barnsley/calls/new?district=S70%204AB&category=%3Cscript%3E&district=")
    assert bad.status_code == 200
    html = bad.get_data(as_text=True)
    assert "<script>" not in html and "S70 4AB" not in html and 'name="category_code" type="hidden" value=""' in html


def test_a_coordinator_issues_a_call_through_the_form(app, client, auth, world):
    auth.login(world.coordinator)
    response = client.post("/collectives/barnsley/calls/new", data={**FORM, "upper": "3,000.50"})
    assert response.status_code == 302
    with app.app_context():
        call = db.session.scalar(select(CallForBids))
        assert (call.upper_pence, call.closes_on.isoformat()) == (300_050, "2026-07-31")
    shown = client.get(response.headers["Location"])
    assert "up to £3,000.50" in page_text(shown) and "31 July 2026" in page_text(shown)


@pytest.mark.parametrize("changes, message", [
    ({"upper": "60,000"}, "The fund has £50,000 available this financial year"),
    ({"upper": "0"}, "greater than £0"),
    ({"closes_on": "2026-06-14"}, "The closing date is in the past"),
    ({"title": ""}, "Enter a title for the call."),
    ({"districts": "S70 4AB"}, "is not a postcode district"),
])
def test_bad_input_is_shown_next_to_the_field_keeps_what_was_typed_and_saves_nothing(
        app, client, auth, world, changes, message):
    auth.login(world.coordinator)
    response = client.post("/collectives/barnsley/calls/new", data={**FORM, **changes})
    assert response.status_code == 400
    text = page_text(response)
    assert message in text and "There is a problem" in text
    assert "Something to do after school." in response.get_data(as_text=True)
    assert calls(app) == 0


@pytest.mark.parametrize("who, method, path", [
    ("barnsley_member", "get", "/collectives/barnsley/calls/new"),
    ("barnsley_member", "post", "/collectives/barnsley/calls/new"),
    ("calderdale_member", "get", "/calls/{id}/edit"),
    ("barnsley_member", "post", "/calls/{id}/close"),
    ("reds_contact", "get", "/collectives/barnsley/calls/new"),
    ("champion", "post", "/calls/{id}/edit"),
    ("organiser", "get", "/calls"),
    ("organiser", "get", "/calls/{id}"),
])
def test_forbidden_paths(app, client, auth, make_user, world, who, method, path):
    call_id = _issued(app, world)
    user = make_user(Role.GROUP_ORGANISER, name="Gil Group") if who == "organiser" else getattr(world, who)
    auth.login(user)
    response = getattr(client, method)(path.format(id=call_id), data={**FORM, "reason": "No"})
    assert response.status_code == 403
    with app.app_context():
        call = get_call(call_id)
        assert (call.title, call.closed_early_at) == ("Evening activities for young people in Barnsley", None)


def test_a_chair_changes_and_closes_a_call(app, client, auth, world, chair):
    call_id = _issued(app, world)
    auth.login(chair)
    assert client.post(f"/calls/{call_id}/edit", data={**FORM, "upper": "2,500"}).status_code == 302
    refused = client.post(f"/calls/{call_id}/close", data={"reason": ""})
    assert refused.status_code == 400 and "Say why the call is closing early." in page_text(refused)
    assert client.post(f"/calls/{call_id}/close", data={"reason": "Filled by the council."}).status_code == 302
    with app.app_context():
        call = get_call(call_id)
        assert (call.upper_pence, call.closed_early_reason) == (250_000, "Filled by the council.")
    shown = page_text(client.get(f"/calls/{call_id}"))
    assert "Closed early" in shown and "Filled by the council." in shown and "Change the call" not in shown


def test_partners_and_champions_see_open_calls_on_their_starting_page_and_the_list(
        app, client, auth, world, champion_in_barnsley):
    call_id = _issued(app, world)
    for person in (world.reds_contact, world.champion):
        auth.login(person)
        assert "Evening activities for young people in Barnsley" in page_text(client.get("/dashboard"))
        auth.logout()
    auth.login(world.cafe_contact)  # a Calderdale partner: no Barnsley call on the starting page
    assert "Open calls for bids" not in page_text(client.get("/dashboard"))
    listed = page_text(client.get("/calls"))
    assert "Evening activities for young people in Barnsley" in listed
    assert "Answer this call" not in page_text(client.get(f"/calls/{call_id}"))  # Halifax does not serve Barnsley


def test_a_partner_answers_a_call_from_its_page_and_the_bid_says_so(app, client, auth, world):
    call_id = _issued(app, world)
    auth.login(world.reds_contact)
    page = client.get(f"/calls/{call_id}")
    start = f"/partners/{world.reds}/bids/new?call={call_id}"
    assert f'href="{start.replace("&", "&amp;")}"' in page.get_data(as_text=True)
    form = client.get(start).get_data(as_text=True)
    assert f'<input checked class="choice__input" id="call_id-1" name="call_id" type="radio" value="{call_id}">' in form
    with app.app_context():
        barnsley = str(locality_id("barnsley"))
    data = {"title": "Youth club nights", "summary": "Two evenings a week.", "easy_read_summary": "",
            "who_for": "Young people.", "how_reached": "Schools.", "locality_id": barnsley, "start_on": "2026-09-01",
            "end_on": "2027-03-31", "expected_participants": "25", "total_cost": "8,000", "action": "save",
            "call_id": str(call_id)}
    too_much = client.post(f"/partners/{world.reds}/bids/new", data={**data, "requested": "3,001"})
    assert too_much.status_code == 400 and "The call offers up to £3,000" in page_text(too_much)
    saved = client.post(f"/partners/{world.reds}/bids/new", data={**data, "requested": "3,000"})
    assert saved.status_code == 302
    with app.app_context():
        bid = db.session.scalar(select(Bid))
        assert bid.call_id == call_id
    bid_page = page_text(client.get(saved.headers["Location"]))
    assert "This bid answers the Barnsley collective's call for bids" in bid_page


def test_the_bid_form_refuses_a_call_it_does_not_list(app, client, auth, world):
    auth.login(world.reds_contact)
    with app.app_context():
        barnsley = str(locality_id("barnsley"))
    response = client.post(f"/partners/{world.reds}/bids/new", data={
        "title": "Youth club nights", "summary": "Two evenings a week.", "who_for": "Young people.",
        "how_reached": "Schools.", "locality_id": barnsley, "start_on": "2026-09-01", "end_on": "2027-03-31",
        "expected_participants": "25", "total_cost": "8,000", "requested": "3,000", "action": "save", "call_id": "999"})
    assert response.status_code == 400 and "Choose one of the calls listed, or none." in page_text(response)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Bid)) == 0


def test_the_report_and_the_calls_page_show_the_bids_answering_it(app, client, auth, world, make_bid):
    call_id = _issued(app, world)
    make_bid("submitted", call_id=call_id, requested_pence=300_000, total_cost_pence=900_000, title="Youth climbing")
    auth.login(world.coordinator)
    report = page_text(client.get("/reports?locality=barnsley&year=2026"))
    assert "Evening activities for young people in Barnsley" in report and "Youth climbing" in report
    assert "1 bid has answered it; 0 approved; £0 awarded and £0 paid." in report
    csv = client.get("/reports.csv?locality=barnsley&year=2026").get_data(as_text=True)
    assert "Evening activities for young people in Barnsley,Youth climbing,Reds in the Community,Submitted," \
           "Not decided yet,0.00,0.00" in csv
    auth.logout()
    auth.login(world.barnsley_member)  # members see which bids answered
    assert "Youth climbing" in page_text(client.get(f"/calls/{call_id}"))
    auth.logout()
    auth.login(world.cafe_contact)  # another partner sees how many, not whose
    shown = page_text(client.get(f"/calls/{call_id}"))
    assert "1 bid has answered it" in shown and "Youth climbing" not in shown
