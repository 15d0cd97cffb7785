"""The group itself: starting it, its details, who supports it, its bank account and safeguarding
policy, closing it. Every change is audited; changes that may move its stage go through the
lifecycle's `moving`."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, or_, select

from ..accounts.models import User
from ..audit.services import record_event
from ..core.data.models import Locality
from ..core.data.unit_of_work import Conflict, refused_as, unit_of_work
from ..core.values.roles import Role
from ..core.values.timeutils import london_today
from ..errors import PermissionDenied, RuleViolation
from ..extensions import db
from .access import is_supporting_champion, require_can_start_groups, require_coordinator, require_edit
from .constitution.rules import default_choices
from .constitution.services import current_version
from .lifecycle import moving
from .models import BANK_STATUSES, ConstitutionDraft, Group, GroupChampion, GroupHelpOffer, GroupPerson


@dataclass(frozen=True)
class GroupDetails:
    name: str
    aims: str
    activity: str
    locality_id: int
    meeting_place: str
    meeting_place_private: bool


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
    return {"name": group.name, "locality_id": group.locality_id, "meeting_place_private": group.meeting_place_private}


def create_group(*, actor: User, details: GroupDetails) -> Group:
    """Start a forming group; the champion who starts it supports it. Raises PermissionDenied, RuleViolation."""
    with unit_of_work():
        require_can_start_groups(actor)
        locality = _locality(details.locality_id)
        group = Group(created_by_id=actor.id, **details.__dict__)
        db.session.add(group)
        db.session.flush()
        choices = default_choices(name=group.name, aims=group.aims, locality_name=locality.name)
        db.session.add(ConstitutionDraft(group_id=group.id, answered=[], **choices.as_dict()))
        record_event(
            actor=actor,
            action="group.created",
            object_type="group",
            object_id=group.id,
            summary=f"Started the group {group.name}",
            after=_snapshot(group),
        )
    return group


def update_group(*, actor: User, group: Group, details: GroupDetails) -> Group:
    """Change the group's details. Raises PermissionDenied, RuleViolation."""
    with unit_of_work():
        require_edit(actor, group)
        _locality(details.locality_id)
        before = _snapshot(group)
        for key, value in details.__dict__.items():
            setattr(group, key, value)
        record_event(
            actor=actor,
            action="group.updated",
            object_type="group",
            object_id=group.id,
            summary=f"Changed the details of {group.name}",
            before=before,
            after=_snapshot(group),
        )
    return group


def assign_champion(*, actor: User, group: Group, user_id: int) -> None:
    """Coordinators assign a champion to support a group. Raises PermissionDenied, RuleViolation."""
    with unit_of_work():
        require_coordinator(actor)
        champion = db.session.get(User, user_id)
        if champion is None or not champion.active or not champion.has_role(Role.CHAMPION):
            raise RuleViolation("Choose an active champion.", field="user_id")
        with refused_as(Conflict(f"{champion.name} already supports this group.", field="user_id")):
            group.champions.append(GroupChampion(user_id=champion.id))
        db.session.execute(
            delete(GroupHelpOffer).where(GroupHelpOffer.group_id == group.id, GroupHelpOffer.user_id == champion.id)
        )
        record_event(
            actor=actor,
            action="group.champion_assigned",
            object_type="group",
            object_id=group.id,
            summary=f"{champion.name} now supports {group.name}",
            after={"champion_id": champion.id},
        )


def offer_help(*, actor: User, group: Group) -> None:
    """A champion says "I'd like to help" a group; a coordinator confirms it by assigning them
    (assign_champion), so who supports a group stays a coordinator's decision.
    Raises PermissionDenied, RuleViolation."""
    with unit_of_work():
        if not actor.has_role(Role.CHAMPION) or group.closed_on is not None:
            raise PermissionDenied()
        if is_supporting_champion(actor, group):
            raise RuleViolation("You already support this group.")
        with refused_as(Conflict("You have already offered to help this group. A coordinator will confirm it.")):
            db.session.add(GroupHelpOffer(group_id=group.id, user_id=actor.id))
        record_event(
            actor=actor,
            action="group.help_offered",
            object_type="group",
            object_id=group.id,
            summary=f"{actor.name} offered to help {group.name}",
            after={"champion_id": actor.id},
        )


