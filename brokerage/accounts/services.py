"""Account rules: invitations, sign-in, passwords, roles and deactivation. Every change is audited."""
from collections.abc import Iterable
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..audit.services import record_event
from ..errors import NotFound, PermissionDenied, RuleViolation
from ..extensions import db
from . import sessions
from .models import Invitation, User, UserRole
from .passwords import hash_password, needs_rehash, password_problem, verify_password
from ..core.roles import Role
from .throttle import ThrottlePolicy, attempt_succeeded, count_attempt, forget_old
from ..core.tokens import new_token, token_hash

# Compared against when there is no stored hash, so a wrong email costs as long as a wrong password.
_DUMMY_HASH_CACHE: dict[str, str] = {}


class TooManyAttempts(Exception):
    """Sign-in is paused for this account or address until the window passes."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _config(name: str):
    return current_app.config[name]


def throttle_policy() -> ThrottlePolicy:
    return ThrottlePolicy(secret=_config("SECRET_KEY"), window=_config("LOGIN_WINDOW"),
                          max_per_account_and_address=_config("LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS"),
                          max_per_ip=_config("LOGIN_MAX_FAILURES_PER_IP"),
                          max_per_account=_config("LOGIN_MAX_FAILURES_PER_ACCOUNT"),
                          known_address_lifetime=_config("LOGIN_KNOWN_ADDRESS_LIFETIME"))


def _require_coordinator(actor: User | None) -> None:
    if actor is None or not actor.is_coordinator:
        raise PermissionDenied()


def _check_password(password: str, user: User) -> None:
    problem = password_problem(password, email=user.email, name=user.name)
    if problem:
        raise RuleViolation(problem, field="password")


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


def _add_user(*, actor: User | None, email: str, name: str, roles: Iterable[Role],
              password: str | None) -> User:
    email = normalise_email(email)
    if find_user_by_email(email):
        raise RuleViolation("An account with this email address already exists.", field="email")
    user = User(email=email, name=name.strip())
    _set_roles(user, roles)
    if password is not None:
        _check_password(password, user)
        user.password_hash = hash_password(password, _config("PASSWORD_HASH_METHOD"))
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise RuleViolation("An account with this email address already exists.", field="email") from error
    record_event(actor=actor, action="account.created", object_type="user", object_id=user.id,
                 summary=f"Account created for {user.name}",
                 after={"email": user.email, "roles": sorted(user.roles)})
    return user


def create_user(*, actor: User | None, email: str, name: str, roles: Iterable[Role],
                password: str | None = None) -> User:
    """Create an account (with a password for command-line use, or none for an invitation).
    Raises RuleViolation when the email is taken or the password is refused."""
    user = _add_user(actor=actor, email=email, name=name, roles=roles, password=password)
    db.session.commit()
    return user


def _new_invitation(*, actor: User, user: User, now: datetime) -> str:
    token = new_token()
    db.session.add(Invitation(token_hash=token_hash(token), user_id=user.id, created_by_id=actor.id,
                              created_at=now, expires_at=now + _config("INVITATION_LIFETIME")))
    return token


def invite_user(*, actor: User, email: str, name: str, roles: Iterable[Role], now: datetime) -> tuple[User, str]:
    """A coordinator creates an account with no password and gets a single-use link token
    to pass on. Raises PermissionDenied for anyone else, RuleViolation for a taken email."""
    _require_coordinator(actor)
    roles = list(roles)
    if not roles:
        raise RuleViolation("Choose at least one role.", field="roles")
    user = _add_user(actor=actor, email=email, name=name, roles=roles, password=None)
    token = _new_invitation(actor=actor, user=user, now=now)
    record_event(actor=actor, action="account.invited", object_type="user", object_id=user.id,
                 summary=f"Invitation link issued to {user.name}")
    db.session.commit()
    return user, token


def issue_password_link(*, actor: User, user: User, now: datetime) -> str:
    """A fresh set-password link (for a lost password or an expired invitation); older links stop working."""
    _require_coordinator(actor)
    if not user.active:
        raise RuleViolation("Reactivate this account before sending a new link.")
    db.session.execute(
        Invitation.__table__.update().where(Invitation.user_id == user.id, Invitation.used_at.is_(None))
        .values(used_at=now))
    token = _new_invitation(actor=actor, user=user, now=now)
    record_event(actor=actor, action="account.password_link_issued", object_type="user", object_id=user.id,
                 summary=f"New set-password link issued to {user.name}")
    db.session.commit()
    return token


LINK_USED = "This link has already been used. Ask a coordinator for a new one."


def invitation_for_token(*, token: str, now: datetime) -> Invitation:
    """The usable invitation for `token`; NotFound if unknown, RuleViolation if used or expired."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
    if invitation is None:
        raise NotFound()
    if invitation.used_at is not None:
        raise RuleViolation(LINK_USED)
    if invitation.expires_at <= now or not invitation.user.active:
        raise RuleViolation("This link has expired. Ask a coordinator for a new one.")
    return invitation


def _spend(invitation: Invitation, now: datetime) -> None:
    """Mark the link used only if it still is not: the database decides which of several answers sent
    at once is the one (the others wait for its row lock, then find it used)."""
    spent = db.session.execute(update(Invitation).where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
                               .values(used_at=now).execution_options(synchronize_session=False))
    if spent.rowcount != 1:
        raise RuleViolation(LINK_USED)


