"""Access logs never hold a token or a searched postcode next to an IP address (security.md row 22),
checked against the log lines gunicorn and Werkzeug's development server really write: gunicorn
parses raw request bytes into its WSGI environ and formats its access-log atoms with its own
Logger; the development server serves a real request on a socket."""
import http.client
import logging
import re
import threading
from datetime import timedelta

import pytest
from gunicorn.config import Config as GunicornConfig
from gunicorn.glogging import Logger
from gunicorn.http import wsgi
from gunicorn.http.message import Request
from gunicorn.http.unreader import IterUnreader
from werkzeug.serving import make_server

from brokerage.core.web.access import public

IP = "203.0.113.9"
TOKEN = "S3cretT0ken-xyz"
TOKEN_ARGUMENT = re.compile(r"(?:^|_)(?:token|secret)$")  # as brokerage.core.web.log_privacy reads the URL map
# Every atom that can hold a URL: the request line, path, query, Referer, environ and response headers.
FORMAT = ('%(h)s "%(r)s" %(U)s %(q)s "%(f)s" %({raw_uri}e)s %({path_info}e)s %({query_string}e)s '
          '%({referer}i)s %({x-original-url}i)s %({location}o)s')


class _Socket:
    def send(self, data):
        pass

    sendall = send


@pytest.fixture
def gunicorn_log(app, tmp_path):
    """gunicorn_log(raw request line, headers) -> the line gunicorn's access log writes for it."""
    path = tmp_path / "access.log"
    config = GunicornConfig()
    config.set("accesslog", str(path))
    config.set("access_log_format", FORMAT)
    logger = Logger(config)

    def log(target: str, headers: dict | None = None, location: str = "") -> str:
        sent = {"Host": "brokerage.example", **(headers or {})}
        head = "".join(f"{name}: {value}\r\n" for name, value in sent.items())
        raw = f"GET {target} HTTP/1.1\r\n{head}\r\n".encode("latin-1")
        request = Request(config, IterUnreader([raw]), (IP, 40000))
        response, environ = wsgi.create(request, _Socket(), (IP, 40000), "127.0.0.1:8000", config)
        response.start_response("302 FOUND" if location else "200 OK", [("Location", location)] if location else [])
        before = path.read_text() if path.exists() else ""
        logger.access(response, request, environ, timedelta(milliseconds=3))
        return path.read_text()[len(before):]

    yield log
    for name in ("gunicorn.access", "gunicorn.error"):
        for handler in [found for found in logging.getLogger(name).handlers if getattr(found, "_gunicorn", False)]:
            logging.getLogger(name).removeHandler(handler)
            handler.close()


def _example_path(rule: str) -> str:
    """A path the rule matches: tokens get TOKEN, `any(...)` its first choice, others 1."""
    path = re.sub(r"<any\(\s*([^,)\s]+)[^>]*>", r"\1", rule)
    return re.sub(r"<(?:[^>]*:)?(\w+)>", lambda match: TOKEN if TOKEN_ARGUMENT.search(match[1]) else "1", path)


def _token_rules(app) -> list[str]:
    return sorted(rule.rule for rule in app.url_map.iter_rules() if any(map(TOKEN_ARGUMENT.search, rule.arguments)))


def test_the_token_routes_are_found_in_the_url_map(app):
    assert {"/set-password/<token>", "/wellbeing/<token>", "/shortlist/<token>"} <= set(_token_rules(app))


def test_no_token_of_any_token_route_reaches_gunicorns_access_log(app, gunicorn_log):
    for rule in _token_rules(app):
        path = _example_path(rule)
        encoded = f"/%{ord(path[1]):02X}{path[2:]}"
        for target in (path, path + "?next=1", encoded, "/" + path, f"{path}/"):
            line = gunicorn_log(target, {"Referer": f"https://brokerage.example{target}", "X-Original-URL": target})
            assert TOKEN not in line and "[redacted]" in line and IP in line, (target, line)


