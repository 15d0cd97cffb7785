"""Security headers on every response (security.md row 17)."""
from flask import Flask, session

CONTENT_SECURITY_POLICY = "; ".join([
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
])


def register_security_headers(app: Flask) -> None:
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
        if session.get("sid"):
            headers["Cache-Control"] = "no-store"
        return response
