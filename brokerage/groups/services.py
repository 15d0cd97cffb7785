"""Group rules: starting a group, its details, who supports it, closing it. Every change is audited."""
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..core.roles import Role
from ..audit.services import record_event
from ..core.models import Locality
from ..core.timeutils import london_today
from ..errors import NotFound, RuleViolation
from ..extensions import db
from .access import require_can_start_groups, require_coordinator, require_edit, require_view
from .constitution import default_choices
from .models import ConstitutionDraft, Group, GroupChampion, GroupPerson
from .status import note_stage_change, stage_of


@dataclass(frozen=True)
class GroupDetails:
    name: str
    aims: str
    activity: str
    locality_id: int
    meeting_place: str
    meeting_place_private: bool


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


def list_groups(*, actor: User) -> list[Group]:
    """Coordinators see every group; champions the groups they support; anyone the groups they belong to."""
    query = select(Group).order_by(Group.name)
    if not actor.is_coordinator:
        supported = Group.champions.any(GroupChampion.user_id == actor.id)
        if actor.has_role(Role.CHAMPION):
            supported = or_(supported, Group.created_by_id == actor.id)
        else:
            supported = Group.id.is_(None)
        query = query.where(or_(supported, Group.people.any(GroupPerson.user_id == actor.id)))
    return list(db.session.scalars(query))


def public_meeting_place(group: Group) -> str:
    """What may be shown to anyone: a private address is replaced by the locality."""
    if group.meeting_place_private:
        return f"A private address in {group.locality.name} (members are told where)"
    return group.meeting_place


def _locality(locality_id: int) -> Locality:
    locality = db.session.get(Locality, locality_id)
    if locality is None:
        raise RuleViolation("Choose one of the four localities.", field="locality_id")
    return locality


def _snapshot(group: Group) -> dict:
    return {"name": group.name, "locality_id": group.locality_id,
            "meeting_place_private": group.meeting_place_private}


def create_group(*, actor: User, details: GroupDetails) -> Group:
    """Start a forming group; the champion who starts it supports it. Raises PermissionDenied, RuleViolation."""
    require_can_start_groups(actor)
    locality = _locality(details.locality_id)
    group = Group(created_by_id=actor.id, **details.__dict__)
    db.session.add(group)
    db.session.flush()
    choices = default_choices(name=group.name, aims=group.aims, locality_name=locality.name)
    db.session.add(ConstitutionDraft(group_id=group.id, answered=[], **choices.as_dict()))
    record_event(actor=actor, action="group.created", object_type="group", object_id=group.id,
                 summary=f"Started the group {group.name}", after=_snapshot(group))
    db.session.commit()
    return group


def update_group(*, actor: User, group: Group, details: GroupDetails) -> Group:
    """Change the group's details. Raises PermissionDenied, RuleViolation."""
    require_edit(actor, group)
    _locality(details.locality_id)
    before = _snapshot(group)
    for key, value in details.__dict__.items():
        setattr(group, key, value)
    record_event(actor=actor, action="group.updated", object_type="group", object_id=group.id,
                 summary=f"Changed the details of {group.name}", before=before, after=_snapshot(group))
    db.session.commit()
    return group


def assign_champion(*, actor: User, group: Group, user_id: int) -> None:
    """Coordinators assign a champion to support a group. Raises PermissionDenied, RuleViolation."""
    require_coordinator(actor)
    champion = db.session.get(User, user_id)
    if champion is None or not champion.active or not champion.has_role(Role.CHAMPION):
        raise RuleViolation("Choose an active champion.", field="user_id")
    group.champions.append(GroupChampion(user_id=champion.id))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise RuleViolation(f"{champion.name} already supports this group.", field="user_id") from None
    record_event(actor=actor, action="group.champion_assigned", object_type="group", object_id=group.id,
                 summary=f"{champion.name} now supports {group.name}", after={"champion_id": champion.id})
    db.session.commit()


def champion_choices(group: Group) -> list[User]:
    """Active champions not yet supporting the group."""
    assigned = {row.user_id for row in group.champions}
    champions = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name))
    return [user for user in champions if user.has_role(Role.CHAMPION) and user.id not in assigned]


def close_group(*, actor: User, group: Group, reason: str) -> None:
    """Coordinators record that a group has closed (from today). Raises PermissionDenied, RuleViolation."""
    require_coordinator(actor)
    if group.closed_on:
        raise RuleViolation("This group is already closed.")
    before = stage_of(group)
    group.closed_on, group.closed_reason = london_today(), reason
    record_event(actor=actor, action="group.closed", object_type="group", object_id=group.id,
                 summary=f"Closed {group.name}: {reason}", after={"closed_on": group.closed_on.isoformat()})
    note_stage_change(actor=actor, group=group, before=before)
    db.session.commit()
