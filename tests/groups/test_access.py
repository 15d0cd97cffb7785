"""Who may see and change a group: every forbidden path answers 403 (services raise PermissionDenied)."""
from datetime import date

import pytest

from brokerage.accounts.models import User
from brokerage.core.values.roles import Role
from brokerage.errors import PermissionDenied, RuleViolation
from brokerage.extensions import db
from brokerage.groups import services
from brokerage.groups.constitution import services as drafting
from brokerage.groups.meetings import services as meetings
from brokerage.groups.people import services as people
from brokerage.groups.models import Group, GroupPerson


def link_account(app, group_id: int, person_id: int, user) -> None:
    with app.app_context():
        db.session.get(GroupPerson, person_id).user_id = user.id
        db.session.commit()


def fill_offices(app, group_id: int, champion, member_ids) -> None:
    """Chair, secretary and treasurer from the first three members: from then on founding members
    who hold no office no longer run the group."""
    with app.app_context():
        people.set_officers(actor=db.session.get(User, champion.id), group=db.session.get(Group, group_id), holders={
            "chair": member_ids[0], "secretary": member_ids[1], "treasurer": member_ids[2]})


EDIT_PAGES = ["/edit", "/bank", "/safeguarding", "/constitution/questions/quorum", "/meetings/founding"]
EDIT_POSTS = [("/people/add", {"name": "Zed"}), ("/bank", {"status": "applied"}),
              ("/people/officers", {"chair": "0"}), ("/constitution/questions/name", {"name": "Takeover"}),
              ("/safeguarding", {"adopted_on": "2026-06-01"})]
VIEW_PAGES = ["", "/people", "/constitution", "/constitution/draft", "/constitution/versions/1"]


def test_champion_not_supporting_the_group_can_neither_see_nor_change_it(client, auth, constituted_group):
    group_id, _, _ = constituted_group
    auth.login_as(Role.CHAMPION)
    for path in VIEW_PAGES + EDIT_PAGES + ["/constitution/compare?old=1&new=1"]:
        assert client.get(f"/groups/{group_id}{path}").status_code == 403, path
    for path, data in EDIT_POSTS:
        assert client.post(f"/groups/{group_id}{path}", data=data).status_code == 403, path
    assert "Wakefield Walkers" not in client.get("/groups/").get_data(as_text=True)


def test_member_with_an_account_can_see_but_not_change_the_group(client, auth, make_user, app, constituted_group):
    group_id, champion, member_ids = constituted_group
    fill_offices(app, group_id, champion, member_ids)
    member = make_user(Role.COLLECTIVE_MEMBER)
    link_account(app, group_id, member_ids[3], member)
    auth.login(member)
    for path in VIEW_PAGES:
        assert client.get(f"/groups/{group_id}{path}").status_code == 200, path
    for path in EDIT_PAGES:
        assert client.get(f"/groups/{group_id}{path}").status_code == 403, path
    for path, data in EDIT_POSTS:
        assert client.post(f"/groups/{group_id}{path}", data=data).status_code == 403, path
    assert "Wakefield Walkers" in client.get("/groups/").get_data(as_text=True)


def test_chair_with_an_account_can_change_the_group(client, auth, make_user, app, constituted_group):
    group_id, champion, member_ids = constituted_group
    chair = make_user(Role.COLLECTIVE_MEMBER)
    link_account(app, group_id, member_ids[0], chair)
    with app.app_context():
        people.set_officers(actor=db.session.get(User, champion.id), group=db.session.get(Group, group_id),
                            holders={"chair": member_ids[0]})
    auth.login(chair)
    assert client.get(f"/groups/{group_id}/constitution/questions/quorum").status_code == 200
    assert client.post(f"/groups/{group_id}/bank", data={"status": "applied"}).status_code == 302


def test_welfare_lead_alone_cannot_change_the_group(client, auth, make_user, app, constituted_group):
    group_id, champion, member_ids = constituted_group
    fill_offices(app, group_id, champion, member_ids)
    lead = make_user(Role.COLLECTIVE_MEMBER)
    link_account(app, group_id, member_ids[3], lead)
    with app.app_context():
        people.set_officers(actor=db.session.get(User, champion.id), group=db.session.get(Group, group_id),
                            holders={"welfare_lead": member_ids[3]})
    auth.login(lead)
    assert client.post(f"/groups/{group_id}/bank", data={"status": "applied"}).status_code == 403


def test_assigned_champion_can_change_the_group_once_a_coordinator_assigns_them(client, auth, make_user, app,
                                                                                  constituted_group):
    group_id, _, _ = constituted_group
    helper = make_user(Role.CHAMPION)
    auth.login_as(Role.COORDINATOR)
    assert client.post(f"/groups/{group_id}/champions", data={"user_id": str(helper.id)}).status_code == 302
    auth.logout()
    auth.login(helper)
    assert client.get(f"/groups/{group_id}").status_code == 200
    assert client.post(f"/groups/{group_id}/bank", data={"status": "applied"}).status_code == 302


def test_only_coordinators_assign_champions_and_close_groups(client, auth, make_user, constituted_group):
    group_id, champion, _ = constituted_group
    other = make_user(Role.CHAMPION)
    auth.login(champion)
    assert client.post(f"/groups/{group_id}/champions", data={"user_id": str(other.id)}).status_code == 403
    assert client.get(f"/groups/{group_id}/close").status_code == 403
    assert client.post(f"/groups/{group_id}/close", data={"reason": "Because"}).status_code == 403


