"""The roles a user can hold; a user can hold several."""
from enum import StrEnum


class Role(StrEnum):
    COORDINATOR = "coordinator"
    COLLECTIVE_MEMBER = "collective_member"
    CHAMPION = "champion"
    PARTNER_CONTACT = "partner_contact"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.COORDINATOR: "Coordinator",
    Role.COLLECTIVE_MEMBER: "Collective member",
    Role.CHAMPION: "Champion",
    Role.PARTNER_CONTACT: "Partner contact",
}
