"""Demo partners, agreements, contacts and champions from seed/partners.json, loaded through
the services (so they obey the same rules) and idempotently: partners that already exist
(by name) are left as they are. Agreement dates are days relative to the day of seeding, so
the demo always shows partners in every state."""

import json
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from ..accounts.services import find_user_by_email
from ..core.data.models import Locality
from ..core.values.timeutils import london_today
from ..extensions import db
from .agreements.rules import AgreementTerms
from .agreements.services import save_agreement
from .champions import services as champions
from .models import Partner
from .organisations.services import PartnerDetails, create_partner
from .people import services as contacts
from .validation import name_key

PARTNER_FIELDS = (
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
    "interests",
)


def _days(today: date, key: str, row: dict, sign: int) -> date | None:
    return today + timedelta(days=sign * row[key]) if key in row else None


def _terms(row: dict, today: date) -> AgreementTerms:
    return AgreementTerms(
        signed_on=_days(today, "signed_days_ago", row, -1),
        expires_on=_days(today, "expires_in_days", row, 1),
        insurance_expires_on=_days(today, "insurance_expires_in_days", row, 1),
        safeguarding_reviewed_on=_days(today, "safeguarding_reviewed_days_ago", row, -1),
        dbs_arrangements=row.get("dbs_arrangements", ""),
        notes=row.get("notes", ""),
    )


def _user(email: str):
    user = find_user_by_email(email)
    if user is None:
        raise LookupError(f"seed/partners.json names {email}, which is not in seed/users.json")
    return user


def _seed_champions(actor, rows: list[dict], localities: dict[str, int]) -> None:
    for row in rows:
        user = _user(row["email"])
        if champions.profile_for(user) is not None:
            continue
        details = champions.ChampionDetails(
            locality_ids=[localities[slug] for slug in row["localities"]],
            interests=row["interests"],
            about=row["about"],
        )
        champions.update_profile(
            actor=actor,
            champion=user,
            details=details,
            is_service_user=row["is_service_user"],
            is_staff=row["is_staff"],
        )


def _seed_partner(actor, row: dict, localities: dict[str, int], today: date) -> Partner:
    values = {key: row.get(key, [] if key == "interests" else "") for key in PARTNER_FIELDS}
    partner = create_partner(
        actor=actor, details=PartnerDetails(**values, locality_ids=[localities[slug] for slug in row["localities"]])
    )
    if "agreement" in row:
        save_agreement(actor=actor, partner=partner, terms=_terms(row["agreement"], today), today=today)
    for contact in row["contacts"]:
        contacts.add_contact(actor=actor, partner=partner, details=contacts.ContactDetails(**contact))
    for email in row["accounts"]:
        contacts.link_account(actor=actor, partner=partner, user=_user(email))
    for email in row["champions"]:
        champions.link_champion(actor=actor, partner=partner, champion=_user(email))
    return partner


def seed_partners(seed_dir: Path, today: date | None = None) -> int:
    """Load the demo partners that do not exist yet; returns how many were added."""
    data = json.loads((seed_dir / "partners.json").read_text(encoding="utf-8"))
    actor = _user(data["actor"])
    localities = {locality.slug: locality.id for locality in db.session.scalars(select(Locality))}
    _seed_champions(actor, data["champions"], localities)
    existing = set(db.session.scalars(select(Partner.name_key)))
    added = 0
    for row in data["partners"]:
        if name_key(row["name"]) not in existing:
            _seed_partner(actor, row, localities, today or london_today())
            added += 1
    return added
