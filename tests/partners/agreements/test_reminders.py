"""The weekly renewals digest: coordinators get every partner due, each partner's contacts only
their own; people who chose never get nothing; the same week never mails twice."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from brokerage.core.data.unit_of_work import unit_of_work
from brokerage.core.values.roles import Role
from brokerage.extensions import db
from brokerage.notifications.models import NotificationChoice, OutboxMessage
from brokerage.notifications.sweeps import registered_sweeps
from brokerage.partners.agreements.reminders import send_agreement_digests
from brokerage.partners.organisations import services
from brokerage.partners.people import services as contacts
from tests.partners.conftest import TODAY, attached, signed

NOW = datetime(2026, 6, 15, 9, 0, tzinfo=timezone.utc)  # a Monday, TODAY in London


def _messages():
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "agreements_due")
                              .order_by(OutboxMessage.id)).all()


@pytest.fixture
def renewals(app, admin, make_user, make_partner, link_contact):
    expiring = make_partner("Reds in the Community", agreement=signed(expires_on=TODAY + timedelta(days=30)))
    lapsed = make_partner("Barnsley Bakers", agreement=signed(insurance=TODAY - timedelta(days=3)))
    fine = make_partner("Quiet Knitters", agreement=signed())
    people = {name: make_user(Role.PARTNER_CONTACT, name=name, email=f"{name.lower()}@example.org")
              for name in ("Rita", "Bill", "Quinn", "Nadia")}
    link_contact(people["Rita"], expiring)
    link_contact(people["Bill"], lapsed)
    link_contact(people["Quinn"], fine)
    link_contact(people["Nadia"], expiring)
    with app.app_context():
        actor = attached(admin)
        partner = services.get_partner(expiring)
        contacts.add_contact(actor=actor, partner=partner, details=contacts.ContactDetails(
            name="Pat Plain", email="pat@reds.example.org"))
        contacts.add_contact(actor=actor, partner=partner, details=contacts.ContactDetails(
            name="Rita again", email="RITA@example.org"))
        contacts.add_contact(actor=actor, partner=partner, details=contacts.ContactDetails(
            name="No Email", phone="01484 123456"))
        with unit_of_work():
            db.session.add(NotificationChoice(user_id=people["Nadia"].id, kind="agreements_due", delivery="never"))
    return people


def test_the_sweep_is_registered_with_the_delivery_worker(app):
    assert registered_sweeps()["partners.agreements_due"] is send_agreement_digests


def test_coordinators_get_every_partner_due_and_contacts_only_their_own(app, renewals, admin, make_user):
    other = make_user(Role.COORDINATOR, name="Cory", email="cory@example.org")
    with app.test_request_context():
        assert send_agreement_digests(NOW) > 0
        by_address = {message.recipient_email: message for message in _messages()}
    assert set(by_address) == {"admin@example.org", "cory@example.org", "rita@example.org",
                               "bill@example.org", "pat@reds.example.org"}
    for coordinator in ("admin@example.org", other.email):
        body = by_address[coordinator].text_body
        assert "Reds in the Community" in body and "Barnsley Bakers" in body and "Quiet Knitters" not in body
        assert "/partners/renewals" in body
    rita, bill = by_address["rita@example.org"], by_address["bill@example.org"]
    assert "Reds in the Community" in rita.text_body and "Barnsley Bakers" not in rita.text_body
    assert "Barnsley Bakers" in bill.text_body and "Reds in the Community" not in bill.text_body
    assert "Insurance expires: 12 June 2026 (passed)" in bill.text_body
    assert by_address["pat@reds.example.org"].recipient_user_id is None  # a named contact without an account
    assert "Why you received this: You are a contact for Reds in the Community." in rita.text_body


def test_the_digest_goes_once_a_week_however_often_the_sweep_runs(app, renewals):
    with app.test_request_context():
        first = send_agreement_digests(NOW)
        assert send_agreement_digests(NOW + timedelta(hours=5)) == 0
        assert send_agreement_digests(NOW + timedelta(days=6)) == 0  # Sunday: the same ISO week
        assert len(_messages()) == first
        assert send_agreement_digests(NOW + timedelta(days=7)) == first


def test_nothing_is_sent_when_no_agreement_is_due(app, make_partner, admin):
    make_partner("Quiet Knitters", agreement=signed())
    with app.test_request_context():
        assert send_agreement_digests(NOW) == 0
    with app.app_context():
        assert _messages() == []


def test_coordinators_see_agreements_due_on_their_starting_page_and_contacts_do_not(
        client, auth, renewals, admin, fixed_now):
    fixed_now(NOW)
    auth.login(admin)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Agreements to renew" in page and "Reds in the Community" in page and "Barnsley Bakers" in page
    assert "Quiet Knitters" not in page
    auth.logout()
    auth.login(renewals["Rita"])
    assert "Agreements to renew" not in client.get("/dashboard").get_data(as_text=True)
