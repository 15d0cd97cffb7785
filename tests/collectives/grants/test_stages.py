"""A grant after approval: approved -> agreement -> paid -> reported -> closed, each move
time-stamped and audited, with who may make it, the bad input each refuses, and a reversed
payment putting a paid bid back to agreement."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from brokerage.audit.models import AuditEvent
from brokerage.collectives.bids import access as bids
from brokerage.collectives.grants import corrections, stages as grant_stages, payments
from brokerage.collectives.money import services as funds
from brokerage.collectives import pages
from brokerage.collectives.bids.lifecycle import BidStatus
from brokerage.collectives.grants.models import GrantAgreement, GrantReport
from brokerage.collectives.money.models import EntryKind, LedgerEntry
from brokerage.collectives.models import Collective
from brokerage.collectives.voting.models import Poll
from brokerage.errors import PermissionDenied, RuleViolation
from brokerage.core.data.models import Locality
from brokerage.extensions import db

from ..bids.helpers import NOW, get_bid, load
from .helpers import AWARD, SIGNED_AT, pay

LATER = NOW + timedelta(days=10)
REPORT = grant_stages.ReportDetails(participants=18, what_happened="Eighteen people came most weeks.")


def agreement(signed_on=SIGNED_AT.date(), signed_by="Lee Reds, Director", reference="GA-1"):
    return grant_stages.AgreementDetails(signed_on=signed_on, signed_by=signed_by, reference=reference)


def record_agreement(world, bid_id, details=None, actor=None, now=SIGNED_AT):
    return grant_stages.record_agreement(actor=load(actor or world.coordinator), bid=get_bid(bid_id),
                                         details=details or agreement(), now=now)


def report(world, bid_id, actor=None, details=REPORT, now=LATER):
    return grant_stages.submit_report(actor=load(actor or world.reds_contact), bid=get_bid(bid_id), details=details,
                                      now=now)


def close(world, bid_id, actor=None, note="Thank you for the report."):
    return grant_stages.close_grant(actor=load(actor or world.coordinator), bid=get_bid(bid_id), note=note,
                                    now=LATER + timedelta(days=1))


def pay_in_full(world, bid_id):
    return pay(world, bid_id, AWARD, LATER)


def payment_entry(payment) -> LedgerEntry:
    return db.session.get(LedgerEntry, payment.ledger_entry_id)


def reverse(world, entry, actor=None, note="Paid to the wrong account"):
    return corrections.reverse_entry(actor=load(actor or world.coordinator), entry=entry, note=note, now=LATER)


def test_the_whole_life_of_a_grant_is_time_stamped_and_audited(world, approved, ctx):
    record_agreement(world, approved)
    assert get_bid(approved).state is BidStatus.AGREEMENT
    pay_in_full(world, approved)
    assert get_bid(approved).state is BidStatus.PAID
    report(world, approved)
    assert get_bid(approved).state is BidStatus.REPORTED
    close(world, approved)
    bid = get_bid(approved)
    assert bid.state is BidStatus.CLOSED and bid.status_changed_at == LATER + timedelta(days=1)
    steps = [(step.to_status, step.at) for step in bids.history(bid)][-4:]
    assert steps == [("agreement", SIGNED_AT), ("paid", LATER), ("reported", LATER),
                     ("closed", LATER + timedelta(days=1))]
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == approved,
                                                                     AuditEvent.object_type == "bid")))
    assert {"bid.agreement", "grant.agreement_recorded", "bid.paid", "bid.reported", "grant.reported",
            "bid.closed"} <= actions
    saved = db.session.scalar(select(GrantReport))
    assert (saved.participants, saved.submitted_by_id) == (18, world.reds_contact.id)


def test_the_grant_agreement_records_date_signatory_and_reference(world, approved, ctx):
    saved = record_agreement(world, approved)
    assert (saved.signed_on, saved.signed_by, saved.reference) == (SIGNED_AT.date(), "Lee Reds, Director", "GA-1")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "grant.agreement_recorded"))
    assert event.after["signed_on"] == SIGNED_AT.date().isoformat() and event.actor_id == world.coordinator.id


def test_an_approved_bid_cannot_be_paid_before_its_grant_agreement(world, approved, ctx):
    with pytest.raises(RuleViolation, match="Record the partner's signed grant agreement before paying"):
        pay(world, approved, 1_000, LATER)
    assert get_bid(approved).state is BidStatus.APPROVED


@pytest.mark.parametrize("details, field, message", [
    (agreement(signed_on=None), "signed_on", "Enter the date the partner signed"),
    (agreement(signed_on=SIGNED_AT.date() + timedelta(days=1)), "signed_on", "cannot be in the future"),
    (agreement(signed_on=date(2026, 6, 17)), "signed_on", "before the award was made on 18 June 2026"),
    (agreement(signed_by="  "), "signed_by", "Enter the name and role"),
    (agreement(signed_by="x" * 201), "signed_by", "200 characters"),
    (agreement(reference="x" * 121), "reference", "120 characters"),
])
def test_bad_grant_agreement_details_are_refused_and_nothing_is_written(world, approved, ctx, details, field,
                                                                         message):
    with pytest.raises(RuleViolation, match=message) as error:
        record_agreement(world, approved, details)
    assert error.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(GrantAgreement)) == 0
    assert get_bid(approved).state is BidStatus.APPROVED


def test_only_coordinators_record_the_grant_agreement(world, approved, electorate, ctx):
    for person in (world.reds_contact, electorate.chair, world.barnsley_member):
        with pytest.raises(PermissionDenied):
            record_agreement(world, approved, actor=person)
    assert get_bid(approved).state is BidStatus.APPROVED


def test_the_grant_agreement_is_recorded_once_and_only_for_an_approved_bid(app, world, approved, make_bid):
    submitted = make_bid(status="submitted", title="Not decided yet")
    with app.app_context():
        record_agreement(world, approved)
        with pytest.raises(RuleViolation, match="Only an approved bid's grant agreement can be recorded. "
                                                "This bid is agreement signed."):
            record_agreement(world, approved)
        with pytest.raises(RuleViolation, match="This bid is submitted"):
            record_agreement(world, submitted)
        assert db.session.scalar(select(func.count()).select_from(GrantAgreement)) == 1


def test_the_end_of_grant_report_waits_until_the_award_is_paid_in_full(world, awarded, ctx):
    with pytest.raises(RuleViolation, match="once the award is paid in full. This bid is agreement signed"):
        report(world, awarded)
    pay(world, awarded, 1_000, LATER)
    with pytest.raises(RuleViolation, match="once the award is paid in full"):
        report(world, awarded)
    assert db.session.scalar(select(func.count()).select_from(GrantReport)) == 0


def test_only_the_partners_people_or_a_coordinator_send_the_report(world, awarded, electorate, ctx):
    pay_in_full(world, awarded)
    for person in (world.cafe_contact, electorate.chair, world.barnsley_member):
        with pytest.raises(PermissionDenied):
            report(world, awarded, actor=person)
    report(world, awarded, actor=world.coordinator)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "grant.reported"))
    assert "on behalf of Reds in the Community" in event.summary


@pytest.mark.parametrize("details, field, message", [
    (grant_stages.ReportDetails(participants=None, what_happened="Fine"), "participants", "how many people took part"),
    (grant_stages.ReportDetails(participants=-1, what_happened="Fine"), "participants", "from 0 to 100,000"),
    (grant_stages.ReportDetails(participants=100_001, what_happened="Fine"), "participants", "from 0 to 100,000"),
    (grant_stages.ReportDetails(participants=5, what_happened=" "), "what_happened", "Say what the project did"),
    (grant_stages.ReportDetails(participants=5, what_happened="x" * 3001), "what_happened", "3,000 characters"),
])
def test_bad_end_of_grant_reports_are_refused_and_nothing_is_written(world, awarded, ctx, details, field, message):
    pay_in_full(world, awarded)
    with pytest.raises(RuleViolation, match=message) as error:
        report(world, awarded, details=details)
    assert error.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(GrantReport)) == 0
    assert get_bid(awarded).state is BidStatus.PAID


def test_a_grant_is_closed_only_by_a_coordinator_once_the_report_is_in(world, awarded, electorate, ctx):
    pay_in_full(world, awarded)
    with pytest.raises(RuleViolation, match="once its end-of-grant report is in. This bid is paid"):
        close(world, awarded)
    report(world, awarded)
    for person in (world.reds_contact, electorate.chair):
        with pytest.raises(PermissionDenied):
            close(world, awarded, actor=person)
    with pytest.raises(RuleViolation, match="2,000 characters") as error:
        close(world, awarded, note="x" * 2001)
    assert error.value.field == "note"
    close(world, awarded)
    assert bids.history(get_bid(awarded))[-1].message == "Thank you for the report."
    with pytest.raises(RuleViolation, match="This bid is closed"):
        close(world, awarded)


def test_reversing_a_payment_puts_a_paid_bid_back_to_agreement(world, awarded, ctx):
    payment = pay_in_full(world, awarded)
    assert get_bid(awarded).state is BidStatus.PAID
    reversal = reverse(world, payment_entry(payment))
    bid = get_bid(awarded)
    assert bid.state is BidStatus.AGREEMENT
    assert bids.history(bid)[-1].message == "Paid to the wrong account"
    assert (reversal.kind, reversal.related_id) == (EntryKind.REVERSAL, payment.ledger_entry_id)
    summary = payments.award_payments(bid)
    assert (summary.paid, summary.left, summary.reversed_ids) == (0, AWARD, frozenset({payment.id}))
    fund = funds.fund_for(locality=bid.locality, start_year=2026)
    assert (funds.fund_summary(fund).committed, funds.fund_summary(fund).paid) == (AWARD, 0)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "payment.reversed")).object_id == awarded
    pay_in_full(world, awarded)
    assert get_bid(awarded).state is BidStatus.PAID


def test_reversing_a_part_payment_leaves_the_bid_at_agreement(world, awarded, ctx):
    payment = pay(world, awarded, 1_000, LATER)
    reverse(world, payment_entry(payment))
    assert get_bid(awarded).state is BidStatus.AGREEMENT
    assert payments.award_payments(get_bid(awarded)).paid == 0


def test_the_payments_of_a_reported_grant_are_final(world, awarded, ctx):
    payment = pay_in_full(world, awarded)
    report(world, awarded)
    with pytest.raises(RuleViolation, match="payments are final"):
        reverse(world, payment_entry(payment))
    assert get_bid(awarded).state is BidStatus.REPORTED
    assert payments.award_payments(get_bid(awarded)).paid == AWARD


def test_the_earmark_and_commitment_of_a_vote_are_not_reversed_by_hand(world, awarded, poll_id, ctx):
    poll = db.session.get(Poll, poll_id)
    commitment = db.session.get(LedgerEntry, payments.award_of(get_bid(awarded)).commitment_entry_id)
    for entry in (db.session.get(LedgerEntry, poll.earmark_entry_id), commitment):
        with pytest.raises(RuleViolation, match="belongs to a collective's vote on a bid"):
            reverse(world, entry)
    assert db.session.scalar(select(func.count()).select_from(LedgerEntry)
                             .where(LedgerEntry.kind == EntryKind.REVERSAL.value)) == 0


def test_the_ledger_offers_reverse_only_for_entries_a_coordinator_may_reverse(world, awarded, poll_id, ctx):
    poll = db.session.get(Poll, poll_id)
    commitment_id = payments.award_of(get_bid(awarded)).commitment_entry_id
    collective = db.session.scalar(select(Collective).join(Locality).where(Locality.slug == "barnsley"))
    page = pages.collective_page(viewer=load(world.coordinator), collective=collective, day=NOW.date())
    allocation = next(entry.id for entry in page.entries if entry.kind == EntryKind.ALLOCATION.value)
    assert allocation in page.reversible_ids
    assert not {poll.earmark_entry_id, commitment_id} & page.reversible_ids
    member_page = pages.collective_page(viewer=load(world.barnsley_member), collective=collective, day=NOW.date())
    assert member_page.reversible_ids == set()


def test_only_coordinators_reverse_payments_and_a_reason_is_needed(world, awarded, ctx):
    entry = payment_entry(pay_in_full(world, awarded))
    with pytest.raises(PermissionDenied):
        reverse(world, entry, actor=world.reds_contact)
    with pytest.raises(RuleViolation, match="Say why") as error:
        reverse(world, entry, note="  ")
    assert error.value.field == "note"
    assert get_bid(awarded).state is BidStatus.PAID
