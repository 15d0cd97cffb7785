"""Absolute links for messages, built wherever the message is written: in a request (its host),
or outside one (a sweep on the delivery worker, `flask seed`) from PUBLIC_URL's SERVER_NAME, or
failing that from a stand-in request on PUBLIC_URL (`make run`'s own address in development)."""

from flask import current_app, has_request_context, url_for


def absolute_url(endpoint: str, **values) -> str:
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=current_app.config.get("PUBLIC_URL") or "http://127.0.0.1:5000"):
        return url_for(endpoint, _external=True, **values)
