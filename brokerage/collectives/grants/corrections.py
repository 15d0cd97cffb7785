"""Correcting a mistake in a locality's ledger by reversal, keeping each bid true to its money.

- A payment against an award is reversed together with its bid: a bid that was paid in full
  goes back to *agreement* (the award is no longer paid in full), and can be paid again.
  Once the partner has reported on the grant (reported, closed) its payments are final.
- The earmark of a vote and the commitment of an award move only with their bid (the
  decision, or withdrawing the bid), never by a correction by hand.
- Every other entry is reversed as funds.reverse_entry says.
"""

from datetime import datetime

from sqlalchemy import exists, or_, select

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.unit_of_work import unit_of_work
from ...core.web.filters import money
from ...errors import PermissionDenied, RuleViolation
from ...extensions import db
from ..bids.lifecycle import BidStatus
from ..bids.models import Bid
from ..bids.moves import make_move
from ..bids.services import lock_bid
from ..money import services as funds
from ..money.models import EntryKind, LedgerEntry
from ..voting.models import Award, Poll
from .models import Payment

REVERSIBLE_PAYMENTS = frozenset({BidStatus.AGREEMENT, BidStatus.PAID})


def _part_of_a_decision(entry: LedgerEntry) -> bool:
    return bool(
        db.session.scalar(
            select(
                or_(
                    exists().where(Poll.earmark_entry_id == entry.id),
                    exists().where(Award.commitment_entry_id == entry.id),
                )
            )
        )
    )


def decision_entry_ids(entry_ids: list[int]) -> set[int]:
    """Which of these entries are a vote's earmark or an award's commitment: they change only
    with the bid, so the ledger offers no "Reverse" for them."""
    if not entry_ids:
        return set()
    earmarks = select(Poll.earmark_entry_id).where(Poll.earmark_entry_id.in_(entry_ids))
    commitments = select(Award.commitment_entry_id).where(Award.commitment_entry_id.in_(entry_ids))
    return set(db.session.scalars(earmarks.union(commitments)))


def _reverse_payment(actor: User, payment: Payment, entry: LedgerEntry, note: str, now: datetime) -> LedgerEntry:
    award = db.session.get_one(Award, payment.award_id)
    bid = lock_bid(award.bid_id)
    if bid.state not in REVERSIBLE_PAYMENTS:
        raise RuleViolation(
            f"The partner has reported on this grant ({bid.state.label.lower()}), so its payments "
            "are final and cannot be reversed."
        )
    reversal = funds.write_entry(
        actor=actor,
        fund=entry.fund,
        kind=EntryKind.REVERSAL,
        amount_pence=entry.amount_pence,
        verb="payment reversed",
        related=entry,
        reference=entry.reference,
        note=note,
    )
    if bid.state is BidStatus.PAID:
        make_move("reverse_payment", actor=actor, bid=bid, now=now, message=note)
    record_event(
        actor=actor,
        action="payment.reversed",
        object_type="bid",
        object_id=bid.id,
        summary=f"Payment of {money(payment.amount_pence)} to {bid.partner.name} for {bid.title} reversed "
        f"(invoice {payment.invoice_reference})",
        after={"payment_id": payment.id, "reversal_entry_id": reversal.id, "note": note, "bid_status": bid.status},
    )
    return reversal


def reverse_entry(*, actor: User, entry: LedgerEntry, note: str, now: datetime) -> LedgerEntry:
    """Reverse a ledger entry (coordinators only: PermissionDenied), with a reason
    (RuleViolation without one). A payment against an award also moves its bid back from
    paid to agreement; RuleViolation for the payments of a reported or closed grant and for
    the earmark or commitment of a bid's vote. Everything is written in one transaction."""
    if not actor.is_coordinator:
        raise PermissionDenied()
    note = note.strip()
    if not note:
        raise RuleViolation("Say why this entry is being reversed.", field="note")
    if _part_of_a_decision(entry):
        raise RuleViolation(
            "This entry belongs to a collective's vote on a bid, so it changes only with the bid "
            "(its decision, or withdrawing the bid)."
        )
    payment = db.session.scalar(select(Payment).where(Payment.ledger_entry_id == entry.id))
    if payment is None:
        return funds.reverse_entry(actor=actor, entry=entry, note=note)
    with unit_of_work(conflict=funds.LEDGER_CHANGED):
        return _reverse_payment(actor, payment, entry, note, now)


def bid_of_payment_entry(entry: LedgerEntry) -> Bid | None:
    """The bid a payment entry paid (None for any other entry): for the reversal page."""
    return db.session.scalar(
        select(Bid)
        .join(Award, Award.bid_id == Bid.id)
        .join(Payment, Payment.award_id == Award.id)
        .where(Payment.ledger_entry_id == entry.id)
    )
