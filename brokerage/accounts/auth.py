"""Flask-Login wiring: which user a request belongs to, checked against the session row."""

from datetime import UTC, datetime

from flask import Flask, current_app, g, session

from ..core.data.database import reading_before_writing
from ..core.input.kept_forms import sign_in_to_continue
from ..core.values.timeutils import utcnow
from ..extensions import login_manager
from . import sessions

SEEN_REFRESH_SECONDS = 60


def begin_browser_session(token: str) -> None:
    session.clear()
    session.permanent = True
    session["sid"] = token
    session["seen"] = utcnow().timestamp()


def current_session_token() -> str | None:
    return session.get("sid")


def _load_user(user_id: str):
    now = utcnow()
    seen = session.get("seen")
    try:
        with reading_before_writing():
            user = sessions.user_for_session(
                token=session.get("sid"),
                user_id=int(user_id),
                now=now,
                last_seen=datetime.fromtimestamp(seen, UTC) if seen else None,
                idle=current_app.config["SESSION_IDLE_TIMEOUT"],
                absolute=current_app.config["SESSION_ABSOLUTE_TIMEOUT"],
            )
    except ValueError:
        user = None
    if user is None:
        g.ended_session_user_id = (
            int(user_id) if user_id.isascii() and user_id.isdigit() else None
        )  # whose form to keep
        session.clear()
        return None
    if seen is None or now.timestamp() - seen > SEEN_REFRESH_SECONDS:
        session["seen"] = now.timestamp()
    return user


def register_auth(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(sign_in_to_continue)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
