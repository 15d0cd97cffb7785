"""What guided-visit pages show (reads only): a club's requests and its report's figures, a
worker's own requests, the session choices; and the panels they add to the activity page (the
way to ask), the partner page (the figures, for the club and coordinators) and the starting page
(requests to answer; answers to read)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from ...accounts.models import User
from ...core.values.roles import Role
from ...core.values.timeutils import london_today, utcnow
from ...core.web.pages import Panel, register_dashboard_panel
from ...extensions import db
from ...partners.access import partner_ids_for_contact
from ...partners.marks.models import PAGE_CACHE_TABLES as MARK_TABLES
from ...partners.models import Partner
from ...partners.page import PartnerPanel, register_partner_panel
from ..listings.models import Activity, ActivityOccurrence
from ..listings.schedules import Occurrence, describe_occurrence
from ..search.panels import register_activity_panel
from .access import may_see_requests, offers_guided_visits
from .models import GuidedVisit
from .rules import ASKED, Tally, is_closed, may_answer, tally

# Answers a worker still sees on their starting page after the session.
ANSWERS_SHOWN_FOR = timedelta(days=7)


def session_label(starts_at: datetime, ends_at: datetime) -> str:
    return describe_occurrence(Occurrence(starts_at, ends_at))


def session_choices(sessions: list[ActivityOccurrence]) -> list[tuple[str, str]]:
    return [(row.starts_at.isoformat(), session_label(row.starts_at, row.ends_at)) for row in sessions]


@dataclass(frozen=True)
class Request:
    """One request as the club sees it, with what it may do now."""

    visit: GuidedVisit
    session: str
    asker: str
    reach: str
    answerable: bool
    closed: bool


def asker_of(visit: GuidedVisit) -> tuple[str, str]:
    """Who asked and how to reach them: a worker by their account's email; a person by what they gave."""
    if visit.requester_id is not None:
        user = db.session.get(User, visit.requester_id)
        return (f"{user.name} (a worker, signed in)", user.email) if user else ("A worker", "")
    reach = " or ".join(part for part in (visit.phone, visit.email) if part)
    return visit.first_name, reach


def club_requests(partner_id: int, now: datetime) -> list[Request]:
    """The partner's requests whose details are still kept, those still to answer first, then by session."""
    visits = db.session.scalars(
        select(GuidedVisit)
        .where(GuidedVisit.partner_id == partner_id, GuidedVisit.purged_at.is_(None))
        .order_by(GuidedVisit.starts_at.desc(), GuidedVisit.id)
    )
    rows = [
        Request(
            visit,
            session_label(visit.starts_at, visit.ends_at),
            *asker_of(visit),
            may_answer(visit.state, visit.ends_at, now),
            is_closed(visit.ends_at, now),
        )
        for visit in visits
    ]
    return sorted(rows, key=lambda row: not row.answerable)


def report(partner_id: int) -> Tally:
    """Guided visits counted with consent (kept after the details are purged), how many came, came back."""
    rows = db.session.execute(
        select(GuidedVisit.may_count, GuidedVisit.came, GuidedVisit.came_back).where(
            GuidedVisit.partner_id == partner_id
        )
    ).all()
    return tally([tuple(row) for row in rows])


def my_requests(user: User, since: datetime) -> list[GuidedVisit]:
    """A worker's requests whose session ends after `since`, soonest first."""
    return list(
        db.session.scalars(
            select(GuidedVisit)
            .where(GuidedVisit.requester_id == user.id, GuidedVisit.ends_at > since)
            .order_by(GuidedVisit.starts_at)
        )
    )


def _ask_panel(activity: Activity, viewer: User) -> dict | None:
    """The way to ask, on a marked club's activity page (the same for everyone: the page is kept)."""
    return {"activity": activity} if offers_guided_visits(activity, london_today()) else None


def _partner_panel(partner: Partner, viewer: User) -> dict | None:
    if not may_see_requests(viewer, partner.id):
        return None
    figures = report(partner.id)
    waiting = sum(1 for row in club_requests(partner.id, utcnow()) if row.answerable)
    if not figures.visits and not waiting:
        return None
    return {"partner": partner, "figures": figures, "waiting": waiting}


def _to_answer(user: User, _viewer: User) -> dict | None:
    if not user.has_any_role((Role.PARTNER_CONTACT,)):
        return None
    now = utcnow()
    partners = []
    for partner_id in sorted(partner_ids_for_contact(user)):
        waiting = db.session.scalars(
            select(GuidedVisit.id).where(
                GuidedVisit.partner_id == partner_id, GuidedVisit.state == ASKED, GuidedVisit.ends_at > now
            )
        ).all()
        if waiting:
            partners.append((db.session.get(Partner, partner_id), len(waiting)))
    return {"partners": partners} if partners else None


def _answers(user: User, _viewer: User) -> dict | None:
    rows = my_requests(user, utcnow() - ANSWERS_SHOWN_FOR)
    return {"rows": [(row, session_label(row.starts_at, row.ends_at)) for row in rows]} if rows else None


register_activity_panel(Panel(order=6, template="directory/visits/_ask_panel.html", load=_ask_panel), reads=MARK_TABLES)
register_partner_panel(PartnerPanel(order=16, template="directory/visits/_partner_panel.html", load=_partner_panel))
register_dashboard_panel(Panel(order=25, template="directory/visits/_to_answer_panel.html", load=_to_answer))
register_dashboard_panel(Panel(order=26, template="directory/visits/_my_requests_panel.html", load=_answers))
