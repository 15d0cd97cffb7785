"""Workers' shortlists ("activity prescription"): no account; the random token sits in the
worker's session cookie (to change the list) and in the shared link (to read it). Only the
token's SHA-256 is stored. A list expires SHORTLIST_DAYS after it was started."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from ...core.data.results import rows_changed
from ...core.data.unit_of_work import unit_of_work
from ...core.values.tokens import new_token, token_hash
from ...errors import NotFound, RuleViolation
from ...extensions import db
from ..listings.models import Activity
from ..listings.pages import public_address, schedule_descriptions
from ..listings.schedules import Occurrence
from .models import NOTE_MAX, Shortlist, ShortlistItem

SHORTLIST_DAYS = 90
MAX_ITEMS = 30
MAX_TOKEN = 100


@dataclass(frozen=True)
class ShortlistEntry:
    """An item with what a printout must hold to stand alone on paper: where (the public
    address), when (the pattern and the next session), and, from the activity, how to join,
    the cost and who to ask."""

    activity: Activity
    next_session: Occurrence | None
    address: str
    schedules: list[str]


def find_shortlist(token: str | None, *, now: datetime) -> Shortlist | None:
    """The unexpired list for this token, or None."""
    if not token or len(token) > MAX_TOKEN:
        return None
    shortlist = db.session.scalar(select(Shortlist).where(Shortlist.token_hash == token_hash(token)))
    return shortlist if shortlist is not None and shortlist.expires_at > now else None


def shared_shortlist(token: str, *, now: datetime) -> Shortlist:
    """The list behind a shared link; NotFound for unknown or expired tokens."""
    shortlist = find_shortlist(token, now=now)
    if shortlist is None:
        raise NotFound()
    return shortlist


def add_to_shortlist(*, token: str | None, activity: Activity, now: datetime) -> str:
    """Add the activity at the end of the list (starting a list if the token finds none);
    adding it again changes nothing. Returns the token to keep. RuleViolation when full."""
    with unit_of_work():
        shortlist = find_shortlist(token, now=now)
        if shortlist is None:
            token = new_token()
            shortlist = Shortlist(
                token_hash=token_hash(token), created_at=now, expires_at=now + timedelta(days=SHORTLIST_DAYS)
            )
            db.session.add(shortlist)
            db.session.flush()
        if all(item.activity_id != activity.id for item in shortlist.items):
            if len(shortlist.items) >= MAX_ITEMS:
                raise RuleViolation(f"A shortlist holds up to {MAX_ITEMS} activities. Remove one first.")
            last = (
                db.session.scalar(
                    select(func.max(ShortlistItem.position)).where(ShortlistItem.shortlist_id == shortlist.id)
                )
                or 0
            )
            shortlist.items.append(ShortlistItem(activity_id=activity.id, position=last + 1))
    assert token is not None  # the list was found by it, or started with a new one
    return token


def remove_from_shortlist(*, token: str | None, activity_id: int, now: datetime) -> None:
    """Take an activity off the worker's own list; NotFound if the list or item is unknown."""
    with unit_of_work():
        shortlist = find_shortlist(token, now=now)
        item = next((item for item in shortlist.items if item.activity_id == activity_id), None) if shortlist else None
        if shortlist is None or item is None:
            raise NotFound()
        shortlist.items.remove(item)


def set_note(*, token: str | None, note: str, now: datetime) -> None:
    """The worker's note for the person (up to NOTE_MAX characters; RuleViolation on `note`)."""
    with unit_of_work():
        shortlist = find_shortlist(token, now=now)
        if shortlist is None:
            raise NotFound()
        if len(note) > NOTE_MAX:
            raise RuleViolation(f"Keep the note to {NOTE_MAX} characters.", field="note")
        shortlist.note = note.strip()


def shortlist_entries(shortlist: Shortlist, *, now: datetime) -> list[ShortlistEntry]:
    """The items in the order they were added, each with its next session (None if none)."""
    entries = []
    for item in shortlist.items:
        upcoming = next((row for row in item.activity.occurrences if row.ends_at > now), None)
        session = Occurrence(upcoming.starts_at, upcoming.ends_at) if upcoming else None
        entries.append(
            ShortlistEntry(
                item.activity,
                session if item.activity.status == "active" else None,
                public_address(item.activity),
                schedule_descriptions(item.activity),
            )
        )
    return entries


def purge_expired_shortlists(*, now: datetime) -> int:
    with unit_of_work():
        gone = rows_changed(db.session.execute(delete(Shortlist).where(Shortlist.expires_at <= now)))
    return gone
