"""Nothing typed is lost when a form cannot be saved because the session had ended (the idle
timeout, signing out on another tab) or the page had expired (a stale CSRF token).

Such a post is kept server-side for two hours (`KeptSubmission`, never the CSRF token or a
password), under a random key in its own cookie: the Flask session cannot hold it (a signed
cookie of at most 4 KB, cleared at every sign-in). The person is sent to sign in, or straight
back when only the page had expired, and the next time they open the form's page (the page
the form was on, from the Referer, else the URL it was sent to), `Form` fills the form from
what was kept, a message says why, and the kept copy is deleted. Only the person who was
signed in gets it back (the one whose session ended, or who is signed in now), or, when
nobody was, whoever is signed in on that browser then.

A post is kept after a CSRF failure only when its token was one this app issued (so a forged
or missing token still gets the plain 400) and it came from this site (its Origin or Referer):
another site cannot fill a person's form for them.
"""

import json
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, flash, g, has_request_context, redirect, request
from flask_login import current_user, login_url
from flask_wtf import FlaskForm
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import and_, delete, or_, select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from wtforms import PasswordField, StringField

from ...extensions import db, login_manager
from ..data.models import KeptSubmission
from ..data.results import rows_changed
from ..data.unit_of_work import unit_of_work
from ..values.timeutils import utcnow
from ..values.tokens import new_token, token_hash
from ..web.access import access_rule_for

KEEP_FOR = timedelta(hours=2)
COOKIE = "brokerage_kept"
MAX_KEPT_CHARACTERS = 100_000  # a long bid is a fifth of this
SESSION_ENDED, PAGE_EXPIRED = "session_ended", "page_expired"
SIGN_IN_TO_SAVE = (
    "Your session ended, so what you sent was not saved. Sign in and you will be taken back to it, "
    "with what you typed, to press Save again."
)
SIGN_IN_TO_RETRY = "Your session ended, so that was not done. Sign in and try again."
RETRY = "This page had expired, so that was not done. Try again."
FILLED_AGAIN = {
    SESSION_ENDED: "Your session had ended, so this was not saved. What you typed is below: check it and press "
    "Save again.",
    PAGE_EXPIRED: "This page had expired, so this was not saved. What you typed is below: check it and press "
    "Save again.",
}


def _csrf_field() -> str:
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")


def _password_names() -> frozenset[str]:
    """The names of every password field of every form (computed once per app)."""
    names = current_app.extensions.get("password_field_names")
    if names is None:
        found: set[str] = set()
        forms = [FlaskForm]
        while forms:
            form = forms.pop()
            forms.extend(form.__subclasses__())
            found.update(
                name
                for name in dir(form)
                if getattr(getattr(form, name, None), "field_class", None)
                and issubclass(getattr(form, name).field_class, PasswordField)
            )
        names = current_app.extensions["password_field_names"] = frozenset(found)
    return names


def _typed_fields() -> list[tuple[str, str]]:
    """What was sent, in order, without the CSRF token or anything that may be a password."""
    secret = _password_names()
    return [
        (name, value)
        for name, values in request.form.lists()
        for value in values
        if name != _csrf_field() and name not in secret and "password" not in name.lower()
    ]


def _answers_get(path: str) -> bool:
    try:
        current_app.url_map.bind(request.host).match(path, method="GET")
    except HTTPException:
        return False
    return True


def _form_page() -> tuple[str, str] | None:
    """(path, query) of the page the form was on: the Referer when it is a page of this site,
    else the URL it was sent to when that is a page; None when there is no such page."""
    referrer = urlsplit(request.referrer or "")
    if referrer.scheme in {"http", "https"} and referrer.netloc == request.host and _answers_get(referrer.path):
        return referrer.path, referrer.query
    if request.url_rule is not None and "GET" in (request.url_rule.methods or ()):
        return request.path, request.query_string.decode("latin-1")
    return None


def _url(page: tuple[str, str]) -> str:
    path, query = page
    return f"{path}?{query}" if query else path


def _from_this_site() -> bool:
    """Browsers send Origin with every form post (a cross-site one too); older ones a Referer."""
    origin = request.headers.get("Origin")
    if origin:
        return origin == request.host_url.rstrip("/")
    if request.referrer:
        return urlsplit(request.referrer).netloc == request.host
    return True


def _token_was_issued_here() -> bool:
    token = request.form.get(_csrf_field()) or request.headers.get("X-CSRFToken") or ""
    secret = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.config["SECRET_KEY"]
    try:
        URLSafeTimedSerializer(secret, salt="wtf-csrf-token").loads(token)
    except BadData:
        return False
    return True


def _browser_key() -> str:
    key = request.cookies.get(COOKIE, "")
    return key if 20 <= len(key) <= 64 and key.replace("-", "").replace("_", "").isalnum() else new_token()


def _keep(page: tuple[str, str], *, reason: str, owner_id: int | None) -> str | None:
    """Keep what was sent for `page`; the browser's key, or None when there was nothing to keep."""
    fields = _typed_fields()
    if not fields or sum(len(name) + len(value) for name, value in fields) > MAX_KEPT_CHARACTERS:
        return None
    key, now = _browser_key(), utcnow()
    try:
        with unit_of_work():
            db.session.execute(
                delete(KeptSubmission).where(
                    or_(
                        KeptSubmission.expires_at <= now,
                        and_(KeptSubmission.browser_key_hash == token_hash(key), KeptSubmission.path == page[0]),
                    )
                )
            )
            db.session.add(
                KeptSubmission(
                    browser_key_hash=token_hash(key),
                    path=page[0],
                    user_id=owner_id,
                    reason=reason,
                    fields=json.dumps(fields),
                    kept_at=now,
                    expires_at=now + KEEP_FOR,
                )
            )
    except SQLAlchemyError:
        current_app.logger.exception("could not keep a form's values")
        return None
    return key


