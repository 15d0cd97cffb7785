"""What each person's starting page offers, by role."""

from dataclasses import dataclass

from flask import url_for

from ..values.roles import Role
from .panels import Panel, Panels, RenderedPanel


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
    Role.COORDINATOR: Section(
        "Running Creative Minds",
        [
            Link("People and accounts", "accounts.list_accounts", "Invite people, change roles, deactivate accounts."),
            Link(
                "Emails",
                "notifications.outbox",
                "Every email written, by state: send failed ones again; people without an address.",
            ),
            Link("Audit trail", "audit.list_events", "Every change to accounts, money, votes and constitutions."),
            Link(
                "Collectives and funds",
                "collectives.index",
                "Allocate each locality's money, welcome new members and appoint chairs.",
            ),
            Link(
                "Bids to screen",
                "bids.screening",
                "Submitted bids by locality: screen them, return them for changes or make them ready for a vote.",
            ),
            Link("Votes", "polls.index", "Open votes with their closing times, and the latest decisions."),
            Link(
                "Reports",
                "reports.index",
                "Each locality's money, bids, days to a decision and match leverage by financial year, with CSV.",
            ),
            Link(
                "Agreements to renew",
                "partners.agreements_due",
                "Partners whose agreement, insurance or safeguarding review is due within 60 days or has lapsed.",
            ),
            Link("Partners", "partners.list_partners", "Register, search and export community partners."),
            Link(
                "Applications to become a partner",
                "partner_applications.queue",
                "Organisations that applied on the public page: accept or decline each, with a reason.",
            ),
            Link(
                "Mental-health-friendly mark",
                "marks.schemes",
                "Each area's scheme and criteria, applications to assess, and awards and certificates expiring soon.",
            ),
            Link("Champions", "champions.list_champions", "Champions' localities and interests, and their partners."),
            Link(
                "Peer-led groups",
                "groups.list_groups",
                "Every group's stage and readiness; assign champions to support them.",
            ),
            Link(
                "Groups needing attention",
                "groups.attention",
                "Groups with an AGM overdue or due soon, hosting expiring, or readiness to finish, soonest first.",
            ),
            Link("Activities", "listings.manage", "Every listed activity, with the ones due a check flagged."),
            Link(
                "Wellbeing measures",
                "outcomes.index",
                "Record participants' wellbeing (SWEMWBS) for each project and see the change.",
            ),
            Link(
                "Impact reports",
                "impact.index",
                "Wellbeing change, bids and money, and stories by project, partner, locality and year; print or CSV.",
            ),
        ],
    ),
    Role.COLLECTIVE_MEMBER: Section(
        "Your collective",
        [
            Link(
                "Your collectives",
                "collectives.yours",
                "Votes waiting for you, your memberships and your register of interests.",
            ),
            Link("Collectives", "collectives.index", "Members, requests to join, and the money each collective holds."),
            Link("Bids", "bids.index", "Bids submitted to your collectives, with the match figures."),
            Link(
                "Calls for bids",
                "calls.index",
                "Gaps your collective asked partners to bid for, and the bids, decisions and money that answered them.",
            ),
        ],
    ),
    Role.CHAMPION: Section(
        "Champion",
        [
            Link("Your champion profile", "champions.my_profile", "Your localities and interests, and your partners."),
            Link("Partners", "partners.list_partners", "Find partners, and register a new one."),
            Link("Calls for bids", "calls.index", "What the collectives are asking partners to bid for."),
            Link(
                "Groups you support",
                "groups.list_groups",
                "Help peer-led groups choose a constitution, record meetings and get ready for a bank account.",
            ),
            Link(
                "Your activities",
                "listings.manage",
                "List your partners' and groups' activities and confirm they are still running.",
            ),
            Link(
                "Wellbeing measures",
                "outcomes.index",
                "Record participants' wellbeing before and after a project, or send them a one-time link.",
            ),
        ],
    ),
    Role.GROUP_ORGANISER: Section(
        "Your group",
        [
            Link(
                "Your group",
                "groups.mine",
                "Your peer-led group's people, constitution, meetings, expenses and the money held for it.",
            ),
        ],
    ),
    Role.PARTNER_CONTACT: Section(
        "Your organisation",
        [
            Link(
                "Your organisation",
                "partners.list_partners",
                "Keep your organisation's details and contacts up to date.",
            ),
            Link("Your bids", "bids.yours", "Draft bids for match funding, add your match funding and submit them."),
            Link(
                "Calls for bids",
                "calls.index",
                "What the collectives are asking partners to bid for: answer one with a bid.",
            ),
            Link("Your activities", "listings.manage", "List your activities and confirm they are still running."),
        ],
    ),
}


# Features add a to-do here (listings to check, agreements due, votes to cast) without core
# importing them: `load(user, user)` returns the panel's values, or None when there is nothing to do.
_TO_DO = Panels()


def register_dashboard_panel(panel: Panel) -> None:
    _TO_DO.register(panel)


def dashboard_panels(user) -> list[RenderedPanel]:
    return _TO_DO.render(user, user)


def dashboard_sections(user) -> list[Section]:
    sections = [ROLE_SECTIONS[role] for role in Role if role in user.roles and role in ROLE_SECTIONS]
    sections.append(
        Section(
            "Your account",
            [
                Link("Your details", "accounts.my_account", "Your name, email address and roles."),
                Link("Change your password", "accounts.change_password", "Signs you out everywhere else."),
            ],
        )
    )
    return sections
