"""Partner organisations: finding, creating, editing, archiving. Every change is audited.

Partners are never deleted: bids, awards and activities keep pointing at them, so an
organisation that stops working with Creative Minds is archived (and can be restored).
"""

from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy import func, select

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.models import Locality
from ...core.data.unit_of_work import Conflict, refused_as, unit_of_work
from ...core.values.postcodes import InvalidPostcode, normalise_postcode
from ...core.values.timeutils import utcnow
from ...errors import NotFound, RuleViolation
from ...extensions import db
from ..access import (
    READER_ROLES,
    can_archive_partner,
    can_create_partner,
    can_edit_partner,
    can_view_partner,
    partner_ids_for_contact,
    require,
)
from ..agreements.rules import AgreementStatus, partner_status
from ..champions.services import link_creator_as_champion
from ..models import Partner, PartnerInterest
from ..validation import clean_text, name_key, normalise_charity_number, normalise_company_number, normalise_website
from ..vocabulary import INTERESTS, PARTNER_TYPES


class DuplicatePartner(RuleViolation):
    """The organisation is already registered; `existing` is its record, for a link to it."""

    def __init__(self, message: str, field: str, existing: Partner):
        super().__init__(message, field=field)
        self.existing = existing


ALREADY_REGISTERED = Conflict(
    "This organisation is already registered (same name, charity number or company number).", field="name"
)
MAX_LENGTHS = {
    "name": 200,
    "charity_number": 20,
    "company_number": 20,
    "address_line_1": 200,
    "address_line_2": 200,
    "town": 100,
    "postcode": 16,
    "website": 300,
    "description": 5000,
}


@dataclass(frozen=True)
class PartnerDetails:
    """The fields a person may set on a partner. Nothing else is ever bound from a form."""

    name: str
    type: str
    charity_number: str = ""
    company_number: str = ""
    address_line_1: str = ""
    address_line_2: str = ""
    town: str = ""
    postcode: str = ""
    website: str = ""
    description: str = ""
    locality_ids: list[int] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)


def get_partner(partner_id: int) -> Partner:
    partner = db.session.get(Partner, partner_id)
    if partner is None:
        raise NotFound()
    return partner


def partner_for_viewing(*, actor: User, partner_id: int) -> Partner:
    """The partner, if this person may see it. Raises NotFound, PermissionDenied."""
    partner = get_partner(partner_id)
    require(can_view_partner(actor, partner))
    return partner


def partner_for_editing(*, actor: User, partner_id: int) -> Partner:
    """The partner, if this person may edit it. Raises NotFound, PermissionDenied."""
    partner = get_partner(partner_id)
    require(can_edit_partner(actor, partner))
    return partner


@dataclass(frozen=True)
class PartnerFilters:
    text: str = ""
    locality_id: int | None = None
    type: str = ""
    interest: str = ""
    status: str = ""
    include_archived: bool = False


def search_partners(*, actor: User, filters: PartnerFilters, today: date) -> list[Partner]:
    """Partners matching every filter given, by name. Partner contacts (without another role
    that lets them read) see only their own organisations."""
    query = select(Partner).order_by(func.lower(Partner.name))
    if not actor.has_any_role(READER_ROLES):
        query = query.where(Partner.id.in_(partner_ids_for_contact(actor) or {-1}))
    if filters.text.strip():
        query = query.where(Partner.name_key.contains(name_key(filters.text), autoescape=True))
    if filters.locality_id:
        query = query.where(Partner.localities.any(Locality.id == filters.locality_id))
    if filters.type:
        query = query.where(Partner.type == filters.type)
    if filters.interest:
        query = query.where(Partner.interest_rows.any(PartnerInterest.interest == filters.interest))
    if not filters.include_archived:
        query = query.where(Partner.archived_at.is_(None))
    partners = list(db.session.scalars(query))
    if filters.status in AgreementStatus._value2member_map_:
        partners = [p for p in partners if partner_status(p, today=today).status == filters.status]
    return partners


def _normalised(details: PartnerDetails) -> dict:
    """The stored form of each field; RuleViolation (with the field) for anything refused."""
    values = {key: clean_text(value) if isinstance(value, str) else value for key, value in asdict(details).items()}
    values["name"] = " ".join(values["name"].split())
    for key, limit in MAX_LENGTHS.items():
        if len(values[key]) > limit:
            raise RuleViolation(f"Use at most {limit} characters.", field=key)
    if not name_key(values["name"]):
        raise RuleViolation("Enter the organisation's name.", field="name")
    if details.type not in PARTNER_TYPES:
        raise RuleViolation("Choose the type of organisation.", field="type")
    for key, normalise in (
        ("charity_number", normalise_charity_number),
        ("company_number", normalise_company_number),
        ("postcode", normalise_postcode),
        ("website", normalise_website),
    ):
        try:
            values[key] = normalise(values[key]) if values[key].strip() else None
        except (ValueError, InvalidPostcode) as error:
            raise RuleViolation(str(error), field=key) from error
    if details.type == "charity" and not values["charity_number"]:
        raise RuleViolation("Enter the charity number of a registered charity.", field="charity_number")
    if details.type in ("company", "cic") and not values["company_number"]:
        raise RuleViolation("Enter the Companies House number of a company or CIC.", field="company_number")
    if set(details.interests) - set(INTERESTS):
        raise RuleViolation("Choose interests from the list.", field="interests")
    values["website"] = values["website"] or ""
    return values


