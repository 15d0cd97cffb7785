"""Route-wide rules proven over every rule in `app.url_map`, so new features are covered
automatically: CSRF on every state-changing route (security.md row 7), no state change on
GET (row 8), deny by default with each route's declared rule enforced (row 9)."""
import functools
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from brokerage.collectives.voting import closing as poll_closing
from brokerage.collectives.voting.models import Poll, PollStatus
from brokerage.core.values.roles import SCOPED_ROLES, Role
from brokerage.core.values.timeutils import utcnow
from brokerage.core.web.access import AccessRule, access_rule_for
from brokerage.directory.search.misses import services as search_misses
from brokerage.extensions import db
from tests.conftest import PASSWORD
from tests.core.routing import STATE_CHANGING, routes, row_counts, sample_url
from tests.demo_cache import load_demo

PUBLIC = AccessRule(public=True)
SIGNED_IN = AccessRule()
SIGNED_IN_SCOPED_TOO = AccessRule(scoped_too=True)  # a group organiser's own account pages and starting page
COORDINATOR = AccessRule(roles=frozenset({Role.COORDINATOR}))

# The foundation's routes and the rule each must keep: loosening one fails here.
FOUNDATION_RULES = {
    "core.home": PUBLIC,
    "core.healthz": PUBLIC,
    "core.dashboard": SIGNED_IN_SCOPED_TOO,
    "accounts.login": PUBLIC,
    "accounts.logout": PUBLIC,
    "accounts.set_password": PUBLIC,
    "accounts.forgot_password": PUBLIC,
    "accounts.my_account": SIGNED_IN_SCOPED_TOO,
    "accounts.change_password": SIGNED_IN_SCOPED_TOO,
    "accounts.list_accounts": COORDINATOR,
    "accounts.invite": COORDINATOR,
    "accounts.account_detail": COORDINATOR,
    "accounts.change_roles": COORDINATOR,
    "accounts.change_details": COORDINATOR,
    "accounts.deactivate": COORDINATOR,
    "accounts.reactivate": COORDINATOR,
    "accounts.password_link": COORDINATOR,
    "audit.list_events": COORDINATOR,
}
FOUNDATION_BLUEPRINTS = ("core.", "accounts.", "audit.")


def test_foundation_routes_keep_their_declared_access_rules(app):
    declared = {endpoint: access_rule_for(app, endpoint) for endpoint in app.view_functions
                if endpoint.startswith(FOUNDATION_BLUEPRINTS)}
    assert declared == FOUNDATION_RULES


def test_every_view_declares_exactly_one_access_rule(app):
    missing = [endpoint for endpoint in app.view_functions if access_rule_for(app, endpoint) is None]
    assert missing == []


def test_the_audit_trail_has_no_route_that_changes_it(app):
    audit_methods = {method for rule in app.url_map.iter_rules() if rule.endpoint.startswith("audit.")
                     for method in rule.methods}
    assert not audit_methods & STATE_CHANGING


def _send(client, method: str, url: str, **kwargs):
    if method == "POST":
        return client.post(url, **kwargs)
    return client.open(url, method=method, **{k: v for k, v in kwargs.items() if k != "csrf"})


def test_every_state_changing_route_refuses_a_request_without_csrf_token(app, client, coordinator):
    refused_wrongly = []
    state_changing = routes(app, STATE_CHANGING)
    assert len(state_changing) >= 8  # the foundation alone has eight
    for route in state_changing:
        for method in sorted(route.rule.methods & STATE_CHANGING):
            response = _send(client, method, route.url, csrf=False)
            if response.status_code != 400:
                refused_wrongly.append(f"{method} {route}: {response.status_code}")
    assert refused_wrongly == []


def test_every_state_changing_route_refuses_a_forged_csrf_token(app, client, coordinator):
    accepted = []
    for route in routes(app, {"POST"}):
        response = client.post(route.url, data={"csrf_token": "forged"}, csrf=False)
        if response.status_code != 400:
            accepted.append(f"{route}: {response.status_code}")
    assert accepted == []


@pytest.fixture
def demo_data(app):
    """The demo data, so that sample ids (1) name real records on every feature's pages."""
    with app.app_context():
        load_demo()