def champion_choices(group: Group) -> list[User]:
    """Active champions not yet supporting the group."""
    assigned = {row.user_id for row in group.champions}
    champions = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name))
    return [user for user in champions if user.has_role(Role.CHAMPION) and user.id not in assigned]


def close_group(*, actor: User, group: Group, reason: str) -> None:
    """Coordinators record that a group has closed (from today). Raises PermissionDenied, RuleViolation."""
    with unit_of_work():
        require_coordinator(actor)
        if group.closed_on:
            raise RuleViolation("This group is already closed.")
        with moving("close", actor=actor, group=group):
            group.closed_on, group.closed_reason = london_today(), reason
            record_event(
                actor=actor,
                action="group.closed",
                object_type="group",
                object_id=group.id,
                summary=f"Closed {group.name}: {reason}",
                after={"closed_on": group.closed_on.isoformat()},
            )


def _check_open_account(group: Group, account_name: str | None, last4: str | None) -> None:
    if not account_name:
        raise RuleViolation("Enter the name on the account, exactly as the bank shows it.", field="account_name")
    version = current_version(group)
    if version is not None and account_name != version.name:
        raise RuleViolation(
            f"The account name must be exactly the constitution's name, \u201c{version.name}\u201d "
            "(the same spelling, spaces and capitals). Ask the bank to correct it.",
            field="account_name",
        )
    if not last4 or len(last4) != 4 or not last4.isascii() or not last4.isdigit():
        raise RuleViolation("Enter the last 4 digits of the account number, like 4821.", field="last4")


def set_bank_account(*, actor: User, group: Group, status: str, account_name: str | None, last4: str | None) -> None:
    """Record the bank account's progress. An open account needs the constitution's name exactly and
    the last four digits of its number (the full number is never stored). Raises PermissionDenied,
    RuleViolation."""
    with unit_of_work():
        require_edit(actor, group)
        if status not in BANK_STATUSES:
            raise RuleViolation("Choose how far the bank account has got.", field="status")
        if status == "open":
            _check_open_account(group, account_name, last4)
        with moving("record_bank_account", actor=actor, group=group):
            before = {"status": group.bank_status, "name": group.bank_account_name, "last4": group.bank_account_last4}
            group.bank_status = status
            group.bank_account_name = account_name if status == "open" else None
            group.bank_account_last4 = last4 if status == "open" else None
            record_event(
                actor=actor,
                action="group.bank_changed",
                object_type="group",
                object_id=group.id,
                summary=f"{group.name}: bank account {status.replace('_', ' ')}",
                before=before,
                after={"status": status, "name": group.bank_account_name, "last4": group.bank_account_last4},
            )


def record_safeguarding_policy(*, actor: User, group: Group, adopted_on: date) -> None:
    """Record the date the safeguarding policy was adopted or last reviewed (not in the future).
    Raises PermissionDenied, RuleViolation."""
    with unit_of_work():
        require_edit(actor, group)
        if adopted_on > london_today():
            raise RuleViolation("The date cannot be in the future.", field="adopted_on")
        with moving("record_safeguarding", actor=actor, group=group):
            before = {"policy_on": group.safeguarding_policy_on.isoformat() if group.safeguarding_policy_on else None}
            group.safeguarding_policy_on = adopted_on
            record_event(
                actor=actor,
                action="group.safeguarding_recorded",
                object_type="group",
                object_id=group.id,
                summary=f"{group.name}: safeguarding policy adopted or reviewed on {adopted_on:%d %B %Y}",
                before=before,
                after={"policy_on": adopted_on.isoformat()},
            )
