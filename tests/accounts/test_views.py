"""Signing in and out, sessions that end server-side, throttling, and account management pages."""
import re

import pytest
from sqlalchemy import func, select

from brokerage.accounts.models import User
from brokerage.core.values.roles import Role
from brokerage.accounts.services import find_user_by_email
from brokerage.audit.models import AuditEvent
from brokerage.extensions import db
from tests.conftest import PASSWORD, page_text


def test_sign_in_with_email_in_any_case_reaches_your_work(client, make_user):
    user = make_user(Role.CHAMPION, email="dee@example.org")
    response = client.post("/login", data={"email": "DEE@Example.org ", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")
    assert "Signed in as" in page_text(client.get("/dashboard"))
    assert user.email == "dee@example.org"


def test_wrong_password_shows_one_message_and_keeps_the_email(client, make_user):
    make_user(Role.CHAMPION, email="dee@example.org")
    response = client.post("/login", data={"email": "dee@example.org", "password": "not the password"})
    text = page_text(response)
    assert response.status_code == 200
    assert "There is a problem" in text
    assert "The email address or password is not right" in text
    assert 'value="dee@example.org"' in response.get_data(as_text=True)


def test_empty_sign_in_form_says_what_is_missing(client):
    text = page_text(client.post("/login", data={"email": "", "password": ""}))
    assert "Enter an email address." in text
    assert "Enter your password." in text


def test_a_copied_session_cookie_is_useless_after_logout(client, auth, app):
    auth.login_as(Role.CHAMPION)
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    auth.logout()
    replay = app.test_client()
    replay.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    response = replay.get("/dashboard")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


# Object-level access (security.md row 10): only coordinators see or change other people's accounts.

ACCOUNT_CHANGES = [("roles", {"roles": ["coordinator"]}), ("details", {"name": "Changed Name"}),
                   ("deactivate", {}), ("reactivate", {}), ("password-link", {})]


def _account(app, user_id: int) -> dict:
    with app.app_context():
        user = db.session.get(User, user_id)
        events = db.session.scalar(select(func.count()).select_from(AuditEvent))
        return {"name": user.name, "email": user.email, "active": user.active, "roles": user.roles,
                "password_hash": user.password_hash, "events": events}


@pytest.mark.parametrize("role", [Role.COLLECTIVE_MEMBER, Role.CHAMPION, Role.PARTNER_CONTACT])
def test_only_a_coordinator_can_view_another_account(client, auth, make_user, role):
    other = make_user(Role.COLLECTIVE_MEMBER)
    auth.login_as(role)
    assert client.get(f"/accounts/{other.id}").status_code == 403
    assert client.get("/accounts").status_code == 403
    assert client.get("/accounts/invite").status_code == 403


@pytest.mark.parametrize(("action", "data"), ACCOUNT_CHANGES, ids=[name for name, _ in ACCOUNT_CHANGES])
@pytest.mark.parametrize("role", [Role.COLLECTIVE_MEMBER, Role.CHAMPION, Role.PARTNER_CONTACT])
def test_only_a_coordinator_can_change_another_account(app, client, auth, make_user, role, action, data):
    other = make_user(Role.COLLECTIVE_MEMBER)
    actor = auth.login_as(role)
    before = _account(app, other.id)
    assert client.post(f"/accounts/{other.id}/{action}", data=data).status_code == 403
    assert client.post(f"/accounts/{actor.id}/{action}", data=data).status_code == 403
    assert _account(app, other.id) == before


def test_a_non_coordinator_cannot_invite(app, client, auth):
    auth.login_as(Role.CHAMPION)
    response = client.post("/accounts/invite", data={"name": "Sneaky", "email": "sneaky@example.org",
                                                     "roles": ["coordinator"]})
    assert response.status_code == 403
    with app.app_context():
        assert find_user_by_email("sneaky@example.org") is None


# Mass assignment (security.md row 11): forms bind only their declared fields.

EXTRA_FIELDS = {"active": "false", "email": "taken-over@example.org", "password_hash": "pbkdf2:sha256:1$x$y",
                "roles": "coordinator", "id": "999", "created_at": "2000-01-01"}


def test_the_details_form_changes_only_the_name(app, client, coordinator, make_user):
    other = make_user(Role.CHAMPION)
    before = _account(app, other.id)
    response = client.post(f"/accounts/{other.id}/details", data={"name": "New Name", **EXTRA_FIELDS})
    assert response.status_code == 302
    after = _account(app, other.id)
    assert after["name"] == "New Name"
    assert {key: after[key] for key in ("email", "active", "roles", "password_hash")} == \
        {key: before[key] for key in ("email", "active", "roles", "password_hash")}


def test_the_roles_form_ignores_other_fields(app, client, coordinator, make_user):
    other = make_user(Role.CHAMPION)
    before = _account(app, other.id)
    response = client.post(f"/accounts/{other.id}/roles",
                           data={"roles": ["collective_member"], "name": "Renamed", "active": "false",
                                 "email": "taken-over@example.org", "password_hash": "x"})
    assert response.status_code == 302
    after = _account(app, other.id)
    assert after["roles"] == {Role.COLLECTIVE_MEMBER}
    assert (after["name"], after["email"], after["active"], after["password_hash"]) == \
        (before["name"], before["email"], before["active"], before["password_hash"])


def test_an_unknown_role_is_refused_next_to_the_field(app, client, coordinator, make_user):
    other = make_user(Role.CHAMPION)
    response = client.post(f"/accounts/{other.id}/roles", data={"roles": ["superuser"]})
    assert response.status_code == 400
    assert "There is a problem" in page_text(response)
    assert _account(app, other.id)["roles"] == {Role.CHAMPION}


def test_changing_your_own_password_cannot_change_your_email_or_roles(app, client, auth):
    user = auth.login_as(Role.CHAMPION)
    before = _account(app, user.id)
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "plum umbrella tractor", "confirm": "plum umbrella tractor",
        "email": "taken-over@example.org", "roles": "coordinator", "active": "true", "name": "Someone Else"})
    assert response.status_code == 302
    after = _account(app, user.id)
    assert (after["email"], after["roles"], after["name"]) == (before["email"], before["roles"], before["name"])