def _make_the_open_votes_due(app) -> list[tuple[int, int]]:
    """Move the demo data's open votes' closing time into the past: due, not closed yet.
    Returns each one's (poll id, bid id)."""
    with app.app_context():
        due = list(db.session.scalars(select(Poll).where(Poll.status == PollStatus.OPEN.value)))
        for poll in due:
            poll.closes_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        return [(poll.id, poll.bid_id) for poll in due]


def _get_urls(app, due: list[tuple[int, int]]) -> list[tuple[str, str]]:
    """Every GET route's sample URL and, for the routes of a poll or a bid, its URL for each due vote."""
    urls = []
    for route in routes(app, {"GET"}):
        urls.append((str(route), route.url))
        for poll_id, bid_id in due:
            ids = {name: value for name, value in (("poll_id", poll_id), ("bid_id", bid_id))
                   if name in route.rule.arguments}
            if ids:
                urls.append((str(route), sample_url(route.rule, **ids)))
    return urls


def _counts_as_each_handler_starts(app, monkeypatch) -> dict[str, dict[str, int]]:
    """Wrap every view so that it takes the row counts as it starts, after the request's
    before-request steps; returns where they are kept, by endpoint."""
    taken: dict[str, dict[str, int]] = {}
    for endpoint, view in list(app.view_functions.items()):
        def counted(*args, _endpoint=endpoint, _view=view, **kwargs):
            taken[_endpoint] = row_counts()
            return _view(*args, **kwargs)
        monkeypatch.setitem(app.view_functions, endpoint, functools.wraps(view)(counted))
    return taken


MISSED_SEARCH = "/activities?q=climbing&postcode=HD3&distance=0.5"  # nothing of the kind there in the demo


def test_no_get_request_changes_the_database(app, client, demo_data, coordinator, monkeypatch):
    """No GET changes the database, with a DUE vote in the data (its window over, not closed
    yet), and with a search that finds nothing among the URLs. Two named steps write, and the
    test holds each back while it visits every GET route: the search's count of a search that
    found nothing (`record_search_miss`, directory/search/misses/services.py: after the page is drawn,
    one upsert of `search_miss`), which must then change that table alone, by one row; and
    closing a due vote, a write that one named step makes: `settle_due_votes`
    (collectives/voting/closing.py), which runs before the handler of every page that shows
    votes, in its own write transaction, so that closing never depends on cron. The test tells
    that step apart from the handlers: first every GET route is visited (a poll's or a bid's
    route also with the due vote's ids) with the step held back, so each handler meets the due
    vote itself, and nothing may change; then, with the step in place, the due vote's page is
    read: the vote must be closed by the time its handler starts (every view is wrapped to take
    the row counts as it starts), and from there to the response nothing may change."""
    due = _make_the_open_votes_due(app)
    assert due  # the demo data has an open vote
    changed = []
    with monkeypatch.context() as held_back:
        held_back.setattr(poll_closing, "settle_due_votes", lambda **_: 0)
        held_back.setattr(search_misses, "record_search_miss", lambda key: False)
        for route, url in [*_get_urls(app, due), ("a search that found nothing", MISSED_SEARCH)]:
            with app.app_context():
                before = row_counts()
            response = client.get(url)
            with app.app_context():
                after = row_counts()
            if before != after or response.status_code >= 500:
                difference = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
                changed.append(f"{route} {url}: {response.status_code} {difference}")
    assert changed == []

    with app.app_context():
        before = row_counts()
    assert "0 activities found" in client.get(MISSED_SEARCH + "&day=6").get_data(as_text=True)  # not a kept page
    with app.app_context():
        after = row_counts()
    assert {name: after[name] - before[name] for name in before if before[name] != after[name]} == {"search_miss": 1}

    at_start = _counts_as_each_handler_starts(app, monkeypatch)
    with app.app_context():
        before = row_counts()
    response = client.get(f"/polls/{due[0][0]}")
    with app.app_context():
        after = row_counts()
        assert not db.session.get(Poll, due[0][0]).is_open
    assert response.status_code == 200
    assert at_start["polls.show"] != before  # settled before the handler started
    assert after == at_start["polls.show"]  # and the handler wrote nothing


