"""Managing accounts: creating and inviting people, set-password links, roles, details and
activation (coordinators, and the command line). Every change is audited."""

from collections.abc import Iterable
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from ..core.data.auditing import record_event
from ..core.data.unit_of_work import Conflict, refused_as, unit_of_work
from ..core.values.roles import Role
from ..core.values.tokens import new_token, token_hash
from ..core.web.links import absolute_url
from ..errors import NotFound, PermissionDenied, RuleViolation
from ..extensions import db
from ..notifications.services import Recipient, notify
from . import sessions
from .access import may_deactivate, may_manage_accounts
from .models import Invitation, User, UserRole
from .passwords import check_acceptable, hash_password

EMAIL_TAKEN = Conflict("An account with this email address already exists.", field="email")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _require_manager(actor: User | None) -> None:
    if not may_manage_accounts(actor):
        raise PermissionDenied()


def _set_roles(user: User, roles: Iterable[Role]) -> None:
    wanted = {Role(role) for role in roles}
    user.role_rows[:] = [row for row in user.role_rows if Role(row.role) in wanted]
    for role in wanted - user.roles:
        user.role_rows.append(UserRole(role=role.value))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def list_users(*, role: Role | None = None, include_inactive: bool = True) -> list[User]:
    query = select(User).order_by(func.lower(User.name))
    if role is not None:
        query = query.where(User.role_rows.any(UserRole.role == role.value))
    if not include_inactive:
        query = query.where(User.active.is_(True))
    return list(db.session.scalars(query))


def _add_user(*, actor: User | None, email: str, name: str, roles: Iterable[Role], password: str | None) -> User:
    email = normalise_email(email)
    if find_user_by_email(email):
        raise EMAIL_TAKEN.violation()
    user = User(email=email, name=name.strip())
    _set_roles(user, roles)
    if password is not None:
        check_acceptable(password, email=user.email, name=user.name, field="password")
        user.password_hash = hash_password(password, current_app.config["PASSWORD_HASH_METHOD"])
    with refused_as(EMAIL_TAKEN):  # an account made for the same email at the same moment
        db.session.add(user)
    record_event(
        actor=actor,
        action="account.created",
        object_type="user",
        object_id=user.id,
        summary=f"Account created for {user.name}",
        after={"email": user.email, "roles": sorted(user.roles)},
    )
    return user


def create_user(
    *, actor: User | None, email: str, name: str, roles: Iterable[Role], password: str | None = None
) -> User:
    """Create an account (with a password for command-line use, or none for an invitation).
    Raises RuleViolation when the email is taken or the password is refused."""
    with unit_of_work():
        return _add_user(actor=actor, email=email, name=name, roles=roles, password=password)


def _new_invitation(*, actor: User, user: User, now: datetime) -> str:
    token = new_token()
    db.session.add(
        Invitation(
            token_hash=token_hash(token),
            user_id=user.id,
            created_by_id=actor.id,
            created_at=now,
            expires_at=now + current_app.config["INVITATION_LIFETIME"],
        )
    )
    return token


def set_password_link(token: str) -> str:
    """The absolute link that sets a password with `token` (needs a request, or PUBLIC_URL set)."""
    return absolute_url("accounts.set_password", token=token)


def when(moment: datetime) -> str:
    """A moment as people read it in an email: "15 June 2026 at 13:00 (UK time)" is not ours to
    guess, so the time is given in UTC and says so."""
    return f"{moment.day} {moment:%B %Y} at {moment:%H:%M} UTC"


def _mail_invitation(*, actor: User, user: User, token: str, now: datetime, why: str | None = None) -> None:
    """Write the set-password link to the outbox, in the caller's unit of work (a security message:
    it always goes). The coordinator is shown the same link, for someone who cannot get email."""
    roles = ", ".join(sorted(role.label.lower() for role in user.roles)) or "a member"
    notify(
        kind="invitation",
        occasion=f"set-password:{token_hash(token)[:32]}",
        recipient=Recipient(user.name, user.email, user.id),
        subject="Set your password for Creative Minds brokerage",
        why=why or f"{actor.name}, a Creative Minds coordinator, made an account for you.",
        context={
            "invited_by": actor.name,
            "purpose": f"you will take part as a {roles}",
            "link": set_password_link(token),
            "expires": when(now + current_app.config["INVITATION_LIFETIME"]),
        },
        now=now,
    )


def invite_user(*, actor: User, email: str, name: str, roles: Iterable[Role], now: datetime) -> tuple[User, str]:
    """A coordinator creates an account with no password; the single-use link is emailed to the
    person (outbox) and its token returned to show the coordinator. Raises PermissionDenied for anyone else, RuleViolation for a taken email."""
    _require_manager(actor)
    roles = list(roles)
    if not roles:
        raise RuleViolation("Choose at least one role.", field="roles")
    with unit_of_work():
        return add_invited_account(
            actor=actor,
            email=email,
            name=name,
            roles=roles,
            now=now,
            why=f"{actor.name}, a Creative Minds coordinator, made an account for you.",
        )


