"""The worker's shortlist: add from search results and activity pages, remove, add a note,
print it or share a read-only link. Plain POST forms; the token lives in the session cookie."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for

from ...core.values.timeutils import utcnow
from ...core.web.access import public
from ...core.web.security import no_store
from ...errors import NotFound, RuleViolation
from ..listings import services
from ..listings.vocabulary import COST_KINDS, JOIN_METHODS
from . import services as shortlist
from .forms import ShortlistAddForm, ShortlistNoteForm, ShortlistRemoveForm

bp = Blueprint("shortlist", __name__, url_prefix="/shortlist")
SESSION_KEY = "shortlist_token"
LABELS = {"cost": COST_KINDS, "join": JOIN_METHODS}


def _back(target: str | None) -> str:
    """A path on this site to return to (refusing '//host' and '/\\host'), or the shortlist."""
    target = target or ""
    parts = urlsplit(target)
    if (
        target.startswith("/")
        and not target.startswith("//")
        and not parts.netloc
        and not parts.scheme
        and "\\" not in target
        and target.isprintable()
    ):
        return target
    return url_for("shortlist.mine")


def _activity_id(value: str | None) -> int:
    if not value or not (value.isascii() and value.isdigit()) or len(value) > 9:
        abort(404)
    return int(value)


@bp.route("")
@public
@no_store  # shows the link that shares the list
def mine():
    now = utcnow()
    found = shortlist.find_shortlist(session.get(SESSION_KEY), now=now)
    note_form = ShortlistNoteForm(note=found.note if found else "")
    return render_template(
        "directory/shortlist/index.html",
        shortlist=found,
        note_form=note_form,
        entries=shortlist.shortlist_entries(found, now=now) if found else [],
        remove_form=ShortlistRemoveForm(),
        token=session.get(SESSION_KEY),
        editable=True,
        labels=LABELS,
    )


@bp.route("/add", methods=["POST"])
@public
def add():
    form = ShortlistAddForm()
    if not form.validate_on_submit():
        abort(400)
    activity = services.get_activity(_activity_id(form.activity_id.data))
    try:
        session[SESSION_KEY] = shortlist.add_to_shortlist(
            token=session.get(SESSION_KEY), activity=activity, now=utcnow()
        )
        flash(f"Added {activity.title} to your shortlist.", "success")
    except RuleViolation as error:
        flash(error.message, "error")
    return redirect(_back(form.next.data))


@bp.route("/remove", methods=["POST"])
@public
def remove():
    form = ShortlistRemoveForm()
    if not form.validate_on_submit():
        abort(400)
    shortlist.remove_from_shortlist(
        token=session.get(SESSION_KEY), activity_id=_activity_id(form.activity_id.data), now=utcnow()
    )
    flash("Removed from your shortlist.", "success")
    return redirect(url_for("shortlist.mine"))


@bp.route("/note", methods=["POST"])
@public
@no_store  # an unsaved note shows the page again, with its link
def note():
    now = utcnow()
    form = ShortlistNoteForm()
    found = shortlist.find_shortlist(session.get(SESSION_KEY), now=now)
    if found is None:
        raise NotFound()
    if form.validate_on_submit():
        try:
            shortlist.set_note(token=session.get(SESSION_KEY), note=form.note.data or "", now=now)
            flash("Note saved.", "success")
            return redirect(url_for("shortlist.mine"))
        except RuleViolation as error:
            form.note.errors = [error.message]
    return render_template(
        "directory/shortlist/index.html",
        shortlist=found,
        note_form=form,
        entries=shortlist.shortlist_entries(found, now=now),
        remove_form=ShortlistRemoveForm(),
        token=session.get(SESSION_KEY),
        editable=True,
        labels=LABELS,
    )


@bp.route("/<token>")
@public
def shared(token: str):
    now = utcnow()
    found = shortlist.shared_shortlist(token, now=now)
    return render_template(
        "directory/shortlist/index.html",
        shortlist=found,
        entries=shortlist.shortlist_entries(found, now=now),
        token=token,
        editable=False,
        labels=LABELS,
    )
