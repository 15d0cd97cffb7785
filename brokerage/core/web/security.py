"""Security headers on every response (security.md row 17), and a guard against NUL bytes in
URL paths (row 19)."""

from flask import Flask, abort, current_app, request, session

from .log_privacy import is_token_argument

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


def refuse_nul_bytes():
    """before_request hook: PostgreSQL text cannot hold a NUL byte, so a URL path with one
    (naming nothing that exists) is a 404, not a database error. Form fields and query
    parameters are bad input like any other: every form refuses the character by its field
    (core/input/forms.py), and the API answers its 400 with a message."""
    if any(isinstance(value, str) and "\x00" in value for value in (request.view_args or {}).values()):
        abort(404)


def no_store(view):
    """Mark a page that shows a secret or personal data to people who need not be signed in:
    no browser or proxy keeps a copy."""
    view.no_store = True
    return view


def shows_a_secret() -> bool:
    """Signed-in pages, pages whose address holds a token (read from the URL rule, so a token route
    added later is covered) and pages marked @no_store."""
    if session.get("sid"):
        return True
    rule = request.url_rule
    if rule is not None and any(map(is_token_argument, rule.arguments)):
        return True
    return getattr(current_app.view_functions.get(request.endpoint or ""), "no_store", False)


def register_security_headers(app: Flask) -> None:
    app.before_request(refuse_nul_bytes)

    @app.after_request
    def add_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        # Search URLs carry postcodes: never send them to other sites.
        headers["Referrer-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if app.config.get("HSTS"):
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if shows_a_secret():
            headers["Cache-Control"] = "no-store"
        return response
