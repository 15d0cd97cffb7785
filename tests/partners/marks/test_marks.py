"""The mental-health-friendly mark: coordinators set up a scheme per locality with criteria; a
partner's people apply with evidence per criterion; a coordinator assesses each criterion and
awards with an expiry or says what is missing. Every step is audited; bad input is refused next to
its field with nothing saved; nobody else sees any of it."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from brokerage.audit.models import AuditEvent
from brokerage.core.values.roles import Role
from brokerage.core.values.timeutils import london_today, utcnow
from brokerage.extensions import db
from brokerage.notifications.models import OutboxMessage
from brokerage.notifications.sweeps import registered_sweeps
from brokerage.partners.marks.models import MarkApplication, MarkCriterion, MarkEvidence, MarkScheme
from brokerage.partners.marks.reminders import send_mark_digests
from tests.conftest import page_text


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def iso(days: int = 0) -> str:
    return (london_today() + timedelta(days=days)).isoformat()


SCHEME = {"name": "Moving Mental Health Forward", "mark_text": "Coaches here know how to support your mental health.",
          "award_months": "24"}


@pytest.fixture
def scheme(app, client, coordinator, locality_ids):
    response = client.post("/partners/marks", data={**SCHEME, "locality": locality_ids["barnsley"]})
    assert response.status_code == 302
    with app.app_context():
        scheme_id = db.session.scalar(select(MarkScheme.id))
    for name, minimum in (("A named mental health lead", "1"), ("In-date Mental Health First Aid certificates", "2")):
        assert client.post(f"/partners/marks/schemes/{scheme_id}", data={"name": name, "minimum": minimum}).status_code == 302
    return scheme_id


def criterion_ids(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(MarkCriterion.id).order_by(MarkCriterion.id)))


def evidence(app, **changes) -> dict:
    lead, first_aid = criterion_ids(app)
    data = {f"c{lead}_details": "Sam Lee, club welfare officer",
            f"c{first_aid}_details": "Sam Lee and Jo Khan", f"c{first_aid}_reference": "MHFA-2291",
            f"c{first_aid}_issued_on": iso(-100), f"c{first_aid}_expires_on": iso(400)}
    return {**data, **changes}


@pytest.fixture
def partner(make_partner):
    return make_partner(name="Penistone Harriers")


@pytest.fixture
def applied(app, client, scheme, partner):
    response = client.post(f"/partners/{partner}/mark", data=evidence(app))
    assert response.status_code == 302, page_text(response)
    with app.app_context():
        return db.session.scalar(select(MarkApplication.id))


def decision(app, met=("met", "met"), **changes) -> dict:
    data = {f"c{cid}_met": value for cid, value in zip(criterion_ids(app), met)}
    return {**data, "awarded_until": iso(365), "missing": "", **changes}


def test_a_coordinator_sets_up_a_scheme_with_criteria_and_it_is_audited(app, client, scheme):
    page = page_text(client.get(f"/partners/marks/schemes/{scheme}"))
    assert "Moving Mental Health Forward" in page and "(at least 2)" in page
    assert audit_actions(app).count("mark_scheme.criterion_added") == 2 and "mark_scheme.created" in audit_actions(app)


@pytest.mark.parametrize("field, value, message", [
    ("name", "", "Enter the scheme's name."), ("award_months", "0", "from 1 to 60"),
    ("award_months", "many", "from 1 to 60"), ("mark_text", "", "plain words")])
def test_a_scheme_with_bad_input_is_refused_next_to_its_field(app, client, coordinator, locality_ids, field, value,
                                                              message):
    response = client.post("/partners/marks", data={**SCHEME, "locality": locality_ids["barnsley"], field: value})
    assert response.status_code == 400 and message in page_text(response)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert "Coaches here know" in response.get_data(as_text=True) or field == "mark_text"
    assert count(app, MarkScheme) == 0


@pytest.mark.parametrize("name, minimum, message", [("", "1", "Enter what the criterion asks for."),
                                                    ("First aiders", "0", "1 or more"),
                                                    ("First aiders", "-3", "1 or more")])
def test_a_criterion_with_no_name_or_a_non_positive_count_is_refused(app, client, scheme, name, minimum, message):
    response = client.post(f"/partners/marks/schemes/{scheme}", data={"name": name, "minimum": minimum})
    assert response.status_code == 400 and message in page_text(response)
    assert count(app, MarkCriterion) == 2


def test_a_partner_applies_with_evidence_per_criterion_and_it_is_audited(app, client, applied, partner):
    with app.app_context():
        rows = list(db.session.scalars(select(MarkEvidence)))
    assert len(rows) == 2 and {row.reference for row in rows} == {"", "MHFA-2291"}
    assert "mark.applied" in audit_actions(app)
    assert "Penistone Harriers" in page_text(client.get("/partners/marks"))


@pytest.mark.parametrize("which, part, value, message", [
    (1, "issued_on", 5, "cannot be in the future"), (1, "expires_on", -200, "after the date issued"),
    (0, "details", None, "Say how you meet this")])
def test_evidence_with_bad_dates_or_nothing_said_is_refused_and_kept(app, client, scheme, partner, which, part, value,
                                                                    message):
    field = f"c{criterion_ids(app)[which]}_{part}"
    data = evidence(app, **{field: "" if value is None else iso(value)})
    response = client.post(f"/partners/{partner}/mark", data=data)
    assert response.status_code == 400 and message in page_text(response)
    assert f'id="{field}-error"' in response.get_data(as_text=True) and "MHFA-2291" in response.get_data(as_text=True)
    assert count(app, MarkApplication) == 0 and count(app, MarkEvidence) == 0


def test_the_partners_own_contact_may_apply_and_others_may_not(app, client, auth, scheme, partner, make_user,
                                                               link_contact):
    auth.logout()
    contact = make_user(Role.PARTNER_CONTACT)
    link_contact(contact, partner)
    auth.login(contact)
    assert client.post(f"/partners/{partner}/mark", data=evidence(app)).status_code == 302
    auth.logout()
    auth.login_as(Role.PARTNER_CONTACT)
    assert client.get(f"/partners/{partner}/mark").status_code == 403
    assert client.get("/partners/marks/applications/1").status_code == 403
    assert client.post(f"/partners/{partner}/mark", data=evidence(app)).status_code == 403
    assert client.get(f"/partners/9999/mark").status_code == 404
    assert count(app, MarkApplication) == 1


@pytest.mark.parametrize("role", [None, Role.CHAMPION, Role.PARTNER_CONTACT, Role.COLLECTIVE_MEMBER])
def test_only_coordinators_run_schemes_and_decide(app, client, auth, applied, scheme, role):
    auth.logout()
    if role:
        auth.login_as(role)
    first = criterion_ids(app)[0]
    responses = [client.get("/partners/marks"), client.get(f"/partners/marks/schemes/{scheme}"),
                 client.post(f"/partners/marks/schemes/{scheme}", data={"name": "More", "minimum": "1"}),
                 client.post(f"/partners/marks/applications/{applied}", data=decision(app)),
                 client.get(f"/partners/marks/schemes/{scheme}/edit"),
                 client.post(f"/partners/marks/schemes/{scheme}/edit", data={**SCHEME, "name": "Taken over"}),
                 client.post(f"/partners/marks/criteria/{first}", data={"name": "Gone", "minimum": "1"}),
                 client.post(f"/partners/marks/criteria/{first}/remove")]
    assert all(response.status_code == (302 if role is None else 403) for response in responses)
    assert count(app, MarkCriterion) == 2 and count(app, MarkApplication) == 1
    with app.app_context():
        assert db.session.get(MarkApplication, applied).state == "submitted"
        assert db.session.get(MarkScheme, scheme).name == SCHEME["name"]
        assert [row.name for row in db.session.scalars(select(MarkCriterion).order_by(MarkCriterion.id))][0] != "Gone"
        assert all(row.retired_at is None for row in db.session.scalars(select(MarkCriterion)))


def test_a_coordinator_awards_the_mark_with_an_expiry_and_it_shows_on_the_partners_page(app, client, applied, partner):
    response = client.post(f"/partners/marks/applications/{applied}", data=decision(app))
    assert response.status_code == 302
    with app.app_context():
        award = db.session.get(MarkApplication, applied)
        assert award.state == "awarded" and award.valid_until == london_today() + timedelta(days=365)
    assert "mark.awarded" in audit_actions(app)
    page = page_text(client.get(f"/partners/{partner}"))
    assert "Mental-health-friendly" in page and "Coaches here know" in page


def test_an_award_past_the_schemes_length_is_refused_and_nothing_saved(app, client, applied):
    response = client.post(f"/partners/marks/applications/{applied}", data=decision(app, awarded_until=iso(800)))
    assert response.status_code == 400 and "at most 24 months" in page_text(response)
    with app.app_context():
        assert db.session.get(MarkApplication, applied).state == "submitted"
        assert all(row.met is None for row in db.session.scalars(select(MarkEvidence)))


def test_a_criterion_not_yet_met_needs_what_is_missing_and_the_club_reads_it(app, client, applied, partner):
    refused = client.post(f"/partners/marks/applications/{applied}", data=decision(app, met=("met", "not_yet")))
    assert refused.status_code == 400 and "Say what is missing" in page_text(refused)
    client.post(f"/partners/marks/applications/{applied}",
                data=decision(app, met=("met", "not_yet"), missing="A second first aider."))
    with app.app_context():
        assert db.session.get(MarkApplication, applied).state == "not_yet"
    assert "A second first aider." in page_text(client.get(f"/partners/{partner}/mark"))
    assert "mark.not_yet" in audit_actions(app)


def test_a_certificate_expiring_soon_is_listed_and_once_expired_suspends_the_mark(app, client, scheme, partner):
    first_aid = criterion_ids(app)[1]
    client.post(f"/partners/{partner}/mark", data=evidence(app, **{f"c{first_aid}_expires_on": iso(30)}))
    with app.app_context():
        application_id = db.session.scalar(select(MarkApplication.id))
    client.post(f"/partners/marks/applications/{application_id}", data=decision(app))
    assert "MHFA-2291" in page_text(client.get("/partners/marks"))
    with app.app_context():
        award = db.session.get(MarkApplication, application_id)
        assert award.valid_until == london_today() + timedelta(days=30)
        award.valid_until = london_today() - timedelta(days=1)
        db.session.commit()
    assert "suspended" in page_text(client.get(f"/partners/{partner}"))


def test_expiring_certificates_are_emailed_weekly_to_coordinators_and_the_clubs_own_contacts(
        app, client, scheme, partner, make_user, link_contact):
    contact = make_user(Role.PARTNER_CONTACT, email="sam@harriers.example.org")
    link_contact(contact, partner)
    first_aid = criterion_ids(app)[1]
    client.post(f"/partners/{partner}/mark", data=evidence(app, **{f"c{first_aid}_expires_on": iso(30)}))
    with app.app_context():
        application_id = db.session.scalar(select(MarkApplication.id))
    client.post(f"/partners/marks/applications/{application_id}", data=decision(app))
    now = utcnow()
    with app.test_request_context():
        assert registered_sweeps()["partners.marks_expiring"] is send_mark_digests
        written = send_mark_digests(now)
        assert written >= 2 and send_mark_digests(now + timedelta(hours=3)) == 0
        messages = {message.recipient_email: message.text_body for message in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "marks_expiring"))}
    assert "MHFA-2291" in messages["sam@harriers.example.org"]
    assert "Penistone Harriers" in messages[next(email for email in messages if email != "sam@harriers.example.org")]


def test_an_application_is_decided_once(app, client, applied):
    client.post(f"/partners/marks/applications/{applied}", data=decision(app))
    again = client.post(f"/partners/marks/applications/{applied}",
                        data=decision(app, met=("met", "not_yet"), missing="Changed our mind"))
    assert again.status_code == 302
    assert "already been decided" in page_text(client.get(f"/partners/marks/applications/{applied}"))
    with app.app_context():
        assert db.session.get(MarkApplication, applied).state == "awarded"
    assert audit_actions(app).count("mark.awarded") == 1 and "mark.not_yet" not in audit_actions(app)


def test_an_archived_partner_cannot_apply_and_nothing_is_saved(app, client, scheme, partner):
    assert client.post(f"/partners/{partner}/archive", data={}).status_code == 302
    response = client.post(f"/partners/{partner}/mark", data=evidence(app))
    assert response.status_code == 400
    assert "archived, so it cannot apply" in page_text(response) and "MHFA-2291" in response.get_data(as_text=True)
    assert count(app, MarkApplication) == 0


def test_a_coordinator_edits_a_scheme_and_its_criteria_with_the_same_checks_and_it_is_audited(app, client, scheme):
    refused = client.post(f"/partners/marks/schemes/{scheme}/edit", data={**SCHEME, "award_months": "0"})
    assert refused.status_code == 400 and "from 1 to 60" in page_text(refused)
    assert client.post(f"/partners/marks/schemes/{scheme}/edit", data={
        "name": "Moving Forward Together", "mark_text": "Trained, named people welcome you.",
        "award_months": "12"}).status_code == 302
    lead, _ = criterion_ids(app)
    for minimum, message in (("0", "1 or more"), ("", "1 or more")):
        refused = client.post(f"/partners/marks/criteria/{lead}", data={"name": "A named lead", "minimum": minimum})
        assert refused.status_code == 400 and message in page_text(refused)
    refused = client.post(f"/partners/marks/criteria/{lead}", data={"name": "", "minimum": "1"})
    assert refused.status_code == 400 and "Enter what the criterion asks for." in page_text(refused)
    assert client.post(f"/partners/marks/criteria/{lead}", data={"name": "Two named leads", "minimum": "2"}
                       ).status_code == 302
    page = page_text(client.get(f"/partners/marks/schemes/{scheme}"))
    assert "Moving Forward Together" in page and "12 months at most" in page and "Two named leads (at least 2)" in page
    with app.app_context():
        edited = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mark_scheme.edited"))
        assert edited.before["award_months"] == 24 and edited.after["award_months"] == 12
    assert "mark_scheme.criterion_edited" in audit_actions(app)


def test_a_criterion_with_evidence_is_retired_not_deleted_and_new_applications_skip_it(app, client, applied, scheme,
                                                                                       partner):
    lead, first_aid = criterion_ids(app)
    assert client.post(f"/partners/marks/schemes/{scheme}", data={"name": "A welcome statement", "minimum": "1"}
                       ).status_code == 302
    unused = criterion_ids(app)[-1]
    assert "Criterion removed." in page_text(client.post(f"/partners/marks/criteria/{unused}/remove",
                                                         follow_redirects=True))
    retired = page_text(client.post(f"/partners/marks/criteria/{first_aid}/remove", follow_redirects=True))
    assert "Criterion retired" in retired and "Retired criteria" in retired
    assert criterion_ids(app) == [lead, first_aid]  # the unused one is gone, the used one kept
    assert "In-date Mental Health First Aid" in page_text(client.get(f"/partners/marks/applications/{applied}"))
    refused = client.post(f"/partners/marks/criteria/{first_aid}", data={"name": "Changed", "minimum": "1"})
    assert refused.status_code == 400 and "retired" in page_text(refused)
    form = client.get(f"/partners/{partner}/mark").get_data(as_text=True)
    assert f'name="c{lead}_details"' in form and f'name="c{first_aid}_details"' not in form
    assert client.post(f"/partners/{partner}/mark", data={f"c{lead}_details": "Sam Lee"}).status_code == 302
    with app.app_context():
        newest = db.session.scalars(select(MarkApplication).order_by(MarkApplication.id.desc())).first()
        assert [row.criterion_id for row in newest.evidence] == [lead]
    assert {"mark_scheme.criterion_deleted", "mark_scheme.criterion_retired"} <= set(audit_actions(app))
