"""Membership and register-of-interests rules, at the service level."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from brokerage.core.values.roles import Role
from brokerage.audit.models import AuditEvent
from brokerage.collectives.members import interests, membership
from brokerage.collectives.models import Constituency, MemberRole, Membership
from brokerage.errors import PermissionDenied, RuleViolation
from brokerage.extensions import db
from tests.collectives.conftest import JOINED, collective, load

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)
TODAY = date(2026, 6, 15)


def test_a_coordinator_cannot_approve_their_own_request_to_join(app, make_user, collectives):
    boss = make_user(Role.COORDINATOR)
    with app.app_context():
        join = membership.request_to_join(actor=load(boss), collective=collective("barnsley"),
                                          constituency=Constituency.TRUST_STAFF, message="", now=NOW)
        with pytest.raises(PermissionDenied):
            membership.decide_join_request(actor=load(boss), join_request=join, approve=True, now=NOW)


def test_a_decided_request_cannot_be_decided_again(app, make_user, collectives):
    boss, joiner = make_user(Role.COORDINATOR), make_user(Role.CHAMPION)
    with app.app_context():
        join = membership.request_to_join(actor=load(joiner), collective=collective("barnsley"),
                                          constituency=Constituency.CARER, message="Hello", now=NOW)
        membership.decide_join_request(actor=load(boss), join_request=join, approve=False, now=NOW)
        with pytest.raises(RuleViolation, match="already been decided"):
            membership.decide_join_request(actor=load(boss), join_request=join, approve=True, now=NOW)
        assert membership.membership_of(user=load(joiner), collective=collective("barnsley"), day=TODAY) is None


def test_existing_members_cannot_ask_to_join_again(app, make_user, add_member):
    member = make_user(Role.COLLECTIVE_MEMBER)
    add_member(member)
    with app.app_context():
        with pytest.raises(RuleViolation, match="already a member"):
            membership.request_to_join(actor=load(member), collective=collective("barnsley"),
                                       constituency=Constituency.CARER, message="", now=NOW)


def test_member_list_shows_constituency_only_to_coordinators_and_the_member(app, make_user, add_member):
    carer, staff, boss = make_user(Role.COLLECTIVE_MEMBER), make_user(Role.COLLECTIVE_MEMBER), make_user(Role.COORDINATOR)
    add_member(carer, constituency=Constituency.CARER)
    add_member(staff, constituency=Constituency.TRUST_STAFF)
    with app.app_context():
        def seen_by(viewer):
            rows = membership.member_rows(viewer=load(viewer), collective=collective("barnsley"), day=TODAY)
            return {row.name: row.constituency for row in rows}
        assert seen_by(carer) == {carer.name: Constituency.CARER, staff.name: None}
        assert seen_by(boss) == {carer.name: Constituency.CARER, staff.name: Constituency.TRUST_STAFF}


def test_the_database_allows_one_open_membership_per_person(app, make_user, add_member):
    member = make_user(Role.COLLECTIVE_MEMBER)
    add_member(member)
    with app.app_context():
        db.session.add(Membership(collective_id=collective("barnsley").id, user_id=member.id,
                                  constituency="carer", role="member", active_from=JOINED))
        with pytest.raises(IntegrityError):
            db.session.flush()


def test_only_coordinators_change_member_roles(app, make_user, add_member):
    chair = make_user(Role.COLLECTIVE_MEMBER)
    add_member(chair, role=MemberRole.CHAIR)
    other_id = add_member(make_user(Role.COLLECTIVE_MEMBER))
    with app.app_context():
        other = db.session.get(Membership, other_id)
        with pytest.raises(PermissionDenied):
            membership.set_member_role(actor=load(chair), membership=other, role=MemberRole.CHAIR)


def test_interests_belong_to_their_member(app, make_user, collectives):
    owner, other = make_user(Role.COLLECTIVE_MEMBER), make_user(Role.COLLECTIVE_MEMBER)
    with app.app_context():
        interest = interests.add_interest(actor=load(owner), organisation_name="Arts Café", nature="Trustee",
                                          since=date(2024, 1, 1), today=TODAY)
        with pytest.raises(PermissionDenied):
            interests.get_interest(actor=load(other), interest_id=interest.id)
        with pytest.raises(PermissionDenied):
            interests.end_interest(actor=load(other), interest=interest, ended_on=TODAY, today=TODAY)
        with pytest.raises(RuleViolation, match="on or after"):
            interests.end_interest(actor=load(owner), interest=interest, ended_on=date(2023, 1, 1), today=TODAY)
        interests.end_interest(actor=load(owner), interest=interest, ended_on=TODAY, today=TODAY)
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "interest")).all()
        assert sorted(actions) == ["interest.added", "interest.ended"]


def test_an_unknown_partner_cannot_be_linked_to_an_interest(app, make_user, collectives):
    owner = make_user(Role.COLLECTIVE_MEMBER)
    with app.app_context():
        with pytest.raises(RuleViolation, match="Choose a partner"):
            interests.add_interest(actor=load(owner), organisation_name="", nature="Volunteer",
                                   since=date(2024, 1, 1), today=TODAY, partner_id=999)


def test_someone_who_left_can_join_again(app, make_user, add_member):
    member, boss = make_user(Role.COLLECTIVE_MEMBER), make_user(Role.COORDINATOR)
    membership_id = add_member(member)
    with app.app_context():
        barnsley = collective("barnsley")
        membership.end_membership(actor=load(member), membership=db.session.get(Membership, membership_id),
                                  ended_on=TODAY)
        assert membership.membership_of(user=load(member), collective=barnsley, day=TODAY) is None
        join = membership.request_to_join(actor=load(member), collective=barnsley,
                                          constituency=Constituency.CARER, message="Back again", now=NOW)
        membership.decide_join_request(actor=load(boss), join_request=join, approve=True, now=NOW)
        again = membership.membership_of(user=load(member), collective=barnsley, day=TODAY)
        assert again is not None and again.id != membership_id
