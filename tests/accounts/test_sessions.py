"""Sessions end server-side on logout, password change and deactivation (security.md row 5),
and time out when idle and absolutely (row 6)."""
from datetime import timedelta

from brokerage.core.values.roles import Role
from tests.conftest import PASSWORD


def _cookie(app, client) -> str:
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value


def _replay(app, cookie: str):
    """A different browser presenting a copied session cookie."""
    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    return thief


def _sends_to_login(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers["Location"]


def _signed_in_client(app, user):
    browser = app.test_client()
    assert browser.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return browser


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(app, client, make_user):
    user = make_user(Role.CHAMPION)
    here, elsewhere = _signed_in_client(app, user), _signed_in_client(app, user)
    old_cookie = _cookie(app, here)
    response = here.post("/account/password", data={"current_password": PASSWORD,
                                                   "new_password": "plum umbrella tractor",
                                                   "confirm": "plum umbrella tractor"})
    assert response.status_code == 302
    assert here.get("/dashboard").status_code == 200
    assert _sends_to_login(elsewhere.get("/dashboard"))
    assert _sends_to_login(_replay(app, old_cookie).get("/dashboard"))


def test_deactivating_an_account_ends_its_sessions_at_once(app, client, auth, make_user):
    member = make_user(Role.COLLECTIVE_MEMBER)
    theirs = _signed_in_client(app, member)
    cookie = _cookie(app, theirs)
    auth.login_as(Role.COORDINATOR)
    assert client.post(f"/accounts/{member.id}/deactivate").status_code == 302
    assert _sends_to_login(theirs.get("/dashboard"))
    assert _sends_to_login(_replay(app, cookie).get("/dashboard"))
    assert theirs.post("/login", data={"email": member.email, "password": PASSWORD}).status_code == 200


def test_a_reactivated_account_does_not_revive_old_sessions(app, client, auth, make_user):
    member = make_user(Role.COLLECTIVE_MEMBER)
    cookie = _cookie(app, _signed_in_client(app, member))
    auth.login_as(Role.COORDINATOR)
    client.post(f"/accounts/{member.id}/deactivate")
    client.post(f"/accounts/{member.id}/reactivate")
    assert _sends_to_login(_replay(app, cookie).get("/dashboard"))
    assert _signed_in_client(app, member).get("/dashboard").status_code == 200


def test_the_session_cookie_is_http_only_and_same_site_lax(client, make_user):
    user = make_user(Role.CHAMPION)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_an_idle_session_ends_after_the_idle_timeout(app, client, auth, fixed_now):
    auth.login_as(Role.CHAMPION)
    idle = app.config["SESSION_IDLE_TIMEOUT"]
    fixed_now(fixed_now.now() + idle - timedelta(minutes=1))
    assert client.get("/dashboard").status_code == 200
    fixed_now(fixed_now.now() + idle + timedelta(seconds=1))
    assert _sends_to_login(client.get("/dashboard"))
    assert _sends_to_login(client.get("/dashboard"))


def test_an_active_session_still_ends_at_the_absolute_timeout(app, client, auth, fixed_now):
    auth.login_as(Role.CHAMPION)
    started = fixed_now.now()
    step = app.config["SESSION_IDLE_TIMEOUT"] - timedelta(minutes=5)
    while fixed_now.now() + step - started <= app.config["SESSION_ABSOLUTE_TIMEOUT"]:
        fixed_now(fixed_now.now() + step)
        assert client.get("/dashboard").status_code == 200
    fixed_now(fixed_now.now() + step)
    assert _sends_to_login(client.get("/dashboard"))


def test_signing_in_again_after_a_timeout_starts_a_fresh_session(app, client, auth, fixed_now):
    user = auth.login_as(Role.CHAMPION)
    fixed_now(fixed_now.now() + app.config["SESSION_ABSOLUTE_TIMEOUT"] + timedelta(minutes=1))
    assert _sends_to_login(client.get("/dashboard"))
    auth.login(user)
    assert client.get("/dashboard").status_code == 200
