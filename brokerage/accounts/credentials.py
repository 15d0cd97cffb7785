"""A person's own credentials: signing in (under the throttle) and out, setting a password from a
link, and changing it. Every password set is audited."""

from datetime import datetime

from flask import current_app
from sqlalchemy import select, update

from ..core.data.auditing import record_event
from ..core.data.results import rows_changed
from ..core.data.unit_of_work import unit_of_work
from ..core.values.tokens import new_token, token_hash
from ..core.web.links import absolute_url
from ..errors import NotFound, RuleViolation
from ..extensions import db
from ..notifications.services import Recipient, notify
from . import sessions
from .models import Invitation, User
from .passwords import check_acceptable, hash_password, needs_rehash, verify_password
from .services import find_user_by_email, normalise_email, when
from .throttle import ThrottlePolicy, attempt_succeeded, count_attempt, forget_old

# Compared against when there is no stored hash, so a wrong email costs as long as a wrong password.
_DUMMY_HASH_CACHE: dict[str, str] = {}
LINK_USED = (
    'This link has already been used. Ask for a new one from "Forgotten your password?" on the sign-in '
    "page, or ask a coordinator."
)
LINK_EXPIRED = (
    'This link has expired. Ask for a new one from "Forgotten your password?" on the sign-in page, '
    "or ask a coordinator."
)


class TooManyAttempts(Exception):
    """Sign-in is paused for this account or address until the window passes."""


def _config(name: str):
    return current_app.config[name]


def throttle_policy() -> ThrottlePolicy:
    return ThrottlePolicy(
        secret=_config("SECRET_KEY"),
        window=_config("LOGIN_WINDOW"),
        max_per_account_and_address=_config("LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS"),
        max_per_ip=_config("LOGIN_MAX_FAILURES_PER_IP"),
        max_per_account=_config("LOGIN_MAX_FAILURES_PER_ACCOUNT"),
        known_address_lifetime=_config("LOGIN_KNOWN_ADDRESS_LIFETIME"),
    )


def invitation_for_token(*, token: str, now: datetime) -> Invitation:
    """The usable invitation for `token`; NotFound if unknown, RuleViolation if used or expired."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
    if invitation is None:
        raise NotFound()
    if invitation.used_at is not None:
        raise RuleViolation(LINK_USED)
    if invitation.expires_at <= now or not invitation.user.active:
        raise RuleViolation(LINK_EXPIRED)
    return invitation


def _spend(invitation: Invitation, now: datetime) -> None:
    """Mark the link used only if it still is not: the database decides which of several answers sent
    at once is the one (the others wait for its row lock, then find it used)."""
    spent = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if rows_changed(spent) != 1:
        raise RuleViolation(LINK_USED)


def _mail_sign_in_changed(user: User, now: datetime, what: str) -> None:
    """A security message: the password of this account changed (and every other session ended)."""
    notify(
        kind="sign_in_changed",
        occasion=f"password:{now.isoformat()}",
        recipient=Recipient(user.name, user.email, user.id),
        subject="The password of your Creative Minds brokerage account has changed",
        why="We tell you whenever the way you sign in changes, in case it was not you.",
        context={"what": what, "when": when(now), "reset_link": absolute_url("accounts.forgot_password")},
        now=now,
    )


def accept_invitation(*, token: str, password: str, now: datetime) -> User:
    """Set the password from an invitation link; the link is then spent and any sessions end. A link
    sets one password however its answers are timed: RuleViolation for the rest (and for a refused
    password, which leaves the link unspent)."""
    with unit_of_work():
        invitation = invitation_for_token(token=token, now=now)
        user = invitation.user
        check_acceptable(password, email=user.email, name=user.name, field="password")
        _spend(invitation, now)
        had_password = user.has_password
        user.password_hash = hash_password(password, _config("PASSWORD_HASH_METHOD"))
        user.password_changed_at = now
        sessions.end_all_sessions(user=user)
        if had_password:
            _mail_sign_in_changed(user, now, "was reset with a link sent to this address")
        record_event(
            actor=user,
            action="account.password_reset" if had_password else "account.password_set",
            object_type="user",
            object_id=user.id,
            summary=f"{user.name} {'reset their' if had_password else 'set a'} password from a link, "
            "ending every session",
        )
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
    committed, before the password is checked, so that simultaneous guesses on other workers see it;
    a wrong password's tidying of old counts is committed too."""
    email = normalise_email(email)
    policy = throttle_policy()
    with unit_of_work():
        attempt = count_attempt(policy=policy, email=email, ip=ip, now=now)
    if attempt is None:
        raise TooManyAttempts()
    with unit_of_work():
        user = find_user_by_email(email)
        # An unknown email, or an invited person with no password yet, costs one hash like any other.
        stored = user.password_hash if user else None
        valid = verify_password(stored or _dummy_hash(), password) and stored is not None
        signed_in = bool(user and valid and user.active)
        if signed_in:
            attempt_succeeded(attempt=attempt, now=now)
        forget_old(policy=policy, now=now)
        if signed_in and user is not None and stored is not None:
            if needs_rehash(stored, _config("PASSWORD_HASH_METHOD")):
                user.password_hash = hash_password(password, _config("PASSWORD_HASH_METHOD"))
            token = sessions.start_session(user=user, now=now)
    if not signed_in or user is None:
        raise RuleViolation("The email address or password is not right. Check them and try again.")
    return user, token


def sign_out(*, token: str | None) -> None:
    if token:
        with unit_of_work():
            sessions.end_session(token=token)


def change_password(*, user: User, current_password: str, new_password: str, now: datetime) -> str:
    """Change one's own password; every session ends and a new one starts for this browser."""
    if not verify_password(user.password_hash, current_password):
        raise RuleViolation("Your current password is not right.", field="current_password")
    check_acceptable(new_password, email=user.email, name=user.name, field="new_password")
    with unit_of_work():
        user.password_hash = hash_password(new_password, _config("PASSWORD_HASH_METHOD"))
        user.password_changed_at = now
        sessions.end_all_sessions(user=user)
        token = sessions.start_session(user=user, now=now)
        _mail_sign_in_changed(user, now, "was changed on the account page")
        record_event(
            actor=user,
            action="account.password_changed",
            object_type="user",
            object_id=user.id,
            summary=f"{user.name} changed their password",
        )
    return token