def test_partner_contacts_and_collective_members_cannot_start_groups(client, auth):
    auth.login_as(Role.PARTNER_CONTACT)
    assert client.get("/groups/new").status_code == 403
    auth.logout()
    auth.login_as(Role.COLLECTIVE_MEMBER)
    assert client.post("/groups/new", data={"name": "X"}).status_code == 403


def test_coordinator_sees_every_group(client, auth, constituted_group):
    auth.login_as(Role.COORDINATOR)
    assert "Wakefield Walkers" in client.get("/groups/").get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(client, constituted_group):
    group_id, _, _ = constituted_group
    response = client.get(f"/groups/{group_id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("call", [
    lambda actor, group, ids: services.update_group(actor=actor, group=group, details=services.GroupDetails(
        name="X", aims="X", activity="X", locality_id=group.locality_id, meeting_place="X",
        meeting_place_private=False)),
    lambda actor, group, ids: people.add_person(actor=actor, group=group, new=people.NewPerson(
        name="X", contact=None, consent_given=False, consent_on=None)),
    lambda actor, group, ids: people.set_officers(actor=actor, group=group, holders={"chair": ids[0]}),
    lambda actor, group, ids: people.set_committee_and_signatories(actor=actor, group=group, committee_ids=set(),
                                                                   signatory_ids=set()),
    lambda actor, group, ids: people.declare_relationship(actor=actor, group=group, first_id=ids[0],
                                                          second_id=ids[1], kind="family"),
    lambda actor, group, ids: drafting.save_answer(actor=actor, group=group, question="name", answers={"name": "X"}),
    lambda actor, group, ids: services.set_bank_account(actor=actor, group=group, status="applied",
                                                          account_name=None, last4=None),
    lambda actor, group, ids: services.record_safeguarding_policy(actor=actor, group=group,
                                                                    adopted_on=date(2026, 6, 1)),
    lambda actor, group, ids: meetings.record_annual_meeting(actor=actor, group=group, record=meetings.MeetingRecord(
        held_on=date(2026, 6, 10), notice_given_on=date(2026, 5, 1), attendee_ids=tuple(ids))),
    lambda actor, group, ids: services.assign_champion(actor=actor, group=group, user_id=actor.id),
    lambda actor, group, ids: services.close_group(actor=actor, group=group, reason="X"),
    lambda actor, group, ids: drafting.version_for_viewing(actor=actor, group=group, number=1),
])
def test_services_refuse_a_champion_who_does_not_support_the_group(app, make_user, constituted_group, call):
    group_id, _, member_ids = constituted_group
    outsider = make_user(Role.CHAMPION)
    with app.app_context():
        with pytest.raises(PermissionDenied):
            call(db.session.get(User, outsider.id), db.session.get(Group, group_id), member_ids)


def test_only_coordinators_and_supporting_champions_link_member_accounts(app, make_user, constituted_group):
    group_id, champion, member_ids = constituted_group
    chair_user, someone = make_user(Role.COLLECTIVE_MEMBER), make_user(Role.COLLECTIVE_MEMBER, email="sam@example.org")
    link_account(app, group_id, member_ids[0], chair_user)
    with app.app_context():
        group = db.session.get(Group, group_id)
        people.set_officers(actor=db.session.get(User, champion.id), group=group, holders={"chair": member_ids[0]})
        new = people.NewPerson(name="Sam", contact=None, consent_given=False, consent_on=None,
                               account_email="sam@example.org")
        with pytest.raises(RuleViolation) as error:
            people.add_person(actor=db.session.get(User, chair_user.id), group=group, new=new)
        assert error.value.field == "account_email"
        db.session.rollback()
        person = people.add_person(actor=db.session.get(User, champion.id), group=db.session.get(Group, group_id),
                                   new=new)
        assert person.user_id == someone.id


def test_members_without_editing_rights_do_not_see_contact_details(client, auth, make_user, app, forming_group):
    group_id, champion, member_ids = forming_group
    with app.app_context():
        db.session.get(GroupPerson, member_ids[0]).contact = "07700 900999"
        db.session.commit()
    fill_offices(app, group_id, champion, member_ids)
    member = make_user(Role.COLLECTIVE_MEMBER)
    link_account(app, group_id, member_ids[4], member)
    auth.login(member)
    assert "07700 900999" not in client.get(f"/groups/{group_id}/people").get_data(as_text=True)
    auth.logout()
    auth.login(champion)
    assert "07700 900999" in client.get(f"/groups/{group_id}/people").get_data(as_text=True)


def test_a_closed_group_can_be_read_but_not_changed(client, auth, app, constituted_group):
    group_id, champion, _ = constituted_group
    auth.login_as(Role.COORDINATOR)
    assert client.post(f"/groups/{group_id}/close", data={"reason": "Members moved on."}).status_code == 302
    auth.logout()
    auth.login(champion)
    assert client.get(f"/groups/{group_id}").status_code == 200
    assert client.post(f"/groups/{group_id}/bank", data={"status": "applied"}).status_code == 403
