"""Security headers everywhere, including error pages (security.md row 17), and pages that
make no requests to other hosts (row 23)."""
import re
from pathlib import Path

import pytest

from brokerage import PROJECT_ROOT
from brokerage.core.values.roles import Role
from brokerage.core.web.access import public
from tests.core.test_route_conventions import external_references


@pytest.fixture
def failing_route(app):
    """A public route that raises, registered before the first request."""
    def explode():
        raise ZeroDivisionError("boom")
    app.add_url_rule("/test-explodes", "test_explodes", public(explode))
    return "/test-explodes"


def _csp_directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()}


def _assert_security_headers(response):
    directives = _csp_directives(response)
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin"}
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(("path", "status"), [
    ("/", 200), ("/login", 200), ("/healthz", 200), ("/no-such-page", 404), ("/dashboard", 302),
    ("/static/css/site.css", 200),
])
def test_every_response_carries_the_security_headers(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    _assert_security_headers(response)


def test_a_server_error_page_carries_the_security_headers(client, failing_route):
    response = client.get(failing_route)
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.get_data(as_text=True)
    assert "boom" not in response.get_data(as_text=True)
    _assert_security_headers(response)


def test_a_forbidden_page_carries_the_security_headers(client, auth):
    auth.login_as(Role.CHAMPION)
    response = client.get("/accounts")
    assert response.status_code == 403
    _assert_security_headers(response)


def test_signed_in_pages_are_never_cached(client, auth):
    auth.login_as(Role.COORDINATOR)
    for path in ("/dashboard", "/account", "/accounts", "/audit", "/no-such-page"):
        assert client.get(path).headers.get("Cache-Control") == "no-store", path


def test_no_script_or_style_is_written_inline_in_any_template():
    offenders = []
    for template in (PROJECT_ROOT / "templates").rglob("*.html"):
        if template.parent.name == "email":  # emails are never served under the CSP; mail programs want inline styles
            continue
        text = template.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"<style\b|\sstyle=|\son[a-z]+=", text):
            offenders.append(str(template.relative_to(PROJECT_ROOT)))
    assert offenders == []


def test_stylesheets_load_nothing_from_another_host():
    offenders = []
    for sheet in Path(PROJECT_ROOT / "static").rglob("*.css"):
        text = sheet.read_text(encoding="utf-8")
        if re.search(r"url\(\s*['\"]?(https?:)?//|@import", text):
            offenders.append(str(sheet.relative_to(PROJECT_ROOT)))
    assert offenders == []


@pytest.fixture
def invited(app, client, coordinator):
    response = client.post("/accounts/invite", data={"name": "Nia Invited", "email": "nia@example.org",
                                                     "roles": ["champion"]})
    return response.headers["Location"]


def test_the_foundation_pages_refer_to_no_other_host(app, client, invited):
    for path in ("/", "/login"):
        anonymous = app.test_client().get(path)
        assert external_references(anonymous.get_data(as_text=True), include_links=True) == [], path
    pages = ["/", "/dashboard", "/account", "/account/password", "/accounts", "/accounts/invite",
             invited, "/audit", "/no-such-page"]
    for path in pages:
        response = client.get(path)
        assert response.status_code in {200, 404}, path
        assert external_references(response.get_data(as_text=True), include_links=True) == [], path


def _token_rules(app) -> list:
    return [rule for rule in app.url_map.iter_rules()
            if any(re.search(r"(?:^|_)(?:token|secret)$", argument) for argument in rule.arguments)]


def test_anonymous_pages_with_a_token_in_their_address_are_never_cached(app, client):
    """Read from the URL map, so a token route added later is covered too."""
    app.add_url_rule("/test-invites/<invite_token>", "test_invite", public(lambda invite_token: "an invitation"))
    rules = _token_rules(app)
    assert {"/set-password/<token>", "/wellbeing/<token>", "/shortlist/<token>", "/test-invites/<invite_token>"} \
        <= {rule.rule for rule in rules}
    for rule in rules:
        path = re.sub(r"<(?:[^>]*:)?\w+>", "a-token-nobody-was-given", rule.rule)
        response = client.get(path)
        assert response.headers.get("Cache-Control") == "no-store", (path, response.status_code)


def test_an_anonymous_shortlist_page_is_never_cached(client):
    """It shows the link that shares the list: a bearer token."""
    assert client.get("/shortlist").headers.get("Cache-Control") == "no-store"


def test_anonymous_public_pages_may_still_be_cached(client):
    for path in ("/", "/login", "/activities", "/impact"):
        assert client.get(path).headers.get("Cache-Control") != "no-store", path


def test_a_server_error_in_the_api_answers_json_its_callers_can_read(app, client):
    def explode():
        raise ZeroDivisionError("boom")
    app.add_url_rule("/api/v1/test-explodes", "test_api_explodes", public(explode))
    response = client.get("/api/v1/test-explodes")
    assert response.status_code == 500 and response.is_json
    assert response.json["error"] == "internal_server_error" and "boom" not in response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    _assert_security_headers(response)
