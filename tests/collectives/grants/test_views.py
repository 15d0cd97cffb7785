"""The grant pages: recording the signed agreement, the partner's end-of-grant report, closing
the grant, and reversing a payment from the ledger, with who may use them and bad input
shown next to its field."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from brokerage.collectives.grants.models import Payment
from brokerage.extensions import db
from tests.conftest import page_text

from ..bids.helpers import NOW, get_bid
from .helpers import AWARD, pay

AGREEMENT = {"signed_on": "2026-06-20", "signed_by": "Lee Reds, Director", "reference": "GA-9"}
REPORT = {"participants": "18", "what_happened": "Eighteen people came most weeks."}


def status_of(app, bid_id: int) -> str:
    with app.app_context():
        return get_bid(bid_id).status


@pytest.fixture
def later(fixed_now):
    fixed_now(NOW + timedelta(days=10))


@pytest.fixture
def paid(app, world, awarded, later) -> int:
    with app.app_context():
        pay(world, awarded, AWARD, NOW + timedelta(days=10))
    return awarded


def test_a_coordinator_records_the_agreement_then_can_pay(client, auth, world, approved, later):
    auth.login(world.coordinator)
    text = page_text(client.get(f"/bids/{approved}"))
    assert "Not signed yet: payments start once it is" in text and "Record a payment" not in text
    response = client.post(f"/bids/{approved}/agreement", data=AGREEMENT)
    assert response.status_code == 302
    text = page_text(client.get(f"/bids/{approved}"))
    assert "The grant agreement is recorded." in text
    assert "Signed on 20 June 2026 by Lee Reds, Director (reference GA-9)" in text
    assert "Agreement signed" in text and "Record a payment" in text


@pytest.mark.parametrize("changes, message", [
    ({"signed_on": ""}, "Enter the date the partner signed the grant agreement."),
    ({"signed_on": "2026-02-30"}, "Enter a real date"),
    ({"signed_on": "2026-07-01"}, "The date the agreement was signed cannot be in the future."),
    ({"signed_on": "2026-06-01"}, "The agreement cannot be signed before the award was made on 18 June 2026."),
    ({"signed_by": ""}, "Enter the name and role of the person who signed for the partner."),
    ({"reference": "x" * 121}, "Keep the reference to 120 characters or fewer."),
])
def test_bad_agreement_input_is_shown_next_to_the_field(app, client, auth, world, approved, later, changes, message):
    auth.login(world.coordinator)
    response = client.post(f"/bids/{approved}/agreement", data={**AGREEMENT, **changes})
    assert response.status_code == 400
    text = page_text(response)
    assert text.startswith("Error:") and text.count(message) == 2  # the summary and next to the field
    assert "Lee Reds, Director" in response.get_data(as_text=True) or changes.get("signed_by") == ""
    assert status_of(app, approved) == "approved"


def test_the_partner_reports_and_a_coordinator_closes(client, auth, world, paid):
    auth.login(world.reds_contact)
    assert "Send the end-of-grant report" in page_text(client.get(f"/bids/{paid}"))
    assert client.post(f"/bids/{paid}/report", data=REPORT).status_code == 302
    text = page_text(client.get(f"/bids/{paid}"))
    assert "Thank you: your end-of-grant report has been sent." in text and "18 people took part" in text
    assert client.get(f"/bids/{paid}/close").status_code == 403
    auth.logout()
    auth.login(world.coordinator)
    assert client.post(f"/bids/{paid}/close", data={"note": "Thank you."}).status_code == 302
    text = page_text(client.get(f"/bids/{paid}"))
    assert "The grant is closed." in text and "Closed" in text and "Close the grant" not in text


@pytest.mark.parametrize("changes, message", [
    ({"participants": "lots"}, "Enter a whole number, like 20."),
    ({"participants": "-3"}, "Enter a number from 0 to 100,000."),
    ({"participants": ""}, "Enter how many people took part."),
    ({"what_happened": ""}, "Say what the project did and what changed for the people who took part."),
])
def test_bad_report_input_is_shown_next_to_the_field(app, client, auth, world, paid, changes, message):
    auth.login(world.reds_contact)
    response = client.post(f"/bids/{paid}/report", data={**REPORT, **changes})
    assert response.status_code == 400
    assert message in page_text(response)
    assert status_of(app, paid) == "paid"


@pytest.mark.parametrize("url", ["agreement", "report", "close"])
def test_a_step_that_is_not_open_says_so_without_changing_anything(app, client, auth, world, make_bid, url):
    bid_id = make_bid(status="submitted")
    auth.login(world.coordinator)
    for response in (client.get(f"/bids/{bid_id}/{url}"), client.post(f"/bids/{bid_id}/{url}", data=AGREEMENT)):
        assert response.status_code == 409
        assert "This bid is submitted, so this step is not open." in page_text(response)
    assert status_of(app, bid_id) == "submitted"


@pytest.mark.parametrize("person", ["reds_contact", "barnsley_member"])
def test_only_coordinators_record_agreements_and_close_grants(client, auth, world, approved, later, person):
    auth.login(getattr(world, person))
    assert client.post(f"/bids/{approved}/agreement", data=AGREEMENT).status_code == 403
    assert client.post(f"/bids/{approved}/close", data={}).status_code == 403


def test_other_partners_cannot_send_the_report(app, client, auth, world, paid):
    auth.login(world.cafe_contact)
    assert client.post(f"/bids/{paid}/report", data=REPORT).status_code == 403
    assert status_of(app, paid) == "paid"


def test_reversing_a_payment_on_the_ledger_page_puts_the_bid_back_to_agreement(app, client, auth, world, paid):
    with app.app_context():
        entry_id = db.session.scalar(select(Payment.ledger_entry_id))
    auth.login(world.coordinator)
    page = page_text(client.get(f"/collectives/barnsley/ledger/{entry_id}/reverse"))
    assert "This is a payment for Memory group at the stadium" in page
    response = client.post(f"/collectives/barnsley/ledger/{entry_id}/reverse", data={"note": "Paid twice"})
    assert response.status_code == 302
    text = page_text(client.get(f"/bids/{paid}"))
    assert "Agreement signed" in text and "Reversed" in text and "Left to pay £4,000" in text


def test_members_see_that_the_agreement_is_signed_but_not_who_signed_it(client, auth, world, approved, later):
    auth.login(world.coordinator)
    client.post(f"/bids/{approved}/agreement", data=AGREEMENT)
    auth.logout()
    auth.login(world.barnsley_member)
    text = page_text(client.get(f"/bids/{approved}"))
    assert "Signed on 20 June 2026 (reference GA-9)" in text and "Lee Reds, Director" not in text
    assert "Record the grant agreement" not in text and "Record a payment" not in text
