"""Applying to become a community partner, and a coordinator's decision. Every step is audited and
writes its emails (kind "partner_application"; an invitation for an accepted contact) in its own
unit of work, so a message exists if and only if its change committed."""

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import select, update

from ...accounts.models import User, UserRole
from ...accounts.services import find_user_by_email, invite_user, set_roles
from ...accounts.throttle import take_places
from ...audit.services import record_event
from ...core.data.results import rows_changed
from ...core.data.unit_of_work import unit_of_work
from ...core.values.roles import Role
from ...core.values.tokens import keyed_hash
from ...core.web.links import absolute_url
from ...errors import NotFound, PermissionDenied, RuleViolation
from ...extensions import db
from ...notifications.services import Recipient, notify
from ..organisations.services import PartnerDetails, checked_details, create_partner
from ..people.services import ContactDetails, add_contact, checked_contact, link_account
from ..validation import clean_text
from ..vocabulary import PARTNER_TYPES
from .access import may_review_applications
from .models import PartnerApplication
from .rules import ACCEPTED, DECLINED, LONGEST_PROPOSAL, LONGEST_REASON, PENDING, looks_automated, may_decide

ALREADY_DECIDED = "This application has already been decided."
CONTACT_FIELDS = {"name": "contact_name", "email": "contact_email", "phone": "contact_phone"}


@dataclass(frozen=True)
class ApplicationDetails:
    """What an organisation may tell us when it applies. Nothing else is bound from the form."""

    name: str
    type: str
    contact_name: str
    contact_email: str
    proposal: str
    charity_number: str = ""
    company_number: str = ""
    contact_phone: str = ""
    locality_ids: list[int] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)


def _partner_details(details: ApplicationDetails) -> PartnerDetails:
    return PartnerDetails(
        name=details.name,
        type=details.type,
        charity_number=details.charity_number,
        company_number=details.company_number,
        locality_ids=list(details.locality_ids),
        interests=list(details.interests),
    )


def _checked(details: ApplicationDetails) -> tuple[dict, ContactDetails, str]:
    """The partner rules and the contact rules, as for a partner registered by a coordinator, and an
    email address (the answer goes there) and a proposal are needed. RuleViolation names the field."""
    values = checked_details(_partner_details(details))
    try:
        contact = checked_contact(
            ContactDetails(
                name=details.contact_name, email=details.contact_email, phone=details.contact_phone, is_primary=True
            )
        )
    except RuleViolation as error:
        raise RuleViolation(error.message, field=CONTACT_FIELDS.get(error.field or "", error.field)) from error
    if not contact.email:
        raise RuleViolation("Enter an email address for the contact, so that we can answer.", field="contact_email")
    proposal = clean_text(details.proposal)
    if not proposal:
        raise RuleViolation("Say what your organisation would like to do with Creative Minds.", field="proposal")
    if len(proposal) > LONGEST_PROPOSAL:
        raise RuleViolation(f"Use at most {LONGEST_PROPOSAL} characters.", field="proposal")
    return values, contact, proposal


def _counted(ip: str, now: datetime) -> bool:
    key = keyed_hash(current_app.config["SECRET_KEY"], "partner-application-ip:" + ip[:100])
    return take_places(
        [(key, current_app.config["PARTNER_APPLICATIONS_MAX_PER_IP"])],
        now=now,
        window=current_app.config["LOGIN_WINDOW"],
    )


def _tell_applicant(application: PartnerApplication, stage: str, subject: str, now: datetime, **context) -> None:
    notify(
        kind="partner_application",
        occasion=f"partner-application:{application.id}:{stage}",
        recipient=Recipient(application.contact_name, application.contact_email),
        subject=subject,
        why=f"You applied for {application.name} to become a Creative Minds community partner.",
        context=dict(context, stage=stage, organisation=application.name),
        now=now,
    )


def _tell_coordinators(application: PartnerApplication, now: datetime) -> None:
    coordinators = db.session.scalars(
        select(User).where(User.active.is_(True), User.role_rows.any(UserRole.role == Role.COORDINATOR.value))
    )
    link = absolute_url("partner_applications.detail", application_id=application.id)
    for coordinator in coordinators:
        notify(
            kind="partner_application",
            occasion=f"partner-application:{application.id}:new",
            recipient=Recipient(coordinator.name, coordinator.email, coordinator.id),
            subject="A new application to become a community partner",
            why="You are a Creative Minds coordinator, and coordinators decide applications.",
            context={"stage": "new", "organisation": application.name, "link": link},
            now=now,
        )


