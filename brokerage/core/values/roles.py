"""The roles a user can hold; a user can hold several."""

from enum import StrEnum


class Role(StrEnum):
    COORDINATOR = "coordinator"
    COLLECTIVE_MEMBER = "collective_member"
    CHAMPION = "champion"
    PARTNER_CONTACT = "partner_contact"
    GROUP_ORGANISER = "group_organiser"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.COORDINATOR: "Coordinator",
    Role.COLLECTIVE_MEMBER: "Collective member",
    Role.CHAMPION: "Champion",
    Role.PARTNER_CONTACT: "Partner contact",
    Role.GROUP_ORGANISER: "Group organiser",
}

# Roles whose accounts reach only their own records: a group organiser sees the peer-led groups whose
# person record is linked to the account, and nothing of collectives, partners or other groups.
SCOPED_ROLES = frozenset({Role.GROUP_ORGANISER})


def is_scoped(user) -> bool:
    """An account holding scoped roles only (a champion who also runs a group is not confined)."""
    return bool(user.roles) and user.roles <= SCOPED_ROLES
