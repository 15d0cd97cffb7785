"""Payments against awards: on evidence, never more than awarded (service rule, ledger guard,
and under concurrency), the bid moves to paid when fully paid, audited, coordinators only."""
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from brokerage.audit.models import AuditEvent
from brokerage.collectives.money import services as funds
from brokerage.collectives.grants import payments
from brokerage.collectives.bids.lifecycle import BidStatus
from brokerage.collectives.money.ledger import add_entry
from brokerage.collectives.money.models import EntryKind, LedgerEntry
from brokerage.collectives.grants.models import Payment
from brokerage.errors import PermissionDenied, RuleViolation
from brokerage.extensions import db

from ..bids.helpers import NOW, get_bid, load
from .helpers import AWARD, evidence, pay

LATER = NOW + timedelta(days=10)


def paid_in_ledger() -> int:
    return db.session.scalar(select(func.coalesce(func.sum(LedgerEntry.amount_pence), 0))
                             .where(LedgerEntry.kind == EntryKind.PAYMENT.value))


def test_a_part_payment_is_written_to_the_ledger_and_the_bid_stays_at_agreement(world, awarded, ctx):
    payment = pay(world, awarded, 150_000, LATER)
    bid = get_bid(awarded)
    entry = db.session.get(LedgerEntry, payment.ledger_entry_id)
    assert (entry.kind, entry.amount_pence, entry.reference) == (EntryKind.PAYMENT, 150_000, "INV-0042")
    assert bid.state is BidStatus.AGREEMENT
    summary = payments.award_payments(bid)
    assert (summary.paid, summary.left) == (150_000, AWARD - 150_000)
    fund = funds.fund_for(locality=bid.locality, start_year=2026)
    assert (funds.fund_summary(fund).committed, funds.fund_summary(fund).paid) == (AWARD - 150_000, 150_000)


def test_paying_the_rest_moves_the_bid_to_paid(world, awarded, ctx):
    pay(world, awarded, 150_000, LATER)
    pay(world, awarded, AWARD - 150_000, LATER, received=False)
    assert get_bid(awarded).state is BidStatus.PAID
    with pytest.raises(RuleViolation, match="already been paid in full"):
        pay(world, awarded, 1, LATER)


def test_an_award_cannot_be_overpaid(world, awarded, ctx):
    pay(world, awarded, 300_000, LATER)
    with pytest.raises(RuleViolation, match="Only £1,000 of the £4,000 award is left") as error:
        pay(world, awarded, 100_001, LATER)
    assert error.value.field == "amount"
    assert paid_in_ledger() == 300_000
    assert db.session.scalar(select(func.count()).select_from(Payment)) == 1


def test_the_ledger_itself_refuses_a_payment_above_the_commitment(world, awarded, ctx):
    award = payments.award_of(get_bid(awarded))
    commitment = db.session.get(LedgerEntry, award.commitment_entry_id)
    with pytest.raises(RuleViolation, match="left of that commitment"):
        add_entry(actor=None, fund=commitment.fund, kind=EntryKind.PAYMENT, amount_pence=AWARD + 1,
                  related=commitment)
    db.session.rollback()
    assert paid_in_ledger() == 0


def test_only_coordinators_record_payments(world, awarded, electorate, ctx):
    bid = get_bid(awarded)
    for person in (world.reds_contact, electorate.chair, world.barnsley_member):
        with pytest.raises(PermissionDenied):
            payments.record_payment(actor=load(person), bid=bid, evidence=evidence(1_000), now=LATER)
    assert paid_in_ledger() == 0


def test_a_bid_without_an_award_cannot_be_paid(world, make_bid, ctx):
    bid_id = make_bid(status="submitted")
    with pytest.raises(RuleViolation, match="Only an awarded bid with a signed grant agreement can be paid"):
        pay(world, bid_id, 1_000, LATER)


@pytest.mark.parametrize("kwargs, field, message", [
    (dict(received=True, received_on=None), "partner_funds_received_on", "Enter the date"),
    (dict(received=True, received_on=date(2026, 7, 1)), "partner_funds_received_on", "cannot be in the future"),
    (dict(invoice="   "), "invoice_reference", "Enter the invoice reference"),
    (dict(invoice="x" * 121), "invoice_reference", "120 characters"),
])
def test_payment_evidence_is_checked(world, awarded, ctx, kwargs, field, message):
    with pytest.raises(RuleViolation, match=message) as error:
        pay(world, awarded, 1_000, NOW, **kwargs)
    assert error.value.field == field
    assert paid_in_ledger() == 0


@pytest.mark.parametrize("amount", [0, -500, None])
def test_a_payment_needs_an_amount_above_zero(world, awarded, ctx, amount):
    with pytest.raises(RuleViolation) as error:
        pay(world, awarded, amount, LATER)
    assert error.value.field == "amount"


def test_a_payment_is_audited_with_its_evidence(world, awarded, ctx):
    payment = pay(world, awarded, 150_000, LATER)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "payment.recorded"))
    assert event.object_id == awarded
    assert event.after["payment_id"] == payment.id
    assert event.after["invoice_reference"] == "INV-0042"
    assert event.after["partner_funds_received_on"] == "2026-06-01"


def test_concurrent_payments_never_overpay_the_award(app, world, awarded):
    attempts, each = 8, 100_000  # eight payments of £1,000 against a £4,000 award
    barrier = threading.Barrier(attempts)
    outcomes: list[str] = []

    def attempt() -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                pay(world, awarded, each, LATER)
                outcomes.append("paid")
            except RuleViolation:
                outcomes.append("refused")
            except BaseException as error:  # noqa: BLE001  (asserted below)
                outcomes.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["paid"] * 4 + ["refused"] * 4
    with app.app_context():
        assert paid_in_ledger() == AWARD
        assert get_bid(awarded).state is BidStatus.PAID
