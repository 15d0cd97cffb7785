"""Nothing typed is lost when a form cannot be saved (issue 14, item 7): after the idle timeout,
after signing out and in on another tab, or with a stale CSRF token, the person signs in (or
goes straight back) and finds the form filled with what they typed and a message, once; only
they get it back; a forged, missing or cross-site token is still a plain 400."""
import json
import os
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from brokerage.collectives.bids.models import Bid
from brokerage.core.values.roles import Role
from brokerage.extensions import db
from brokerage.groups.models import ConstitutionDraft
from brokerage.outcomes.stories.models import Story
from tests.conftest import PASSWORD, page_text
from tests.core.html_forms import page_forms
from tests.core.routing import routes
from tests.demo_cache import load_demo

KEPT_MESSAGE = "What you typed is below: check it and press Save again."
SIGN_IN_MESSAGE = "Sign in and you will be taken back to it"
BID = ("/bids/2/edit", {"title": "Walking football for every age", "summary": "Weekly games.\nTea after."})
STORY = ("/wellbeing-measures/projects/1/stories/new", {
    "title": "Back on the pitch", "text": "I had not played for years.\nNow I go every week.",
    "reporter": "Sam Reporter", "told_on": "2026-05-06", "consent": "public"})
ANSWER = ("/groups/1/constitution/questions/quorum", {"quorum_minimum": "7", "quorum_fraction": "2"})


@pytest.fixture
def demo_data(app):
    with app.app_context():
        load_demo()


@pytest.fixture
def person(auth, demo_data):
    return auth.login_as(Role.COORDINATOR, name="Casey Coordinator")


def _form_on(html: str, names):
    return next(form for form in page_forms(html) if form.method == "post" and set(names) <= form.names)


def _filled(client, url: str, typed: dict) -> dict:
    """What the browser would send from the form on `url` after the person typed `typed`."""
    form = _form_on(client.get(url).get_data(as_text=True), typed)
    sent = {name: value for name, value in form.fields if name not in typed}
    return {**sent, **typed}


def _send(client, url: str, data: dict, **headers):
    return client.post(url, data=data, csrf=False, headers={"Referer": f"http://localhost{url}", **headers})


def _shows(html: str, typed: dict) -> bool:
    form = _form_on(html, typed)
    return all(form.value(name) == value for name, value in typed.items())


def _kept(app) -> list[list]:
    """What is kept, for every form (the table holds it between requests)."""
    with app.app_context():
        return [json.loads(row.fields) for row in db.session.execute(select(db.metadata.tables["kept_submission"]))]


def _kept_rows(app) -> int:
    return len(_kept(app))


def _saved(app):
    """What the three forms would have changed: the bid's title, the stories, the draft's quorum."""
    with app.app_context():
        return (db.session.get(Bid, 2).title, db.session.scalar(select(func.count()).select_from(Story)),
                db.session.scalar(select(ConstitutionDraft.quorum_minimum).where(ConstitutionDraft.group_id == 1)))


def idle_timeout(client, auth, user):
    with client.session_transaction() as session:
        session["seen"] -= 61 * 60


def signed_out_and_in_on_another_tab(client, auth, user):
    auth.logout()
    auth.login(user)


def stale_token(client, auth, user):
    with client.session_transaction() as session:
        session["csrf_token"] = os.urandom(20).hex()


@pytest.mark.parametrize("form", [BID, STORY, ANSWER], ids=["bid", "story", "constitution answer"])
@pytest.mark.parametrize("situation", [idle_timeout, signed_out_and_in_on_another_tab, stale_token])
def test_what_was_typed_comes_back_filled_in_with_a_message(app, client, auth, person, form, situation):
    url, typed = form
    data, before = _filled(client, url, typed), _saved(app)
    situation(client, auth, person)
    response = _send(client, url, data)
    assert response.status_code == 302 and _saved(app) == before
    if situation is idle_timeout:
        assert urlsplit(response.location).path == "/login"
        assert SIGN_IN_MESSAGE in page_text(client.get(response.location))
        response = client.post(response.location, data={"email": person.email, "password": PASSWORD})
    assert urlsplit(response.location).path == url
    again = client.get(response.location)
    assert _shows(again.get_data(as_text=True), typed) and KEPT_MESSAGE in page_text(again)
    assert _kept_rows(app) == 0
    assert not _shows(client.get(url).get_data(as_text=True), typed)  # given back once, then forgotten


def test_another_person_signing_in_on_that_browser_does_not_get_them(app, client, auth, person, make_user):
    url, typed = STORY
    data = _filled(client, url, typed)
    idle_timeout(client, auth, person)
    assert _send(client, url, data).status_code == 302 and _kept_rows(app) == 1
    auth.login(make_user(Role.COORDINATOR))
    page = client.get(url)
    assert not _shows(page.get_data(as_text=True), typed) and KEPT_MESSAGE not in page_text(page)
    assert _kept_rows(app) == 0  # not theirs to see: forgotten


