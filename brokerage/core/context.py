"""Values every template needs: the service name and the navigation for this person."""
from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_login import current_user

from ..accounts.roles import Role


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


# (label, endpoint, roles that see it; empty = everyone signed in). Features add theirs here.
NAVIGATION: list[tuple[str, str, frozenset[Role]]] = [
    ("Your work", "core.dashboard", frozenset()),
    ("People", "accounts.list_accounts", frozenset({Role.COORDINATOR})),
    ("Audit trail", "audit.list_events", frozenset({Role.COORDINATOR})),
]


def navigation_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [NavItem(label, endpoint) for label, endpoint, roles in NAVIGATION
            if not roles or user.has_any_role(roles)]


def register_context(app: Flask) -> None:
    @app.context_processor
    def inject():
        return {"service_name": app.config["SERVICE_NAME"], "navigation_for": navigation_for}
