"""The payment form and the payments section of the bid page and decision record."""
from datetime import timedelta

import pytest

from tests.conftest import page_text

from ..bids.helpers import NOW

FORM = {"amount": "1,500.50", "partner_funds_received": "yes", "partner_funds_received_on": "2026-06-01",
        "invoice_reference": "INV-7"}


@pytest.fixture
def later(fixed_now):
    fixed_now(NOW + timedelta(days=10))


def test_a_coordinator_records_a_payment_and_sees_it_on_the_bid_page(client, auth, world, awarded, later):
    auth.login(world.coordinator)
    response = client.post(f"/bids/{awarded}/payments/new", data=FORM)
    assert response.status_code == 302
    text = page_text(client.get(f"/bids/{awarded}"))
    assert "Payment of £1,500.50 recorded." in text
    assert "Paid £1,500.50" in text and "Left to pay £2,499.50" in text
    assert "INV-7" in text and "Yes, on 1 June 2026" in text


def test_the_decision_record_shows_the_payments(client, auth, world, awarded, poll_id, later):
    auth.login(world.coordinator)
    client.post(f"/bids/{awarded}/payments/new", data=FORM)
    text = page_text(client.get(f"/polls/{poll_id}/record"))
    assert "Payments" in text and "INV-7" in text


@pytest.mark.parametrize("person", ["reds_contact", "barnsley_member"])
def test_people_other_than_coordinators_cannot_record_payments(client, auth, world, awarded, later, person):
    auth.login(getattr(world, person))
    assert client.get(f"/bids/{awarded}/payments/new").status_code == 403
    assert client.post(f"/bids/{awarded}/payments/new", data=FORM).status_code == 403


@pytest.mark.parametrize("changes, message", [
    ({"amount": "lots"}, "Enter an amount in pounds, like 1,250.50."),
    ({"amount": "-5"}, "Enter an amount greater than £0."),
    ({"amount": "10.005"}, "at most 2 digits after the point"),
    ({"amount": "4,000.01"}, "Only £4,000 of the £4,000 award is left to pay."),
    ({"partner_funds_received": ""}, "Say whether the partner's own funds have been received."),
    ({"partner_funds_received_on": "2026-02-30"}, "Enter a real date"),
    ({"partner_funds_received_on": ""}, "Enter the date the partner's funds were received."),
    ({"invoice_reference": ""}, "Enter the invoice reference."),
])
def test_bad_payment_input_is_shown_next_to_the_field(client, auth, world, awarded, later, changes, message):
    auth.login(world.coordinator)
    response = client.post(f"/bids/{awarded}/payments/new", data={**FORM, **changes})
    assert response.status_code == 400
    assert message in page_text(response)
    assert "Nothing has been paid yet." in page_text(client.get(f"/bids/{awarded}"))


def test_a_bid_without_an_award_has_no_payment_form(client, auth, world, make_bid):
    auth.login(world.coordinator)
    bid_id = make_bid(status="submitted")
    assert client.get(f"/bids/{bid_id}/payments/new").status_code == 404
    assert client.get("/bids/999/payments/new").status_code == 404
