"""Who may see and change a group.

- See the group's pages: coordinators; champions who created the group or are assigned to it;
  the group's own members who have an account.
- Change the group (details, people, roles, constitution, meetings, bank, safeguarding):
  coordinators, its supporting champions, and its chair, secretary or treasurer (with an account).
- Assign champions and close a group: coordinators only. A closed group's records are kept as
  they were: nobody can change them.
- Start a new group: coordinators and champions.
"""
from sqlalchemy import exists, select

from ..accounts.models import User
from ..core.roles import Role
from ..errors import PermissionDenied
from ..extensions import db
from .models import Group, GroupChampion, GroupOfficer, GroupPerson

EDITING_OFFICES = ("chair", "secretary", "treasurer")


def is_supporting_champion(user: User, group: Group) -> bool:
    if not user.has_role(Role.CHAMPION):
        return False
    if group.created_by_id == user.id:
        return True
    return bool(db.session.scalar(select(exists().where(
        GroupChampion.group_id == group.id, GroupChampion.user_id == user.id))))


def is_member(user: User, group: Group) -> bool:
    return bool(db.session.scalar(select(exists().where(
        GroupPerson.group_id == group.id, GroupPerson.user_id == user.id))))


def is_editing_officer(user: User, group: Group) -> bool:
    return bool(db.session.scalar(select(exists().where(
        GroupOfficer.group_id == group.id, GroupOfficer.office.in_(EDITING_OFFICES),
        GroupOfficer.person_id == GroupPerson.id, GroupPerson.user_id == user.id))))


def can_view(user: User | None, group: Group) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_coordinator or is_supporting_champion(user, group) or is_member(user, group)


def can_edit(user: User | None, group: Group) -> bool:
    if user is None or not user.is_authenticated or group.closed_on is not None:
        return False
    return user.is_coordinator or is_supporting_champion(user, group) or is_editing_officer(user, group)


def require_view(user: User | None, group: Group) -> None:
    if not can_view(user, group):
        raise PermissionDenied()


def require_edit(user: User | None, group: Group) -> None:
    if not can_edit(user, group):
        raise PermissionDenied()


def require_coordinator(user: User | None) -> None:
    if user is None or not user.is_coordinator:
        raise PermissionDenied()


def require_can_start_groups(user: User | None) -> None:
    if user is None or not user.has_any_role({Role.COORDINATOR, Role.CHAMPION}):
        raise PermissionDenied()
