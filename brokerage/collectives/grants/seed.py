"""A demo award: a bid submitted, screened, voted on and approved by its collective a few
days ago, its grant agreement signed and the award partly paid, all through the services (so
the reports and the grants feed have something to show). Dates are relative to the day of
seeding. Skipped when the bid exists; if the fund has no money for it the bid is left
awaiting funds, like any other."""

import json
from datetime import timedelta
from pathlib import Path

from ...core.values.timeutils import london_today, utcnow
from ..bids.models import Bid
from ..bids.seed import partner_of_new_bid, seed_user
from ..voting import access as polls
from ..voting import closing as poll_closing
from ..voting.seed import put_to_vote
from . import payments
from . import stages as grant_stages


def _sign(row: dict, coordinator, bid: Bid) -> None:
    agreement = row["agreement"]
    signed = utcnow() - timedelta(days=agreement["signed_days_ago"])
    grant_stages.record_agreement(
        actor=coordinator,
        bid=bid,
        now=signed,
        details=grant_stages.AgreementDetails(
            signed_on=london_today(signed), signed_by=agreement["signed_by"], reference=agreement["reference"]
        ),
    )


def _pay(row: dict, coordinator, bid: Bid) -> None:
    now = utcnow()
    payment = row["payment"]
    received_on = london_today(now) - timedelta(days=payment["partner_funds_received_days_ago"])
    payments.record_payment(
        actor=coordinator,
        bid=bid,
        now=now,
        evidence=payments.PaymentEvidence(
            amount_pence=payment["amount_pence"],
            partner_funds_received=True,
            partner_funds_received_on=received_on,
            invoice_reference=payment["invoice_reference"],
        ),
    )


def _seed_award(row: dict, coordinator) -> None:
    partner = partner_of_new_bid(row)
    if partner is None:
        return
    now = utcnow()
    poll = put_to_vote(
        row,
        coordinator,
        partner,
        submitted=now - timedelta(days=row["submitted_days_ago"]),
        opened=now - timedelta(days=row["vote_opened_days_ago"]),
        voted=now - timedelta(days=row["voted_days_ago"]),
    )
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
