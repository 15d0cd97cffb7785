"""The weekly expiry digest of the mental-health-friendly mark: coordinators get one message listing
every award and certificate ending within 60 days (or ended, which suspends the mark); each such
partner's contacts get one about their own club only. Keyed by the ISO week in London, so the
delivery worker's sweep mails once a week however often it runs."""

from datetime import datetime
from itertools import groupby

from ...core.data.unit_of_work import unit_of_work
from ...core.values.timeutils import london_today
from ...core.web.links import absolute_url
from ...extensions import db
from ...notifications.services import notify
from ...notifications.sweeps import register_sweep
from ..agreements.reminders import iso_week
from ..models import Partner
from ..recipients import coordinators, partner_contacts
from .pages import Expiring, expiring

KIND = "marks_expiring"


def _rows(items: list[Expiring]) -> list[dict]:
    return [{"partner": item.partner, "what": item.what, "on": item.on} for item in items]


def _to_coordinators(items: list[Expiring], week: str, now: datetime) -> int:
    context = {"rows": _rows(items), "for_coordinators": True, "link": absolute_url("marks.schemes")}
    return sum(
        notify(
            kind=KIND,
            occasion=f"marks:{week}",
            recipient=person,
            subject=f"Mental-health-friendly marks: {len(items)} awards or certificates expiring",
            why="You are a Creative Minds coordinator, and coordinators assess the mark.",
            context=context,
            now=now,
        )
        for person in coordinators()
    )


def _to_partner(partner: Partner, items: list[Expiring], week: str, now: datetime) -> int:
    context = {
        "rows": _rows(items),
        "for_coordinators": False,
        "link": absolute_url("marks.apply", partner_id=partner.id),
    }
    return sum(
        notify(
            kind=KIND,
            occasion=f"marks:partner:{partner.id}:{week}",
            recipient=person,
            subject="Your mental-health-friendly mark needs renewing",
            why=f"You are a contact for {partner.name}.",
            context=context,
            now=now,
        )
        for person in partner_contacts(partner)
    )


def send_mark_digests(now: datetime) -> int:
    """Write this week's expiry digests (none when nothing expires); answers how many."""
    today = london_today(now)
    week = iso_week(today)
    with unit_of_work():
        items = expiring(today)
        if not items:
            return 0
        written = _to_coordinators(items, week, now)
        for partner_id, own in groupby(
            sorted(items, key=lambda item: item.partner_id), key=lambda item: item.partner_id
        ):
            written += _to_partner(db.session.get_one(Partner, partner_id), list(own), week, now)
    return written


register_sweep("partners.marks_expiring", send_mark_digests)
