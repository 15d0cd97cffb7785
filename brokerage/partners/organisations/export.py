"""Partners as CSV for coordinators: one row per partner, with the columns a spreadsheet
user expects, and cells that a spreadsheet would run as formulas made inert."""

import csv
import io
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from ...accounts.models import User
from ...extensions import db
from ..access import can_export_partners, require
from ..agreements.rules import partner_status, safeguarding_review_due
from ..models import ChampionLink, ChampionProfile, Partner, PartnerContact
from ..vocabulary import interest_label

HEADERS = [
    "Partner ID",
    "Name",
    "Type",
    "Charity number",
    "Company number",
    "Address line 1",
    "Address line 2",
    "Town",
    "Postcode",
    "Localities served",
    "Interests",
    "Website",
    "Agreement status",
    "Agreement signed",
    "Agreement expires",
    "Insurance expires",
    "Safeguarding policy reviewed",
    "Safeguarding review due",
    "DBS arrangements",
    "Primary contact",
    "Primary contact role",
    "Primary contact email",
    "Primary contact phone",
    "Linked champions",
    "Archived on",
]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """Text for one cell: dates as YYYY-MM-DD, None as empty, and anything a spreadsheet
    would treat as a formula (starting = + - @, tab or carriage return) prefixed with '.
    Numbers are written as they are: a negative number is not a formula."""
    if value is None:
        return ""
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return str(value)
    text = value.isoformat() if isinstance(value, date) else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _primary_contacts(ids: list[int]) -> dict[int, PartnerContact]:
    contacts = db.session.scalars(
        select(PartnerContact).where(PartnerContact.partner_id.in_(ids), PartnerContact.is_primary.is_(True))
    )
    return {contact.partner_id: contact for contact in contacts}


def _champion_names(ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    rows = db.session.execute(
        select(ChampionLink.partner_id, User.name)
        .join(ChampionProfile, ChampionProfile.id == ChampionLink.champion_id)
        .join(User, User.id == ChampionProfile.user_id)
        .where(ChampionLink.partner_id.in_(ids))
        .order_by(User.name)
    )
    for partner_id, name in rows:
        names.setdefault(partner_id, []).append(name)
    return names


def _row(partner: Partner, today: date, primary: PartnerContact | None, champions: list[str]) -> list:
    agreement = partner.agreement
    terms = (
        [
            agreement.signed_on,
            agreement.expires_on,
            agreement.insurance_expires_on,
            agreement.safeguarding_reviewed_on,
            safeguarding_review_due(agreement),
            agreement.dbs_arrangements,
        ]
        if agreement
        else [None] * 6
    )
    contact = [primary.name, primary.role, primary.email, primary.phone] if primary else [None] * 4
    return [
        partner.id,
        partner.name,
        partner.type_label,
        partner.charity_number,
        partner.company_number,
        partner.address_line_1,
        partner.address_line_2,
        partner.town,
        partner.postcode,
        "; ".join(locality.name for locality in partner.localities),
        "; ".join(interest_label(code) for code in partner.interests),
        partner.website,
        partner_status(partner, today=today).status.label,
        *terms,
        *contact,
        "; ".join(champions),
        partner.archived_at.date() if partner.archived_at else None,
    ]


def partners_csv(*, actor: User, partners: Iterable[Partner], today: date) -> str:
    """The CSV text (with a byte-order mark so spreadsheet programs read it as UTF-8).
    Coordinators only: it holds contacts' details. Raises PermissionDenied."""
    require(can_export_partners(actor))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    partners = list(partners)
    ids = [partner.id for partner in partners]
    primaries, champions = _primary_contacts(ids), _champion_names(ids)
    for partner in partners:
        row = _row(partner, today, primaries.get(partner.id), champions.get(partner.id, []))
        writer.writerow([safe_cell(value) for value in row])
    return "\ufeff" + buffer.getvalue()
