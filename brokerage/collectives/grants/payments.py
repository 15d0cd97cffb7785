"""Paying awards, on evidence, and never more than was awarded.

A coordinator records each payment with its evidence: whether the partner's own (match)
funds have been received and on what date, and the invoice reference. In one transaction
the bid row is locked, what is left of the award is checked, a ledger payment entry is
written against the award's commitment (the ledger checks again, under the fund's lock, that
the commitment is not overpaid), the payment is stored and audited, and once the award is
paid in full the bid moves to *paid*. Payments start once the partner has signed the grant
agreement (stages.py); reversing one is a correction (corrections.py).
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import aliased

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.unit_of_work import Conflict, unit_of_work
from ...core.values.timeutils import london_today
from ...core.web.filters import money
from ...errors import PermissionDenied, RuleViolation
from ...extensions import db
from ..bids.lifecycle import MOVES, BidStatus
from ..bids.models import Bid
from ..bids.moves import make_move
from ..bids.services import lock_bid
from ..money import services as funds
from ..money.models import EntryKind, LedgerEntry
from ..voting.models import Award
from .models import Payment

PAYABLE = MOVES["pay_in_full"].sources  # the bid lifecycle's states a payment is made in
PAID_IN_FULL = frozenset({BidStatus.PAID, BidStatus.REPORTED, BidStatus.CLOSED})
MAX_REFERENCE = 120


@dataclass(frozen=True)
class PaymentEvidence:
    amount_pence: int | None
    partner_funds_received: bool | None
    partner_funds_received_on: date | None
    invoice_reference: str


@dataclass(frozen=True)
class AwardPayments:
    """An award with what has been paid against it (for the bid page and decision record)."""

    award: Award
    payments: list[Payment]
    paid: int
    reversed_ids: frozenset[int] = frozenset()  # payments whose ledger entry was reversed

    @property
    def left(self) -> int:
        return self.award.amount_pence - self.paid


def may_pay(user: User, bid: Bid) -> bool:
    """Coordinators record payments, once the partner has signed the grant agreement."""
    return user.is_coordinator and bid.state in PAYABLE


def award_of(bid: Bid) -> Award | None:
    return db.session.scalar(select(Award).where(Award.bid_id == bid.id))


def paid_by_commitment(commitment_ids: list[int]) -> dict[int, int]:
    """Pence paid against each commitment: its payment entries, less any that were reversed."""
    if not commitment_ids:
        return {}
    reversal = aliased(LedgerEntry)
    reversed_ = exists().where(and_(reversal.related_id == LedgerEntry.id, reversal.kind == EntryKind.REVERSAL.value))
    rows = db.session.execute(
        select(LedgerEntry.related_id, func.sum(LedgerEntry.amount_pence))
        .where(LedgerEntry.kind == EntryKind.PAYMENT.value, LedgerEntry.related_id.in_(commitment_ids), ~reversed_)
        .group_by(LedgerEntry.related_id)
    )
    return {related_id: int(total) for related_id, total in rows}


def paid_pence(award: Award) -> int:
    return paid_by_commitment([award.commitment_entry_id]).get(award.commitment_entry_id, 0)


def award_payments(bid: Bid) -> AwardPayments | None:
    """The bid's award and its payments, oldest first (None before an award)."""
    award = award_of(bid)
    if award is None:
        return None
    rows = list(db.session.scalars(select(Payment).where(Payment.award_id == award.id).order_by(Payment.id)))
    reversed_entries = set(
        db.session.scalars(
            select(LedgerEntry.related_id).where(
                LedgerEntry.kind == EntryKind.REVERSAL.value,
                LedgerEntry.related_id.in_([row.ledger_entry_id for row in rows]),
            )
        )
    )
    return AwardPayments(
        award=award,
        payments=rows,
        paid=paid_pence(award),
        reversed_ids=frozenset(row.id for row in rows if row.ledger_entry_id in reversed_entries),
    )


