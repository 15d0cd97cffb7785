"""'I'm interested': consent, limits, retention, who sees the list, and starting a group from it."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from brokerage.audit.models import AuditEvent
from brokerage.directory.interest import services as interest
from brokerage.directory.interest.services import NewGroupFromInterest, start_group_from_interest
from brokerage.directory.interest.models import ActivityInterest
from brokerage.errors import PermissionDenied, RuleViolation
from brokerage.extensions import db
from brokerage.groups.models import Group, GroupPerson
from brokerage.groups.people.services import add_person

from ...conftest import page_text
from ..conftest import NOW


@pytest.fixture
def now(fixed_now):
    fixed_now(NOW)
    return fixed_now


@pytest.fixture
def listed(directory, now):
    activity_id = directory.activity().id
    db.session.commit()
    return activity_id


def _register(activity_id, first_name="Ana", contact="", consent=False, ip="192.0.2.1", at=NOW):
    activity = db.session.get(interest.Activity, activity_id)
    return interest.register_interest(activity=activity, first_name=first_name, contact=contact, consent=consent,
                                      ip=ip, now=at)


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(ActivityInterest))


def test_anyone_can_say_they_are_interested_and_is_told_what_happens_next(client, listed):
    response = client.post(f"/activities/{listed}/interested", data={
        "first_name": "Ana", "contact": "ana@example.org", "consent": "y"}, follow_redirects=True)
    text = page_text(response)
    assert response.status_code == 200
    assert "What happens next" in text and "after 6 months" in text
    row = db.session.scalar(select(ActivityInterest))
    assert (row.first_name, row.contact, row.contact_kind, row.consent_given) == (
        "Ana", "ana@example.org", "email", True)
    assert "192.0.2" not in row.ip_key and "127.0.0.1" not in row.ip_key
    assert row.expires_at == NOW + interest.RETENTION


def test_the_form_that_takes_contact_details_is_never_cached(client, listed):
    assert client.get(f"/activities/{listed}/interested").headers.get("Cache-Control") == "no-store"
    refused = client.post(f"/activities/{listed}/interested", data={"first_name": "Ana", "contact": "ana@example.org"})
    assert "ana@example.org" in refused.get_data(as_text=True)
    assert refused.headers.get("Cache-Control") == "no-store"


def test_the_form_names_the_provider_in_the_consent_box(client, listed):
    text = page_text(client.get(f"/activities/{listed}/interested"))
    assert "Creative Minds and Reds in the Community may contact me about this activity" in text
    assert "6 months" in text


def test_nothing_at_all_is_a_valid_expression_of_interest(client, listed):
    response = client.post(f"/activities/{listed}/interested", data={})
    assert response.status_code == 302
    assert _count() == 1


def test_contact_details_without_consent_are_refused_next_to_the_box(client, listed):
    response = client.post(f"/activities/{listed}/interested", data={"first_name": "Ana", "contact": "07700 900123"})
    text = page_text(response)
    assert response.status_code == 200
    assert "Tick the box to agree to be contacted" in text
    assert 'id="consent-error"' in response.get_data(as_text=True)
    assert 'value="07700 900123"' in response.get_data(as_text=True)  # input kept
    assert _count() == 0


@pytest.mark.parametrize("data, message", [
    ({"first_name": "A" * 61}, "first name of up to 60 characters"),
    ({"contact": "ana@", "consent": "y"}, "Enter an email address like name@example.org"),
    ({"contact": "not a number", "consent": "y"}, "Enter a phone number like 01484 123456"),
    ({"contact": "123", "consent": "y"}, "Enter a phone number like 01484 123456"),
    ({"contact": "a@" + "b" * 260 + ".org", "consent": "y"}, "contact details of up to 200 characters"),
])
def test_bad_input_is_refused_with_a_message(client, listed, data, message):
    response = client.post(f"/activities/{listed}/interested", data=data)
    assert response.status_code == 200
    assert message in page_text(response)
    assert _count() == 0


def test_the_database_refuses_contact_without_consent(directory, listed):
    db.session.add(ActivityInterest(activity_id=listed, contact="a@example.org", contact_kind="email",
                                    consent_given=False, created_at=NOW, expires_at=NOW + timedelta(days=1),
                                    ip_key="x"))
    with pytest.raises(Exception):
        db.session.flush()
    db.session.rollback()


def test_one_address_is_limited_per_activity_per_day(client, listed):
    for _ in range(interest.RATE_LIMIT):
        assert client.post(f"/activities/{listed}/interested", data={}).status_code == 302
    response = client.post(f"/activities/{listed}/interested", data={})
    assert response.status_code == 429
    assert "Try again tomorrow" in page_text(response)


def test_the_limit_passes_after_a_day(directory, listed, now):
    for _ in range(interest.RATE_LIMIT):
        _register(listed)
    with pytest.raises(interest.TooManyInterests):
        _register(listed)
    _register(listed, at=NOW + timedelta(hours=25))
    _register(listed, ip="198.51.100.7")


def test_unknown_activity_is_404(client, directory, now):
    assert client.get("/activities/999999/interested").status_code == 404
    assert client.post("/activities/999999/interested", data={}).status_code == 404


def test_the_provider_sees_the_list_with_contact_date_and_consent(client, auth, directory, listed):
    _register(listed, first_name="Ana", contact="ana@example.org", consent=True)
    _register(listed, first_name="Bo", ip="198.51.100.7")
    contact = directory.contact_for(directory.partner())
    auth.login(contact)
    text = page_text(client.get(f"/activities/{listed}/interest"))
    assert "Ana" in text and "ana@example.org" in text and "Bo" in text
    assert "15 Jun 2026" in text or "15 June 2026" in text
    assert text.index("Ana") < text.index("Bo")


def test_another_partners_contact_cannot_see_the_list(client, auth, directory, listed):
    _register(listed, contact="ana@example.org", consent=True)
    auth.login(directory.contact_for(directory.partner("Halifax Arts Café", "calderdale")))
    assert client.get(f"/activities/{listed}/interest").status_code == 403
    row_id = db.session.scalar(select(ActivityInterest.id))
    assert client.post(f"/activities/{listed}/interest/{row_id}/contacted").status_code == 403
    assert client.get(f"/activities/{listed}/interest/group").status_code == 403


def test_anonymous_people_cannot_see_the_list(client, listed):
    response = client.get(f"/activities/{listed}/interest")
    assert response.status_code in (302, 401, 403)
    assert "/login" in response.headers.get("Location", "/login")


def test_an_editor_marks_someone_contacted_and_it_is_audited(client, auth, directory, listed):
    row_id = _register(listed, contact="ana@example.org", consent=True).id
    auth.login(directory.contact_for(directory.partner()))
    response = client.post(f"/activities/{listed}/interest/{row_id}/contacted", follow_redirects=True)
    assert "Marked as contacted" in page_text(response)
    assert db.session.get(ActivityInterest, row_id).contacted_at == NOW
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "interest.contacted"))
    assert event is not None and "ana@example.org" not in event.summary


def test_an_entry_from_another_activity_is_not_found(client, auth, directory, listed):
    other = directory.activity(title="Choir", categories=("choir",)).id
    row_id = _register(other, contact="ana@example.org", consent=True).id
    auth.login(directory.contact_for(directory.partner()))
    assert client.post(f"/activities/{listed}/interest/{row_id}/contacted").status_code == 404


def test_expired_entries_are_never_shown_and_are_purged(directory, listed, now, runner):
    _register(listed, first_name="Old", at=NOW - interest.RETENTION - timedelta(minutes=1))
    _register(listed, first_name="New", ip="198.51.100.7")
    activity = db.session.get(interest.Activity, listed)
    shown = interest.interest_list(actor=directory.coordinator, activity=activity, now=NOW)
    assert [row.first_name for row in shown] == ["New"]
    result = runner.invoke(args=["directory", "purge-interest"])
    assert "Interest entries deleted: 1." in result.output
    db.session.expire_all()
    assert [row.first_name for row in db.session.scalars(select(ActivityInterest))] == ["New"]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "interest.purged")) is not None


def test_registering_interest_is_audited_without_personal_details(directory, listed):
    _register(listed, first_name="Ana", contact="ana@example.org", consent=True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "interest.registered"))
    assert "Ana" not in event.summary and "ana@example.org" not in str(event.after)


def _contacted(listed, directory, name, contact):
    row = _register(listed, first_name=name, contact=contact, consent=True, ip=name)
    activity = db.session.get(interest.Activity, listed)
    interest.mark_contacted(actor=directory.coordinator, activity=activity, interest_id=row.id, now=NOW)
    return row.id


def test_a_coordinator_starts_a_forming_group_with_founding_members(directory, listed):
    ids = (_contacted(listed, directory, "Ana", "ana@example.org"), _contacted(listed, directory, "Bo", "07700 900123"))
    activity = db.session.get(interest.Activity, listed)
    group = start_group_from_interest(actor=directory.coordinator, activity=activity, now=NOW, new=NewGroupFromInterest(
        name="Walking football friends", locality_id=activity.locality_id, interest_ids=ids, agreed=True))
    people = db.session.scalars(select(GroupPerson).where(GroupPerson.group_id == group.id)
                                .order_by(GroupPerson.name)).all()
    assert [(p.name, p.contact, p.founding, p.consent_given) for p in people] == [
        ("Ana", "ana@example.org", True, True), ("Bo", "07700 900123", True, True)]


def test_starting_a_group_needs_contacted_people_and_their_agreement(directory, listed):
    fresh = _register(listed, first_name="Cy", contact="cy@example.org", consent=True).id
    activity = db.session.get(interest.Activity, listed)
    base = dict(name="Group", locality_id=activity.locality_id)
    with pytest.raises(RuleViolation) as error:
        start_group_from_interest(actor=directory.coordinator, activity=activity, now=NOW,
                                  new=NewGroupFromInterest(**base, interest_ids=(fresh,), agreed=False))
    assert error.value.field == "agreed"
    with pytest.raises(RuleViolation) as error:
        start_group_from_interest(actor=directory.coordinator, activity=activity, now=NOW,
                                  new=NewGroupFromInterest(**base, interest_ids=(fresh,), agreed=True))
    assert error.value.field == "interest_ids"


def test_a_partner_contact_cannot_start_a_group(directory, listed):
    row_id = _contacted(listed, directory, "Ana", "ana@example.org")
    activity = db.session.get(interest.Activity, listed)
    with pytest.raises(PermissionDenied):
        start_group_from_interest(actor=directory.contact_for(directory.partner()), activity=activity, now=NOW,
                                  new=NewGroupFromInterest(name="G", locality_id=activity.locality_id,
                                                           interest_ids=(row_id,), agreed=True))


def test_the_start_group_page_creates_the_group(client, auth, directory, listed):
    row_id = _contacted(listed, directory, "Ana", "ana@example.org")
    locality_id = db.session.get(interest.Activity, listed).locality_id
    auth.login(directory.coordinator)
    page = client.get(f"/activities/{listed}/interest/group")
    assert "Ana (ana@example.org)" in page_text(page)
    response = client.post(f"/activities/{listed}/interest/group", data={
        "name": "Friends of football", "locality_id": str(locality_id), "interest_ids": [str(row_id)]})
    assert "Confirm that everyone you chose agreed" in page_text(response)
    response = client.post(f"/activities/{listed}/interest/group", data={
        "name": "Friends of football", "locality_id": str(locality_id), "interest_ids": [str(row_id)],
        "agreed": "y"})
    assert response.status_code == 302 and "/groups/" in response.headers["Location"]


def test_a_group_is_not_left_half_started_when_a_founder_cannot_be_added(directory, listed, monkeypatch):
    ids = (_contacted(listed, directory, "Ana", "ana@example.org"), _contacted(listed, directory, "Bo", "07700 900123"))
    activity = db.session.get(interest.Activity, listed)
    groups, people = (db.session.scalar(select(func.count()).select_from(table)) for table in (Group, GroupPerson))
    added = []

    def add_person_then_refuse(**arguments):
        if added:
            raise RuleViolation("That person cannot be added.")
        added.append(add_person(**arguments))
    monkeypatch.setattr(interest, "add_person", add_person_then_refuse)
    with pytest.raises(RuleViolation):
        start_group_from_interest(actor=directory.coordinator, activity=activity, now=NOW, new=NewGroupFromInterest(
            name="Walking football friends", locality_id=activity.locality_id, interest_ids=ids, agreed=True))
    assert len(added) == 1
    assert db.session.scalar(select(func.count()).select_from(Group)) == groups
    assert db.session.scalar(select(func.count()).select_from(GroupPerson)) == people
