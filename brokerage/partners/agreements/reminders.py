"""The weekly renewals digest: every coordinator gets one message listing each partner whose
agreement, insurance or safeguarding review is due within 60 days or has lapsed; each such
partner's contacts get one about their own organisation only. Keyed by the ISO week in London,
so the delivery worker's sweep mails once a week however often it runs."""

from datetime import date, datetime

from ...core.data.unit_of_work import unit_of_work
from ...core.values.timeutils import london_today
from ...core.web.links import absolute_url
from ...notifications.services import notify
from ...notifications.sweeps import register_sweep
from ..recipients import coordinators, partner_contacts
from .pages import DueAgreement, agreements_needing_attention

KIND = "agreements_due"


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _rows(due: list[DueAgreement], today: date) -> list[dict]:
    return [
        {
            "partner": item.partner.name,
            "status": item.report.status.label,
            "dates": [
                {"label": entry.label, "on": entry.on, "days": entry.days_from(today)} for entry in item.report.due
            ],
        }
        for item in due
    ]


def _to_coordinators(due: list[DueAgreement], today: date, week: str, now: datetime) -> int:
    context = {"rows": _rows(due, today), "for_coordinators": True, "link": absolute_url("partners.agreements_due")}
    return sum(
        notify(
            kind=KIND,
            occasion=f"agreements:{week}",
            recipient=person,
            subject=f"Partnership agreements to renew: {len(due)} this week",
            why="You are a Creative Minds coordinator, and coordinators look after renewals.",
            context=context,
            now=now,
        )
        for person in coordinators()
    )


def _to_partner(item: DueAgreement, today: date, week: str, now: datetime) -> int:
    context = {
        "rows": _rows([item], today),
        "for_coordinators": False,
        "link": absolute_url("partners.partner_detail", partner_id=item.partner.id),
    }
    return sum(
        notify(
            kind=KIND,
            occasion=f"agreements:partner:{item.partner.id}:{week}",
            recipient=person,
            subject="Your partnership agreement with Creative Minds needs renewing",
            why=f"You are a contact for {item.partner.name}.",
            context=context,
            now=now,
        )
        for person in partner_contacts(item.partner)
    )


def send_agreement_digests(now: datetime) -> int:
    """Write this week's renewals digests (none when nothing is due); answers how many."""
    today = london_today(now)
    week = iso_week(today)
    with unit_of_work():
        due = agreements_needing_attention(today=today)
        if not due:
            return 0
        written = _to_coordinators(due, today, week, now)
        for item in due:
            written += _to_partner(item, today, week, now)
    return written


register_sweep("partners.agreements_due", send_agreement_digests)
