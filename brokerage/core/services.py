"""What each person's starting page offers, by role."""
from dataclasses import dataclass

from flask import url_for

from ..accounts.roles import Role


@dataclass(frozen=True)
class Link:
    label: str
    endpoint: str
    description: str

    @property
    def url(self) -> str:
        return url_for(self.endpoint)


@dataclass(frozen=True)
class Section:
    title: str
    links: list[Link]


# Features add their entries here as they arrive; a role with nothing to do yet sees only "Your account".
ROLE_SECTIONS: dict[Role, Section] = {
    Role.COORDINATOR: Section("Running Creative Minds", [
        Link("People and accounts", "accounts.list_accounts", "Invite people, change roles, deactivate accounts."),
        Link("Audit trail", "audit.list_events", "Every change to accounts, money, votes and constitutions."),
    ]),
}


def dashboard_sections(user) -> list[Section]:
    sections = [ROLE_SECTIONS[role] for role in Role if role in user.roles and role in ROLE_SECTIONS]
    sections.append(Section("Your account", [
        Link("Your details", "accounts.my_account", "Your name, email address and roles."),
        Link("Change your password", "accounts.change_password", "Signs you out everywhere else."),
    ]))
    return sections
