"""Server-side sessions (security.md rows 5 and 6).

The signed cookie carries a random token; the database keeps its hash. A session is valid
only while its row exists, it is younger than the absolute timeout, the browser was seen
within the idle timeout (tracked in the signed cookie, so reading a page writes nothing),
and the user is active.
"""

from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import joinedload

from ..core.values.tokens import new_token, token_hash
from ..extensions import db
from .models import User, UserSession


def start_session(*, user: User, now: datetime) -> str:
    """Create a session row for `user` (flushed) and return the token for the cookie."""
    token = new_token()
    db.session.add(UserSession(token_hash=token_hash(token), user_id=user.id, created_at=now, last_seen_at=now))
    db.session.flush()
    return token


def end_session(*, token: str) -> None:
    db.session.execute(delete(UserSession).where(UserSession.token_hash == token_hash(token)))


def end_all_sessions(*, user: User) -> None:
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))


@cache
def _session_statement():
    """Built once: every signed-in request runs it, and building a statement costs more than running it."""
    return (
        select(User, UserSession.user_id, UserSession.created_at)
        .join(UserSession, UserSession.user_id == User.id)
        .options(joinedload(User.role_rows))
        .where(UserSession.token_hash == bindparam("token_hash"))
    )


def user_for_session(
    *, token: str | None, user_id: int, now: datetime, last_seen: datetime | None, idle: timedelta, absolute: timedelta
) -> User | None:
    """The signed-in user for this cookie, or None when the session has ended or timed out."""
    if not token or last_seen is None or now - last_seen > idle:
        return None
    row = db.session.execute(_session_statement(), {"token_hash": token_hash(token)}).unique().one_or_none()
    if row is None:
        return None
    user, session_user_id, created_at = row
    if session_user_id != user_id or now - created_at > absolute:
        return None
    return user if user.active else None
