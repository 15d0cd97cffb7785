"""Helpers for the payment and grant tests: approving a bid by the Barnsley collective's vote
(a £4,000 award), signing its grant agreement, and paying it on evidence. The `approved` and
`awarded` fixtures are in tests/collectives/grants/conftest.py."""
from datetime import date, timedelta

from brokerage.collectives.grants import stages as grant_stages, payments
from brokerage.collectives.voting import closing as poll_closing
from brokerage.collectives.grants.payments import PaymentEvidence

from ..bids.helpers import NOW, get_bid, load
from ..voting.helpers import CLOSES, get_poll, vote

AWARD = 400_000
RECEIVED = date(2026, 6, 1)
SIGNED_AT = NOW + timedelta(days=4)  # the day after the vote closes


def evidence(amount_pence, received=True, received_on=RECEIVED, invoice="INV-0042") -> PaymentEvidence:
    return PaymentEvidence(amount_pence=amount_pence, partner_funds_received=received,
                           partner_funds_received_on=received_on if received else None, invoice_reference=invoice)


def approve(app, poll_id: int, electorate, closes=CLOSES) -> int:
    """Three votes for and one against, then the window ends: approved, £4,000 awarded. -> the bid id."""
    with app.app_context():
        for name in ("Pat Barnsley", "Ash Carer", "Di Community"):
            vote(poll_id, electorate[name], "support")
        vote(poll_id, electorate["Ed Community"], "oppose")
        poll_closing.close_if_due(poll=get_poll(poll_id), now=closes + timedelta(minutes=1))
        return get_poll(poll_id).bid_id


def sign(app, world, bid_id: int, now=SIGNED_AT) -> int:
    """The coordinator records the partner's signed grant agreement: the bid can be paid. -> the bid id."""
    with app.app_context():
        grant_stages.record_agreement(actor=load(world.coordinator), bid=get_bid(bid_id), now=now,
                                      details=grant_stages.AgreementDetails(signed_on=now.date(),
                                                                            signed_by="Lee Reds, Director"))
    return bid_id


def pay(world, bid_id: int, amount_pence: int, now, **kwargs):
    return payments.record_payment(actor=load(world.coordinator), bid=get_bid(bid_id),
                                   evidence=evidence(amount_pence, **kwargs), now=now)
