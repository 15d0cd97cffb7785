"""Property-based checks: no input makes the account forms answer 5xx (security.md row 19),
and people's names are always shown as text, never as markup (row 18)."""
from html.parser import HTMLParser
from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brokerage.core.values.roles import Role

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "' onmouseover='alert(1)",
            "javascript:alert(1)", "</textarea><svg onload=alert(1)>", "{{ 7 * 7 }}", "&lt;b&gt;", "\x00", "\u202e"]

EMAIL_NUMBERS = count(1)
awkward_text = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=2000),
    st.builds(lambda piece, times: piece * times, st.text(min_size=1, max_size=3), st.integers(1, 20_000)),
    st.sampled_from(PAYLOADS + ["", " ", "\x00" * 20, "é" * 5000, "a@b", "@", "x" * 255 + "@example.org"]),
)
printable = st.text(st.characters(blacklist_categories=["Cc", "Cs"]), max_size=20)
marked_up_name = st.builds(lambda prefix, payload, suffix: f"{prefix}{payload}{suffix}",
                           printable, st.sampled_from(PAYLOADS[:-2]), printable)


@pytest.fixture
def unthrottled(app):
    app.config.update(LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS=10**9, LOGIN_MAX_FAILURES_PER_ACCOUNT=10**9,
                      LOGIN_MAX_FAILURES_PER_IP=10**9)
    return app


@FUZZ
@given(email=awkward_text, password=awkward_text)
def test_the_sign_in_form_never_fails_with_a_server_error(unthrottled, client, email, password):
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code in {200, 302, 400, 413}


@FUZZ
@given(email=awkward_text)
def test_the_forgotten_password_form_answers_every_input_alike(app, client, email):
    app.config["PASSWORD_RESET_MIN_SECONDS"] = 0
    response = client.post("/forgot-password", data={"email": email})
    assert response.status_code in {200, 400, 413}  # 400: a control character, refused by the field
    if response.status_code == 200:
        assert "If that address has an account, we have sent a link to it." in response.get_data(as_text=True)


@FUZZ
@given(name=awkward_text, email=awkward_text, roles=st.lists(st.sampled_from([*Role, "superuser", "\x00"])))
def test_the_invite_form_never_fails_with_a_server_error(client, coordinator, name, email, roles):
    response = client.post("/accounts/invite", data={"name": name, "email": email, "roles": list(roles)})
    assert response.status_code in {200, 302, 400, 413}


@FUZZ
@given(current=awkward_text, new=awkward_text)
def test_the_change_password_form_never_fails_with_a_server_error(client, auth, current, new):
    if not hasattr(auth, "fuzz_user"):
        auth.fuzz_user = auth.login_as(Role.CHAMPION)
    response = client.post("/account/password", data={"current_password": current, "new_password": new,
                                                      "confirm": new})
    assert response.status_code in {200, 302, 400, 413}
    if response.status_code == 302:  # it really changed: change it back for the next example
        client.post("/account/password", data={"current_password": new, "new_password": "plum umbrella tractor",
                                               "confirm": "plum umbrella tractor"})
        auth.fuzz_user = auth.login(auth.fuzz_user, "plum umbrella tractor")


@FUZZ
@given(query=st.dictionaries(st.sampled_from(["action", "object_type", "object_id", "actor", "since", "until",
                                              "page"]), awkward_text))
def test_the_audit_filters_never_fail_with_a_server_error(client, coordinator, query):
    assert client.get("/audit", query_string=query).status_code in {200, 400}


class _Markup(HTMLParser):
    """Collects the scripts and event-handler attributes a page would run."""

    def __init__(self):
        super().__init__()
        self.active: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            url_attribute = name in {"href", "src", "action", "formaction", "data"}
            if name.startswith("on") or (url_attribute and (value or "").strip().lower().startswith("javascript:")):
                self.active.append(f"<{tag} {name}>")
        if tag in {"script", "svg", "img", "iframe"} and not dict(attrs).get("src", "").startswith("/static/"):
            self.active.append(f"<{tag}>")


def active_markup(html: str) -> list[str]:
    parser = _Markup()
    parser.feed(html)
    return parser.active


@FUZZ
@given(name=marked_up_name)
def test_a_name_full_of_markup_is_shown_as_plain_text(client, coordinator, name):
    email = f"named{next(EMAIL_NUMBERS)}@example.org"
    response = client.post("/accounts/invite", data={"name": name, "email": email, "roles": ["champion"]},
                           follow_redirects=True)
    pages = [response] + [client.get(path) for path in ("/accounts", "/audit")]
    for page in pages:
        assert page.status_code == 200
        assert active_markup(page.get_data(as_text=True)) == []
