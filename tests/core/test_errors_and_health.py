"""Health check, error pages and security logging."""
import logging

import pytest

from brokerage import create_app
from brokerage.core.values.roles import Role
from config import TestingConfig
from tests.conftest import PASSWORD, CSRFClient, page_text


def test_health_check_answers_ok_while_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


UNREACHABLE = pytest.mark.parametrize("unreachable", [
    "postgresql+psycopg://postgres@127.0.0.1:1/brokerage?connect_timeout=2",
    "sqlite:////nonexistent-directory/for/brokerage.sqlite3",
], ids=["postgresql on a closed port", "sqlite in a missing directory"])


@UNREACHABLE
def test_health_check_answers_503_with_json_when_the_database_is_unreachable(unreachable):
    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": unreachable})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unreachable"}


def test_a_page_needing_the_database_answers_503_when_it_is_unreachable():
    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite:////nonexistent-directory/x.sqlite3"})
    app.test_client_class = CSRFClient
    response = app.test_client().post("/login", data={"email": "dee@example.org", "password": PASSWORD})
    assert response.status_code == 503
    assert "<h1>" in response.get_data(as_text=True)


def _app_with_the_database_down(unreachable: str, cookie: str | None = None):
    """A client of an app whose database cannot be reached, serving as gunicorn would (an error
    raised while handling an error is not re-raised to the test but answered), with the session
    cookie of someone who signed in while it was up."""
    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": unreachable, "PROPAGATE_EXCEPTIONS": False})
    client = app.test_client()
    if cookie:
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    return client


@pytest.fixture
def signed_in_cookie(app, client, auth):
    auth.login_as(Role.COORDINATOR)
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value


@UNREACHABLE
@pytest.mark.parametrize("who", ["signed in", "anonymous"])
def test_pages_answer_the_503_page_when_the_database_is_down(signed_in_cookie, unreachable, who):
    client = _app_with_the_database_down(unreachable, signed_in_cookie if who == "signed in" else None)
    paths = ["/activities", "/activities?postcode=HD1+2QA", "/activities/1", "/shortlist/abc", "/impact"]
    for path in paths + (["/dashboard", "/account", "/no/such/page"] if who == "signed in" else []):
        response = client.get(path)
        assert response.status_code == 503, path
        assert "<h1>Sorry, the service is unavailable</h1>" in response.get_data(as_text=True), path
        assert response.headers["Retry-After"] == "60", path


@UNREACHABLE
@pytest.mark.parametrize("who", ["signed in", "anonymous"])
def test_the_api_answers_503_in_json_when_the_database_is_down(signed_in_cookie, unreachable, who):
    client = _app_with_the_database_down(unreachable, signed_in_cookie if who == "signed in" else None)
    for path in ("/api/v1/services?postcode=HD1+2QA", "/api/v1/service_at_locations", "/api/v1/taxonomies",
                 "/api/v1/grants"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.get_json()["error"] == "service_unavailable", path
        assert response.headers["Retry-After"] == "60", path


def test_an_unknown_account_number_shows_the_not_found_page(client, coordinator):
    response = client.get("/accounts/987654")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.get_data(as_text=True)


def test_an_unknown_address_shows_the_not_found_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.get_data(as_text=True)


def test_a_forbidden_page_is_shown_and_logged_without_passwords(client, auth, caplog):
    with caplog.at_level(logging.INFO, logger="brokerage"):
        auth.login_as(Role.CHAMPION)
        response = client.get("/accounts")
    assert response.status_code == 403
    assert "<h1>" in response.get_data(as_text=True)
    security = [record.getMessage() for record in caplog.records if record.name == "brokerage.security"]
    assert any("403" in message and "/accounts" in message for message in security)
    assert not any(PASSWORD in record.getMessage() for record in caplog.records)


def test_a_missing_csrf_token_is_logged_without_the_session(app, client, auth, caplog):
    auth.login_as(Role.CHAMPION)
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    with caplog.at_level(logging.INFO, logger="brokerage"):
        response = client.post("/account/password", data={"new_password": "plum umbrella tractor"}, csrf=False)
    assert response.status_code == 400
    messages = [record.getMessage() for record in caplog.records]
    assert any("CSRF" in record.getMessage() for record in caplog.records if record.name == "brokerage.security")
    assert not any(cookie in message or "plum umbrella" in message for message in messages)


def test_a_request_larger_than_the_limit_gets_the_413_page(app, client):
    too_big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/login", data={"email": "dee@example.org", "password": too_big})
    assert response.status_code == 413
    assert "<h1>" in response.get_data(as_text=True)


def test_a_wrong_method_gets_a_page_not_a_crash(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "<h1>" in response.get_data(as_text=True)


def test_the_error_pages_keep_the_service_chrome(client):
    text = page_text(client.get("/no/such/page"))
    assert "Skip to main content" in text
    assert "Creative Minds brokerage" in text