def _check_evidence(evidence: PaymentEvidence, today: date) -> None:
    if evidence.amount_pence is None:
        raise RuleViolation("Enter the amount paid.", field="amount")
    if evidence.amount_pence <= 0:
        raise RuleViolation("Enter an amount greater than £0.", field="amount")
    if evidence.partner_funds_received is None:
        raise RuleViolation("Say whether the partner's own funds have been received.", field="partner_funds_received")
    received_on = evidence.partner_funds_received_on
    if evidence.partner_funds_received and received_on is None:
        raise RuleViolation("Enter the date the partner's funds were received.", field="partner_funds_received_on")
    if received_on is not None and not evidence.partner_funds_received:
        raise RuleViolation(
            "Leave the date empty when the partner's funds have not been received.", field="partner_funds_received_on"
        )
    if received_on is not None and received_on > today:
        raise RuleViolation(
            "The date the funds were received cannot be in the future.", field="partner_funds_received_on"
        )
    reference = evidence.invoice_reference.strip()
    if not reference:
        raise RuleViolation("Enter the invoice reference.", field="invoice_reference")
    if len(reference) > MAX_REFERENCE:
        raise RuleViolation(
            f"Keep the invoice reference to {MAX_REFERENCE} characters or fewer.", field="invoice_reference"
        )


def _payable_award(bid: Bid) -> Award:
    award = award_of(bid)
    if bid.state in PAID_IN_FULL:
        raise RuleViolation("This award has already been paid in full.")
    if bid.state is BidStatus.APPROVED:
        raise RuleViolation("Record the partner's signed grant agreement before paying the award.")
    if award is None or bid.state not in PAYABLE:
        raise RuleViolation(
            f"Only an awarded bid with a signed grant agreement can be paid. This bid is {bid.state.label.lower()}."
        )
    return award


def _write_payment(actor: User, bid: Bid, award: Award, evidence: PaymentEvidence, now: datetime) -> Payment:
    assert evidence.amount_pence is not None  # refused before, by _check_evidence
    paid = paid_pence(award)
    left = award.amount_pence - paid
    if evidence.amount_pence > left:
        raise RuleViolation(
            f"Only {money(left)} of the {money(award.amount_pence)} award is left to pay.", field="amount"
        )
    commitment = db.session.get_one(LedgerEntry, award.commitment_entry_id)
    entry = funds.write_entry(
        actor=actor,
        fund=commitment.fund,
        kind=EntryKind.PAYMENT,
        amount_pence=evidence.amount_pence,
        verb="paid",
        related=commitment,
        reference=evidence.invoice_reference.strip(),
        note=f"Payment for {bid.title}"[:500],
    )
    payment = Payment(
        award_id=award.id,
        ledger_entry_id=entry.id,
        amount_pence=evidence.amount_pence,
        partner_funds_received=bool(evidence.partner_funds_received),
        partner_funds_received_on=evidence.partner_funds_received_on,
        invoice_reference=evidence.invoice_reference.strip(),
        recorded_by_id=actor.id,
        recorded_at=now,
    )
    db.session.add(payment)
    db.session.flush()
    if paid + evidence.amount_pence == award.amount_pence:
        make_move("pay_in_full", actor=actor, bid=bid, now=now)
    return payment


def _audit(actor: User, bid: Bid, payment: Payment) -> None:
    received = payment.partner_funds_received_on
    record_event(
        actor=actor,
        action="payment.recorded",
        object_type="bid",
        object_id=bid.id,
        summary=f"{money(payment.amount_pence)} paid to {bid.partner.name} for {bid.title} "
        f"(invoice {payment.invoice_reference})",
        after={
            "payment_id": payment.id,
            "award_id": payment.award_id,
            "amount_pence": payment.amount_pence,
            "ledger_entry_id": payment.ledger_entry_id,
            "invoice_reference": payment.invoice_reference,
            "partner_funds_received": payment.partner_funds_received,
            "partner_funds_received_on": received.isoformat() if received else None,
            "bid_status": bid.status,
        },
    )


def record_payment(*, actor: User, bid: Bid, evidence: PaymentEvidence, now: datetime) -> Payment:
    """Record a payment against the bid's award on evidence (partner funds received yes/no,
    with the date when yes; the invoice reference). The award can never be overpaid: the
    bid row is locked, the amount checked against what is left, and the ledger checks the
    commitment again under the fund's lock. Fully paid -> the bid moves to *paid*.
    Coordinators only (PermissionDenied). RuleViolation for missing or bad evidence, an
    amount above what is left, or a bid without a signed grant agreement; nothing is written then."""
    if not actor.is_coordinator:
        raise PermissionDenied()
    _check_evidence(evidence, london_today(now))
    with unit_of_work(
        conflict=Conflict("The payments changed while you were working: check the figures and try again.")
    ):
        bid = lock_bid(bid.id)
        payment = _write_payment(actor, bid, _payable_award(bid), evidence, now)
        _audit(actor, bid, payment)
    return payment