def apply(*, details: ApplicationDetails, honeypot: str | None, ip: str, now: datetime) -> PartnerApplication | None:
    """Record an application, acknowledge it to its contact and tell the coordinators. Returns None,
    saving and sending nothing, when the hidden field was filled in or this source address has
    applied too often lately (the applicant is thanked all the same). RuleViolation for a refused field."""
    if looks_automated(honeypot):
        return None
    values, contact, proposal = _checked(details)
    with unit_of_work():
        if not _counted(ip, now):
            return None
        application = PartnerApplication(
            name=values["name"],
            type=values["type"],
            charity_number=values["charity_number"],
            company_number=values["company_number"],
            contact_name=contact.name,
            contact_email=contact.email,
            contact_phone=contact.phone,
            locality_ids=sorted(set(values["locality_ids"])),
            interests=sorted(set(values["interests"])),
            proposal=proposal,
            state=PENDING,
            created_at=now,
        )
        db.session.add(application)
        db.session.flush()
        record_event(
            actor=None,
            action="partner_application.received",
            object_type="partner_application",
            object_id=application.id,
            summary=f"{application.name} applied to become a partner",
        )
        _tell_applicant(application, "received", "We have your application to become a community partner", now)
        _tell_coordinators(application, now)
    return application


def get_application(*, actor: User, application_id: int) -> PartnerApplication:
    if not may_review_applications(actor):
        raise PermissionDenied()
    application = db.session.get(PartnerApplication, application_id)
    if application is None:
        raise NotFound()
    return application


def _claim(actor: User, application: PartnerApplication, state: str, now: datetime) -> None:
    """Decide the application only if it is still pending: of two decisions sent at once, the database
    lets one through (the other waits for its row lock, then finds it decided)."""
    if not may_review_applications(actor):
        raise PermissionDenied()
    if not may_decide(application.state):
        raise RuleViolation(ALREADY_DECIDED)
    claimed = db.session.execute(
        update(PartnerApplication)
        .where(PartnerApplication.id == application.id, PartnerApplication.state == PENDING)
        .values(state=state, decided_at=now, decided_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    if rows_changed(claimed) != 1:
        raise RuleViolation(ALREADY_DECIDED)
    db.session.refresh(application)


def _contact_account(actor: User, application: PartnerApplication, now: datetime) -> tuple[User, bool]:
    """The contact's account, invited as a partner contact if they have none (True: invited)."""
    user = find_user_by_email(application.contact_email)
    if user is None:
        user, _ = invite_user(
            actor=actor,
            email=application.contact_email,
            name=application.contact_name,
            roles=[Role.PARTNER_CONTACT],
            now=now,
        )
        return user, True
    if not user.has_role(Role.PARTNER_CONTACT):
        set_roles(actor=actor, user=user, roles=user.roles | {Role.PARTNER_CONTACT})
    return user, False


def accept(*, actor: User, application: PartnerApplication, now: datetime):
    """Register the organisation as a prospective partner (through the partner service, so its rules
    and duplicate checks hold), with its contact as the primary contact and an account that acts for
    it (invited by email if new). All or nothing. Raises PermissionDenied, RuleViolation, DuplicatePartner."""
    with unit_of_work():
        _claim(actor, application, ACCEPTED, now)
        partner = create_partner(
            actor=actor,
            details=PartnerDetails(
                name=application.name,
                type=application.type,
                charity_number=application.charity_number or "",
                company_number=application.company_number or "",
                description=application.proposal,
                locality_ids=list(application.locality_ids),
                interests=list(application.interests),
            ),
        )
        add_contact(
            actor=actor,
            partner=partner,
            details=ContactDetails(
                name=application.contact_name,
                email=application.contact_email,
                phone=application.contact_phone,
                is_primary=True,
            ),
        )
        user, invited = _contact_account(actor, application, now)
        link_account(actor=actor, partner=partner, user=user)
        application.partner_id = partner.id
        if not invited:
            _tell_applicant(
                application,
                "accepted",
                "Your organisation is now a Creative Minds community partner",
                now,
                link=absolute_url("partners.partner_detail", partner_id=partner.id),
            )
        record_event(
            actor=actor,
            action="partner_application.accepted",
            object_type="partner_application",
            object_id=application.id,
            summary=f"Application from {application.name} accepted",
            after={"partner_id": partner.id},
        )
    return partner


def decline(*, actor: User, application: PartnerApplication, reason: str, now: datetime) -> None:
    """Decline with a reason, which is emailed to the applicant. Raises PermissionDenied, RuleViolation."""
    reason = clean_text(reason)
    if not reason:
        raise RuleViolation("Say why the application is declined. The applicant will read it.", field="reason")
    if len(reason) > LONGEST_REASON:
        raise RuleViolation(f"Use at most {LONGEST_REASON} characters.", field="reason")
    with unit_of_work():
        _claim(actor, application, DECLINED, now)
        application.decline_reason = reason
        _tell_applicant(application, "declined", "Your application to become a community partner", now, reason=reason)
        record_event(
            actor=actor,
            action="partner_application.declined",
            object_type="partner_application",
            object_id=application.id,
            summary=f"Application from {application.name} declined",
            after={"reason": reason},
        )


def type_label(code: str) -> str:
    return PARTNER_TYPES.get(code, code)
