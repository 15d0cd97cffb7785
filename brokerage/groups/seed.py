"""Demo groups from seed/groups.json, loaded through the services and idempotently (a group that
already exists, by name, is left alone). Dates are days before the day of seeding, so the founding
meeting is never in the future: one group is half-way through choosing its constitution, the other
has adopted it, is working through its readiness checklist and is hosted by a demo partner (whose
contact approves the agreement and records money received; an expense waits for officers' approval)."""

import json
from datetime import date, timedelta
from pathlib import Path
from typing import overload

from sqlalchemy import select

from ..accounts.models import User
from ..accounts.services import find_user_by_email
from ..core.data.models import Locality
from ..core.values.timeutils import london_today
from ..extensions import db
from ..partners.models import Partner
from . import services
from .constitution import services as drafting
from .hosting import expenses
from .hosting import services as hosting
from .meetings import services as meetings
from .models import Group
from .people import services as people
from .services import GroupDetails, create_group


@overload
def _ago(today: date, days: int) -> date: ...
@overload
def _ago(today: date, days: int | None) -> date | None: ...
def _ago(today: date, days: int | None) -> date | None:
    return today - timedelta(days=days) if days is not None else None


def _user(email: str) -> User:
    user = find_user_by_email(email)
    if user is None:
        raise LookupError(f"seed/groups.json names {email}, which is not in seed/users.json")
    return user


def _members(actor, group: Group, rows: list[dict], today: date) -> dict[str, int]:
    for row in rows:
        consent_on = _ago(today, row.get("consent_days_ago"))
        people.add_person(
            actor=actor,
            group=group,
            new=people.NewPerson(
                name=row["name"],
                contact=row.get("contact"),
                consent_given=consent_on is not None,
                consent_on=consent_on,
                account_email=row.get("account"),
            ),
        )
    return {person.name: person.id for person in group.people}


def _founding(actor, group: Group, row: dict, ids: dict[str, int], today: date) -> None:
    meetings.record_founding_meeting(
        actor=actor,
        group=group,
        record=meetings.MeetingRecord(
            held_on=_ago(today, int(row["held_days_ago"])),
            attendee_ids=tuple(ids[name] for name in row["present"]),
            proposer_id=ids[row["proposer"]],
            seconder_id=ids[row["seconder"]],
            votes_for=row["for"],
            votes_against=row["against"],
            votes_abstain=row["abstain"],
        ),
    )


def _roles(actor, group: Group, row: dict, ids: dict[str, int]) -> None:
    if "officers" in row:
        people.set_officers(actor=actor, group=group, holders={o: ids[name] for o, name in row["officers"].items()})
    if "committee" in row or "signatories" in row:
        people.set_committee_and_signatories(
            actor=actor,
            group=group,
            committee_ids={ids[name] for name in row.get("committee", [])},
            signatory_ids={ids[name] for name in row.get("signatories", [])},
        )


def _hosting(actor, group: Group, row: dict, ids: dict[str, int], today: date) -> None:
    """Apply to the partner, approve as its contact, record money received and submit expenses."""
    partner = db.session.scalar(select(Partner).where(Partner.name == row["partner"]))
    if partner is None:
        raise LookupError(f"seed/groups.json names the host {row['partner']}, which is not in seed/partners.json")
    held = hosting.apply_for_hosting(actor=actor, group=group, partner_id=partner.id, request=row["request"])
    host = _user(row["host"])
    hosting.approve_hosting(
        actor=host,
        hosting=held,
        terms=hosting.Terms(
            starts_on=_ago(today, row["starts_days_ago"]),
            expires_on=today + timedelta(days=row["expires_in_days"]),
            fee_percent=row["fee_percent"],
        ),
    )
    for money in row["received"]:
        hosting.record_money_received(
            actor=host,
            hosting=held,
            amount_pence=money["amount"],
            received_on=_ago(today, int(money["days_ago"])),
            note=money["note"],
        )
    for claim in row["expenses"]:
        expenses.submit_expense(
            actor=actor,
            hosting=held,
            new=expenses.NewExpense(
                description=claim["description"], amount_pence=claim["amount"], claimant_id=ids[claim["claimant"]]
            ),
        )


def _seed_group(row: dict, localities: dict[str, int], today: date) -> None:
    actor = _user(row["champion"])
    group = create_group(
        actor=actor,
        details=GroupDetails(
            name=row["name"],
            aims=row["aims"],
            activity=row["activity"],
            locality_id=localities[row["locality"]],
            meeting_place=row["meeting_place"],
            meeting_place_private=row["meeting_place_private"],
        ),
    )
    ids = _members(actor, group, row["members"], today)
    for first, second, kind in row.get("relationships", []):
        people.declare_relationship(actor=actor, group=group, first_id=ids[first], second_id=ids[second], kind=kind)
    for question, answers in row["answers"].items():
        drafting.save_answer(actor=actor, group=group, question=question, answers=answers)
    if "founding_meeting" in row:
        _founding(actor, group, row["founding_meeting"], ids, today)
    _roles(actor, group, row, ids)
    if "bank" in row:
        services.set_bank_account(
            actor=actor,
            group=group,
            status=row["bank"]["status"],
            account_name=row["bank"].get("account_name"),
            last4=row["bank"].get("last4"),
        )
    if "hosting" in row:
        _hosting(actor, group, row["hosting"], ids, today)


def seed_groups(seed_dir: Path) -> int:
    """Load the demo groups that do not exist yet; returns how many were added."""
    rows = json.loads((seed_dir / "groups.json").read_text(encoding="utf-8"))
    existing = set(db.session.scalars(select(Group.name)))
    localities = {place.slug: place.id for place in db.session.scalars(select(Locality))}
    today = london_today()
    added = [row for row in rows if row["name"] not in existing]
    for row in added:
        _seed_group(row, localities, today)
    return len(added)
