"""A member's register of interests: connections to organisations, kept up to date by the
member themself. Being connected is normal; recording it keeps decisions fair and open."""

from datetime import date

from sqlalchemy import select

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.unit_of_work import unit_of_work
from ...errors import NotFound, PermissionDenied, RuleViolation
from ...extensions import db
from ...partners.models import Partner
from ..models import Interest


def interests_of(*, user: User) -> list[Interest]:
    """Current interests first, then ended ones; newest first within each."""
    return list(
        db.session.scalars(
            select(Interest)
            .where(Interest.user_id == user.id)
            .order_by(Interest.ended_on.is_not(None), Interest.since.desc(), Interest.id)
        )
    )


def partner_choices() -> list[tuple[int, str]]:
    """Partners a member can link an interest to (archived ones are left out)."""
    rows = db.session.execute(
        select(Partner.id, Partner.name).where(Partner.archived_at.is_(None)).order_by(Partner.name)
    )
    return [(partner_id, name) for partner_id, name in rows]


def get_interest(*, actor: User, interest_id: int) -> Interest:
    """An interest of the actor's own register. NotFound if unknown; PermissionDenied if it
    belongs to someone else."""
    interest = db.session.get(Interest, interest_id)
    if interest is None:
        raise NotFound()
    if interest.user_id != actor.id:
        raise PermissionDenied()
    return interest


def _partner(partner_id: int | None) -> Partner | None:
    if partner_id is None:
        return None
    partner = db.session.get(Partner, partner_id)
    if partner is None or partner.archived_at is not None:
        raise RuleViolation("Choose a partner from the list, or none.", field="partner_id")
    return partner


def add_interest(
    *, actor: User, organisation_name: str, nature: str, since: date, today: date, partner_id: int | None = None
) -> Interest:
    """Add to the actor's own register. When a partner is chosen and no organisation name
    is given, the partner's name is used. RuleViolation for a start date in the future."""
    with unit_of_work():
        partner = _partner(partner_id)
        name = organisation_name.strip() or (partner.name if partner else "")
        if not name:
            raise RuleViolation("Enter the name of the organisation.", field="organisation_name")
        if not nature.strip():
            raise RuleViolation("Say what the connection is.", field="nature")
        if since > today:
            raise RuleViolation("The start date must be today or in the past.", field="since")
        interest = Interest(
            user_id=actor.id,
            organisation_name=name[:200],
            nature=nature.strip()[:500],
            since=since,
            partner_id=partner.id if partner else None,
        )
        db.session.add(interest)
        db.session.flush()
        record_event(
            actor=actor,
            action="interest.added",
            object_type="interest",
            object_id=interest.id,
            summary=f"{actor.name} recorded a connection with {name}",
            after={"organisation": name, "partner_id": interest.partner_id, "since": since.isoformat()},
        )
    return interest


def end_interest(*, actor: User, interest: Interest, ended_on: date, today: date) -> None:
    """Mark the actor's own interest as ended. PermissionDenied for someone else's;
    RuleViolation when already ended, before it began, or in the future."""
    with unit_of_work():
        if interest.user_id != actor.id:
            raise PermissionDenied()
        if interest.ended_on is not None:
            raise RuleViolation("This connection has already ended.", field="ended_on")
        if ended_on > today:
            raise RuleViolation("The end date must be today or in the past.", field="ended_on")
        if ended_on < interest.since:
            raise RuleViolation("The end date must be on or after the date it began.", field="ended_on")
        interest.ended_on = ended_on
        record_event(
            actor=actor,
            action="interest.ended",
            object_type="interest",
            object_id=interest.id,
            summary=f"{actor.name} ended a connection with {interest.organisation_name}",
            after={"ended_on": ended_on.isoformat()},
        )