def test_inviting_with_extra_fields_sets_only_the_declared_ones(app, client, coordinator):
    response = client.post("/accounts/invite", data={"name": "Nia", "email": "nia@example.org",
                                                     "roles": ["champion"], "active": "false",
                                                     "password_hash": "pbkdf2:sha256:1$x$y"})
    user_id = int(response.headers["Location"].rsplit("/", 1)[1])
    invited = _account(app, user_id)
    assert (invited["active"], invited["password_hash"], invited["roles"]) == (True, None, {Role.CHAMPION})


# Pages and messages

def test_an_unknown_account_shows_the_not_found_page(client, coordinator):
    for path in ("/accounts/424242", "/set-password/not-a-real-token"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Page not found" in page_text(response)
    assert client.post("/accounts/424242/roles", data={"roles": ["champion"]}).status_code == 404


def test_a_coordinator_sees_the_invite_link_once(client, coordinator):
    response = client.post("/accounts/invite", data={"name": "Nia Invited", "email": "nia@example.org",
                                                     "roles": ["champion"]})
    detail = response.headers["Location"]
    first = client.get(detail).get_data(as_text=True)
    assert "/set-password/" in first
    assert "/set-password/" not in client.get(detail).get_data(as_text=True)


def test_an_invited_person_sets_a_password_once_and_signs_in(client, coordinator):
    detail = client.post("/accounts/invite", data={"name": "Nia Invited", "email": "nia@example.org",
                                                   "roles": ["champion"]}).headers["Location"]
    link = re.search(r'value="http://localhost(/set-password/[^"]+)"', client.get(detail).get_data(as_text=True))
    client.post("/logout")
    path = link.group(1)
    assert client.post(path, data={"password": "plum umbrella tractor",
                                   "confirm": "plum umbrella tractor"}).status_code == 302
    assert client.get(path).status_code == 410
    assert client.post("/login", data={"email": "nia@example.org",
                                       "password": "plum umbrella tractor"}).status_code == 302


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example",
                                    "\\\\evil.example", "/\t/evil.example", "javascript:alert(1)",
                                    "http:evil.example"])
def test_signing_in_never_redirects_to_another_site(client, make_user, target):
    user = make_user(Role.CHAMPION)
    response = client.post("/login", query_string={"next": target},
                           data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"


def test_signing_in_returns_to_the_page_asked_for(client, make_user):
    user = make_user(Role.COORDINATOR)
    response = client.get("/accounts?role=champion")
    assert response.status_code == 302
    next_url = response.headers["Location"]
    response = client.post(next_url, data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/accounts?role=champion"
