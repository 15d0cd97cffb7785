"""Domain exceptions raised by services, and the handlers that turn them into pages.

The handlers for an unexpected error and an unreachable database roll back what the failed
request left in the session: the request's end, not a service's unit of work (core/data/unit_of_work.py)."""

import logging

from flask import Flask, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from .extensions import db, login_manager

security_log = logging.getLogger("brokerage.security")


class NotFound(Exception):
    """The object does not exist (or the user may not know that it does)."""


class PermissionDenied(Exception):
    """The acting user may not do this."""


class RuleViolation(Exception):
    """A business rule refused the change; `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


RETRY_AFTER_SECONDS = 60  # when to try again after a 503: the database may be restarting


def _page(template: str, status: int, **context):
    try:
        return render_template(template, **context), status
    except OperationalError as error:  # the page asked who is signed in, and the database is down
        return _database_unavailable(error)


def _database_unavailable(error: OperationalError):
    """The 503 page, or JSON under /api/, made without the database: the person is shown the page
    as if signed out (loading them would ask the database again), and told when to try again."""
    db.session.rollback()
    current_app.logger.error("database unavailable: %s", error.orig)
    login_manager._update_request_context_with_user()  # Flask-Login's own way to set current_user
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if request.path.startswith("/api/"):
        return (
            jsonify(
                error="service_unavailable",
                message=f"The database cannot be reached. Try again in {RETRY_AFTER_SECONDS} seconds.",
            ),
            503,
            headers,
        )
    return render_template("errors/503.html", plain_page=True), 503, headers


def _api_error(error: HTTPException):
    """An HTTP error met before any API view (a write to the read-only API answers 405 in
    routing): JSON like the API's own errors, open to every origin, with `Allow` when it applies."""
    headers = {name: value for name, value in error.get_headers() if name == "Allow"}
    headers["Access-Control-Allow-Origin"] = "*"
    body = jsonify(error=error.name.lower().replace(" ", "_"), message=error.description or error.name)
    return body, error.code or 500, headers


def register_errors(app: Flask) -> None:
    from .core.input.kept_forms import (
        after_stale_token,  # here: kept forms commit through core, which raises these errors
    )

    @app.errorhandler(NotFound)
    def not_found(error):
        return _page("errors/404.html", 404)

    @app.errorhandler(PermissionDenied)
    def forbidden(error):
        security_log.warning("403 forbidden: %s %s", request.method, request.path)
        return _page("errors/403.html", 403)

    @app.errorhandler(RuleViolation)
    def rule_violation(error):
        return _page("errors/rule.html", 409, message=error.message)

    app.register_error_handler(OperationalError, _database_unavailable)

    @app.errorhandler(CSRFError)
    def csrf_failure(error):
        security_log.warning("CSRF failure: %s %s", request.method, request.path)
        return after_stale_token() or _page("errors/http.html", 400, error=error)

    @app.errorhandler(HTTPException)
    def http_error(error):
        if request.path.startswith("/api/"):
            return _api_error(error)
        if error.code == 403:
            security_log.warning("403 forbidden: %s %s", request.method, request.path)
        template = {
            403: "errors/403.html",
            404: "errors/404.html",
            429: "errors/429.html",
            413: "errors/413.html",
            503: "errors/503.html",
        }.get(error.code, "errors/http.html")
        return _page(template, error.code, error=error)

    @app.errorhandler(Exception)
    def unexpected(error):
        db.session.rollback()
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        if request.path.startswith("/api/"):  # the API's callers read JSON, never a page
            return (
                jsonify(error="internal_server_error", message="Something went wrong on our side. Try again later."),
                500,
                {"Access-Control-Allow-Origin": "*"},
            )
        return _page("errors/500.html", 500, plain_page=True)
