"""Demo bids in several states (draft, submitted, screening, returned), made through the bid
services by the partners' own contacts (or a coordinator on a partner's behalf). Dates are
relative to the day of seeding. Bids that already exist (same partner and title) are skipped."""

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from ...accounts.services import find_user_by_email
from ...core.data.models import Locality
from ...core.values.timeutils import london_today, utcnow
from ...extensions import db
from ...partners.models import Partner
from . import moves as bid_workflow
from . import services as bid_services
from .models import Bid

STEPS = {
    "draft": [],
    "submitted": ["submit"],
    "screening": ["submit", "pick_up"],
    "returned": ["submit", "pick_up", "return"],
}


def seed_user(email: str):
    user = find_user_by_email(email)
    if user is None:
        raise LookupError(f"seed/bids.json names {email}, which is not in seed/users.json")
    return user


def partner_of_new_bid(row: dict) -> Partner | None:
    """The partner named by a seed row, or None when it is missing or already has the bid (same title)."""
    partner = db.session.scalar(select(Partner).where(Partner.name == row["partner"]))
    if partner is None or db.session.scalar(
        select(Bid.id).where(Bid.partner_id == partner.id, Bid.title == row["title"])
    ):
        return None
    return partner


def bid_details_from(row: dict, locality_id: int) -> bid_services.BidDetails:
    start = london_today() + timedelta(days=row["start_in_days"])
    return bid_services.BidDetails(
        title=row["title"],
        summary=row["summary"],
        easy_read_summary=row["easy_read_summary"],
        who_for=row["who_for"],
        how_reached=row["how_reached"],
        locality_id=locality_id,
        start_on=start,
        end_on=start + timedelta(days=row["runs_for_days"]),
        expected_participants=row["expected_participants"],
        total_cost_pence=row["total_cost_pence"],
        requested_pence=row["requested_pence"],
    )


def _move(step: str, bid: Bid, author, coordinator, row: dict) -> None:
    now = utcnow()
    if step == "submit":
        bid_workflow.submit(actor=author, bid=bid, now=now)
    elif step == "pick_up":
        bid_workflow.pick_up(actor=coordinator, bid=bid, now=now)
    else:
        bid_workflow.return_for_changes(actor=coordinator, bid=bid, message=row["return_message"], now=now)


def _seed_bid(row: dict, coordinator) -> None:
    partner = partner_of_new_bid(row)
    if partner is None:
        return
    locality_id = db.session.execute(select(Locality.id).where(Locality.slug == row["locality"])).scalar_one()
    author = seed_user(row["author"])
    bid = bid_services.create_draft(
        actor=author, partner=partner, details=bid_details_from(row, locality_id), now=utcnow()
    )
    for line in row["lines"]:
        bid_services.add_line(actor=author, bid=bid, line=bid_services.LineDetails(**line), now=utcnow())
    for step in STEPS[row["status"]]:
        _move(step, bid, author, coordinator, row)


def seed_bids(seed_dir: Path) -> None:
    data = json.loads((seed_dir / "bids.json").read_text(encoding="utf-8"))
    coordinator = seed_user(data["coordinator"])
    for row in data["bids"]:
        _seed_bid(row, coordinator)
