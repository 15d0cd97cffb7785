"""One-time links: a worker creates a link for a participant code and timepoint; the participant
answers through it without an account. Only the token's SHA-256 is stored; a link works once and
expires after LINK_LIFETIME."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.results import rows_changed
from ...core.data.unit_of_work import unit_of_work
from ...core.values.timeutils import london_today
from ...errors import RuleViolation
from ...extensions import db
from .access import require_record
from .models import TIMEPOINTS, OutcomeParticipant, WellbeingLink
from .services import MeasureAnswers, existing_measure, save_measure

LINK_LIFETIME = timedelta(days=14)


class LinkUnusable(Exception):
    """The link is unknown, used or expired; `reason` is 'unknown', 'used' or 'expired'."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CreatedLink:
    link: WellbeingLink
    token: str  # shown once to the worker; never stored


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_link(*, actor: User, participant: OutcomeParticipant, timepoint: str, now: datetime) -> CreatedLink:
    """A one-time link for this code and timepoint, valid for 14 days. Raises PermissionDenied unless
    the actor may record for the project; RuleViolation for an unknown timepoint or one already recorded."""
    with unit_of_work():
        require_record(actor, participant.activity)
        if timepoint not in TIMEPOINTS:
            raise RuleViolation("Choose which measure the link is for.", field="timepoint")
        if existing_measure(participant, timepoint) is not None:
            raise RuleViolation(
                f"Participant {participant.code} already has a {TIMEPOINTS[timepoint].lower()} measure.",
                field="timepoint",
            )
        token = secrets.token_urlsafe(32)
        link = WellbeingLink(
            participant_id=participant.id,
            timepoint=timepoint,
            token_hash=_hash(token),
            created_by_id=actor.id,
            created_at=now,
            expires_at=now + LINK_LIFETIME,
        )
        db.session.add(link)
        db.session.flush()
        record_event(
            actor=actor,
            action="outcomes.link_created",
            object_type="wellbeing_link",
            object_id=link.id,
            summary=f"One-time wellbeing link for {participant.code} ({TIMEPOINTS[timepoint]})",
            after={"participant": participant.code, "timepoint": timepoint, "expires_at": link.expires_at.isoformat()},
        )
    return CreatedLink(link=link, token=token)


def usable_link(token: str, *, now: datetime) -> WellbeingLink:
    """The link for this token if it can still be answered; LinkUnusable otherwise."""
    link = db.session.scalar(select(WellbeingLink).where(WellbeingLink.token_hash == _hash(token)))
    if link is None:
        raise LinkUnusable("unknown")
    if link.used_at is not None:
        raise LinkUnusable("used")
    if now >= link.expires_at:
        raise LinkUnusable("expired")
    return link


def answer_by_link(*, token: str, items: tuple[int | None, ...], now: datetime) -> None:
    """Save the participant's own answers, dated today in London, and spend the link. Raises
    LinkUnusable for an unknown, used or expired link (including one spent by a concurrent answer),
    RuleViolation for bad answers; nothing is saved then."""
    with unit_of_work():
        link = usable_link(token, now=now)
        spent = db.session.execute(
            update(WellbeingLink)
            .where(WellbeingLink.id == link.id, WellbeingLink.used_at.is_(None))
            .values(used_at=now)
        )
        if rows_changed(spent) != 1:
            raise LinkUnusable("used")
        answers = MeasureAnswers(timepoint=link.timepoint, measured_on=london_today(now), items=items)
        save_measure(actor=None, participant=link.participant, answers=answers, entered_by="participant", now=now)
