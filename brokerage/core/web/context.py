"""Values every template needs: the service name, the navigation for this person, the year
of the postcode data credited in the footer, and static files' addresses that change with them."""
import hashlib
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, request, url_for
from flask_login import current_user

from ..values.roles import SCOPED_ROLES, Role
from ..values.timeutils import london_today


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    public: bool = False  # shown to everyone, signed in or not

    @property
    def url(self) -> str:
        return url_for(self.endpoint)

    @property
    def current(self) -> bool:
        return request.endpoint == self.endpoint


# (label, endpoint, roles that see it; empty = everyone signed in). Features add theirs here.
NAVIGATION: list[tuple[str, str, frozenset[Role]]] = [
    ("Your work", "core.dashboard", frozenset()),
    ("People", "accounts.list_accounts", frozenset({Role.COORDINATOR})),
    ("Audit trail", "audit.list_events", frozenset({Role.COORDINATOR})),
    ("Collectives", "collectives.index", frozenset({Role.COLLECTIVE_MEMBER, Role.COORDINATOR})),
    ("Bids", "bids.index", frozenset({Role.COLLECTIVE_MEMBER, Role.COORDINATOR})),
    ("Votes", "polls.index", frozenset({Role.COORDINATOR})),
    ("Your bids", "bids.yours", frozenset({Role.PARTNER_CONTACT})),
    ("Partners", "partners.list_partners", frozenset(Role) - SCOPED_ROLES),
    ("Renewals", "partners.agreements_due", frozenset({Role.COORDINATOR})),
    ("Groups", "groups.list_groups", frozenset({Role.COORDINATOR, Role.CHAMPION})),
    ("Your group", "groups.mine", frozenset({Role.GROUP_ORGANISER})),
    ("Your activities", "listings.manage", frozenset({Role.COORDINATOR, Role.CHAMPION, Role.PARTNER_CONTACT})),
    ("Wellbeing", "outcomes.index", frozenset({Role.COORDINATOR, Role.CHAMPION})),
    ("Impact", "impact.index", frozenset({Role.COORDINATOR})),
]


# (label, endpoint) of pages for everyone, shown first, signed in or not.
PUBLIC_NAVIGATION: list[tuple[str, str]] = [
    ("Find an activity", "directory.search"),
    ("Shortlist", "shortlist.mine"),
    ("Our impact", "impact.headline"),
]


def navigation_for(user) -> list[NavItem]:
    items = [NavItem(label, endpoint, public=True) for label, endpoint in PUBLIC_NAVIGATION]
    if not user.is_authenticated:
        return items
    return items + [NavItem(label, endpoint) for label, endpoint, roles in NAVIGATION
                    if not roles or user.has_any_role(roles)]


def register_context(app: Flask) -> None:
    @app.context_processor
    def inject():
        return {"service_name": app.config["SERVICE_NAME"], "navigation_for": navigation_for,
                "postcode_data_year": app.config["POSTCODE_DATA_YEAR"] or london_today().year}


def static_version(folder: str, filename: str, cache: dict) -> str | None:
    """The first 12 hex digits of the file's SHA-256 (None if there is no such file), recomputed
    only when the file's modification time changes."""
    path = Path(folder) / filename
    try:
        key = (filename, path.stat().st_mtime_ns)
    except OSError:
        return None
    if key not in cache:
        cache[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return cache[key]


def register_static_versions(app: Flask) -> None:
    """Every static URL carries its file's digest (`/static/css/site.css?v=...`), so nginx lets
    browsers keep static files for a year (deploy/nginx/brokerage.conf) and a release that changes
    a file changes its address, instead of leaving people with last year's stylesheet."""
    cache: dict = {}

    @app.url_defaults
    def add_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            if version := static_version(app.static_folder, values["filename"], cache):
                values["v"] = version
