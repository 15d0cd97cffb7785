"""Logs as JSON lines (README, "Logs"): one line per request with its id, the user id, route,
status and duration; never a token, a postcode, a password or an email address."""
import io
import json
import logging

import pytest

from brokerage.core.web.request_log import AppLogHandler, configure_logging, request_id
from config import ProductionConfig, environment_overrides

POSTCODE = "HD1 2QA"
TOKEN = "Zq8-secret-token-value-1234567890"
PASSWORD = "correct horse battery staple"
NGINX_ID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


@pytest.fixture
def json_log(app):
    """The app's logs as production writes them -> a function returning the lines logged so far."""
    app.config["LOG_FORMAT"] = "json"
    configure_logging(app)
    handler = next(found for found in logging.getLogger().handlers if isinstance(found, AppLogHandler))
    stream = io.StringIO()
    handler.setStream(stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    app.config["LOG_FORMAT"] = "text"
    configure_logging(app)


def _requests(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "brokerage.request"]


def test_each_request_is_one_json_line_with_its_id_user_id_route_status_and_duration(app, client, auth, json_log):
    user = auth.login_as()
    response = client.get("/account")
    line = _requests(json_log())[-1]
    assert line["route"] == "/account" and line["method"] == "GET" and line["status"] == 200
    assert line["user_id"] == user.id and isinstance(line["duration_ms"], float)
    assert line["request_id"] == response.headers["X-Request-ID"] and line["level"] == "INFO" and line["time"]


def test_a_log_line_names_the_user_by_id_never_by_email(app, client, auth, json_log):
    user = auth.login_as(email="someone.private@example.org")
    client.get("/account")
    assert user.email not in json.dumps(json_log())


def test_logs_never_hold_a_token_a_postcode_or_a_password(app, client, auth, json_log):
    client.get(f"/set-password/{TOKEN}")
    client.post(f"/set-password/{TOKEN}", data={"password": PASSWORD, "confirm": PASSWORD})
    client.get("/activities", query_string={"q": "choir", "postcode": POSTCODE})
    client.post("/login", data={"email": "nobody@example.org", "password": PASSWORD})
    logging.getLogger("brokerage.example").warning(
        "a message quoting https://brokerage.example.org/set-password/%s and /activities?postcode=%s", TOKEN, POSTCODE)
    text = json.dumps(json_log())
    routes = {line["route"] for line in _requests(json_log())}
    assert "/set-password/<token>" in routes and "/activities" in routes
    for secret in (TOKEN, POSTCODE, POSTCODE.replace(" ", "+"), PASSWORD, "nobody@example.org"):
        assert secret not in text
    assert "/set-password/[redacted]" in text


def test_every_line_logged_while_serving_a_request_carries_its_id(app, client, auth, json_log):
    auth.login_as()
    client.get("/accounts")  # a refusal logs a security warning while the request is served
    lines = json_log()
    warning = next(line for line in lines if line["level"] == "WARNING")
    assert warning["request_id"] == _requests(lines)[-1]["request_id"]


def test_the_id_nginx_sent_is_kept_only_from_the_trusted_proxy(app, client, json_log):
    app.config["TRUSTED_PROXY_COUNT"] = 1
    assert client.get("/healthz", headers={"X-Request-ID": NGINX_ID}).headers["X-Request-ID"] == NGINX_ID
    assert _requests(json_log())[-1]["request_id"] == NGINX_ID
    app.config["TRUSTED_PROXY_COUNT"] = 0
    chosen = client.get("/healthz", headers={"X-Request-ID": NGINX_ID}).headers["X-Request-ID"]
    assert chosen != NGINX_ID and len(chosen) == 32


@pytest.mark.parametrize("header", [None, "", "short", "has spaces in it", "x" * 129, "quote\"inside-1234"])
def test_a_missing_or_malformed_request_id_is_replaced_by_a_new_one(header):
    made = request_id(header, trusted=True)
    assert made != header and len(made) == 32 and made.isalnum()


def test_development_keeps_plain_lines_and_production_writes_json(app):
    assert app.config["LOG_FORMAT"] == "text"
    assert not any(isinstance(found, AppLogHandler) for found in logging.getLogger().handlers)
    assert ProductionConfig.LOG_FORMAT == "json"


@pytest.mark.parametrize("name, value", [("LOG_FORMAT", "xml"), ("TRUSTED_PROXY_COUNT", "one")])
def test_a_logging_setting_that_cannot_work_refuses_to_start(name, value):
    with pytest.raises(RuntimeError, match=name):
        environment_overrides({name: value})
