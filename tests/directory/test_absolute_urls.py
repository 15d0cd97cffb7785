"""Absolute URLs (the API's, calendar files', shared shortlist and invitation links) are built from
PUBLIC_URL, never from the Host header a request sends (a hostile one would put its own site in
links people trust)."""
import re

import pytest

from brokerage import create_app
from brokerage.core.values.roles import Role
from brokerage.extensions import db
from config import TestingConfig

from .. import conftest
from ..conftest import PASSWORD, CSRFClient
from .conftest import NOW

PUBLIC = "https://brokerage.example.org"
HOSTILE_HOST = "evil.example"
# Referer: as a browser sends it over https (Flask-WTF checks it there against the Host header).
HOSTILE = {"Host": HOSTILE_HOST, "X-Forwarded-Host": HOSTILE_HOST, "X-Forwarded-Proto": "http",
           "Referer": f"https://{HOSTILE_HOST}/"}


class HostileClient(CSRFClient):
    """Sends the hostile headers with every request, and keeps its session (and so its CSRF
    token) for the hostile host."""

    def session_transaction(self, *args, **kwargs):
        kwargs.setdefault("headers", HOSTILE)
        return super().session_transaction(*args, **kwargs)

    def open(self, *args, **kwargs):
        kwargs["headers"] = {**HOSTILE, **(kwargs.get("headers") or {})}
        return super().open(*args, **kwargs)


@pytest.fixture
def public(app, database_url):
    """A client of an app (on the test database) configured with PUBLIC_URL."""
    served = create_app(TestingConfig, {**conftest.test_overrides(database_url), "PUBLIC_URL": PUBLIC})
    served.test_client_class = HostileClient
    yield served.test_client()
    with served.app_context():
        db.engine.dispose()


@pytest.fixture
def activity_id(directory, fixed_now):
    fixed_now(NOW)
    made = directory.activity().id
    db.session.commit()
    return made


def _absolute_urls(text: str) -> set[str]:
    return set(re.findall(r"https?://[^\s\"'<>\\]+", text.replace("\r\n ", "")))  # iCalendar lines fold


def test_the_api_links_to_the_public_site_whatever_the_host_header(public, activity_id):
    body = public.get("/api/v1/services").get_data(as_text=True)
    assert f"{PUBLIC}/activities/{activity_id}" in _absolute_urls(body)
    assert HOSTILE_HOST not in body


def test_a_calendar_file_links_to_the_public_site_whatever_the_host_header(public, activity_id):
    body = public.get(f"/activities/{activity_id}.ics").get_data(as_text=True)
    assert _absolute_urls(body) == {f"{PUBLIC}/activities/{activity_id}"}


def test_a_shared_shortlist_link_is_on_the_public_site_whatever_the_host_header(public, activity_id):
    added = public.post("/shortlist/add", data={"activity_id": str(activity_id), "next": "/shortlist"})
    assert added.status_code == 302
    urls = _absolute_urls(public.get("/shortlist").get_data(as_text=True))
    assert f"{PUBLIC}/activities/{activity_id}" in urls
    assert any(url.startswith(f"{PUBLIC}/shortlist/") for url in urls)
    assert not any(HOSTILE_HOST in url for url in urls)


def test_an_invitation_link_is_on_the_public_site_whatever_the_host_header(public, make_user):
    coordinator = make_user(Role.COORDINATOR)
    assert public.post("/login", data={"email": coordinator.email, "password": PASSWORD}).status_code == 302
    invited = public.post("/accounts/invite", data={"name": "Nia Invited", "email": "nia@example.org",
                                                    "roles": ["champion"]})
    page = public.get(invited.headers["Location"]).get_data(as_text=True)
    links = [url for url in _absolute_urls(page) if "/set-password/" in url]
    assert links and all(url.startswith(f"{PUBLIC}/set-password/") for url in links)
