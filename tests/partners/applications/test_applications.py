"""Becoming a community partner: anyone applies (checked as a partner would be, a honeypot and a count
per source address against spam); only coordinators see the queue and decide; accepting registers a
prospective partner with its contact invited; declining emails the reason. Both are audited."""
import pytest
from sqlalchemy import func, select

from brokerage.accounts.models import User
from brokerage.audit.models import AuditEvent
from brokerage.core.values.roles import Role
from brokerage.extensions import db
from brokerage.notifications.models import OutboxMessage
from brokerage.partners.applications.models import PartnerApplication
from brokerage.partners.models import Partner, PartnerContact, PartnerUser
from tests.conftest import page_text


@pytest.fixture
def form(locality_ids) -> dict:
    return {"name": "Barnsley Arts Hub", "type": "charity", "charity_number": "1 123 456", "company_number": "",
            "contact_name": "Robin Applicant", "contact_email": "Robin@Example.org", "contact_phone": "01226 123456",
            "localities": [str(locality_ids[next(iter(locality_ids))])], "interests": ["arts", "music"],
            "proposal": "Host a weekly painting group.", "homepage": ""}


def outbox(app, kind="partner_application") -> list[dict]:
    with app.app_context():
        return [{"to": m.recipient_email, "user_id": m.recipient_user_id, "subject": m.subject, "text": m.text_body}
                for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)
                                            .order_by(OutboxMessage.id))]


def applications(app) -> list[PartnerApplication]:
    with app.app_context():
        found = list(db.session.scalars(select(PartnerApplication).order_by(PartnerApplication.id)))
        db.session.expunge_all()
        return found


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.object_type == "partner_application").order_by(AuditEvent.id)))


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# Applying

def test_the_public_page_shows_the_form_without_signing_in(client):
    page = client.get("/become-a-partner")
    assert page.status_code == 200
    assert 'name="homepage"' in page.get_data(as_text=True) and "Become a community partner" in page_text(page)


def test_an_application_is_kept_acknowledged_and_coordinators_told(app, client, make_user, form):
    coordinator = make_user(Role.COORDINATOR, email="coord@example.org")
    make_user(Role.CHAMPION, email="champ@example.org")
    response = client.post("/become-a-partner", data=form)
    assert response.status_code == 302 and response.headers["Location"] == "/become-a-partner/thanks"
    assert "emailed you" in page_text(client.get("/become-a-partner/thanks"))
    [application] = applications(app)
    assert (application.name, application.charity_number, application.contact_email, application.state) == (
        "Barnsley Arts Hub", "1123456", "robin@example.org", "pending")
    messages = outbox(app)
    assert sorted(m["to"] for m in messages) == ["coord@example.org", "robin@example.org"]  # not the champion
    to_coordinator = next(m for m in messages if m["user_id"] == coordinator.id)
    assert f"http://localhost/partners/applications/{application.id}" in to_coordinator["text"]
    assert "01226" not in to_coordinator["text"] + to_coordinator["subject"]
    assert audit_actions(app) == ["partner_application.received"]


def test_a_filled_honeypot_is_thanked_and_nothing_kept_or_sent(app, client, form):
    response = client.post("/become-a-partner", data={**form, "homepage": "http://spam.example"})
    assert response.headers["Location"] == "/become-a-partner/thanks"
    assert applications(app) == [] and outbox(app) == []


def test_too_many_applications_from_one_address_are_thanked_and_dropped(app, client, form):
    limit = app.config["PARTNER_APPLICATIONS_MAX_PER_IP"]
    for number in range(limit + 2):
        response = client.post("/become-a-partner", data={**form, "name": f"Organisation {number}"})
        assert response.headers["Location"] == "/become-a-partner/thanks"
    assert len(applications(app)) == limit
    other = app.test_client().post("/become-a-partner", data={**form, "name": "Elsewhere"},
                                   environ_base={"REMOTE_ADDR": "10.1.1.1"})
    assert other.status_code == 302 and len(applications(app)) == limit + 1


@pytest.mark.parametrize("field, value, message", [
    ("name", "", "Enter the organisation's name."),
    ("name", "x" * 201, "Use at most 200 characters."),
    ("type", "", "Choose the type of organisation."),
    ("type", "secret_society", "Not a valid choice"),
    ("charity_number", "12", "charity number for England and Wales"),
    ("charity_number", "", "Enter the charity number of a registered charity."),
    ("company_number", "ABC", "Companies House number"),
    ("contact_name", "", "Enter your name."),
    ("contact_name", "Robin\x00", "cannot be saved"),
    ("contact_email", "", "Enter your email address."),
    ("contact_email", "not-an-address", "right format"),
    ("contact_email", "a" * 250 + "@example.org", "Use at most 254 characters."),
    ("contact_phone", "12345", "UK phone number"),
    ("localities", [], "Choose at least one locality"),
    ("localities", ["999999"], "Not a valid choice"),
    ("interests", ["astrology"], "Not a valid choice"),
    ("proposal", "", "Say what your organisation would like to do."),
    ("proposal", "x" * 5001, "Use at most 5000 characters."),
])
def test_each_field_is_checked_and_the_answers_kept(app, client, form, field, value, message):
    response = client.post("/become-a-partner", data={**form, field: value})
    assert response.status_code == 400
    text = page_text(response)
    assert message.lower() in text.lower()
    assert "Robin Applicant" in response.get_data(as_text=True) or field == "contact_name"
    assert applications(app) == [] and outbox(app) == []


def test_a_company_needs_a_company_number(app, client, form):
    response = client.post("/become-a-partner", data={**form, "type": "company", "charity_number": ""})
    assert response.status_code == 400 and "Companies House number" in page_text(response)


