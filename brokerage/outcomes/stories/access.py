"""Who may add, edit and withdraw a project's stories: coordinators for every project; for a
partner's project, the champions linked to that partner and the partner's own contacts; for a
peer-led group's project, the group's supporting champions (not its officers, who take part in it)."""

from ...accounts.models import User
from ...directory.listings.models import Activity
from ...errors import PermissionDenied
from ...groups.access import is_supporting_champion
from ...partners.access import partner_ids_for_champion, partner_ids_for_contact


def can_manage_stories(user: User | None, activity: Activity) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_coordinator:
        return True
    if activity.partner_id is not None:
        return activity.partner_id in partner_ids_for_champion(user) | partner_ids_for_contact(user)
    return is_supporting_champion(user, activity.group)


def require_manage_stories(user: User | None, activity: Activity) -> None:
    if not can_manage_stories(user, activity):
        raise PermissionDenied()
