"""Bid pages: who may see and do what, mass assignment, bad input, the arithmetic, the lists."""
import pytest
from sqlalchemy import func, select

from brokerage.collectives.bids import access as bids
from brokerage.collectives.bids.models import Bid
from brokerage.collectives.bids.services import LineDetails
from brokerage.extensions import db
from tests.conftest import page_text

from .helpers import get_bid

pytestmark = pytest.mark.usefixtures("fixed_now", "world")

GOOD_FORM = {"title": "Walking football", "summary": "Weekly walking football.", "easy_read_summary": "",
             "who_for": "Men over 50.", "how_reached": "GP referrals.", "start_on": "2026-09-01",
             "end_on": "2027-03-31", "expected_participants": "25", "total_cost": "8,000", "requested": "3,000.50",
             "action": "save"}


def good_form(world, app, **changes):
    with app.app_context():
        from .helpers import locality_id
        return {**GOOD_FORM, "locality_id": str(locality_id("barnsley")), **changes}


def bid_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Bid))


# Drafting through the form ----------------------------------------------------------------------

def test_partner_contact_drafts_a_bid_and_pounds_become_pence(app, client, auth, world):
    auth.login(world.reds_contact)
    response = client.post(f"/partners/{world.reds}/bids/new", data=good_form(world, app))
    assert response.status_code == 302
    with app.app_context():
        bid = db.session.scalar(select(Bid))
        assert (bid.partner_id, bid.status, bid.requested_pence, bid.total_cost_pence) == \
            (world.reds, "draft", 300_050, 800_000)


def test_posting_status_or_partner_changes_nothing(app, client, auth, world):
    auth.login(world.reds_contact)
    client.post(f"/partners/{world.reds}/bids/new",
                data=good_form(world, app, status="ready_for_vote", partner_id=str(world.cafe), submitted_at="2026"))
    with app.app_context():
        bid = db.session.scalar(select(Bid))
        assert (bid.partner_id, bid.status, bid.submitted_at) == (world.reds, "draft", None)


def test_editing_ignores_posted_status_and_partner(app, client, auth, world, make_bid):
    bid_id = make_bid()
    auth.login(world.reds_contact)
    response = client.post(f"/bids/{bid_id}/edit", data=good_form(
        world, app, title="New title", status="ready_for_vote", partner_id=str(world.cafe)))
    assert response.status_code == 302
    with app.app_context():
        bid = get_bid(bid_id)
        assert (bid.title, bid.status, bid.partner_id) == ("New title", "draft", world.reds)


@pytest.mark.parametrize(("changes", "message"), [
    ({"requested": "-50"}, "Enter an amount greater than £0."),
    ({"total_cost": "99,999,999,999"}, "Enter an amount no more than £10,000,000."),
    ({"requested": "12.345"}, "at most 2 digits after the point"),
    ({"requested": "lots"}, "Enter an amount in pounds, like 1,250.50."),
    ({"requested": "9,000"}, "The amount requested cannot be more than the total project cost."),
    ({"end_on": "2026-08-01"}, "The end date must be after the start date."),
    ({"start_on": "2026-02-30"}, "Enter a real date"),
    ({"title": ""}, "Enter the project title."),
    ({"who_for": ""}, "Say who the project is for."),
    ({"expected_participants": "many"}, "Enter a whole number, like 20."),
    ({"expected_participants": "0"}, "Enter a number from 1 to 100,000."),
    ({"locality_id": "999"}, "Choose one of the localities listed."),
])
def test_bad_input_is_shown_by_the_field_and_nothing_is_saved(app, client, auth, world, changes, message):
    auth.login(world.reds_contact)
    response = client.post(f"/partners/{world.reds}/bids/new", data=good_form(world, app, **changes))
    assert response.status_code == 400
    text = page_text(response)
    assert "There is a problem" in text and message in text
    assert 'class="field-error"' in response.get_data(as_text=True)
    assert bid_count(app) == 0