def test_without_the_csrf_token_nothing_is_kept(app, client, form):
    assert client.post("/become-a-partner", data=form, csrf=False).status_code == 400
    assert applications(app) == []


# The queue and deciding

@pytest.fixture
def applied(app, client, form):
    client.post("/become-a-partner", data=form)
    [application] = applications(app)
    return application.id


@pytest.mark.parametrize("role", [None, Role.CHAMPION, Role.PARTNER_CONTACT, Role.COLLECTIVE_MEMBER])
def test_only_coordinators_see_the_queue_or_decide(app, client, auth, applied, role):
    if role:
        auth.login_as(role)
    pages = [client.get("/partners/applications"), client.get(f"/partners/applications/{applied}"),
             client.post(f"/partners/applications/{applied}/accept"),
             client.post(f"/partners/applications/{applied}/decline", data={"reason": "No"})]
    assert all(page.status_code in ((302,) if role is None else (403,)) for page in pages)
    assert applications(app)[0].state == "pending" and count(app, Partner) == 0


def test_the_coordinators_dashboard_links_to_the_queue_which_lists_the_application(client, coordinator, applied):
    assert 'href="/partners/applications"' in client.get("/dashboard").get_data(as_text=True)
    queue = client.get("/partners/applications")
    assert queue.status_code == 200 and "Barnsley Arts Hub" in page_text(queue)
    detail = client.get(f"/partners/applications/{applied}")
    assert "Host a weekly painting group." in page_text(detail) and "robin@example.org" in page_text(detail)


def test_accepting_registers_the_partner_and_invites_its_contact(app, client, coordinator, applied):
    response = client.post(f"/partners/applications/{applied}/accept")
    assert response.status_code == 302
    with app.app_context():
        partner = db.session.scalar(select(Partner))
        contact = db.session.scalar(select(PartnerContact))
        user = db.session.scalar(select(User).where(User.email == "robin@example.org"))
        assert (partner.name, partner.charity_number, partner.agreement) == ("Barnsley Arts Hub", "1123456", None)
        assert (contact.partner_id, contact.email, contact.is_primary) == (partner.id, "robin@example.org", True)
        assert user.roles == {Role.PARTNER_CONTACT} and not user.has_password
        assert db.session.scalar(select(PartnerUser.user_id).where(PartnerUser.partner_id == partner.id)) == user.id
        assert response.headers["Location"] == f"/partners/{partner.id}"
    [invitation] = outbox(app, "invitation")
    assert invitation["to"] == "robin@example.org" and "/set-password/" in invitation["text"]
    assert applications(app)[0].state == "accepted"
    assert audit_actions(app)[-1] == "partner_application.accepted"


def test_an_application_is_decided_once(app, client, coordinator, applied):
    client.post(f"/partners/applications/{applied}/accept")
    client.post(f"/partners/applications/{applied}/accept")
    client.post(f"/partners/applications/{applied}/decline", data={"reason": "Changed our mind"})
    assert count(app, Partner) == 1 and applications(app)[0].state == "accepted"
    assert len(outbox(app, "invitation")) == 1
    assert all("declined" not in m["subject"] for m in outbox(app))


def test_a_contact_with_an_account_is_linked_and_told_without_an_invitation(app, client, coordinator, make_user,
                                                                              applied):
    existing = make_user(Role.CHAMPION, email="robin@example.org")
    client.post(f"/partners/applications/{applied}/accept")
    with app.app_context():
        assert db.session.get(User, existing.id).roles == {Role.CHAMPION, Role.PARTNER_CONTACT}
    assert outbox(app, "invitation") == []
    assert "now a Creative Minds community partner" in outbox(app)[-1]["text"]


def test_accepting_a_duplicate_changes_nothing_and_says_so(app, client, coordinator, form, applied):
    client.post("/become-a-partner", data={**form, "contact_email": "other@example.org"})
    second = applications(app)[1].id
    client.post(f"/partners/applications/{applied}/accept")
    response = client.post(f"/partners/applications/{second}/accept")
    assert response.status_code == 400 and "already registered" in page_text(response)
    assert count(app, Partner) == 1 and applications(app)[1].state == "pending"
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "other@example.org")) is None


def test_declining_needs_a_reason_and_emails_it_to_the_applicant(app, client, coordinator, applied):
    refused = client.post(f"/partners/applications/{applied}/decline", data={"reason": "  "})
    assert refused.status_code == 400 and "Say why the application is declined." in page_text(refused)
    response = client.post(f"/partners/applications/{applied}/decline",
                           data={"reason": "We only work in Barnsley for now."})
    assert response.status_code == 302
    declined = outbox(app)[-1]
    assert declined["to"] == "robin@example.org" and "We only work in Barnsley for now." in declined["text"]
    assert applications(app)[0].state == "declined" and count(app, Partner) == 0
    assert audit_actions(app)[-1] == "partner_application.declined"


def test_deciding_without_the_csrf_token_changes_nothing(app, client, coordinator, applied):
    assert client.post(f"/partners/applications/{applied}/accept", csrf=False).status_code == 400
    assert client.post(f"/partners/applications/{applied}/decline", data={"reason": "No"},
                       csrf=False).status_code == 400
    assert applications(app)[0].state == "pending"


def test_an_unknown_application_is_not_found(client, coordinator):
    assert client.get("/partners/applications/424242").status_code == 404
    assert client.post("/partners/applications/424242/accept").status_code == 404


def test_the_home_page_links_to_the_application(client):
    assert 'href="/become-a-partner"' in client.get("/").get_data(as_text=True)
