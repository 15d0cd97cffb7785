"""A demo vote that is open now: a bid screened and put to its collective's vote less than a
day ago, with one member's vote already in, so that with the demo data a member can declare
an interest (or none) and vote, and the decision lands once enough members have voted.
Dates are relative to the moment of seeding. Skipped when the bid exists."""
import json
from datetime import timedelta
from pathlib import Path

from ...core.timeutils import utcnow
from ..grants.seed import put_to_vote
from ..bids.seed import partner_of_new_bid, seed_user


def _seed_open_vote(row: dict, coordinator) -> None:
    partner = partner_of_new_bid(row)
    if partner is None:
        return
    now = utcnow()
    put_to_vote(row, coordinator, partner, submitted=now - timedelta(days=row["submitted_days_ago"]),
                opened=now - timedelta(hours=row["vote_opened_hours_ago"]),
                voted=now - timedelta(hours=row["voted_hours_ago"]))


def seed_open_votes(seed_dir: Path) -> None:
    data = json.loads((seed_dir / "votes.json").read_text(encoding="utf-8"))
    coordinator = seed_user(data["coordinator"])
    for row in data["open_votes"]:
        _seed_open_vote(row, coordinator)
