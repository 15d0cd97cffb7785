"""Listings not checked for five months: a reminder to the people who keep each one up to date,
with a one-click "still running" link (sign in, then confirm), once per check period (keyed by
the date it was last checked, so a confirmation starts a new period); and the same listings as a
to-do on their starting page."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from ...accounts.models import User
from ...core.data.unit_of_work import unit_of_work
from ...core.values.timeutils import london_today
from ...core.web.links import absolute_url
from ...extensions import db
from ...notifications.services import notify
from ...notifications.sweeps import register_sweep
from ..listings.models import Activity
from ..listings.pages import activities_for_editor
from ..listings.vocabulary import HIDDEN_AFTER_DAYS
from .recipients import keepers

CHECK_AFTER = timedelta(days=152)  # five months: a month before the listing is flagged as stale


def checked_before(today: date) -> date:
    """Listings last checked on or before this day are due a check."""
    return today - CHECK_AFTER


def _remind(activity: Activity, today: date, now: datetime) -> int:
    hidden_on = activity.last_checked_on + timedelta(days=HIDDEN_AFTER_DAYS)
    context = {
        "activity": activity.title,
        "provider": activity.provider_name,
        "checked_on": activity.last_checked_on,
        "hidden_on": hidden_on,
        "link": absolute_url("listings.still_running", activity_id=activity.id),
        "edit_link": absolute_url("listings.edit", activity_id=activity.id),
    }
    return sum(
        notify(
            kind="listing_check",
            occasion=f"listing:{activity.id}:checked:{activity.last_checked_on}",
            recipient=person,
            subject=f"Is {activity.title} still running?",
            why="You help keep this activity's listing up to date.",
            context=context,
            now=now,
        )
        for person in keepers(activity)
    )


def send_listing_checks(now: datetime) -> int:
    """Remind the keepers of every running or paused listing not checked for five months."""
    today = london_today(now)
    written = 0
    with unit_of_work():
        due = db.session.scalars(
            select(Activity)
            .where(Activity.status != "ended", Activity.last_checked_on <= checked_before(today))
            .order_by(Activity.id)
        )
        for activity in due:
            written += _remind(activity, today, now)
    return written


@dataclass(frozen=True)
class ToCheck:
    activity: Activity
    checked_on: date


def listings_to_check(user: User, *, today: date) -> list[ToCheck]:
    """The listings this person may edit that are due a check, longest unchecked first."""
    rows = [
        ToCheck(row.activity, row.activity.last_checked_on)
        for row in activities_for_editor(user, today=today)
        if row.activity.status != "ended" and row.activity.last_checked_on <= checked_before(today)
    ]
    return sorted(rows, key=lambda row: (row.checked_on, row.activity.title))


register_sweep("directory.listing_checks", send_listing_checks)
