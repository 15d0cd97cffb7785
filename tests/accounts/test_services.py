"""Account rules: every change is audited (security.md row 16), only coordinators manage
accounts (row 10), links are single-use and expire."""
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from brokerage.accounts import credentials, services
from brokerage.accounts.models import User
from brokerage.core.values.roles import Role
from brokerage.audit.models import AuditEvent
from brokerage.errors import NotFound, PermissionDenied, RuleViolation
from brokerage.extensions import db
from tests.conftest import PASSWORD

NEW_PASSWORD = "plum umbrella tractor"


@pytest.fixture
def ctx(app):
    with app.test_request_context():  # invitations build absolute links
        yield


def new_user(*roles: Role, name: str) -> User:
    """An account created in this test's own session (make_user would open a second one)."""
    email = name.lower().replace(" ", ".") + "@example.org"
    return services.create_user(actor=None, email=email, name=name, roles=roles, password=PASSWORD)


@pytest.fixture
def coordinator_user(ctx):
    return new_user(Role.COORDINATOR, name="Casey Coordinator")


@pytest.fixture
def member(ctx):
    return new_user(Role.COLLECTIVE_MEMBER, name="Morgan Member")


def events_about(user: User) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "user",
                                                            AuditEvent.object_id == user.id)
                                   .order_by(AuditEvent.id)).unique())


def last_event(user: User) -> AuditEvent:
    return events_about(user)[-1]


def test_creating_an_account_is_audited(ctx):
    user = services.create_user(actor=None, email="Dee@Example.org", name="Dee", roles=[Role.CHAMPION],
                                password=PASSWORD)
    event = last_event(user)
    assert (event.action, event.actor_id) == ("account.created", None)
    assert event.after == {"email": "dee@example.org", "roles": ["champion"]}


def test_inviting_is_audited_with_the_coordinator_as_actor(coordinator_user, fixed_now):
    user, _ = services.invite_user(actor=coordinator_user, email="new@example.org", name="New Person",
                                   roles=[Role.CHAMPION], now=fixed_now.now())
    assert [event.action for event in events_about(user)] == ["account.created", "account.invited"]
    assert {event.actor_id for event in events_about(user)} == {coordinator_user.id}
    assert user.password_hash is None


def test_setting_a_password_from_a_link_is_audited_and_spends_the_link(coordinator_user, fixed_now):
    user, token = services.invite_user(actor=coordinator_user, email="new@example.org", name="New Person",
                                       roles=[Role.CHAMPION], now=fixed_now.now())
    credentials.accept_invitation(token=token, password=NEW_PASSWORD, now=fixed_now.now())
    assert (last_event(user).action, last_event(user).actor_id) == ("account.password_set", user.id)
    with pytest.raises(RuleViolation, match="already been used"):
        credentials.accept_invitation(token=token, password="another fine password", now=fixed_now.now())


def test_an_invitation_expires_after_its_lifetime(app, coordinator_user, fixed_now):
    _, token = services.invite_user(actor=coordinator_user, email="new@example.org", name="New Person",
                                    roles=[Role.CHAMPION], now=fixed_now.now())
    later = fixed_now.now() + app.config["INVITATION_LIFETIME"]
    with pytest.raises(RuleViolation, match="expired"):
        credentials.accept_invitation(token=token, password=NEW_PASSWORD, now=later)


def test_an_unknown_link_is_not_found(ctx, fixed_now):
    with pytest.raises(NotFound):
        credentials.invitation_for_token(token="made-up", now=fixed_now.now())


def test_a_new_password_link_is_audited_and_retires_the_old_one(coordinator_user, fixed_now):
    user, old = services.invite_user(actor=coordinator_user, email="new@example.org", name="New Person",
                                     roles=[Role.CHAMPION], now=fixed_now.now())
    new = services.issue_password_link(actor=coordinator_user, user=user, now=fixed_now.now())
    assert last_event(user).action == "account.password_link_issued"
    with pytest.raises(RuleViolation):
        credentials.accept_invitation(token=old, password=NEW_PASSWORD, now=fixed_now.now())
    credentials.accept_invitation(token=new, password=NEW_PASSWORD, now=fixed_now.now())


def test_changing_roles_is_audited_with_before_and_after(coordinator_user, member):
    services.set_roles(actor=coordinator_user, user=member, roles=[Role.CHAMPION, Role.COLLECTIVE_MEMBER])
    event = last_event(member)
    assert (event.action, event.actor_id) == ("account.roles_changed", coordinator_user.id)
    assert event.before == {"roles": ["collective_member"]}
    assert event.after == {"roles": ["champion", "collective_member"]}


def test_deactivating_and_reactivating_are_audited(coordinator_user, member):
    services.set_active(actor=coordinator_user, user=member, active=False)
    assert (last_event(member).action, last_event(member).after) == ("account.deactivated", {"active": False})
    services.set_active(actor=coordinator_user, user=member, active=True)
    assert (last_event(member).action, last_event(member).after) == ("account.activated", {"active": True})


def test_changing_details_is_audited(coordinator_user, member):
    services.update_details(actor=coordinator_user, user=member, name="Morgan Renamed")
    event = last_event(member)
    assert (event.action, event.before, event.after) == (
        "account.details_changed", {"name": "Morgan Member"}, {"name": "Morgan Renamed"})


def test_changing_ones_own_password_is_audited(member, fixed_now):
    credentials.change_password(user=member, current_password=PASSWORD, new_password=NEW_PASSWORD,
                                now=fixed_now.now())
    assert (last_event(member).action, last_event(member).actor_id) == ("account.password_changed", member.id)