class _References(HTMLParser):
    """Collects the URLs a page makes the browser fetch or send to (and, if asked, its links)."""

    FETCHES = {"src", "srcset", "poster", "data", "action", "formaction", "manifest", "background"}

    def __init__(self, include_links: bool):
        super().__init__()
        self.include_links = include_links
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        # <link href> loads (stylesheets, icons, preloads); <a href> only navigates when followed.
        wanted = self.FETCHES | ({"href"} if tag == "link" or self.include_links else set())
        for name, value in attrs:
            if name in wanted and value and _is_external(value):
                self.external.append(f"<{tag} {name}={value}>")


def _is_external(value: str) -> bool:
    for candidate in value.split(","):  # srcset lists several URLs
        parts = urlsplit(candidate.strip().split(" ")[0])
        if parts.netloc or parts.scheme not in {"", "mailto", "tel"}:
            return True
    return False


def external_references(html: str, include_links: bool = False) -> list[str]:
    """URLs on another host that the page loads or submits to (links too with include_links)."""
    parser = _References(include_links)
    parser.feed(html)
    return parser.external


def test_no_page_makes_the_browser_request_another_host(app, client, demo_data, coordinator):
    found = []
    for route in routes(app, {"GET"}):
        response = client.get(route.url)
        if response.mimetype == "text/html":
            found += [f"{route}: {ref}" for ref in external_references(response.get_data(as_text=True))]
    assert found == []


def _stub_every_view(app):
    """Replace each view by one that answers 'reached', keeping its declared rule, so the
    matrix tests the access gate alone (object-level checks belong to each feature's tests)."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint == "static":
            continue

        def reached(**kwargs):
            return "reached"
        reached.access_rule = view.access_rule
        app.view_functions[endpoint] = reached


def _expected(access: AccessRule, roles: frozenset[Role] | None) -> int:
    if access.public:
        return 200
    if roles is None:
        return 302
    if roles <= SCOPED_ROLES and not access.scoped_too:
        return 403  # a group organiser reaches only the pages declared for scoped accounts
    return 200 if not access.roles or roles & access.roles else 403


def _signed_in_clients(app, make_user) -> dict[str, tuple]:
    clients = {"anonymous": (app.test_client(), None)}
    for role in Role:
        client = app.test_client()
        user = make_user(role)
        assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
        clients[role.value] = (client, frozenset({role}))
    return clients


def test_every_route_answers_each_role_as_its_declared_rule_says(app, make_user):
    clients = _signed_in_clients(app, make_user)
    _stub_every_view(app)
    wrong = []
    for route in routes(app, {"GET", "POST"}):
        method = "GET" if "GET" in route.rule.methods else "POST"
        for who, (client, roles) in clients.items():
            response = client.get(route.url) if method == "GET" else client.post(route.url)
            expected = _expected(route.access, roles)
            if response.status_code != expected:
                wrong.append(f"{who} {method} {route}: {response.status_code}, expected {expected}")
            elif expected == 302 and urlsplit(response.headers["Location"]).path != "/login":
                wrong.append(f"{who} {method} {route}: redirected to {response.headers['Location']}")
    assert wrong == []


def test_a_user_holding_none_of_the_declared_roles_is_refused_with_the_real_views(app, make_user):
    clients = _signed_in_clients(app, make_user)
    allowed = []
    for route in routes(app, {"GET"}):
        for who, (client, roles) in clients.items():
            if roles is None or not route.access.roles or roles & route.access.roles:
                continue
            response = client.get(route.url)
            if response.status_code != 403:
                allowed.append(f"{who} GET {route}: {response.status_code}")
    assert allowed == []


def test_every_non_public_page_sends_an_anonymous_visitor_to_sign_in(app, client):
    let_in = []
    for route in routes(app, {"GET"}):
        if route.access.public:
            continue
        response = client.get(route.url)
        if response.status_code != 302 or urlsplit(response.headers["Location"]).path != "/login":
            let_in.append(f"{route}: {response.status_code}")
    assert let_in == []


def test_a_nul_byte_anywhere_in_a_request_is_refused_not_a_server_error(app, client, demo_data, coordinator):
    """PostgreSQL cannot store NUL: no route may answer 5xx (security.md row 19)."""
    failed = []
    for route in routes(app, {"GET", "POST"}):
        if "GET" in route.rule.methods:
            response = client.get(route.url, query_string={"q": "a\x00b", "page": "\x00"})
        else:
            response = client.post(route.url, data={"name": "a\x00b", "email": "\x00@example.org"})
        if response.status_code >= 500:
            failed.append(f"{route}: {response.status_code}")
    assert failed == []
