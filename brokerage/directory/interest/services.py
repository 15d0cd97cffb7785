""" "I'm interested": people with no account leave an optional first name and contact (with
consent) against an activity; its editors see the list, mark people contacted and can start
a peer-led group from it. Entries are kept for RETENTION, then deleted and never shown.
Every change is audited, without the person's details in the audit trail.

A group is started from the list through the groups services. Contact consent given on the
activity page is not consent to join a group, so the editor picks people who have been
contacted and confirms that they agreed to be founding members; that agreement (dated today)
is what the group records as their consent."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import delete, func, select

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.results import rows_changed
from ...core.data.unit_of_work import unit_of_work
from ...core.values.timeutils import london_today
from ...core.values.tokens import keyed_hash
from ...errors import NotFound, RuleViolation
from ...extensions import db
from ...groups.access import require_can_start_groups
from ...groups.models import Group
from ...groups.people.services import NewPerson, add_person
from ...groups.services import GroupDetails, create_group
from ..listings.access import require_edit
from ..listings.models import Activity
from ..listings.pages import public_address
from .models import CONTACT_MAX, NAME_MAX, ActivityInterest

RETENTION = timedelta(days=183)
RETENTION_WORDS = "6 months"
RATE_WINDOW = timedelta(hours=24)
RATE_LIMIT = 5
_PHONE = re.compile(r"^\+?[0-9 ()-]{10,20}$")


class TooManyInterests(Exception):
    """This address has already said it is interested in this activity several times today."""


def _ip_key(activity: Activity, ip: str) -> str:
    return keyed_hash(current_app.config["SECRET_KEY"], f"interest:{activity.id}:{ip}")


def _contact_kind(contact: str) -> str:
    """'email', 'phone' or '' (none given); RuleViolation on the contact field otherwise."""
    if not contact:
        return ""
    if "@" in contact:
        try:
            validate_email(contact, check_deliverability=False)
        except EmailNotValidError:
            raise RuleViolation(
                "Enter an email address like name@example.org, or a phone number.", field="contact"
            ) from None
        return "email"
    if _PHONE.match(contact) and 10 <= sum(char.isdigit() for char in contact) <= 13:
        return "phone"
    raise RuleViolation("Enter a phone number like 01484 123456, or an email address.", field="contact")


def _check(first_name: str, contact: str, consent: bool) -> str:
    if len(first_name) > NAME_MAX:
        raise RuleViolation(f"Enter a first name of up to {NAME_MAX} characters.", field="first_name")
    if len(contact) > CONTACT_MAX:
        raise RuleViolation(f"Enter contact details of up to {CONTACT_MAX} characters.", field="contact")
    kind = _contact_kind(contact)
    if kind and not consent:
        raise RuleViolation(
            "Tick the box to agree to be contacted, or leave your contact details empty.", field="consent"
        )
    return kind


def register_interest(
    *, activity: Activity, first_name: str, contact: str, consent: bool, ip: str, now: datetime
) -> ActivityInterest:
    """Record that someone is interested. Contact details need consent and must look like an
    email address or UK phone number (RuleViolation with the field); ended activities refuse;
    more than RATE_LIMIT a day from one address for one activity raises TooManyInterests."""
    with unit_of_work():
        first_name, contact = first_name.strip(), contact.strip()
        kind = _check(first_name, contact, consent)
        if activity.status == "ended":
            raise RuleViolation("This activity has ended, so nobody will see your interest.")
        ip_key = _ip_key(activity, ip)
        recent = (
            db.session.scalar(
                select(func.count())
                .select_from(ActivityInterest)
                .where(ActivityInterest.ip_key == ip_key, ActivityInterest.created_at > now - RATE_WINDOW)
            )
            or 0
        )
        if recent >= RATE_LIMIT:
            raise TooManyInterests()
        interest = ActivityInterest(
            activity_id=activity.id,
            first_name=first_name,
            contact=contact,
            contact_kind=kind,
            consent_given=bool(consent and kind),
            created_at=now,
            expires_at=now + RETENTION,
            ip_key=ip_key,
        )
        db.session.add(interest)
        db.session.flush()
        record_event(
            actor=None,
            action="interest.registered",
            object_type="activity_interest",
            object_id=interest.id,
            summary=f"Someone is interested in {activity.title}",
            after={"activity_id": activity.id, "contact_given": bool(kind)},
        )
    return interest


def interest_list(*, actor: User, activity: Activity, now: datetime) -> list[ActivityInterest]:
    """Unexpired interest in the activity, oldest first; only its editors (PermissionDenied)."""
    require_edit(actor, activity)
    return list(
        db.session.scalars(
            select(ActivityInterest)
            .where(ActivityInterest.activity_id == activity.id, ActivityInterest.expires_at > now)
            .order_by(ActivityInterest.created_at, ActivityInterest.id)
        )
    )


def interest_in(activity: Activity, interest_id: int, now: datetime) -> ActivityInterest:
    """One unexpired entry of this activity; NotFound otherwise."""
    interest = db.session.get(ActivityInterest, interest_id)
    if interest is None or interest.activity_id != activity.id or interest.expires_at <= now:
        raise NotFound()
    return interest


def mark_contacted(*, actor: User, activity: Activity, interest_id: int, now: datetime) -> None:
    """An editor records that they have been in touch (PermissionDenied, NotFound;
    RuleViolation if it was already marked or there is nobody to contact)."""
    with unit_of_work():
        require_edit(actor, activity)
        interest = interest_in(activity, interest_id, now)
        if interest.contacted_at is not None:
            raise RuleViolation("This person is already marked as contacted.")
        if not interest.contact:
            raise RuleViolation("This person left no contact details.")
        interest.contacted_at = now
        record_event(
            actor=actor,
            action="interest.contacted",
            object_type="activity_interest",
            object_id=interest.id,
            summary=f"Marked someone interested in {activity.title} as contacted",
            after={"contacted_at": now.isoformat()},
        )


def purge_expired_interest(*, now: datetime) -> int:
    """Delete every entry past its retention period; returns how many went."""
    with unit_of_work():
        gone = rows_changed(db.session.execute(delete(ActivityInterest).where(ActivityInterest.expires_at <= now)))
        if gone:
            record_event(
                actor=None,
                action="interest.purged",
                object_type="activity_interest",
                object_id=None,
                summary=f"Deleted {gone} expired interest entries",
                after={"deleted": gone},
            )
    return gone


@dataclass(frozen=True)
class NewGroupFromInterest:
    name: str
    locality_id: int
    interest_ids: tuple[int, ...]
    agreed: bool


def _founders(activity: Activity, new: NewGroupFromInterest, now: datetime) -> list:
    if not new.interest_ids:
        raise RuleViolation("Choose at least one person who agreed to help start the group.", field="interest_ids")
    if not new.agreed:
        raise RuleViolation("Confirm that everyone you chose agreed to be a founding member.", field="agreed")
    founders = [interest_in(activity, interest_id, now) for interest_id in dict.fromkeys(new.interest_ids)]
    if any(person.contacted_at is None or not person.first_name for person in founders):
        raise RuleViolation("Choose only people with a first name whom you have contacted.", field="interest_ids")
    return founders


def start_group_from_interest(*, actor: User, activity: Activity, new: NewGroupFromInterest, now: datetime) -> Group:
    """Start a forming group (groups.services.create_group) with the chosen people as founding
    members (groups.people.add_person, with their contact and consent). Only a coordinator or
    champion who may edit the activity (PermissionDenied); RuleViolation for a missing choice.
    The group and its founding members are committed together, or not at all (one unit of work
    that the groups services join), each audited by the groups services."""
    require_edit(actor, activity)
    require_can_start_groups(actor)
    founders = _founders(activity, new, now)
    if not new.name.strip():
        raise RuleViolation("Enter a name for the group.", field="name")
    with unit_of_work():
        group = create_group(
            actor=actor,
            details=GroupDetails(
                name=new.name.strip()[:120],
                aims=f"People who enjoy {activity.title} meeting as a peer-led group.",
                activity=activity.title,
                locality_id=new.locality_id,
                meeting_place=public_address(activity)[:300],
                meeting_place_private=False,
            ),
        )
        for person in founders:
            add_person(
                actor=actor,
                group=group,
                new=NewPerson(
                    name=person.first_name,
                    contact=person.contact or None,
                    consent_given=True,
                    consent_on=london_today(now),
                ),
            )
    return group
