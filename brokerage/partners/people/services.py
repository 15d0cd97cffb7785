"""A partner's people: named contacts (one primary), and the user accounts that act for it.
Every change is audited on the partner."""

import re
from dataclasses import asdict, dataclass

from sqlalchemy import func, select, update

from ...accounts.models import User, UserRole
from ...audit.services import record_event
from ...core.data.unit_of_work import unit_of_work
from ...core.values.roles import Role
from ...errors import NotFound, RuleViolation
from ...extensions import db
from ..access import can_edit_partner, can_link_people, require
from ..models import Partner, PartnerContact, PartnerUser
from ..validation import clean_text, normalise_phone

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class ContactDetails:
    name: str
    role: str = ""
    email: str = ""
    phone: str = ""
    is_primary: bool = False


def get_contact(*, partner: Partner, contact_id: int) -> PartnerContact:
    contact = db.session.get(PartnerContact, contact_id)
    if contact is None or contact.partner_id != partner.id:
        raise NotFound()
    return contact


def _check(details: ContactDetails) -> ContactDetails:
    details = ContactDetails(
        name=clean_text(details.name),
        role=clean_text(details.role),
        email=clean_text(details.email),
        phone=clean_text(details.phone),
        is_primary=details.is_primary,
    )
    for field, limit in (("name", 120), ("role", 120), ("email", 254), ("phone", 40)):
        if len(getattr(details, field)) > limit:
            raise RuleViolation(f"Use at most {limit} characters.", field=field)
    name = " ".join(details.name.split())
    if not name:
        raise RuleViolation("Enter the contact's name.", field="name")
    email = details.email.strip().lower()
    if email and not _EMAIL.match(email):
        raise RuleViolation("Enter an email address in the right format, like name@example.org.", field="email")
    try:
        phone = normalise_phone(details.phone)
    except ValueError as error:
        raise RuleViolation(str(error), field="phone") from error
    return ContactDetails(name=name, role=details.role.strip(), email=email, phone=phone, is_primary=details.is_primary)


def checked_contact(details: ContactDetails) -> ContactDetails:
    """The contact rules without saving anything. Raises RuleViolation (with the field)."""
    return _check(details)


def _editable(actor: User, partner: Partner) -> None:
    require(can_edit_partner(actor, partner))
    if partner.is_archived:
        raise RuleViolation("This partner is archived. A coordinator can restore it first.")


def _save(contact: PartnerContact, details: ContactDetails) -> None:
    """Exactly one primary contact: the first one added, or whichever is made primary."""
    others = [c for c in contact.partner.contacts if c is not contact]
    make_primary = details.is_primary or not any(c.is_primary for c in others)
    if make_primary:
        db.session.execute(
            update(PartnerContact)
            .where(PartnerContact.partner_id == contact.partner_id, PartnerContact.id != (contact.id or -1))
            .values(is_primary=False)
        )
    for key, value in asdict(details).items():
        setattr(contact, key, value)
    contact.is_primary = make_primary
    db.session.flush()


def add_contact(*, actor: User, partner: Partner, details: ContactDetails) -> PartnerContact:
    """Add a named contact; whoever may edit the partner may. The first becomes primary.
    Raises PermissionDenied, RuleViolation."""
    with unit_of_work():
        _editable(actor, partner)
        details = _check(details)
        contact = PartnerContact(partner=partner, name=details.name)
        db.session.add(contact)
        _save(contact, details)
        record_event(
            actor=actor,
            action="partner.contact_added",
            object_type="partner",
            object_id=partner.id,
            summary=f"Contact {contact.name} added to {partner.name}",
            after=asdict(details),
        )
    return contact


def update_contact(*, actor: User, contact: PartnerContact, details: ContactDetails) -> PartnerContact:
    """Change a contact. The primary contact stays primary until another is made primary.
    Raises PermissionDenied, RuleViolation."""
    with unit_of_work():
        partner = contact.partner
        _editable(actor, partner)
        before = asdict(ContactDetails(contact.name, contact.role, contact.email, contact.phone, contact.is_primary))
        details = _check(details)
        _save(contact, details)
        record_event(
            actor=actor,
            action="partner.contact_updated",
            object_type="partner",
            object_id=partner.id,
            summary=f"Contact {contact.name} of {partner.name} changed",
            before=before,
            after=asdict(details),
        )
    return contact


def remove_contact(*, actor: User, contact: PartnerContact) -> None:
    """Remove a contact; if it was primary, the next one (by name) becomes primary.
    Raises PermissionDenied, RuleViolation."""
    with unit_of_work():
        partner = contact.partner
        _editable(actor, partner)
        was_primary, name = contact.is_primary, contact.name
        db.session.delete(contact)
        db.session.flush()
        remaining = sorted((c for c in partner.contacts if c is not contact), key=lambda c: c.name.casefold())
        if was_primary and remaining:
            remaining[0].is_primary = True
        record_event(
            actor=actor,
            action="partner.contact_removed",
            object_type="partner",
            object_id=partner.id,
            summary=f"Contact {name} removed from {partner.name}",
        )


def linked_accounts(partner: Partner) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(PartnerUser, PartnerUser.user_id == User.id)
            .where(PartnerUser.partner_id == partner.id)
            .order_by(func.lower(User.name))
        )
    )


def partners_for_account(user: User) -> list[Partner]:
    return list(
        db.session.scalars(
            select(Partner).join(PartnerUser).where(PartnerUser.user_id == user.id).order_by(func.lower(Partner.name))
        )
    )


def partner_contact_users() -> list[User]:
    """Active users with the partner contact role, who may be linked to partners."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.active.is_(True), User.role_rows.any(UserRole.role == Role.PARTNER_CONTACT.value))
            .order_by(func.lower(User.name))
        )
    )


def link_account(*, actor: User, partner: Partner, user: User) -> None:
    """A coordinator lets a partner contact act for a partner. Raises PermissionDenied,
    RuleViolation (the user lacks the role, or is already linked)."""
    with unit_of_work():
        require(can_link_people(actor))
        if not user.has_role(Role.PARTNER_CONTACT):
            raise RuleViolation(
                f"{user.name} does not have the partner contact role. Give it to them first.", field="user"
            )
        if db.session.scalar(
            select(PartnerUser.id).where(PartnerUser.partner_id == partner.id, PartnerUser.user_id == user.id)
        ):
            raise RuleViolation(f"{user.name} can already act for {partner.name}.", field="user")
        db.session.add(PartnerUser(partner_id=partner.id, user_id=user.id))
        db.session.flush()
        record_event(
            actor=actor,
            action="partner.account_linked",
            object_type="partner",
            object_id=partner.id,
            summary=f"{user.name} can now act for {partner.name}",
        )


def unlink_account(*, actor: User, partner: Partner, user: User) -> None:
    """A coordinator stops an account acting for a partner. Raises PermissionDenied, NotFound."""
    with unit_of_work():
        require(can_link_people(actor))
        link = db.session.scalar(
            select(PartnerUser).where(PartnerUser.partner_id == partner.id, PartnerUser.user_id == user.id)
        )
        if link is None:
            raise NotFound()
        db.session.delete(link)
        record_event(
            actor=actor,
            action="partner.account_unlinked",
            object_type="partner",
            object_id=partner.id,
            summary=f"{user.name} can no longer act for {partner.name}",
        )