def checked_details(details: PartnerDetails) -> dict:
    """The partner rules without saving anything (an application is checked as a partner would be)."""
    values = _normalised(details)
    _localities(values["locality_ids"])
    return values


def _refuse_duplicates(values: dict, partner_id: int | None) -> None:
    checks = (
        ("charity_number", Partner.charity_number, values["charity_number"], "charity number"),
        ("company_number", Partner.company_number, values["company_number"], "company number"),
        ("name", Partner.name_key, name_key(values["name"]), "name"),
    )
    for field_name, column, value, what in checks:
        if not value:
            continue
        existing = db.session.scalar(select(Partner).where(column == value, Partner.id != (partner_id or -1)))
        if existing is not None:
            raise DuplicatePartner(
                f"{existing.name} is already registered with this {what}.", field=field_name, existing=existing
            )


def _localities(ids: list[int]) -> list[Locality]:
    localities = list(db.session.scalars(select(Locality).where(Locality.id.in_(ids or [-1]))))
    if not localities or len(localities) != len(set(ids)):
        raise RuleViolation("Choose at least one locality the organisation serves.", field="locality_ids")
    return localities


def _apply(partner: Partner, values: dict) -> None:
    for key in (
        "name",
        "type",
        "charity_number",
        "company_number",
        "address_line_1",
        "address_line_2",
        "town",
        "postcode",
        "website",
        "description",
    ):
        setattr(partner, key, values[key].strip() if isinstance(values[key], str) else values[key])
    partner.name_key = name_key(values["name"])
    partner.localities = _localities(values["locality_ids"])
    wanted = sorted(set(values["interests"]))
    partner.interest_rows[:] = [row for row in partner.interest_rows if row.interest in wanted]
    partner.interest_rows.extend(PartnerInterest(interest=code) for code in wanted if code not in partner.interests)


def snapshot(partner: Partner) -> dict:
    return {
        "name": partner.name,
        "type": partner.type,
        "charity_number": partner.charity_number,
        "company_number": partner.company_number,
        "address_line_1": partner.address_line_1,
        "address_line_2": partner.address_line_2,
        "town": partner.town,
        "postcode": partner.postcode,
        "website": partner.website,
        "description": partner.description,
        "localities": [locality.slug for locality in partner.localities],
        "interests": partner.interests,
    }


def create_partner(*, actor: User, details: PartnerDetails) -> Partner:
    """Register an organisation. Coordinators and champions may; it starts as prospective (no
    agreement). A champion who creates one is linked to it, so they can keep it up to date.
    Raises PermissionDenied, RuleViolation for a refused field, DuplicatePartner."""
    with unit_of_work():
        require(can_create_partner(actor))
        values = _normalised(details)
        _refuse_duplicates(values, None)
        partner = Partner(created_by_id=actor.id)
        _apply(partner, values)
        with refused_as(ALREADY_REGISTERED):
            db.session.add(partner)
        record_event(
            actor=actor,
            action="partner.created",
            object_type="partner",
            object_id=partner.id,
            summary=f"Partner {partner.name} registered",
            after=snapshot(partner),
        )
        if not actor.is_coordinator:
            link_creator_as_champion(actor=actor, partner=partner)
    return partner


def update_partner(*, actor: User, partner: Partner, details: PartnerDetails) -> Partner:
    """Change a partner's details: coordinators, its linked champions and its own partner
    contacts. Raises PermissionDenied, RuleViolation (also for an archived partner), DuplicatePartner."""
    with unit_of_work():
        require(can_edit_partner(actor, partner))
        if partner.is_archived:
            raise RuleViolation("This partner is archived. A coordinator can restore it first.")
        values = _normalised(details)
        _refuse_duplicates(values, partner.id)
        before = snapshot(partner)
        with refused_as(ALREADY_REGISTERED):
            _apply(partner, values)
        after = snapshot(partner)
        if after != before:
            record_event(
                actor=actor,
                action="partner.updated",
                object_type="partner",
                object_id=partner.id,
                summary=f"Details of {partner.name} changed",
                before=before,
                after=after,
            )
    return partner


def set_archived(*, actor: User, partner: Partner, archived: bool) -> Partner:
    """Archive (or restore) a partner; coordinators only. Its records stay. Raises PermissionDenied."""
    with unit_of_work():
        require(can_archive_partner(actor))
        if partner.is_archived == archived:
            return partner
        partner.archived_at = utcnow() if archived else None
        action, words = ("partner.archived", "archived") if archived else ("partner.restored", "restored")
        record_event(
            actor=actor,
            action=action,
            object_type="partner",
            object_id=partner.id,
            summary=f"Partner {partner.name} {words}",
        )
    return partner
