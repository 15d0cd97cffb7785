"""Forgotten passwords: anyone may ask for a link to be emailed to an address; the answer never says
whether the address has an account.

- The same words, the same status and (padded to PASSWORD_RESET_MIN_SECONDS) the same time, whatever
  was typed: an address with an account, one without, nonsense, nothing, or a request over the limit.
  Both paths also do the same work (a token, its hash, the email rendered, the counts taken).
- Counted (throttle.py's upsert, under keyed hashes): PASSWORD_RESET_MAX_PER_ADDRESS per address asked
  about and PASSWORD_RESET_MAX_PER_IP per source address a window; over either, nothing is sent.
- The link is an ordinary set-password link (an `Invitation` row with no coordinator) that works once
  and for PASSWORD_RESET_LIFETIME; using it ends every session of the account (credentials.py).
"""

import time
from datetime import datetime

from flask import current_app, render_template

from ..core.data.auditing import record_event
from ..core.data.unit_of_work import unit_of_work
from ..core.values.tokens import keyed_hash, new_token, token_hash
from ..extensions import db
from ..notifications.services import Recipient, notify
from .models import Invitation, User
from .services import find_user_by_email, normalise_email, set_password_link, when
from .throttle import take_places

ANSWER = "If that address has an account, we have sent a link to it. It works once, for an hour."
SUBJECT = "Reset your password for Creative Minds brokerage"
WHY = "Someone (we hope you) asked for a link to reset the password of this account."
LONGEST_ADDRESS = 254


def _config(name: str):
    return current_app.config[name]


def _counted(address: str, ip: str, now: datetime) -> bool:
    secret = _config("SECRET_KEY")
    limits = [
        (keyed_hash(secret, "reset-account:" + address), _config("PASSWORD_RESET_MAX_PER_ADDRESS")),
        (keyed_hash(secret, "reset-ip:" + ip[:100]), _config("PASSWORD_RESET_MAX_PER_IP")),
    ]
    return take_places(limits, now=now, window=_config("LOGIN_WINDOW"))


def _context(link: str, now: datetime) -> dict:
    return {"link": link, "expires": when(now + _config("PASSWORD_RESET_LIFETIME"))}


def _mail_link(user: User, now: datetime) -> None:
    token = new_token()
    db.session.add(
        Invitation(
            token_hash=token_hash(token),
            user_id=user.id,
            created_by_id=None,
            created_at=now,
            expires_at=now + _config("PASSWORD_RESET_LIFETIME"),
        )
    )
    notify(
        kind="password_reset",
        occasion=f"reset:{token_hash(token)[:32]}",
        recipient=Recipient(user.name, user.email, user.id),
        subject=SUBJECT,
        why=WHY,
        context=_context(set_password_link(token), now),
        now=now,
    )
    record_event(
        actor=None,
        action="account.password_reset_requested",
        object_type="user",
        object_id=user.id,
        summary=f"A link to reset the password of {user.name} was emailed",
    )


def _same_work_for_nobody(now: datetime) -> None:
    """What `_mail_link` costs, without a message: a token, its hash, the email rendered."""
    token = new_token()
    page = dict(
        _context(set_password_link(token_hash(token)), now),
        recipient=Recipient("", None),
        why=WHY,
        signed_by="Creative Minds",
        subject=SUBJECT,
    )
    render_template("email/password_reset.txt", **page)
    render_template("email/password_reset.html", **page)


def request_reset(*, email: str | None, ip: str, now: datetime) -> str:
    """Email a reset link if `email` names an active account and neither count is over its limit.
    Answers ANSWER whatever happened, never sooner than PASSWORD_RESET_MIN_SECONDS after it began."""
    started = time.monotonic()
    try:
        address = normalise_email(email or "")[: LONGEST_ADDRESS + 1].encode("utf-8", "replace").decode()
        lookable = 0 < len(address) <= LONGEST_ADDRESS and address.isprintable()  # no NUL for the database
        with unit_of_work():
            allowed = _counted(address, ip.encode("utf-8", "replace").decode(), now)
            user = find_user_by_email(address) if allowed and lookable else None
            if user is not None and user.active:
                _mail_link(user, now)
            else:
                _same_work_for_nobody(now)
    finally:
        remaining = _config("PASSWORD_RESET_MIN_SECONDS") - (time.monotonic() - started)
        if remaining > 0:
            time.sleep(remaining)
    return ANSWER