def accept_invitation(*, token: str, password: str, now: datetime) -> User:
    """Set the password from an invitation link; the link is then spent and any sessions end. A link
    sets one password however its answers are timed: RuleViolation for the rest (and for a refused
    password, which leaves the link unspent)."""
    invitation = invitation_for_token(token=token, now=now)
    user = invitation.user
    _check_password(password, user)
    _spend(invitation, now)
    user.password_hash = hash_password(password, _config("PASSWORD_HASH_METHOD"))
    user.password_changed_at = now
    sessions.end_all_sessions(user=user)
    record_event(actor=user, action="account.password_set", object_type="user", object_id=user.id,
                 summary=f"{user.name} set a password from a link")
    db.session.commit()
    return user


def _dummy_hash() -> str:
    method = _config("PASSWORD_HASH_METHOD")
    if method not in _DUMMY_HASH_CACHE:
        _DUMMY_HASH_CACHE[method] = hash_password(new_token(), method)
    return _DUMMY_HASH_CACHE[method]


def authenticate(*, email: str, password: str, ip: str, now: datetime) -> tuple[User, str]:
    """Check credentials under the throttle (throttle.py) and start a session; returns (user, session
    token). Raises TooManyAttempts while throttled and RuleViolation for wrong credentials, with
    the same message whether the email or the password was wrong. The attempt is counted, and
    committed, before the password is checked, so that simultaneous guesses on other workers see it."""
    email = normalise_email(email)
    policy = throttle_policy()
    attempt = count_attempt(policy=policy, email=email, ip=ip, now=now)
    db.session.commit()
    if attempt is None:
        raise TooManyAttempts()
    user = find_user_by_email(email)
    # An unknown email, or an invited person with no password yet, costs one hash like any other.
    stored = user.password_hash if user else None
    valid = verify_password(stored or _dummy_hash(), password) and stored is not None
    if not (user and valid and user.active):
        forget_old(policy=policy, now=now)
        db.session.commit()
        raise RuleViolation("The email address or password is not right. Check them and try again.")
    attempt_succeeded(attempt=attempt, now=now)
    forget_old(policy=policy, now=now)
    if needs_rehash(user.password_hash, _config("PASSWORD_HASH_METHOD")):
        user.password_hash = hash_password(password, _config("PASSWORD_HASH_METHOD"))
    token = sessions.start_session(user=user, now=now)
    db.session.commit()
    return user, token


def sign_out(*, token: str | None) -> None:
    if token:
        sessions.end_session(token=token)
        db.session.commit()


def change_password(*, user: User, current_password: str, new_password: str, now: datetime) -> str:
    """Change one's own password; every session ends and a new one starts for this browser."""
    if not verify_password(user.password_hash, current_password):
        raise RuleViolation("Your current password is not right.", field="current_password")
    problem = password_problem(new_password, email=user.email, name=user.name)
    if problem:
        raise RuleViolation(problem, field="new_password")
    user.password_hash = hash_password(new_password, _config("PASSWORD_HASH_METHOD"))
    user.password_changed_at = now
    sessions.end_all_sessions(user=user)
    token = sessions.start_session(user=user, now=now)
    record_event(actor=user, action="account.password_changed", object_type="user", object_id=user.id,
                 summary=f"{user.name} changed their password")
    db.session.commit()
    return token


def _usable_coordinator_count() -> int:
    """Coordinators who can sign in: active, with a password (someone invited has none until they answer).

    Their rows are locked first, and counted by a second statement: two coordinators removing each
    other's role at the same moment then take turns, and the second counts after the first has
    committed (a count in the locking statement would still see the snapshot it started with)."""
    usable = select(User.id).where(User.active.is_(True), User.password_hash.is_not(None),
                                   User.role_rows.any(UserRole.role == Role.COORDINATOR.value))
    db.session.execute(usable.with_for_update(of=User)).all()
    return db.session.scalar(select(func.count()).select_from(usable.subquery())) or 0


def _guard_last_coordinator(user: User) -> None:
    """Someone must always be able to sign in and manage accounts: the last usable coordinator stays one."""
    if user.is_coordinator and user.active and user.has_password and _usable_coordinator_count() <= 1:
        raise RuleViolation("This is the only active coordinator who can sign in. Make someone else a coordinator, "
                            "and wait until they have set their password, first.")


def set_roles(*, actor: User, user: User, roles: Iterable[Role]) -> None:
    """Replace a user's roles. The last active coordinator with a password keeps the coordinator role."""
    _require_coordinator(actor)
    wanted = {Role(role) for role in roles}
    if not wanted:
        raise RuleViolation("Choose at least one role.", field="roles")
    before = sorted(user.roles)
    if Role.COORDINATOR not in wanted:
        _guard_last_coordinator(user)
    _set_roles(user, wanted)
    record_event(actor=actor, action="account.roles_changed", object_type="user", object_id=user.id,
                 summary=f"Roles of {user.name} changed", before={"roles": before},
                 after={"roles": sorted(wanted)})
    db.session.commit()


def update_details(*, actor: User, user: User, name: str) -> None:
    _require_coordinator(actor)
    before = {"name": user.name}
    user.name = name.strip()
    record_event(actor=actor, action="account.details_changed", object_type="user", object_id=user.id,
                 summary=f"Details of {user.name} changed", before=before, after={"name": user.name})
    db.session.commit()


def set_active(*, actor: User, user: User, active: bool) -> None:
    """Deactivate (ending every session at once) or reactivate an account. Nobody deactivates themself."""
    _require_coordinator(actor)
    if user.active == active:
        return
    if not active:
        if user.id == actor.id:
            raise RuleViolation("You cannot deactivate your own account.")
        _guard_last_coordinator(user)
        sessions.end_all_sessions(user=user)
    user.active = active
    record_event(actor=actor, action="account.activated" if active else "account.deactivated",
                 object_type="user", object_id=user.id,
                 summary=f"Account of {user.name} {'reactivated' if active else 'deactivated'}",
                 before={"active": not active}, after={"active": active})
    db.session.commit()
