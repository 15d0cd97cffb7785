"""Who may see and change a group.

- See the group's pages: coordinators; champions who created the group or are assigned to it;
  the group's own members who have an account.
- Change the group (details, people, roles, constitution, meetings, bank, safeguarding):
  coordinators, its supporting champions, and its chair, secretary or treasurer (with an account);
  until all three offices are filled, its founding members with an account (a peer-led group is
  set up by its founders: somebody has to answer the constitution's questions and record officers).
- Give the people who run the group accounts (invite them, or link an existing account to their
  record): coordinators and its supporting champions. Such an account (`Role.GROUP_ORGANISER`)
  reaches only the groups whose person record is linked to it.
- Assign champions and close a group: coordinators only. A closed group's records are kept as
  they were: nobody can change them.
- Start a new group: coordinators and champions.
"""

from sqlalchemy import exists, func, select

from ..accounts.models import User
from ..core.values.roles import Role
from ..errors import NotFound, PermissionDenied
from ..extensions import db
from .models import Group, GroupChampion, GroupOfficer, GroupPerson

EDITING_OFFICES = ("chair", "secretary", "treasurer")


def is_supporting_champion(user: User, group: Group) -> bool:
    if not user.has_role(Role.CHAMPION):
        return False
    if group.created_by_id == user.id:
        return True
    return bool(
        db.session.scalar(select(exists().where(GroupChampion.group_id == group.id, GroupChampion.user_id == user.id)))
    )


def is_member(user: User, group: Group) -> bool:
    return bool(
        db.session.scalar(select(exists().where(GroupPerson.group_id == group.id, GroupPerson.user_id == user.id)))
    )


def is_editing_officer(user: User, group: Group) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    GroupOfficer.group_id == group.id,
                    GroupOfficer.office.in_(EDITING_OFFICES),
                    GroupOfficer.person_id == GroupPerson.id,
                    GroupPerson.user_id == user.id,
                )
            )
        )
    )


def is_founder_before_officers(user: User, group: Group) -> bool:
    """A founding member with an account, while the chair, secretary and treasurer are not all filled."""
    filled = (
        db.session.scalar(
            select(func.count())
            .select_from(GroupOfficer)
            .where(GroupOfficer.group_id == group.id, GroupOfficer.office.in_(EDITING_OFFICES))
        )
        or 0
    )
    return filled < len(EDITING_OFFICES) and bool(
        db.session.scalar(
            select(
                exists().where(
                    GroupPerson.group_id == group.id, GroupPerson.user_id == user.id, GroupPerson.founding.is_(True)
                )
            )
        )
    )


def can_view(user: User | None, group: Group) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_coordinator or is_supporting_champion(user, group) or is_member(user, group)


def can_edit(user: User | None, group: Group) -> bool:
    if user is None or not user.is_authenticated or group.closed_on is not None:
        return False
    return (
        user.is_coordinator
        or is_supporting_champion(user, group)
        or is_editing_officer(user, group)
        or is_founder_before_officers(user, group)
    )


def can_give_accounts(user: User | None, group: Group) -> bool:
    """Linking an account gives its holder sight of the group, so only staff-side supporters may."""
    if user is None or not user.is_authenticated or group.closed_on is not None:
        return False
    return user.is_coordinator or is_supporting_champion(user, group)


def require_view(user: User | None, group: Group) -> None:
    if not can_view(user, group):
        raise PermissionDenied()


def require_edit(user: User | None, group: Group) -> None:
    if not can_edit(user, group):
        raise PermissionDenied()


def can_assign_champions_and_close(user: User | None) -> bool:
    return user is not None and user.is_coordinator


def require_coordinator(user: User | None) -> None:
    if not can_assign_champions_and_close(user):
        raise PermissionDenied()


def can_start_groups(user: User | None) -> bool:
    return user is not None and user.has_any_role({Role.COORDINATOR, Role.CHAMPION})


def require_can_start_groups(user: User | None) -> None:
    if not can_start_groups(user):
        raise PermissionDenied()


def get_group(group_id: int) -> Group:
    group = db.session.get(Group, group_id)
    if group is None:
        raise NotFound()
    return group


def group_for_viewing(*, actor: User, group_id: int) -> Group:
    """The group, if `actor` may see it. Raises NotFound, PermissionDenied."""
    group = get_group(group_id)
    require_view(actor, group)
    return group


def group_for_editing(*, actor: User, group_id: int) -> Group:
    """The group, if `actor` may change it. Raises NotFound, PermissionDenied."""
    group = get_group(group_id)
    require_edit(actor, group)
    return group
