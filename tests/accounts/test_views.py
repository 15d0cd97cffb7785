"""Signing in and out, sessions that end server-side, throttling, and account management pages."""
from datetime import timedelta

from brokerage.accounts.roles import Role
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
