"""Membership rules: joining (request, then a chair or coordinator decides), roles, leaving.
Each action commits once, through the unit of work.

A person's constituency is seen only by coordinators and by that person.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from ...accounts.models import User, UserRole
from ...audit.services import record_event
from ...core.data.models import Locality
from ...core.data.unit_of_work import Conflict, refused_as, unit_of_work
from ...core.values.roles import Role
from ...core.values.timeutils import london_today
from ...errors import NotFound, PermissionDenied, RuleViolation
from ...extensions import db
from ..models import Collective, Constituency, JoinRequest, MemberRole, Membership, RequestStatus
from .access import can_set_roles, sees_constituency

ALREADY_ASKED = Conflict("You have already asked to join. A chair or coordinator will reply soon.")


@dataclass(frozen=True)
class MemberRow:
    """One line of a collective's member list, as the viewer may see it."""

    membership_id: int
    name: str
    role: MemberRole
    active_from: date
    constituency: Constituency | None  # None when the viewer may not see it
    is_viewer: bool


def list_collectives() -> list[Collective]:
    return list(db.session.scalars(select(Collective).join(Locality).order_by(Locality.name)))


def get_collective(slug: str) -> Collective:
    collective = db.session.scalar(select(Collective).join(Locality).where(Locality.slug == slug))
    if collective is None:
        raise NotFound()
    return collective


def _open_memberships(collective: Collective, day: date):
    return select(Membership).where(Membership.collective_id == collective.id, Membership.active_on(day))


def active_members(*, collective: Collective, day: date) -> list[Membership]:
    query = _open_memberships(collective, day).join(User, User.id == Membership.user_id).order_by(User.name)
    return list(db.session.scalars(query))


def membership_of(*, user: User, collective: Collective, day: date) -> Membership | None:
    return db.session.scalar(_open_memberships(collective, day).where(Membership.user_id == user.id))


def memberships_for(*, user: User, day: date) -> list[Membership]:
    return list(db.session.scalars(select(Membership).where(Membership.user_id == user.id, Membership.active_on(day))))


def can_manage(*, user: User, collective: Collective, day: date) -> bool:
    """Coordinators, and the active chairs of this collective, decide join requests."""
    if user.is_coordinator:
        return True
    membership = membership_of(user=user, collective=collective, day=day)
    return membership is not None and membership.is_chair


def may_decide_request(*, user: User, join_request: JoinRequest, day: date) -> bool:
    """Whoever manages the collective decides its join requests, but never their own: a coordinator
    or chair asking to join is decided by someone else."""
    return join_request.user_id != user.id and can_manage(user=user, collective=join_request.collective, day=day)


def member_rows(*, viewer: User, collective: Collective, day: date) -> list[MemberRow]:
    """The active members; constituency only for coordinators and for the viewer's own row."""
    return [
        MemberRow(
            membership_id=m.id,
            name=m.user.name,
            role=MemberRole(m.role),
            active_from=m.active_from,
            constituency=Constituency(m.constituency) if sees_constituency(viewer, m.user_id) else None,
            is_viewer=m.user_id == viewer.id,
        )
        for m in active_members(collective=collective, day=day)
    ]


def _grant_member_role(*, actor: User | None, user: User) -> None:
    if user.has_role(Role.COLLECTIVE_MEMBER):
        return
    user.role_rows.append(UserRole(role=Role.COLLECTIVE_MEMBER.value))
    db.session.flush()
    record_event(
        actor=actor,
        action="account.roles_changed",
        object_type="user",
        object_id=user.id,
        summary=f"{user.name} became a collective member",
        after={"roles": sorted(user.roles)},
    )


def _add_membership(
    *,
    actor: User | None,
    collective: Collective,
    user: User,
    constituency: Constituency,
    role: MemberRole,
    active_from: date,
) -> Membership:
    if membership_of(user=user, collective=collective, day=active_from):
        raise RuleViolation(f"{user.name} is already a member of {collective.name}.")
    membership = Membership(
        collective_id=collective.id,
        user_id=user.id,
        constituency=constituency.value,
        role=role.value,
        active_from=active_from,
    )
    with refused_as(Conflict(f"{user.name} is already a member of {collective.name}.")):
        db.session.add(membership)
    _grant_member_role(actor=actor, user=user)
    record_event(
        actor=actor,
        action="collective.member_added",
        object_type="collective",
        object_id=collective.id,
        summary=f"{user.name} joined {collective.name}",
        after={
            "membership_id": membership.id,
            "user_id": user.id,
            "role": role.value,
            "active_from": active_from.isoformat(),
        },
    )
    return membership


def add_member(
    *,
    actor: User | None,
    collective: Collective,
    user: User,
    constituency: Constituency,
    role: MemberRole = MemberRole.MEMBER,
    active_from: date,
) -> Membership:
    """A coordinator adds someone directly (e.g. after a meeting); `actor=None` is the demo
    loader. PermissionDenied for anyone else; RuleViolation if they are already a member."""
    with unit_of_work():
        if actor is not None and not actor.is_coordinator:
            raise PermissionDenied()
        membership = _add_membership(
            actor=actor, collective=collective, user=user, constituency=constituency, role=role, active_from=active_from
        )
    return membership


