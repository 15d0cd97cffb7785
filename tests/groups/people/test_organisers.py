"""Accounts for the people who run a group: a champion invites them or links an existing account to
their record (one person, one record, one account); their account reaches their own group only."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from brokerage.accounts.models import User
from brokerage.audit.models import AuditEvent
from brokerage.core.values.roles import Role
from brokerage.errors import PermissionDenied, RuleViolation
from brokerage.extensions import db
from brokerage.groups.models import Group, GroupPerson
from brokerage.groups.people import services as people
from brokerage.notifications.models import OutboxMessage
from tests.conftest import page_text

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)


def _loaded(group_id, champion, member_ids):
    return db.session.get(Group, group_id), db.session.get(User, champion.id), member_ids


def test_a_champion_invites_a_founder_who_gets_a_group_organiser_account_and_an_email(app, forming_group):
    with app.app_context():
        group, champion, member_ids = _loaded(*forming_group)
        given = people.give_account(actor=champion, group=group, person_id=member_ids[0], email="Ana@Example.org",
                                    now=NOW)
        assert given.token and given.user.roles == {Role.GROUP_ORGANISER} and given.user.email == "ana@example.org"
        assert db.session.get(GroupPerson, member_ids[0]).user_id == given.user.id
        message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "invitation"))
        assert message.recipient_email == "ana@example.org" and "help run Wakefield Walkers" in message.text_body
        assert "group.account_linked" in set(db.session.scalars(select(AuditEvent.action)))


def test_an_existing_account_is_linked_to_an_existing_person(app, make_user, forming_group):
    existing = make_user(Role.COLLECTIVE_MEMBER, email="sam@example.org", name="Sam Green")
    with app.app_context():
        group, champion, member_ids = _loaded(*forming_group)
        given = people.give_account(actor=champion, group=group, person_id=member_ids[1], email="sam@example.org",
                                    now=NOW)
        assert given.token is None and given.user.id == existing.id
        assert db.session.get(GroupPerson, member_ids[1]).user_id == existing.id


def test_one_person_is_one_record_with_at_most_one_account(app, make_user, forming_group):
    make_user(Role.GROUP_ORGANISER, email="sam@example.org", name="Sam")
    with app.app_context():
        group, champion, member_ids = _loaded(*forming_group)
        people.give_account(actor=champion, group=group, person_id=member_ids[0], email="sam@example.org", now=NOW)
        with pytest.raises(RuleViolation) as error:
            people.give_account(actor=champion, group=group, person_id=member_ids[1], email="sam@example.org",
                                now=NOW)
        assert error.value.field == "email" and "One person has one record" in error.value.message
        with pytest.raises(RuleViolation) as error:
            people.give_account(actor=champion, group=group, person_id=member_ids[0], email="other@example.org",
                                now=NOW)
        assert error.value.field == "person_id" and "already has an account" in error.value.message


def test_an_officer_cannot_give_accounts(app, hosted_group):
    with app.app_context():
        group = db.session.get(Group, hosted_group.group_id)
        with pytest.raises(PermissionDenied):
            people.give_account(actor=db.session.get(User, hosted_group.users["ann"].id), group=group,
                                person_id=hosted_group.person_ids["fay"], email="fay@example.org", now=NOW)


def test_the_people_page_gives_an_account_and_shows_the_link(client, auth, forming_group):
    group_id, champion, member_ids = forming_group
    auth.login(champion)
    response = client.post(f"/groups/{group_id}/people/accounts", data={"person_id": member_ids[0], "email": ""})
    assert response.status_code == 200 and "Enter their email address." in page_text(response)
    page = page_text(client.post(f"/groups/{group_id}/people/accounts",
                                 data={"person_id": member_ids[0], "email": "ana@example.org"}, follow_redirects=True))
    assert "is invited: we have emailed them a link to set a password" in page and "/set-password/" in page


def test_only_supporters_may_give_accounts_on_the_page(client, auth, forming_group, hosted_group):
    group_id, _, member_ids = forming_group
    auth.login_as(Role.CHAMPION)
    assert client.post(f"/groups/{group_id}/people/accounts",
                       data={"person_id": member_ids[0], "email": "a@example.org"}).status_code == 403
    auth.logout()
    auth.login(hosted_group.users["ann"])
    assert client.post(f"/groups/{hosted_group.group_id}/people/accounts",
                       data={"person_id": hosted_group.person_ids["fay"], "email": "a@example.org"}).status_code == 403
    assert client.post("/groups/999999/people/accounts", data={}).status_code == 404


@pytest.fixture
def organiser(app, make_user, forming_group):
    """A founding member of the forming group whose account is a group organiser's."""
    user = make_user(Role.GROUP_ORGANISER, email="ana@example.org", name="Ana")
    with app.app_context():
        group, champion, member_ids = _loaded(*forming_group)
        people.give_account(actor=champion, group=group, person_id=member_ids[0], email=user.email, now=NOW)
    return user


def test_a_group_organiser_sees_their_own_group_and_nothing_else(client, auth, organiser, forming_group, hosted_group):
    group_id = forming_group[0]
    auth.login(organiser)
    assert client.get("/groups/mine").headers["Location"].endswith(f"/groups/{group_id}")
    assert client.get(f"/groups/{group_id}").status_code == 200
    assert client.get(f"/groups/{group_id}/people").status_code == 200
    for path in (f"/groups/{hosted_group.group_id}", f"/groups/{hosted_group.group_id}/people",
                 f"/groups/hostings/{hosted_group.hosting_id}", "/collectives", "/your-collectives",
                 "/partners", f"/partners/{hosted_group.partner_id}", "/groups/attention", "/groups/new",
                 "/your-activities", "/bids"):
        assert client.get(path).status_code in (403, 404), path
    listed = page_text(client.get("/groups/"))
    assert "Wakefield Walkers" in listed
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'href="/groups/mine"' in page and 'href="/partners"' not in page and 'href="/collectives"' not in page


def test_founders_run_the_group_until_its_three_officers_are_chosen(client, auth, organiser, forming_group):
    group_id, _, member_ids = forming_group
    auth.login(organiser)
    assert client.get(f"/groups/{group_id}/constitution/questions/name").status_code == 200
    response = client.post(f"/groups/{group_id}/people/officers", data={
        "chair": member_ids[1], "secretary": member_ids[2], "treasurer": member_ids[3], "welfare_lead": "0"})
    assert response.status_code == 302
    assert client.get(f"/groups/{group_id}/constitution/questions/name").status_code == 403