def test_the_person_whose_session_ended_gets_them_back_only_when_signed_in(app, client, auth, person):
    url, typed = ANSWER
    data = _filled(client, url, typed)
    idle_timeout(client, auth, person)
    _send(client, url, data)
    assert client.get(url).status_code == 302 and _kept_rows(app) == 1  # still kept while they sign in
    auth.login(person)
    assert _shows(client.get(url).get_data(as_text=True), typed)


def test_an_anonymous_form_sent_with_a_stale_token_is_shown_again_with_a_message_not_a_400(app, client, demo_data):
    url, typed = "/activities/1/interested", {"first_name": "Robin", "contact": "robin@example.org", "consent": "y"}
    data = _filled(client, url, typed)
    with client.session_transaction() as session:
        session.clear()  # the browser was closed: its session cookie is gone
    response = _send(client, url, data)
    assert response.status_code == 302 and urlsplit(response.location).path == url
    again = client.get(response.location)
    assert _shows(again.get_data(as_text=True), typed) and KEPT_MESSAGE in page_text(again)


def test_kept_values_are_forgotten_after_two_hours(app, client, demo_data, fixed_now):
    url, typed = "/activities/1/interested", {"first_name": "Robin"}
    data = _filled(client, url, typed)
    stale_token(client, None, None)
    _send(client, url, data)
    fixed_now(fixed_now.now() + timedelta(hours=2, minutes=1))
    assert not _shows(client.get(url).get_data(as_text=True), typed)


def test_a_password_is_never_kept(app, client, demo_data, make_user):
    user = make_user(Role.CHAMPION)
    data = _filled(client, "/login", {"email": user.email, "password": PASSWORD})
    stale_token(client, None, None)
    assert _send(client, "/login", data).status_code == 302
    assert _kept(app) == [[["email", user.email]]]
    assert _shows(client.get("/login").get_data(as_text=True), {"email": user.email, "password": ""})


@pytest.mark.parametrize("token, headers", [
    ("forged", {}), ("", {}), (None, {"Origin": "https://evil.example"}),
    (None, {"Origin": "null"}), (None, {"Referer": "https://evil.example/form"}),
], ids=["forged token", "no token", "another site", "opaque origin", "another site's referer"])
def test_a_forged_missing_or_cross_site_token_is_refused_and_nothing_is_kept(app, client, person, token, headers):
    url, typed = STORY
    data = _filled(client, url, typed)
    if token is None:
        stale_token(client, None, None)
    else:
        data["csrf_token"] = token
    response = client.post(url, data=data, csrf=False, headers=headers)
    assert response.status_code == 400 and _kept_rows(app) == 0


def _typed_for(form) -> dict:
    """A distinctive value for every box a person can type in."""
    examples = {"email": "kept@example.org", "number": "7", "date": "2026-05-06", "time": "18:30",
                "tel": "01484 000000"}
    return {name: examples.get(kind, f"Kept {name}\nover two lines" if kind == "textarea" else f"Kept {name}")
            for name, kind in form.boxes.items()}


def _page_forms(client, app, url: str):
    response = client.get(url)
    if response.status_code != 200 or response.mimetype != "text/html":
        return []
    return [form for form in page_forms(response.get_data(as_text=True)) if form.method == "post" and form.boxes]


def test_nothing_typed_into_any_form_of_any_page_is_lost(app, client, auth, person):
    """Every form on every page, as a browser sends it, after each of the three situations."""
    lost, checked = [], 0
    for route in routes(app, {"GET"}):
        for form in _page_forms(client, app, route.url):
            typed = _typed_for(form)
            for situation in (idle_timeout, signed_out_and_in_on_another_tab, stale_token):
                if situation is idle_timeout and route.access.public:
                    continue  # a public form is sent as usual after the session ended
                data = MultiDict([pair for pair in form.fields if pair[0] not in typed] + list(typed.items()))
                situation(client, auth, person)
                response = _send(client, form.action or route.url, data, Referer=f"http://localhost{route.url}")
                if situation is idle_timeout:
                    response = client.post(response.location, data={"email": person.email, "password": PASSWORD})
                again = client.get(response.location) if response.status_code == 302 else response
                checked += 1
                if response.status_code != 302 or not _shows(again.get_data(as_text=True), typed):
                    lost.append(f"{situation.__name__}: {route} form to {form.action}: {response.status_code}")
    assert checked > 60
    assert lost == [], "\n".join(lost)
