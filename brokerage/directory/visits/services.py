"""The only writers of guided first visits: asking (a worker, or a person with no account who gets
a private status link), the club's answer (accept, or offer another session with a note), what
happened after the session, and the purge of personal details after retention. Each step is
audited without the person's details, and tells the person in the same unit of work."""

from dataclasses import dataclass
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import select, update

from ...accounts.models import User
from ...accounts.throttle import take_places
from ...audit.services import record_event
from ...core.data.results import rows_changed
from ...core.data.unit_of_work import unit_of_work
from ...core.values.timeutils import london_today
from ...core.values.tokens import keyed_hash, new_token, token_hash
from ...core.web.links import absolute_url
from ...errors import NotFound, PermissionDenied, RuleViolation
from ...extensions import db
from ...notifications.services import Recipient, notify
from ...partners.applications.rules import looks_automated
from ...partners.recipients import partner_contacts
from ..listings.models import Activity, ActivityOccurrence
from ..listings.schedules import Occurrence, describe_occurrence
from .access import may_see_requests, offers_guided_visits
from .models import EMAIL_MAX, NAME_MAX, NOTE_MAX, PHONE_MAX, GuidedVisit
from .rules import (
    ACCEPTED,
    ASKED,
    OFFERED,
    SESSIONS_OFFERED,
    check_consent,
    check_offer,
    check_outcome,
    check_person,
    check_session,
    may_answer,
    purge_after,
)

KIND = "guided_visit"
RATE_LIMIT = 5  # requests from one address within LOGIN_WINDOW, as for partner applications
MAX_TOKEN = 100


@dataclass(frozen=True)
class VisitRequest:
    """What is asked. A signed-in worker's own account is how the club replies, so the person's
    first name and contact are asked only of someone with no account."""

    starts_at: datetime | None
    meet: str = "either"
    may_count: bool = False
    first_name: str = ""
    email: str = ""
    phone: str = ""
    consent: bool = False


def upcoming_sessions(activity: Activity, now: datetime, limit: int = SESSIONS_OFFERED) -> list[ActivityOccurrence]:
    """The activity's next sessions still to start, soonest first."""
    return list(
        db.session.scalars(
            select(ActivityOccurrence)
            .where(ActivityOccurrence.activity_id == activity.id, ActivityOccurrence.starts_at > now)
            .order_by(ActivityOccurrence.starts_at)
            .limit(limit)
        )
    )


def _session(activity: Activity, starts_at: datetime | None, now: datetime) -> ActivityOccurrence:
    sessions = {row.starts_at: row for row in upcoming_sessions(activity, now)}
    return sessions[check_session(starts_at, list(sessions), now)]


def _length(value: str, limit: int, field: str) -> str:
    value = value.strip()
    if len(value) > limit:
        raise RuleViolation(f"Use at most {limit} characters.", field=field)
    return value


def _checked_person(request: VisitRequest) -> tuple[str, str, str]:
    first_name = _length(request.first_name, NAME_MAX, "first_name")
    email, phone = _length(request.email, EMAIL_MAX, "email"), _length(request.phone, PHONE_MAX, "phone")
    if email:
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            raise RuleViolation("Enter an email address like name@example.org.", field="email") from None
    check_person(first_name, email, phone, request.consent)
    return first_name, email, phone


def _label(visit: GuidedVisit) -> str:
    return describe_occurrence(Occurrence(visit.starts_at, visit.ends_at))


def _counted(ip: str, now: datetime) -> bool:
    key = keyed_hash(current_app.config["SECRET_KEY"], "guided-visit-ip:" + ip[:100])
    return take_places([(key, RATE_LIMIT)], now=now, window=current_app.config["LOGIN_WINDOW"])


def _tell_club(visit: GuidedVisit, activity: Activity, now: datetime) -> None:
    partner = activity.partner
    if partner is None:
        return
    link = absolute_url("visits.requests", partner_id=partner.id)
    for person in partner_contacts(partner):
        notify(
            kind=KIND,
            occasion=f"guided-visit:{visit.id}:asked",
            recipient=person,
            subject="Someone would like a guided first visit",
            why=f"You are a contact for {partner.name}, which holds the mental-health-friendly mark.",
            context={"stage": "asked", "activity": activity.title, "session": _label(visit), "link": link},
            now=now,
        )


def ask(
    *, activity: Activity, requester: User | None, request: VisitRequest, honeypot: str | None, ip: str, now: datetime
) -> tuple[GuidedVisit | None, str | None]:
    """Ask for a guided first visit at one of the activity's next sessions. Returns the request and,
    for a person with no account, the token of their private status link (shown once; only its
    hash is kept). Returns (None, None), saving nothing, for a filled-in honeypot or too many
    requests from one address lately. RuleViolation with the field for anything to correct."""
    if not offers_guided_visits(activity, london_today(now)):
        raise RuleViolation("This club does not offer guided first visits at the moment.")
    requester_id = requester.id if requester is not None and requester.is_authenticated else None
    signed_in = requester_id is not None
    first_name, email, phone = ("", "", "") if signed_in else _checked_person(request)
    check_consent(request.consent)
    session = _session(activity, request.starts_at, now)
    meet = request.meet if request.meet in ("lead", "buddy", "either") else "either"
    if looks_automated(honeypot):
        return None, None
    token = None if signed_in else new_token()
    with unit_of_work():
        if not signed_in and not _counted(ip, now):
            return None, None
        visit = GuidedVisit(
            activity_id=activity.id,
            partner_id=activity.partner_id,
            requester_id=requester_id,
            first_name=first_name,
            email=email,
            phone=phone,
            meet=meet,
            may_count=bool(request.may_count),
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            state=ASKED,
            created_at=now,
            purge_after=purge_after(session.ends_at),
            token_hash=token_hash(token) if token else None,
        )
        db.session.add(visit)
        db.session.flush()
        record_event(
            actor=requester if signed_in else None,
            action="guided_visit.asked",
            object_type="guided_visit",
            object_id=visit.id,
            summary=f"A guided first visit asked for at {activity.title}",
            after={"activity_id": activity.id, "meet": meet, "may_count": visit.may_count},
        )
        _tell_club(visit, activity, now)
    return visit, token


