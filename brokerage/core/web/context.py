"""Values every template needs: the service name, the navigation for this person, the year
of the postcode data credited in the footer, and static files' addresses that change with them."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, request, url_for

from ..values.roles import Role
from ..values.timeutils import london_today


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str

    @property
    def url(self) -> str:
        return url_for(self.endpoint)

    @property
    def current(self) -> bool:
        return request.endpoint == self.endpoint


@dataclass(frozen=True)
class NavSection:
    label: str  # for screen readers: the menu is grouped by what people came to do
    items: list[NavItem]


VISITOR = "visitor"  # not signed in
SIGNED_IN = "signed_in"  # anyone signed in, whatever their roles
PUBLIC, WORK, PLATFORM = "Find activities and impact", "Your work", "Running the platform"
SECTIONS = (PUBLIC, WORK, PLATFORM)
R = Role

# The menu, one row per page: (section, label, endpoint, who sees it). Each page is named once, and
# each role sees only the pages it uses (a coordinator has the impact reports, not the public
# summary). A feature adds its page with one row here.
NAVIGATION: list[tuple[str, str, str, frozenset]] = [
    (PUBLIC, "Home", "core.home", frozenset({VISITOR, SIGNED_IN})),
    (PUBLIC, "Find an activity", "directory.search", frozenset({VISITOR, SIGNED_IN})),
    (PUBLIC, "Shortlist", "shortlist.mine", frozenset({VISITOR, R.CHAMPION, R.COLLECTIVE_MEMBER})),
    (PUBLIC, "Our impact", "impact.headline", frozenset({VISITOR, R.CHAMPION, R.COLLECTIVE_MEMBER, R.PARTNER_CONTACT})),
    (WORK, "Your work", "core.dashboard", frozenset({SIGNED_IN})),
    (WORK, "Collectives", "collectives.index", frozenset({R.COLLECTIVE_MEMBER, R.COORDINATOR})),
    (WORK, "Bids", "bids.index", frozenset({R.COLLECTIVE_MEMBER, R.COORDINATOR})),
    (WORK, "Gaps", "gaps.index", frozenset({R.COLLECTIVE_MEMBER, R.CHAMPION, R.COORDINATOR})),
    (WORK, "Your bids", "bids.yours", frozenset({R.PARTNER_CONTACT})),
    (WORK, "Your activities", "listings.manage", frozenset({R.COORDINATOR, R.CHAMPION, R.PARTNER_CONTACT})),
    (WORK, "Groups", "groups.list_groups", frozenset({R.COORDINATOR, R.CHAMPION})),
    (WORK, "Your group", "groups.mine", frozenset({R.GROUP_ORGANISER})),
    (WORK, "Wellbeing", "outcomes.index", frozenset({R.COORDINATOR, R.CHAMPION})),
    (WORK, "Partners", "partners.list_partners", frozenset({R.CHAMPION, R.COLLECTIVE_MEMBER, R.PARTNER_CONTACT})),
    (PLATFORM, "Partners", "partners.list_partners", frozenset({R.COORDINATOR})),
    (PLATFORM, "Votes", "polls.index", frozenset({R.COORDINATOR})),
    (PLATFORM, "Renewals", "partners.agreements_due", frozenset({R.COORDINATOR})),
    (PLATFORM, "Impact reports", "impact.index", frozenset({R.COORDINATOR})),
    (PLATFORM, "People", "accounts.list_accounts", frozenset({R.COORDINATOR})),
    (PLATFORM, "Audit trail", "audit.list_events", frozenset({R.COORDINATOR})),
]


def _audience(user) -> set:
    return {SIGNED_IN, *user.roles} if user.is_authenticated else {VISITOR}


def navigation_for(user) -> list[NavSection]:
    """This person's menu, by section, leaving out empty sections."""
    audience = _audience(user)
    sections = [
        NavSection(
            section,
            [
                NavItem(label, endpoint)
                for where, label, endpoint, roles in NAVIGATION
                if where == section and roles & audience
            ],
        )
        for section in SECTIONS
    ]
    return [section for section in sections if section.items]


def register_context(app: Flask) -> None:
    @app.context_processor
    def inject():
        return {
            "service_name": app.config["SERVICE_NAME"],
            "navigation_for": navigation_for,
            "postcode_data_year": app.config["POSTCODE_DATA_YEAR"] or london_today().year,
        }


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
        if (
            endpoint == "static"
            and "filename" in values
            and "v" not in values
            and app.static_folder
            and (version := static_version(app.static_folder, values["filename"], cache))
        ):
            values["v"] = version