def test_check_the_figures_shows_the_arithmetic_without_saving(app, client, auth, world, make_bid):
    bid_id = make_bid()  # £6,000 confirmed, £5,000 cap, £50,000 available
    auth.login(world.reds_contact)
    response = client.post(f"/bids/{bid_id}/edit", data=good_form(
        world, app, title="Not saved", requested="7,000", total_cost="13,000", action="check"))
    assert response.status_code == 200
    text = page_text(response)
    assert "Most the collective awards to one bid £5,000 Yes" in text
    assert "Match award: £5,000" in text
    with app.app_context():
        assert get_bid(bid_id).title == "Memory group at the stadium"


def test_bid_form_enhancement_is_a_static_script_with_a_live_region(client, auth, world):
    auth.login(world.reds_contact)
    body = client.get(f"/partners/{world.reds}/bids/new").get_data(as_text=True)
    assert 'src="/static/js/bid-figures.js?v=' in body
    assert 'aria-live="polite"' in body
    assert "<script>" not in body
    assert client.get("/static/js/bid-figures.js").status_code == 200


# Who may see and do what --------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["cafe_contact", "barnsley_member", "champion"])
def test_only_the_partners_people_open_its_draft_form(client, auth, world, who):
    auth.login(getattr(world, who))
    assert client.get(f"/partners/{world.reds}/bids/new").status_code == 403


def test_another_partners_contact_cannot_see_edit_or_submit(app, client, auth, world, make_bid):
    bid_id = make_bid()
    auth.login(world.cafe_contact)
    with app.app_context():
        line_id = get_bid(bid_id).lines[0].id
    assert client.get(f"/bids/{bid_id}").status_code == 403
    assert client.get(f"/bids/{bid_id}/edit").status_code == 403
    assert client.post(f"/bids/{bid_id}/edit", data=good_form(world, app, title="Mine")).status_code == 403
    assert client.post(f"/bids/{bid_id}/submit").status_code == 403
    assert client.post(f"/bids/{bid_id}/withdraw").status_code == 403
    assert client.get(f"/bids/{bid_id}/lines/new").status_code == 403
    assert client.post(f"/bids/{bid_id}/lines/{line_id}/remove").status_code == 403
    with app.app_context():
        bid = get_bid(bid_id)
        assert (bid.status, bid.title, len(bid.lines)) == ("draft", "Memory group at the stadium", 1)


def test_members_of_the_locality_read_submitted_bids_and_others_do_not(client, auth, world, make_bid):
    draft_id, submitted_id = make_bid(), make_bid("submitted")
    auth.login(world.barnsley_member)
    page = client.get(f"/bids/{submitted_id}")
    assert page.status_code == 200
    text = page_text(page)
    for figure in ("Amount requested £4,000", "Partner funds (confirmed or received) £6,000",
                   "Match award (if decided today) £4,000", "Total project cost £10,000"):
        assert figure in text
    assert client.get(f"/bids/{draft_id}").status_code == 403
    assert "Memory group at the stadium" in page_text(client.get("/bids"))
    auth.logout()
    auth.login(world.calderdale_member)
    assert client.get(f"/bids/{submitted_id}").status_code == 403
    assert "Memory group at the stadium" not in page_text(client.get("/bids"))