def _with_key(response, key: str | None):
    if key:
        response.set_cookie(
            COOKIE,
            key,
            max_age=int(KEEP_FOR.total_seconds()),
            httponly=True,
            samesite="Lax",
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        )
    return response


def sign_in_to_continue():
    """Flask-Login's answer to a visitor who is not signed in (or whose session has ended):
    sign in, then back. A form sent from a page is kept, and they come back to that page."""
    page = _form_page() if request.method not in {"GET", "HEAD", "OPTIONS"} else None
    if page is None:
        flash(login_manager.login_message, login_manager.login_message_category)
        return redirect(login_url(login_manager.login_view, next_url=request.url))
    key = _keep(page, reason=SESSION_ENDED, owner_id=g.get("ended_session_user_id"))
    flash(SIGN_IN_TO_SAVE if key else SIGN_IN_TO_RETRY, "info")
    return _with_key(redirect(login_url(login_manager.login_view, next_url=_url(page))), key)


def after_stale_token():
    """The answer to a form sent with a CSRF token this app issued for an earlier session or
    page: keep what was typed and go back to the form (signing in first if the session has
    ended). None for anything else (a forged or missing token), which gets the plain 400."""
    if not _token_was_issued_here() or not _from_this_site():
        return None
    page = _form_page()
    if page is None:
        return None
    rule = access_rule_for(current_app, request.endpoint)
    if not current_user.is_authenticated and rule is not None and not rule.public:
        key = _keep(page, reason=SESSION_ENDED, owner_id=g.get("ended_session_user_id"))
        flash(SIGN_IN_TO_SAVE if key else SIGN_IN_TO_RETRY, "info")
        return _with_key(redirect(login_url(login_manager.login_view, next_url=_url(page))), key)
    owner_id = current_user.id if current_user.is_authenticated else None
    key = _keep(page, reason=PAGE_EXPIRED, owner_id=owner_id)
    if not key:
        flash(RETRY, "info")
    return _with_key(redirect(_url(page)), key)


def _kept_for_this_page() -> KeptSubmission | None:
    """This browser's kept post for this page, if it is the signed-in person's (another
    person's is forgotten: it is not theirs to see)."""
    if "kept_for_page" not in g:
        g.kept_for_page = db.session.scalar(
            select(KeptSubmission).where(
                KeptSubmission.browser_key_hash == token_hash(request.cookies[COOKIE]),
                KeptSubmission.path == request.path,
                KeptSubmission.expires_at > utcnow(),
            )
        )
    kept = g.kept_for_page
    if kept is None or kept.user_id is None:
        return kept
    if not current_user.is_authenticated:
        return None
    if kept.user_id != current_user.id:
        _take(kept)
        g.kept_for_page = None
        return None
    return kept


def _fits(fields: list[tuple[str, str]], form) -> bool:
    """Whether the kept post was sent by this form (a page may show several): most of the names
    sent are its fields, and most of its text boxes (which a browser always sends) were sent."""
    sent = {name for name, _ in fields}
    own = {name for name in form._fields if name != _csrf_field()}
    shared = sent & own
    boxes = {
        name
        for name, field in form._fields.items()
        if name in own and isinstance(field, StringField) and not isinstance(field, PasswordField)
    }
    return bool(shared) and len(sent - own) < len(shared) and 2 * len(boxes - sent) <= len(boxes)


def _take(kept: KeptSubmission) -> bool:
    """Delete the kept post; False when another request took it first. Its own short write
    (on SQLite a page view reads in a deferred transaction, which must not turn into a write)."""
    with db.engine.begin() as connection:
        taken = connection.execute(delete(KeptSubmission).where(KeptSubmission.id == kept.id)).rowcount == 1
        connection.execute(delete(KeptSubmission).where(KeptSubmission.expires_at <= utcnow()))
    return taken


def kept_formdata(form) -> MultiDict | None:
    """For a form being shown: what was kept for it on this browser (then forgotten), or None."""
    if (
        not has_request_context()
        or request.method != "GET"
        or COOKIE not in request.cookies
        or g.get("kept_form_filled")
    ):
        return None
    kept = _kept_for_this_page()
    if kept is None:
        return None
    fields = [tuple(pair) for pair in json.loads(kept.fields)]
    if not _fits(fields, form) or not _take(kept):
        return None
    g.kept_form_filled, g.kept_for_page = True, None
    flash(FILLED_AGAIN.get(kept.reason, FILLED_AGAIN[PAGE_EXPIRED]), "info")
    return MultiDict(fields)


def filled_from_kept() -> bool:
    """Whether this response shows a form filled from a kept post (never cache it)."""
    return bool(has_request_context() and g.get("kept_form_filled"))


def forget_expired() -> int:
    """Delete kept posts past their time; the number deleted (`flask forget-kept-forms`)."""
    with unit_of_work():
        return rows_changed(db.session.execute(delete(KeptSubmission).where(KeptSubmission.expires_at <= utcnow())))