def test_a_token_route_added_later_is_redacted_too(app, gunicorn_log):
    app.add_url_rule("/test-invites/<invite_token>", "test_invite", public(lambda invite_token: "ok"))
    line = gunicorn_log(f"/test-invites/{TOKEN}")
    assert TOKEN not in line and "/test-invites/[redacted]" in line


def test_pages_next_to_token_routes_keep_their_paths(gunicorn_log):
    for path in ("/shortlist/add", "/wellbeing/thank-you", "/shortlist", "/wellbeing-measures"):
        assert f'"GET {path} HTTP/1.1"' in gunicorn_log(path), path


@pytest.mark.parametrize("target", [
    "/activities?postcode=HD1+2QA&q=art",
    "/%61ctivities?postcode=HD1+2QA",
    "/activities?p%6fstcode=HD1+2QA",
    "//activities/?q=HD1+2QA",
    "/api/v1/services?postcode=HD1+2QA&proximity=1000",
    "/api/v1/service_at_locations?p%6Fstcode=HD1%202QA&proximity=1000",
    "/api/v1/%73ervices?postcode=HD1+2QA",
    "/api/v1/services/?text=hd12qa",
    "/impact?postcode=HD1+2QA",
    "/no/such/page?where=HD1%25202QA",
])
def test_searched_postcodes_never_reach_gunicorns_access_log(gunicorn_log, target):
    line = gunicorn_log(target, {"Referer": f"https://brokerage.example{target}", "X-Original-URL": target},
                        location=target)
    assert not re.search(r"hd1|2qa", line, re.IGNORECASE), line
    assert IP in line and "[redacted]" in line


def test_every_route_loses_a_postcode_query_in_the_log(app, gunicorn_log):
    """Derived from the URL map, so a route added later that takes a postcode is covered."""
    leaks = []
    for rule in app.url_map.iter_rules():
        target = _example_path(rule.rule) + "?p%6fstcode=HD1+2QA"
        if "HD1" in gunicorn_log(target, {"Referer": "https://brokerage.example" + target}):
            leaks.append(rule.rule)
    assert leaks == []


def test_other_queries_are_kept(gunicorn_log):
    line = gunicorn_log("/api/v1/taxonomies?page=2", {"Referer": "https://brokerage.example/impact?year=2025"})
    assert '"GET /api/v1/taxonomies?page=2 HTTP/1.1"' in line and "/impact?year=2025" in line


@pytest.fixture
def dev_server(app):
    """The development server (Werkzeug's, as `python run.py` serves) on a free port."""
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    thread.join()


@pytest.mark.parametrize("target", ["/%61ctivities?p%6fstcode=HD1+2QA", "/api/v1/services?postcode=HD1+2QA",
                                    f"/set-password/{TOKEN}", f"/wellbeing/{TOKEN}", f"/shortlist/{TOKEN}"])
def test_the_development_servers_log_holds_no_postcode_or_token(dev_server, caplog, target):
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        connection = http.client.HTTPConnection("127.0.0.1", dev_server.server_port, timeout=10)
        connection.request("GET", target)
        connection.getresponse().read()
        connection.close()
        for _ in range(100):  # the server logs the line after it has answered
            if any(record.name == "werkzeug" for record in caplog.records):
                break
            threading.Event().wait(0.02)
    lines = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert lines and not any(re.search(rf"HD1|{TOKEN}", line) for line in lines), lines
    assert any("[redacted]" in line for line in lines)


def test_a_message_whose_template_holds_a_url_before_its_arguments_is_logged_whole(app, caplog):
    """Shortening the template's URL used to swallow its `%s`, and the line failed to format."""
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logging.getLogger("werkzeug").info("moved https://brokerage.example/set-password/%s to %s", TOKEN, "/login")
    [record] = [record for record in caplog.records if record.name == "werkzeug"]
    assert record.getMessage() == "moved https://brokerage.example/set-password/[redacted] to /login"
