"""Who may list and edit activities. A partner's activities follow the partner rules
(partners.access.can_edit_partner: coordinators, champions linked to the partner, the
partner's own contacts); a peer-led group's follow the group rules (groups.access.can_edit:
coordinators, supporting champions, the chair, secretary and treasurer)."""

from dataclasses import dataclass

from sqlalchemy import select

from ...accounts.models import User
from ...errors import PermissionDenied
from ...extensions import db
from ...groups import access as group_access
from ...groups.models import Group
from ...partners.access import can_edit_partner, partner_ids_for_champion, partner_ids_for_contact
from ...partners.models import Partner
from .models import Activity


@dataclass(frozen=True)
class Provider:
    """Who runs an activity: a partner or a peer-led group. `key` is 'partner-3' or 'group-2'."""

    kind: str
    id: int
    name: str

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.id}"


def _partners_for(user: User) -> list[Partner]:
    query = select(Partner).where(Partner.archived_at.is_(None)).order_by(Partner.name)
    if not user.is_coordinator:
        query = query.where(Partner.id.in_(partner_ids_for_champion(user) | partner_ids_for_contact(user)))
    return list(db.session.scalars(query))


def _groups_for(user: User) -> list[Group]:
    groups = db.session.scalars(select(Group).where(Group.closed_on.is_(None)).order_by(Group.name))
    return [group for group in groups if group_access.can_edit(user, group)]


def editable_providers(user: User) -> list[Provider]:
    """The partners and groups this user may list activities for (empty for most people)."""
    if not user.is_authenticated:
        return []
    return [Provider("partner", partner.id, partner.name) for partner in _partners_for(user)] + [
        Provider("group", group.id, group.name) for group in _groups_for(user)
    ]


def can_edit_activity(user: User, activity: Activity) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if activity.partner is not None:
        return can_edit_partner(user, activity.partner)
    return group_access.can_edit(user, activity.group)


def require_edit(user: User, activity: Activity) -> None:
    if not can_edit_activity(user, activity):
        raise PermissionDenied()


def require_provider(user: User, key: str) -> Provider:
    """The provider the user chose, if they may list activities for it; PermissionDenied otherwise."""
    for provider in editable_providers(user):
        if provider.key == key:
            return provider
    raise PermissionDenied()