def add_invited_account(
    *, actor: User, email: str, name: str, roles: Iterable[Role], now: datetime, why: str
) -> tuple[User, str]:
    """Inside the caller's unit of work, after the caller has checked that `actor` may give this
    account (a champion inviting the people who run a group): the account, with no password, and its
    emailed set-password link's token. Raises RuleViolation for a taken email."""
    user = _add_user(actor=actor, email=email, name=name, roles=roles, password=None)
    token = _new_invitation(actor=actor, user=user, now=now)
    _mail_invitation(actor=actor, user=user, token=token, now=now, why=why)
    record_event(
        actor=actor,
        action="account.invited",
        object_type="user",
        object_id=user.id,
        summary=f"Invitation link issued to {user.name}",
    )
    return user, token


def issue_password_link(*, actor: User, user: User, now: datetime) -> str:
    """A fresh set-password link (for a lost password or an expired invitation), emailed and returned;
    older links stop working."""
    _require_manager(actor)
    if not user.active:
        raise RuleViolation("Reactivate this account before sending a new link.")
    with unit_of_work():
        db.session.execute(
            Invitation.__table__.update()
            .where(Invitation.user_id == user.id, Invitation.used_at.is_(None))
            .values(used_at=now)
        )
        token = _new_invitation(actor=actor, user=user, now=now)
        _mail_invitation(actor=actor, user=user, token=token, now=now)
        record_event(
            actor=actor,
            action="account.password_link_issued",
            object_type="user",
            object_id=user.id,
            summary=f"New set-password link issued to {user.name}",
        )
    return token


def _usable_coordinator_count() -> int:
    """Coordinators who can sign in: active, with a password (someone invited has none until they answer).

    Their rows are locked first, and counted by a second statement: two coordinators removing each
    other's role at the same moment then take turns, and the second counts after the first has
    committed (a count in the locking statement would still see the snapshot it started with)."""
    usable = select(User.id).where(
        User.active.is_(True),
        User.password_hash.is_not(None),
        User.role_rows.any(UserRole.role == Role.COORDINATOR.value),
    )
    db.session.execute(usable.with_for_update(of=User)).all()
    return db.session.scalar(select(func.count()).select_from(usable.subquery())) or 0


def _guard_last_coordinator(user: User) -> None:
    """Someone must always be able to sign in and manage accounts: the last usable coordinator stays one."""
    if user.is_coordinator and user.active and user.has_password and _usable_coordinator_count() <= 1:
        raise RuleViolation(
            "This is the only active coordinator who can sign in. Make someone else a coordinator, "
            "and wait until they have set their password, first."
        )


def set_roles(*, actor: User, user: User, roles: Iterable[Role]) -> None:
    """Replace a user's roles. The last active coordinator with a password keeps the coordinator role."""
    _require_manager(actor)
    wanted = {Role(role) for role in roles}
    if not wanted:
        raise RuleViolation("Choose at least one role.", field="roles")
    with unit_of_work():
        before = sorted(user.roles)
        if Role.COORDINATOR not in wanted:
            _guard_last_coordinator(user)
        _set_roles(user, wanted)
        record_event(
            actor=actor,
            action="account.roles_changed",
            object_type="user",
            object_id=user.id,
            summary=f"Roles of {user.name} changed",
            before={"roles": before},
            after={"roles": sorted(wanted)},
        )


def update_details(*, actor: User, user: User, name: str) -> None:
    _require_manager(actor)
    with unit_of_work():
        before = {"name": user.name}
        user.name = name.strip()
        record_event(
            actor=actor,
            action="account.details_changed",
            object_type="user",
            object_id=user.id,
            summary=f"Details of {user.name} changed",
            before=before,
            after={"name": user.name},
        )


def set_active(*, actor: User, user: User, active: bool) -> None:
    """Deactivate (ending every session at once) or reactivate an account. Nobody deactivates themself."""
    _require_manager(actor)
    if user.active == active:
        return
    with unit_of_work():
        if not active:
            if not may_deactivate(actor, user):
                raise RuleViolation("You cannot deactivate your own account.")
            _guard_last_coordinator(user)
            sessions.end_all_sessions(user=user)
        user.active = active
        record_event(
            actor=actor,
            action="account.activated" if active else "account.deactivated",
            object_type="user",
            object_id=user.id,
            summary=f"Account of {user.name} {'reactivated' if active else 'deactivated'}",
            before={"active": not active},
            after={"active": active},
        )
