"""Demo collectives: members of each constituency with a chair, a funded 2026-27 fund per
locality, and some registers of interests. Loaded through the services; safe to run again."""

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select

from ..accounts import services as accounts
from ..accounts.models import User, UserRole
from ..core.data.models import Locality
from ..core.values.roles import Role
from ..core.values.timeutils import london_today
from ..extensions import db
from ..partners.models import Partner
from .members import interests, membership
from .models import Constituency, Interest, MemberRole
from .money import services as funds


def _coordinator() -> User:
    coordinator = db.session.scalar(
        select(User).where(User.role_rows.any(UserRole.role == Role.COORDINATOR.value)).order_by(User.id)
    )
    if coordinator is None:
        raise RuntimeError("Load the demo accounts (with a coordinator) before the collectives.")
    return coordinator


def _seed_members(collective, rows: list[dict]) -> None:
    for row in rows:
        user = accounts.find_user_by_email(row["email"])
        active_from = date.fromisoformat(row["active_from"])
        if user is None or membership.membership_of(user=user, collective=collective, day=active_from):
            continue
        membership.add_member(
            actor=None,
            collective=collective,
            user=user,
            constituency=Constituency(row["constituency"]),
            role=MemberRole(row.get("role", "member")),
            active_from=active_from,
        )


def _seed_fund(actor: User, locality: Locality, start_year: int, amount_pence: int) -> None:
    fund = funds.open_fund(actor=actor, locality=locality, start_year=start_year)
    if funds.fund_summary(fund).allocated == 0:
        funds.allocate_funds(
            actor=actor,
            fund=fund,
            amount_pence=amount_pence,
            note=f"{locality.name} share of the Trust's match-funding commitment",
        )


def _partner_id(name: str | None) -> int | None:
    return db.session.scalar(select(Partner.id).where(Partner.name == name)) if name else None


def _seed_interest(row: dict, today: date) -> None:
    user = accounts.find_user_by_email(row["email"])
    name = row.get("organisation") or row.get("partner", "")
    if user is None or db.session.scalar(
        select(Interest.id).where(Interest.user_id == user.id, Interest.organisation_name == name)
    ):
        return
    interest = interests.add_interest(
        actor=user,
        organisation_name=name,
        partner_id=_partner_id(row.get("partner")),
        nature=row["nature"],
        since=date.fromisoformat(row["since"]),
        today=today,
    )
    if row.get("ended"):
        interests.end_interest(actor=user, interest=interest, ended_on=date.fromisoformat(row["ended"]), today=today)


def seed_collectives(seed_dir: Path) -> None:
    data = json.loads((seed_dir / "collectives.json").read_text(encoding="utf-8"))
    membership.ensure_collectives()
    actor = _coordinator()
    for entry in data["collectives"]:
        collective = membership.get_collective(entry["locality"])
        _seed_members(collective, entry["members"])
        _seed_fund(actor, collective.locality, data["fund_year"], entry["allocation_pence"])
    today = london_today()
    for row in data["interests"]:
        _seed_interest(row, today)
