"""A demo award: a bid submitted, screened, voted on and approved by its collective a few
days ago, its grant agreement signed and the award partly paid, all through the services (so
the reports and the grants feed have something to show). Dates are relative to the day of
seeding. Skipped when the bid exists; if the fund has no money for it the bid is left
awaiting funds, like any other."""
import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from ...core.models import Locality
from ...core.timeutils import london_today, utcnow
from ...extensions import db
from ...partners.models import Partner
from ..bids import services as bid_services, moves as bid_workflow
from . import stages as grant_stages, payments
from ..voting import closing as poll_closing, opening as poll_opening, ballots as poll_voting, access as polls
from ..bids.models import Bid
from ..bids.seed import bid_details_from, partner_of_new_bid, seed_user
from ..voting.rules import Choice
from ..voting.ballots import Ballot


def ready_bid(row: dict, author, partner: Partner, submitted) -> Bid:
    """A bid drafted, submitted and screened through the services, ready for a vote."""
    locality_id = db.session.scalar(select(Locality.id).where(Locality.slug == row["locality"]))
    bid = bid_services.create_draft(actor=author, partner=partner, details=bid_details_from(row, locality_id),
                                    now=submitted)
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
        poll_voting.declare(actor=voter, poll=poll, interest=None, now=when)
        poll_voting.cast_vote(actor=voter, poll=polls.get_poll(poll_id), ballot=Ballot(Choice(row["choice"]),
                                                                                          row["comment"]), now=when)


def _sign(row: dict, coordinator, bid: Bid) -> None:
    agreement = row["agreement"]
    signed = utcnow() - timedelta(days=agreement["signed_days_ago"])
    grant_stages.record_agreement(actor=coordinator, bid=bid, now=signed, details=grant_stages.AgreementDetails(
        signed_on=london_today(signed), signed_by=agreement["signed_by"], reference=agreement["reference"]))


def _pay(row: dict, coordinator, bid: Bid) -> None:
    now = utcnow()
    payment = row["payment"]
    received_on = london_today(now) - timedelta(days=payment["partner_funds_received_days_ago"])
    payments.record_payment(actor=coordinator, bid=bid, now=now, evidence=payments.PaymentEvidence(
        amount_pence=payment["amount_pence"], partner_funds_received=True, partner_funds_received_on=received_on,
        invoice_reference=payment["invoice_reference"]))


def put_to_vote(row: dict, coordinator, partner: Partner, *, submitted, opened, voted):
    """A seeded bid made ready, its vote opened at `opened` and the row's votes cast at `voted`;
    the poll, or None when the fund could not earmark it (the bid then awaits funds)."""
    bid = ready_bid(row, coordinator, partner, submitted)
    poll = poll_opening.open_vote(actor=coordinator, bid=bid, closes_at=opened + timedelta(days=row["vote_open_days"]),
                           now=opened)
    if poll is not None:
        cast_votes(poll.id, row["votes"], voted)
    return poll


def _seed_award(row: dict, coordinator) -> None:
    partner = partner_of_new_bid(row)
    if partner is None:
        return
    now = utcnow()
    poll = put_to_vote(row, coordinator, partner, submitted=now - timedelta(days=row["submitted_days_ago"]),
                       opened=now - timedelta(days=row["vote_opened_days_ago"]),
                       voted=now - timedelta(days=row["voted_days_ago"]))
    if poll is None:
        return
    bid = poll.bid
    poll_closing.close_if_due(poll=polls.get_poll(poll.id), now=now)
    if payments.award_of(bid) is not None:
        _sign(row, coordinator, bid)
        _pay(row, coordinator, bid)


def seed_awards(seed_dir: Path) -> None:
    data = json.loads((seed_dir / "awards.json").read_text(encoding="utf-8"))
    coordinator = seed_user(data["coordinator"])
    for row in data["awards"]:
        _seed_award(row, coordinator)