def request_to_join(
    *, actor: User, collective: Collective, constituency: Constituency, message: str, now: datetime
) -> JoinRequest:
    """Anyone signed in may ask to join. RuleViolation if they are already a member or
    already have a request waiting."""
    with unit_of_work(conflict=ALREADY_ASKED):
        if membership_of(user=actor, collective=collective, day=london_today(now)):
            raise RuleViolation(f"You are already a member of {collective.name}.")
        join = JoinRequest(
            collective_id=collective.id,
            user_id=actor.id,
            constituency=constituency.value,
            message=message.strip()[:1000],
            created_at=now,
        )
        db.session.add(join)
        db.session.flush()
        record_event(
            actor=actor,
            action="collective.join_requested",
            object_type="collective",
            object_id=collective.id,
            summary=f"{actor.name} asked to join {collective.name}",
            after={"join_request_id": join.id},
        )
    return join


def get_join_request(*, collective: Collective, request_id: int) -> JoinRequest:
    join = db.session.get(JoinRequest, request_id)
    if join is None or join.collective_id != collective.id:
        raise NotFound()
    return join


def pending_requests(*, viewer: User, collective: Collective, day: date) -> list[JoinRequest]:
    """Waiting requests; only for those who may decide them (PermissionDenied otherwise)."""
    if not can_manage(user=viewer, collective=collective, day=day):
        raise PermissionDenied()
    return list(
        db.session.scalars(
            select(JoinRequest)
            .where(JoinRequest.collective_id == collective.id, JoinRequest.status == RequestStatus.PENDING)
            .order_by(JoinRequest.created_at)
        )
    )


def pending_request_of(*, user: User, collective: Collective) -> JoinRequest | None:
    return db.session.scalar(
        select(JoinRequest).where(
            JoinRequest.collective_id == collective.id,
            JoinRequest.user_id == user.id,
            JoinRequest.status == RequestStatus.PENDING,
        )
    )


def pending_requests_of(*, user: User) -> list[JoinRequest]:
    return list(
        db.session.scalars(
            select(JoinRequest)
            .where(JoinRequest.user_id == user.id, JoinRequest.status == RequestStatus.PENDING)
            .order_by(JoinRequest.created_at)
        )
    )


def decide_join_request(*, actor: User, join_request: JoinRequest, approve: bool, now: datetime) -> None:
    """A chair of that collective or a coordinator approves (membership starts today) or
    declines. PermissionDenied for anyone else, including for their own request;
    RuleViolation if the request was already decided."""
    with unit_of_work():
        collective = join_request.collective
        if not may_decide_request(user=actor, join_request=join_request, day=london_today(now)):
            raise PermissionDenied()
        if join_request.status != RequestStatus.PENDING:
            raise RuleViolation("This request has already been decided.")
        join_request.status = (RequestStatus.APPROVED if approve else RequestStatus.DECLINED).value
        join_request.decided_at, join_request.decided_by_id = now, actor.id
        if approve:
            _add_membership(
                actor=actor,
                collective=collective,
                user=join_request.user,
                constituency=Constituency(join_request.constituency),
                role=MemberRole.MEMBER,
                active_from=london_today(now),
            )
        record_event(
            actor=actor,
            action=f"collective.join_{join_request.status}",
            object_type="collective",
            object_id=collective.id,
            summary=f"Request from {join_request.user.name} to join {collective.name} {join_request.status}",
            after={"join_request_id": join_request.id},
        )


def get_membership(*, collective: Collective, membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.collective_id != collective.id:
        raise NotFound()
    return membership


def set_member_role(*, actor: User, membership: Membership, role: MemberRole) -> None:
    """Coordinators make a member a chair, or a chair a member. PermissionDenied otherwise."""
    with unit_of_work():
        if not can_set_roles(actor):
            raise PermissionDenied()
        before = membership.role
        membership.role = role.value
        record_event(
            actor=actor,
            action="collective.member_role_changed",
            object_type="collective",
            object_id=membership.collective_id,
            summary=f"{membership.user.name} is now {role.label.lower()} of {membership.collective.name}",
            before={"membership_id": membership.id, "role": before},
            after={"membership_id": membership.id, "role": role.value},
        )


def check_can_end(*, actor: User, membership: Membership, day: date) -> None:
    """The member themself, a chair of that collective or a coordinator; PermissionDenied otherwise."""
    if actor.id != membership.user_id and not can_manage(user=actor, collective=membership.collective, day=day):
        raise PermissionDenied()


def end_membership(*, actor: User, membership: Membership, ended_on: date) -> None:
    """End a membership on `ended_on` (no longer a member from that day): the member
    themself, a chair of that collective or a coordinator (PermissionDenied otherwise).
    RuleViolation if it has ended already or the date is before it began."""
    with unit_of_work():
        check_can_end(actor=actor, membership=membership, day=ended_on)
        if membership.active_to is not None:
            raise RuleViolation("This membership has already ended.")
        if ended_on < membership.active_from:
            raise RuleViolation("A membership cannot end before it began.")
        membership.active_to = ended_on
        record_event(
            actor=actor,
            action="collective.member_left",
            object_type="collective",
            object_id=membership.collective_id,
            summary=f"{membership.user.name} left {membership.collective.name}",
            after={"membership_id": membership.id, "active_to": ended_on.isoformat()},
        )


def ensure_collectives() -> int:
    """One collective per locality (reference data); returns how many were created."""
    with unit_of_work():
        existing = set(db.session.scalars(select(Collective.locality_id)))
        added = 0
        for locality in db.session.scalars(select(Locality).order_by(Locality.name)):
            if locality.id in existing:
                continue
            collective = Collective(locality_id=locality.id, name=f"{locality.name} collective")
            db.session.add(collective)
            db.session.flush()
            record_event(
                actor=None,
                action="collective.created",
                object_type="collective",
                object_id=collective.id,
                summary=f"{collective.name} created",
            )
            added += 1
    return added