def test_no_audit_event_records_a_password_or_its_hash(coordinator_user, member, fixed_now):
    credentials.change_password(user=member, current_password=PASSWORD, new_password=NEW_PASSWORD,
                                now=fixed_now.now())
    services.set_roles(actor=coordinator_user, user=member, roles=[Role.CHAMPION])
    recorded = json.dumps([[e.summary, e.before, e.after] for e in db.session.scalars(select(AuditEvent)).unique()])
    assert PASSWORD not in recorded and NEW_PASSWORD not in recorded
    assert "scrypt" not in recorded and "pbkdf2" not in recorded


@pytest.mark.parametrize("change", [
    lambda actor, user, now: services.set_roles(actor=actor, user=user, roles=[Role.COORDINATOR]),
    lambda actor, user, now: services.set_active(actor=actor, user=user, active=False),
    lambda actor, user, now: services.update_details(actor=actor, user=user, name="Changed"),
    lambda actor, user, now: services.issue_password_link(actor=actor, user=user, now=now),
    lambda actor, user, now: services.invite_user(actor=actor, email="x@example.org", name="X",
                                                  roles=[Role.COORDINATOR], now=now),
], ids=["roles", "deactivate", "details", "password link", "invite"])
@pytest.mark.parametrize("role", [Role.COLLECTIVE_MEMBER, Role.CHAMPION, Role.PARTNER_CONTACT])
def test_only_a_coordinator_may_manage_accounts(member, fixed_now, change, role):
    actor = new_user(role, name="Not Coordinator")
    events_before = len(events_about(member))
    with pytest.raises(PermissionDenied):
        change(actor, member, fixed_now.now())
    db.session.rollback()
    assert (member.roles, member.active, member.name) == ({Role.COLLECTIVE_MEMBER}, True, "Morgan Member")
    assert len(events_about(member)) == events_before
    assert services.find_user_by_email("x@example.org") is None


def test_the_last_active_coordinator_keeps_the_role_and_the_account(coordinator_user):
    with pytest.raises(RuleViolation, match="only active coordinator"):
        services.set_roles(actor=coordinator_user, user=coordinator_user, roles=[Role.CHAMPION])
    other = new_user(Role.COORDINATOR, name="Other Coordinator")
    with pytest.raises(RuleViolation, match="cannot deactivate your own"):
        services.set_active(actor=coordinator_user, user=coordinator_user, active=False)
    services.set_active(actor=coordinator_user, user=other, active=False)
    with pytest.raises(RuleViolation, match="only active coordinator"):
        services.set_roles(actor=coordinator_user, user=coordinator_user, roles=[Role.CHAMPION])


def test_the_last_coordinator_who_can_sign_in_keeps_the_role_while_the_other_is_only_invited(coordinator_user,
                                                                                             fixed_now):
    invited, token = services.invite_user(actor=coordinator_user, email="next@example.org", name="Next Coordinator",
                                          roles=[Role.COORDINATOR], now=fixed_now.now())
    with pytest.raises(RuleViolation, match="only active coordinator who can sign in"):
        services.set_roles(actor=coordinator_user, user=coordinator_user, roles=[Role.CHAMPION])
    db.session.rollback()
    assert coordinator_user.is_coordinator
    credentials.accept_invitation(token=token, password=NEW_PASSWORD, now=fixed_now.now())
    services.set_roles(actor=coordinator_user, user=coordinator_user, roles=[Role.CHAMPION])
    assert not coordinator_user.is_coordinator


def test_an_invited_coordinator_who_has_not_answered_can_lose_the_role(coordinator_user, fixed_now):
    invited, _ = services.invite_user(actor=coordinator_user, email="next@example.org", name="Next Coordinator",
                                      roles=[Role.COORDINATOR], now=fixed_now.now())
    services.set_roles(actor=coordinator_user, user=invited, roles=[Role.CHAMPION])
    assert invited.roles == {Role.CHAMPION}


def test_emails_are_unique_whatever_their_case(ctx):
    services.create_user(actor=None, email="dee@example.org", name="Dee", roles=[Role.CHAMPION])
    with pytest.raises(RuleViolation, match="already exists") as refused:
        services.create_user(actor=None, email=" DEE@example.ORG", name="Dee Again", roles=[Role.CHAMPION])
    assert refused.value.field == "email"


def test_a_deactivated_user_cannot_sign_in_even_with_the_right_password(coordinator_user, member, fixed_now):
    services.set_active(actor=coordinator_user, user=member, active=False)
    with pytest.raises(RuleViolation, match="not right"):
        credentials.authenticate(email=member.email, password=PASSWORD, ip="192.0.2.1", now=fixed_now.now())


def test_an_invited_user_without_a_password_cannot_sign_in(coordinator_user, fixed_now):
    services.invite_user(actor=coordinator_user, email="new@example.org", name="New Person",
                         roles=[Role.CHAMPION], now=fixed_now.now())
    with pytest.raises(RuleViolation):
        credentials.authenticate(email="new@example.org", password="", ip="192.0.2.1", now=fixed_now.now())


def test_a_password_link_waits_for_reactivation(coordinator_user, member, fixed_now):
    services.set_active(actor=coordinator_user, user=member, active=False)
    with pytest.raises(RuleViolation, match="Reactivate"):
        services.issue_password_link(actor=coordinator_user, user=member, now=fixed_now.now() + timedelta(days=1))
