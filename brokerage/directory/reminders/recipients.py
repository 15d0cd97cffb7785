"""Who hears about an activity: the people who run it. A partner's activity: the partner's
contacts (and, for checks, its champions); a group's: its officers with accounts (and, for
checks, its supporting champions)."""

from ...groups.reminders import officers, supporting_champions
from ...notifications.services import Recipient
from ...partners.recipients import partner_champions, partner_contacts, unique
from ..listings.models import Activity


def providers(activity: Activity) -> list[Recipient]:
    """The people who run the activity: the partner's contacts, or the group's officers."""
    if activity.partner is not None:
        return partner_contacts(activity.partner)
    return officers(activity.group)


def keepers(activity: Activity) -> list[Recipient]:
    """The people who keep the listing up to date: the providers and their champions."""
    if activity.partner is not None:
        return unique(partner_champions(activity.partner), partner_contacts(activity.partner))
    return unique(supporting_champions(activity.group), officers(activity.group))
