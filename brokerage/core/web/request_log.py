"""Logs as JSON lines, one line per request, each carrying the request's id (README, "Logs").

Production writes every log line as one JSON object, so that a trust's log collector can search
them by field; development (`make run`) keeps Python's plain lines, which a person reads.

Every request gets an id: the one nginx sent in `X-Request-ID` when the app sits behind a trusted
proxy (TRUSTED_PROXY_COUNT), so that nginx's line and each host's lines about one request share it;
otherwise a fresh one, since a client could otherwise choose the id its requests are logged under.
The app sends it back in `X-Request-ID`, and gunicorn's access log takes it from there.

A request's line holds its route (the URL rule, e.g. `/set-password/<token>`, never the path
itself), its method, status, duration and the signed-in person's user id: never an email address, a
query string, a form field or a token. Every other line goes through the access log's redaction
(log_privacy.py), so a URL in a message loses its token and any query string holding a postcode.
"""

import logging
import re
import sys
import time
import uuid

from flask import Flask, Response, current_app, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter
from sqlalchemy import inspect

from .log_privacy import AccessLogRedactor

REQUEST_LOGGER = "brokerage.request"
REQUEST_ID_HEADER = "X-Request-ID"
# nginx's $request_id is 32 hex digits; other proxies send UUIDs. Anything else is replaced.
_WELL_FORMED_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")
# gunicorn's access-log atoms (record.args) that become fields, after log_privacy has redacted them.
_ACCESS_FIELDS = {
    "h": "remote_addr",
    "m": "method",
    "U": "path",
    "s": "status",
    "B": "bytes",
    "M": "duration_ms",
    "{x-request-id}o": "request_id",
}


def request_id(header: str | None, trusted: bool) -> str:
    """The trusted proxy's id when it sent a well-formed one, else a new random one."""
    if trusted and header and _WELL_FORMED_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class JsonLines(JsonFormatter):
    """One JSON object a line: time, level, logger, message, and the request id of the request being
    served; gunicorn's access lines also give their atoms as fields."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("timestamp", "time")
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        super().__init__("%(levelname)s %(name)s %(message)s", *args, **kwargs)

    def add_fields(self, log_data: dict, record: logging.LogRecord, message_dict: dict) -> None:
        super().add_fields(log_data, record, message_dict)
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            for atom, field in _ACCESS_FIELDS.items():
                value = record.args.get(atom)
                if value not in (None, "-"):
                    log_data[field] = value
        if "request_id" not in log_data and has_request_context() and "request_id" in g:
            log_data["request_id"] = g.request_id


class RedactMessage(logging.Filter):
    """Every URL in a line's message loses its token and any query string holding a postcode, as
    in the access log. The message is formatted first, so a URL built from arguments is seen whole."""

    def __init__(self, redactor: AccessLogRedactor):
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        if not (record.name == "gunicorn.access" and isinstance(record.args, dict)):  # redacted already
            record.msg, record.args = self.redactor.redact(record.getMessage()), None
        return True


class AppLogHandler(logging.StreamHandler):
    """The app's own handler on the root logger, replaced (not stacked) when another app is made."""


def configure_logging(app: Flask) -> None:
    """LOG_FORMAT json: JSON lines on standard error, redacted like the access log; text: Python's
    plain lines (what `make run` prints), with the request lines left to the development server."""
    root = logging.getLogger()
    for handler in [found for found in root.handlers if isinstance(found, AppLogHandler)]:
        root.removeHandler(handler)
    logging.getLogger("brokerage").setLevel(logging.INFO)
    if app.config["LOG_FORMAT"] == "json":
        handler = AppLogHandler(sys.stderr)
        handler.setFormatter(JsonLines())
        handler.addFilter(RedactMessage(AccessLogRedactor(app)))
        root.addHandler(handler)
        root.setLevel(logging.WARNING)
        logging.getLogger(REQUEST_LOGGER).setLevel(logging.INFO)
    else:
        logging.basicConfig(level=logging.WARNING)
        logging.getLogger(REQUEST_LOGGER).setLevel(logging.WARNING)


def _signed_in_user_id() -> int | None:
    """The user id, if this request already loaded who is signed in (never loaded here: a page
    served while the database is down must still log)."""
    user = g.get("_login_user")
    # A signed-in user is a row (the anonymous user is not): its key is known without reading
    # it again after a commit, which would begin a transaction of its own.
    state = inspect(user, raiseerr=False)
    return state.identity[0] if state is not None and state.identity else None


def _start() -> None:
    g.request_started = time.perf_counter()
    trusted = current_app.config["TRUSTED_PROXY_COUNT"] > 0
    g.request_id = request_id(request.headers.get(REQUEST_ID_HEADER), trusted=trusted)


def _finish(response: Response) -> Response:
    if "request_id" not in g:  # a request refused before the app's first hook ran
        _start()
    response.headers[REQUEST_ID_HEADER] = g.request_id
    rule = request.url_rule
    logging.getLogger(REQUEST_LOGGER).info(
        "request",
        extra={
            "request_id": g.request_id,
            "user_id": _signed_in_user_id(),
            "method": request.method,
            "route": rule.rule if rule is not None else None,
            "endpoint": request.endpoint,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - g.request_started) * 1000, 1),
        },
    )
    return response


def register_request_log(app: Flask) -> None:
    """Runs first (before access checks and the page cache) so that refusals are logged too."""
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