def visit_for_token(token: str | None, now: datetime) -> GuidedVisit:
    """The request behind a private status link; NotFound once its details are purged."""
    if not token or len(token) > MAX_TOKEN:
        raise NotFound()
    visit = db.session.scalar(select(GuidedVisit).where(GuidedVisit.token_hash == token_hash(token)))
    if visit is None or visit.purged_at is not None:
        raise NotFound()
    return visit


def get_visit(*, actor: User, visit_id: int) -> GuidedVisit:
    visit = db.session.get(GuidedVisit, visit_id)
    if visit is None or visit.purged_at is not None:
        raise NotFound()
    if not may_see_requests(actor, visit.partner_id):
        raise PermissionDenied()
    return visit


def _tell_person(visit: GuidedVisit, now: datetime) -> None:
    """By email to a worker (their account) or to a person who gave an address; a person who gave
    only a phone number is rung by the club (the requests page says so)."""
    if visit.requester_id is not None:
        user = db.session.get(User, visit.requester_id)
        recipient = Recipient(user.name, user.email, user.id) if user is not None and user.active else None
        link = absolute_url("visits.mine")
    else:
        recipient = Recipient(visit.first_name, visit.email) if visit.email else None
        link = None
    if recipient is None:
        return
    notify(
        kind=KIND,
        occasion=f"guided-visit:{visit.id}:{visit.state}",
        recipient=recipient,
        subject="An answer about your guided first visit",
        why="You asked for a guided first visit through Creative Minds.",
        context={
            "stage": visit.state,
            "activity": visit.activity.title,
            "session": _label(visit),
            "note": visit.answer_note,
            "link": link,
        },
        now=now,
    )


def _claim(actor: User, visit: GuidedVisit, now: datetime) -> None:
    """Answer only if nobody has: of two answers sent at once, the database lets one through."""
    claimed = db.session.execute(
        update(GuidedVisit)
        .where(GuidedVisit.id == visit.id, GuidedVisit.state == ASKED)
        .values(answered_at=now, answered_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    if rows_changed(claimed) != 1:
        raise RuleViolation("This request has already been answered.")
    db.session.refresh(visit)


def answer(
    *, actor: User, visit: GuidedVisit, accept: bool, starts_at: datetime | None, note: str, now: datetime
) -> None:
    """Accept the session asked for, or offer another upcoming session with a note; once, before the session."""
    if not may_see_requests(actor, visit.partner_id):
        raise PermissionDenied()
    if not may_answer(visit.state, visit.ends_at, now):
        raise RuleViolation("This request has already been answered, or its session is over.")
    note = _length(note, NOTE_MAX, "note")
    session = None
    if not accept:
        session = _session(visit.activity, starts_at, now)
        check_offer(session.starts_at, visit.starts_at, note)
    with unit_of_work():
        _claim(actor, visit, now)
        visit.answer_note = note
        if session is None:
            visit.state = ACCEPTED
        else:
            visit.state, visit.starts_at, visit.ends_at = OFFERED, session.starts_at, session.ends_at
            visit.purge_after = purge_after(session.ends_at)
        record_event(
            actor=actor,
            action=f"guided_visit.{visit.state}",
            object_type="guided_visit",
            object_id=visit.id,
            summary=f"Guided first visit {visit.id}: {visit.state}",
            after={"starts_at": visit.starts_at.isoformat()},
        )
        _tell_person(visit, now)


def record_outcome(
    *, actor: User, visit: GuidedVisit, came: bool | None, came_back: bool | None, now: datetime
) -> None:
    """After the session: whether the person came and (later, and only if they came) came back."""
    if not may_see_requests(actor, visit.partner_id):
        raise PermissionDenied()
    check_outcome(visit.ends_at, now, came, came_back)
    with unit_of_work():
        visit.came, visit.came_back = came, came_back if came else None
        record_event(
            actor=actor,
            action="guided_visit.outcome",
            object_type="guided_visit",
            object_id=visit.id,
            summary=f"Guided first visit {visit.id}: what happened recorded",
            after={"came": came, "came_back": visit.came_back},
        )


def purge_expired_visits(*, now: datetime) -> int:
    """Blank the details of every request past its retention (first name, contact, the account
    that asked and the status link); the counts stay for the club's report. Returns how many."""
    with unit_of_work():
        gone = rows_changed(
            db.session.execute(
                update(GuidedVisit)
                .where(GuidedVisit.purge_after <= now, GuidedVisit.purged_at.is_(None))
                .values(first_name="", email="", phone="", requester_id=None, token_hash=None, purged_at=now)
                .execution_options(synchronize_session=False)
            )
        )
        if gone:
            record_event(
                actor=None,
                action="guided_visit.purged",
                object_type="guided_visit",
                object_id=None,
                summary=f"Removed the personal details of {gone} guided first visits past retention",
                after={"purged": gone},
            )
    return gone
