"""Messages to the people who run activities: listings due a check (keepers only, once per check
period, the still-running link working end to end) and the daily count of new interest (providers
only, never a person's details), and the listings to check on their starting page."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from brokerage.core.data.unit_of_work import unit_of_work
from brokerage.core.values.roles import Role
from brokerage.directory.interest import services as interest
from brokerage.directory.listings import services as listings
from brokerage.directory.listings.models import Activity
from brokerage.directory.reminders.interest_entries import send_interest_counts
from brokerage.directory.reminders.listing_checks import send_listing_checks
from brokerage.extensions import db
from brokerage.notifications.models import NotificationChoice, OutboxMessage
from brokerage.notifications.sweeps import registered_sweeps
from brokerage.partners.people import services as contacts

from ...conftest import page_text
from ..conftest import NOW

FIVE_MONTHS = timedelta(days=152)


def _messages(kind):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)).all()


@pytest.fixture
def running(app, directory, now):
    """An activity of Reds (contact Rita with an account, champion Cham, named contact Pat without one,
    contact Nev who chose never), and Other Partner's contact Oli."""
    reds, other = directory.partner(), directory.partner("Other Partner")
    people = {"rita": directory.contact_for(reds), "cham": directory.champion_for(reds),
              "nev": directory.contact_for(reds), "oli": directory.contact_for(other)}
    contacts.add_contact(actor=directory.coordinator, partner=reds, details=contacts.ContactDetails(
        name="Pat Plain", email="pat@reds.example.org"))
    activity = directory.activity()
    directory.activity(partner=other, title="Other football")
    with unit_of_work():
        db.session.add(NotificationChoice(user_id=people["nev"].id, kind="listing_check", delivery="never"))
        db.session.add(NotificationChoice(user_id=people["nev"].id, kind="interest_entries", delivery="never"))
    emails = {key: user.email for key, user in people.items()}
    return activity.id, emails


def test_the_sweeps_are_registered_with_the_delivery_worker(app):
    sweeps = registered_sweeps()
    assert sweeps["directory.listing_checks"] is send_listing_checks
    assert sweeps["directory.interest_entries"] is send_interest_counts


def test_a_listing_unchecked_for_five_months_reaches_its_keepers_once(app, running):
    activity_id, emails = running
    with app.test_request_context():
        assert send_listing_checks(NOW + FIVE_MONTHS - timedelta(days=1)) == 0
        send_listing_checks(NOW + FIVE_MONTHS)
        messages = [message for message in _messages("listing_check") if f"/activities/{activity_id}/" in
                    message.text_body]
        assert {message.recipient_email for message in messages} == {emails["rita"], emails["cham"],
                                                                     "pat@reds.example.org"}
        assert emails["oli"] not in {message.recipient_email for message in messages}
        assert f"/activities/{activity_id}/still-running" in messages[0].text_body
        assert messages[0].subject == "Is Walking football still running?"
        assert send_listing_checks(NOW + FIVE_MONTHS) == 0
        assert send_listing_checks(NOW + FIVE_MONTHS + timedelta(days=30)) == 0
        activity = db.session.get(Activity, activity_id)
        listings.confirm_still_running(actor=directory_coordinator(), activity=activity,
                                       today=(NOW + FIVE_MONTHS + timedelta(days=30)).date())
        assert send_listing_checks(NOW + FIVE_MONTHS + timedelta(days=31)) == 0
        assert send_listing_checks(NOW + 2 * FIVE_MONTHS + timedelta(days=30)) == 3  # a new period; the other activity had its one


def directory_coordinator():
    from brokerage.accounts.models import User
    return db.session.scalar(select(User).where(User.name == "Casey Coordinator"))


def test_an_ended_listing_is_not_chased(app, running):
    activity_id, _ = running
    listings.set_status(actor=directory_coordinator(), activity=db.session.get(Activity, activity_id),
                        status="ended", now=NOW)
    with app.test_request_context():
        send_listing_checks(NOW + FIVE_MONTHS)
    assert not [message for message in _messages("listing_check") if f"/activities/{activity_id}/" in message.text_body]


def test_the_still_running_link_asks_for_sign_in_then_confirms(app, client, auth, running, now, make_user):
    activity_id, emails = running
    now(NOW + FIVE_MONTHS)
    with app.test_request_context():
        send_listing_checks(NOW + FIVE_MONTHS)
    [message] = [m for m in _messages("listing_check") if m.recipient_email == emails["rita"]]
    link = message.text_body.split("http://localhost")[1].split()[0]
    db.session.commit()
    signing_in = client.get(link)
    assert signing_in.status_code == 302 and "/login" in signing_in.headers["Location"]
    from brokerage.accounts.models import User
    auth.login(db.session.scalar(select(User).where(User.email == emails["oli"])))
    assert client.get(link).status_code == 403
    auth.logout()
    auth.login(db.session.scalar(select(User).where(User.email == emails["rita"])))
    page = client.get(link)
    assert page.status_code == 200 and "Yes, it is still running" in page_text(page)
    assert client.post(f"/activities/{activity_id}/confirm", csrf=False).status_code == 400
    done = client.post(f"/activities/{activity_id}/confirm", follow_redirects=True)
    assert "is marked as still running" in page_text(done)
    db.session.expire_all()
    assert db.session.get(Activity, activity_id).last_checked_on == (NOW + FIVE_MONTHS).date()


def test_keepers_see_listings_to_check_on_their_starting_page(app, client, auth, running, now):
    activity_id, emails = running
    from brokerage.accounts.models import User
    db.session.commit()
    auth.login(db.session.scalar(select(User).where(User.email == emails["rita"])))
    assert "Listings to check" not in page_text(client.get("/dashboard"))
    now(NOW + FIVE_MONTHS)
    page = client.get("/dashboard")
    assert "Listings to check" in page_text(page) and "Is Walking football still running?" in page_text(page)
    assert f"/activities/{activity_id}/still-running" in page.get_data(as_text=True)
    assert "Other football" not in page_text(page)


def _interested(activity_id, count, at, name="Ana"):
    activity = db.session.get(Activity, activity_id)
    for number in range(count):
        interest.register_interest(activity=activity, first_name=f"{name}{number}", contact=f"{name}{number}@example.org",
                                   consent=True, ip=f"192.0.2.{number}", now=at)


def test_a_days_new_interest_is_one_message_to_the_providers_with_the_count_only(app, running):
    activity_id, emails = running
    _interested(activity_id, 10, NOW)
    _interested(activity_id, 2, NOW + timedelta(days=1), name="Later")
    with app.test_request_context():
        assert send_interest_counts(NOW) == 0  # the day is not over yet
        tomorrow = NOW + timedelta(days=1)
        send_interest_counts(tomorrow)
        messages = _messages("interest_entries")
        assert {message.recipient_email for message in messages} == {emails["rita"], "pat@reds.example.org"}
        for message in messages:
            assert "10 people said they were interested in Walking football on Monday 15 June 2026" in message.text_body
            assert f"/activities/{activity_id}/interest" in message.text_body
            for private in ("Ana", "@example.org", "192.0.2"):
                assert private not in message.text_body + message.html_body + message.subject
        assert send_interest_counts(tomorrow + timedelta(hours=3)) == 0
        send_interest_counts(tomorrow + timedelta(days=1))
        later = _messages("interest_entries")[len(messages):]
        assert len(later) == 2 and all("2 people said" in message.text_body for message in later)
