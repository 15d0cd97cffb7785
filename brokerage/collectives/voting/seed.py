"""A demo vote that is open now: a bid screened and put to its collective's vote less than a
day ago, with one member's vote already in, so that with the demo data a member can declare
an interest (or none) and vote, and the decision lands once enough members have voted.
Dates are relative to the moment of seeding. Skipped when the bid exists. Putting a seeded
bid to a vote (`put_to_vote`) is shared with the demo award (grants/seed.py)."""

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from ...core.data.models import Locality
from ...core.values.timeutils import utcnow
from ...extensions import db
from ...partners.models import Partner
from ..bids import moves as bid_workflow
from ..bids import services as bid_services
from ..bids.models import Bid
from ..bids.seed import bid_details_from, partner_of_new_bid, seed_user
from . import access as polls
from . import ballots as poll_voting
from . import opening as poll_opening
from .ballots import Ballot
from .rules import Choice


def ready_bid(row: dict, author, partner: Partner, submitted) -> Bid:
    """A bid drafted, submitted and screened through the services, ready for a vote."""
    locality_id = db.session.execute(select(Locality.id).where(Locality.slug == row["locality"])).scalar_one()
    bid = bid_services.create_draft(
        actor=author, partner=partner, details=bid_details_from(row, locality_id), now=submitted
    )
    for line in row["lines"]:
        bid_services.add_line(actor=author, bid=bid, line=bid_services.LineDetails(**line), now=submitted)
    bid_workflow.submit(actor=author, bid=bid, now=submitted)
    bid_workflow.pick_up(actor=author, bid=bid, now=submitted + timedelta(hours=2))
    bid_workflow.mark_ready_for_vote(actor=author, bid=bid, now=submitted + timedelta(days=1))
    return bid


def cast_votes(poll_id: int, votes: list[dict], when) -> None:
    """Each member in `votes` declares no interest and votes, until the poll closes early."""
    for row in votes:
        poll = polls.get_poll(poll_id)
        db.session.refresh(poll)
        if not poll.is_open:  # closed early: the remaining votes could not change the outcome
            return
        voter = seed_user(row["email"])
        poll_voting.declare(actor=voter, poll_id=poll.id, interest=None, now=when)
        poll_voting.cast_vote(
            actor=voter, poll_id=poll_id, ballot=Ballot(Choice(row["choice"]), row["comment"]), now=when
        )


def put_to_vote(row: dict, coordinator, partner: Partner, *, submitted, opened, voted):
    """A seeded bid made ready, its vote opened at `opened` and the row's votes cast at `voted`;
    the poll, or None when the fund could not earmark it (the bid then awaits funds)."""
    bid = ready_bid(row, coordinator, partner, submitted)
    poll = poll_opening.open_vote(
        actor=coordinator, bid=bid, closes_at=opened + timedelta(days=row["vote_open_days"]), now=opened
    )
    if poll is not None:
        cast_votes(poll.id, row["votes"], voted)
    return poll


def _seed_open_vote(row: dict, coordinator) -> None:
    partner = partner_of_new_bid(row)
    if partner is None:
        return
    now = utcnow()
    put_to_vote(
        row,
        coordinator,
        partner,
        submitted=now - timedelta(days=row["submitted_days_ago"]),
        opened=now - timedelta(hours=row["vote_opened_hours_ago"]),
        voted=now - timedelta(hours=row["voted_hours_ago"]),
    )


def seed_open_votes(seed_dir: Path) -> None:
    data = json.loads((seed_dir / "votes.json").read_text(encoding="utf-8"))
    coordinator = seed_user(data["coordinator"])
    for row in data["open_votes"]:
        _seed_open_vote(row, coordinator)