def test_anonymous_visitors_are_sent_to_sign_in(client, world, make_bid):
    bid_id = make_bid("submitted")
    for url in (f"/bids/{bid_id}", "/bids", "/bids/yours", "/bids/screening", f"/partners/{world.reds}/bids/new"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_unknown_bids_are_not_found(client, auth, world):
    auth.login(world.coordinator)
    assert client.get("/bids/9999").status_code == 404
    assert client.get("/partners/9999/bids/new").status_code == 404


def test_members_and_partners_cannot_screen(client, auth, world, make_bid):
    bid_id = make_bid("submitted")
    auth.login(world.reds_contact)
    client.post(f"/bids/{bid_id}/pick_up")
    assert client.get("/bids/screening").status_code == 403
    assert client.get(f"/bids/{bid_id}/return").status_code == 403
    auth.logout()
    auth.login(world.barnsley_member)
    assert client.post(f"/bids/{bid_id}/pick_up").status_code == 403


# Screening --------------------------------------------------------------------------------------

def test_coordinator_screens_and_returns_a_bid_and_the_partner_sees_the_message(app, client, auth, world, make_bid):
    bid_id = make_bid("submitted")
    auth.login(world.coordinator)
    assert client.post(f"/bids/{bid_id}/pick_up").status_code == 302
    response = client.post(f"/bids/{bid_id}/return", data={"message": "Please name the venue."})
    assert response.status_code == 302
    auth.logout()
    auth.login(world.reds_contact)
    text = page_text(client.get(f"/bids/{bid_id}"))
    assert "Returned for changes" in text and "Please name the venue." in text
    assert client.get(f"/bids/{bid_id}/edit").status_code == 200


def test_returning_without_a_message_is_refused_by_the_field(client, auth, world, make_bid):
    bid_id = make_bid("screening")
    auth.login(world.coordinator)
    response = client.post(f"/bids/{bid_id}/return", data={"message": ""})
    assert response.status_code == 400
    assert "Tell the partner what needs to change." in page_text(response)


def test_a_refused_move_is_explained_and_changes_nothing(app, client, auth, world, make_bid):
    bid_id = make_bid("submitted")
    auth.login(world.coordinator)
    response = client.post(f"/bids/{bid_id}/ready", follow_redirects=True)
    assert "Only a bid being screened can be marked ready for a vote. This bid is submitted." in page_text(response)
    with app.app_context():
        assert get_bid(bid_id).status == "submitted"


def test_screening_queue_flags_partners_without_an_agreement(client, auth, world, make_bid):
    make_bid("submitted")
    make_bid("submitted", partner="cafe", slug="calderdale", title="Printmaking")
    auth.login(world.coordinator)
    text = page_text(client.get("/bids/screening"))
    assert "Printmaking" in text and "No active agreement (prospective)" in text
    calderdale = page_text(client.get("/bids/screening?locality=calderdale"))
    assert "Printmaking" in calderdale and "Memory group" not in calderdale
    assert client.get("/bids/screening?locality=atlantis").status_code == 404


def test_bid_page_flags_a_partner_without_an_active_agreement(client, auth, world, make_bid):
    bid_id = make_bid("submitted", partner="cafe", slug="calderdale")
    auth.login(world.calderdale_member)
    assert "does not have an active partnership agreement" in page_text(client.get(f"/bids/{bid_id}"))


# Lists and panels -------------------------------------------------------------------------------

def test_your_bids_lists_only_your_partners_bids(client, auth, world, make_bid):
    make_bid(title="Reds bid")
    make_bid(partner="cafe", slug="calderdale", title="Cafe bid")
    auth.login(world.reds_contact)
    text = page_text(client.get("/bids/yours"))
    assert "Reds bid" in text and "Cafe bid" not in text


def test_partner_page_shows_the_partners_bids_and_amounts(client, auth, world, make_bid):
    make_bid("submitted", title="Reds bid")
    auth.login(world.coordinator)
    text = page_text(client.get(f"/partners/{world.reds}"))
    assert "Bids for match funding" in text and "Reds bid" in text and "£4,000" in text


def test_submitting_figures_that_do_not_add_up_is_explained_and_nothing_moves(app, client, auth, world, make_bid):
    bid_id = make_bid(lines=[LineDetails(source="Club", amount_pence=100_000, status="confirmed")])
    auth.login(world.reds_contact)
    response = client.post(f"/bids/{bid_id}/submit", follow_redirects=True)
    assert response.status_code == 200
    assert ("The amount requested (£4,000) and the match funding (£1,000) add up to £5,000, but the total project "
            "cost is £10,000.") in page_text(response)
    with app.app_context():
        bid = get_bid(bid_id)
        assert (bid.status, bid.submitted_at, len(bids.history(bid))) == ("draft", None, 1)


@pytest.mark.parametrize("amount, message", [
    ("-1", "Enter an amount greater than £0."), ("lots", "Enter an amount in pounds, like 1,250.50."),
    ("10.505", "at most 2 digits after the point"), ("0", "Enter an amount greater than £0."),
])
def test_bad_match_line_amounts_are_shown_by_the_field_and_nothing_is_saved(app, client, auth, world, make_bid,
                                                                            amount, message):
    bid_id = make_bid(lines=())
    auth.login(world.reds_contact)
    response = client.post(f"/bids/{bid_id}/lines/new", data={"source": "Lottery", "amount": amount,
                                                              "status": "confirmed"})
    assert response.status_code == 400 and message in page_text(response)
    with app.app_context():
        assert get_bid(bid_id).lines == []


def test_adding_and_removing_match_lines_through_the_pages(app, client, auth, world, make_bid):
    bid_id = make_bid(lines=())
    auth.login(world.reds_contact)
    bad = client.post(f"/bids/{bid_id}/lines/new", data={"source": "", "amount": "-1", "status": "maybe"})
    assert bad.status_code == 400
    assert "Say where this money comes from." in page_text(bad)
    good = client.post(f"/bids/{bid_id}/lines/new", data={"source": "Lottery", "amount": "6,000",
                                                          "status": "confirmed", "bid_id": "1"})
    assert good.status_code == 302
    with app.app_context():
        line_id = get_bid(bid_id).lines[0].id
    assert client.post(f"/bids/{bid_id}/submit").status_code == 302
    with app.app_context():
        assert get_bid(bid_id).status == "submitted"
    client.post(f"/bids/{bid_id}/lines/{line_id}/remove")  # frozen once submitted
    with app.app_context():
        assert len(get_bid(bid_id).lines) == 1


def test_coordinator_sets_a_new_version_of_the_match_rule(client, auth, world):
    auth.login(world.coordinator)
    page = page_text(client.get("/collectives/barnsley/match-rule"))
    assert "£1 of match for every £1 of confirmed partner money, at most £5,000 per bid (the default)" in page
    bad = client.post("/collectives/barnsley/match-rule", data={"ratio_numerator": "1", "ratio_denominator": "0",
                                                                "cap": "-1", "effective_from": "2026-06-01"})
    assert bad.status_code == 400
    assert "Enter a whole number from 1 to 100." in page_text(bad)
    assert "Enter an amount greater than £0." in page_text(bad)
    good = client.post("/collectives/barnsley/match-rule", data={"ratio_numerator": "2", "ratio_denominator": "1",
                                                                 "cap": "7,500", "effective_from": "2026-06-15"})
    assert good.status_code == 302
    assert "£2 of match for every £1 of confirmed partner money, at most £7,500 per bid" in \
        page_text(client.get("/collectives/barnsley/match-rule"))


def test_only_coordinators_open_the_match_rule_page(client, auth, world):
    auth.login(world.barnsley_member)
    assert client.get("/collectives/barnsley/match-rule").status_code == 403
    response = client.post("/collectives/barnsley/match-rule", data={
        "ratio_numerator": "9", "ratio_denominator": "1", "cap": "9", "effective_from": "2026-06-15"})
    assert response.status_code == 403


def test_the_return_form_is_only_offered_for_a_bid_being_screened_or_withdrawn(client, auth, world, make_bid):
    bid_id = make_bid("submitted")
    auth.login(world.coordinator)
    response = client.get(f"/bids/{bid_id}/return")
    assert response.status_code == 409
    assert "Only a bid being screened, or a withdrawn bid, can be returned for changes." in page_text(response)
