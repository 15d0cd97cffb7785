"""Hosting rules: applying and deciding, the held balance (never negative, equal to its entries),
expenses approved by two unrelated officers other than the claimant, graduation, and the audit trail."""
from datetime import date

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from brokerage.accounts.models import User
from brokerage.core.values.roles import Role
from brokerage.audit.models import AuditEvent
from brokerage.errors import PermissionDenied, RuleViolation
from brokerage.extensions import db
from brokerage.groups import services
from brokerage.groups.hosting import expenses
from brokerage.groups.hosting import services as hosting
from brokerage.groups.hosting.ledger import Overspend, summed_balance
from brokerage.groups.hosting.models import ExpenseApproval, HostedEntry, HostedEntryIsAppendOnly
from brokerage.groups.hosting.rules import expense_state
from brokerage.groups.lifecycle import readiness_for
from brokerage.groups.models import Group, Hosting


@pytest.fixture
def h(app, hosted_group):
    """The hosted group's records, loaded in a fresh app context: h.user('ann'), h.hosting(), h.group()."""
    with app.app_context():
        class Loaded:
            ids = hosted_group

            def user(self, key):
                return db.session.get(User, hosted_group.users[key].id)

            def hosting(self):
                return db.session.get(Hosting, hosted_group.hosting_id)

            def group(self):
                return db.session.get(Group, hosted_group.group_id)

            def person(self, key):
                return hosted_group.person_ids[key]

            def receive(self, pence):
                hosting.record_money_received(actor=self.user("hal"), hosting=self.hosting(), amount_pence=pence,
                                              received_on=date(2026, 6, 10), note="Grant")

            def expense(self, pence=2000, claimant="eve", by="eve"):
                return expenses.submit_expense(actor=self.user(by), hosting=self.hosting(), new=expenses.NewExpense(
                    description="Room hire", amount_pence=pence, claimant_id=self.person(claimant)))
        yield Loaded()


def actions(group_id: int) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "group", AuditEvent.object_id == group_id).order_by(AuditEvent.id)))


# Applying and deciding

def test_approved_unexpired_hosting_makes_the_group_hosted_and_ticks_the_bank_item(h):
    readiness = readiness_for(h.group())
    assert readiness.stage == "hosted"
    assert next(item for item in readiness.items if item.key == "bank").done
    assert {"hosting.applied", "hosting.approved", "group.stage_changed"} <= set(actions(h.ids.group_id))


def test_expired_hosting_no_longer_counts_as_hosted(h, now_fixed):
    from datetime import datetime, timezone
    now_fixed(datetime(2027, 6, 1, 12, 0, tzinfo=timezone.utc))
    assert readiness_for(h.group()).stage != "hosted"
    assert h.hosting().state(date(2027, 6, 1)) == "expired"


def test_another_partners_contact_cannot_approve_hosting(h):
    group = h.group()
    held = h.hosting()
    held.status = "rejected"
    db.session.commit()
    pending = hosting.apply_for_hosting(actor=h.user("ann"), group=group, partner_id=h.ids.partner_id, request="")
    with pytest.raises(PermissionDenied):
        hosting.approve_hosting(actor=h.user("oli"), hosting=pending, terms=hosting.Terms(
            date(2026, 6, 15), date(2027, 6, 14), None))
    with pytest.raises(PermissionDenied):
        hosting.decline_hosting(actor=h.user("oli"), hosting=pending, reason="No")


def test_a_group_cannot_have_two_live_hosting_applications(h):
    with pytest.raises(RuleViolation) as error:
        hosting.apply_for_hosting(actor=h.user("ann"), group=h.group(), partner_id=h.ids.other_partner_id, request="")
    assert error.value.field == "partner_id"


def test_hosting_agreement_must_expire_after_it_starts_and_fee_is_sane(h):
    held = h.hosting()
    held.status, held.starts_on, held.expires_on = "rejected", None, None
    db.session.commit()
    pending = hosting.apply_for_hosting(actor=h.user("ann"), group=h.group(), partner_id=h.ids.partner_id, request="")
    with pytest.raises(RuleViolation) as error:
        hosting.approve_hosting(actor=h.user("hal"), hosting=pending, terms=hosting.Terms(
            date(2026, 7, 1), date(2026, 7, 1), None))
    assert error.value.field == "expires_on"
    with pytest.raises(RuleViolation) as error:
        hosting.approve_hosting(actor=h.user("hal"), hosting=pending, terms=hosting.Terms(
            date(2026, 7, 1), date(2027, 7, 1), 80))
    assert error.value.field == "fee_percent"


def test_declining_needs_a_reason_and_is_audited(h):
    held = h.hosting()
    held.status, held.starts_on, held.expires_on = "rejected", None, None
    db.session.commit()
    pending = hosting.apply_for_hosting(actor=h.user("ann"), group=h.group(), partner_id=h.ids.partner_id, request="")
    with pytest.raises(RuleViolation):
        hosting.decline_hosting(actor=h.user("hal"), hosting=pending, reason="  ")
    hosting.decline_hosting(actor=h.user("hal"), hosting=pending, reason="We cannot take on more groups this year.")
    assert pending.status == "rejected" and actions(h.ids.group_id)[-1] == "hosting.declined"


def test_a_plain_member_cannot_apply_for_hosting(h):
    with pytest.raises(PermissionDenied):
        hosting.apply_for_hosting(actor=h.user("eve"), group=h.group(), partner_id=h.ids.partner_id, request="")


# Money held

def test_balance_is_the_sum_of_entries_and_the_host_fee_is_a_separate_entry(h):
    held = h.hosting()
    held.fee_percent = 10
    db.session.commit()
    h.receive(10_000)
    assert held.balance_pence == 9_000 == summed_balance(held.id)
    kinds = sorted(db.session.scalars(select(HostedEntry.kind).where(HostedEntry.hosting_id == held.id)))
    assert kinds == ["host_fee", "received"]
    assert actions(h.ids.group_id)[-1] == "hosting.money_received"


def test_only_the_host_or_a_coordinator_records_money_received(h):
    for who in ("ann", "oli"):
        with pytest.raises(PermissionDenied):
            hosting.record_money_received(actor=h.user(who), hosting=h.hosting(), amount_pence=100,
                                          received_on=date(2026, 6, 10), note="")
    hosting.record_money_received(actor=db.session.get(User, h.ids.coordinator.id), hosting=h.hosting(),
                                  amount_pence=100, received_on=date(2026, 6, 10), note="")
    assert h.hosting().balance_pence == 100


def test_money_received_in_the_future_or_of_no_value_is_refused(h):
    with pytest.raises(RuleViolation) as error:
        hosting.record_money_received(actor=h.user("hal"), hosting=h.hosting(), amount_pence=100,
                                      received_on=date(2026, 7, 1), note="")
    assert error.value.field == "received_on"
    with pytest.raises(RuleViolation) as error:
        hosting.record_money_received(actor=h.user("hal"), hosting=h.hosting(), amount_pence=0,
                                      received_on=date(2026, 6, 1), note="")
    assert error.value.field == "amount"


def test_database_refuses_a_negative_held_balance(h):
    with pytest.raises(IntegrityError):
        db.session.execute(update(Hosting).where(Hosting.id == h.ids.hosting_id).values(balance_pence=-1))
        db.session.flush()
    db.session.rollback()


def test_hosted_money_entries_cannot_be_changed(h):
    h.receive(500)
    entry = db.session.scalar(select(HostedEntry))
    entry.amount_pence = 5
    with pytest.raises(HostedEntryIsAppendOnly):
        db.session.flush()
    db.session.rollback()


# Expenses

def test_expense_approved_by_its_claimant_is_refused(h):
    expense = h.expense(claimant="ann", by="ann")
    with pytest.raises(RuleViolation) as error:
        expenses.approve_expense(actor=h.user("ann"), expense=expense)
    assert "claiming this expense, so cannot approve it" in error.value.message


def test_database_refuses_an_approval_by_the_claimant(h):
    expense = h.expense(claimant="ann", by="ann")
    db.session.add(ExpenseApproval(expense_id=expense.id, officer_id=h.person("ann"), claimant_id=h.person("ann")))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_two_related_officers_cannot_approve_an_expense(h):
    expense = h.expense()
    expenses.approve_expense(actor=h.user("bea"), expense=expense)
    with pytest.raises(RuleViolation) as error:
        expenses.approve_expense(actor=h.user("cal"), expense=expense)
    assert "Cal and Bea are related" in error.value.message
    assert expense.status == "submitted"


def test_a_non_officer_cannot_approve_an_expense(h):
    expense = h.expense(claimant="fay")
    with pytest.raises(PermissionDenied):
        expenses.approve_expense(actor=h.user("eve"), expense=expense)
    with pytest.raises(PermissionDenied):
        expenses.approve_expense(actor=h.user("hal"), expense=expense)


def test_the_same_officer_cannot_approve_twice(h):
    expense = h.expense()
    expenses.approve_expense(actor=h.user("ann"), expense=expense)
    with pytest.raises(RuleViolation):
        expenses.approve_expense(actor=h.user("ann"), expense=expense)


def test_two_unrelated_officers_approve_and_the_host_pays_from_the_balance(h):
    h.receive(5_000)
    expense = h.expense(pence=2_000)
    expenses.approve_expense(actor=h.user("ann"), expense=expense)
    assert expense.status == "submitted"
    expenses.approve_expense(actor=h.user("bea"), expense=expense)
    assert expense.status == "approved"
    expenses.pay_expense(actor=h.user("hal"), expense=expense)
    assert expense.status == "paid" and h.hosting().balance_pence == 3_000 == summed_balance(h.ids.hosting_id)
    assert actions(h.ids.group_id)[-4:] == ["expense.submitted", "expense.approved", "expense.approved", "expense.paid"]


def test_paying_an_expense_cannot_overspend_the_held_balance(h):
    h.receive(1_000)
    expense = h.expense(pence=1_500)
    expenses.approve_expense(actor=h.user("ann"), expense=expense)
    expenses.approve_expense(actor=h.user("dev"), expense=expense)
    with pytest.raises(Overspend) as error:
        expenses.pay_expense(actor=h.user("hal"), expense=expense)
    assert "would overspend the money held for the group: it holds £10, and this needs £15" in error.value.message
    db.session.rollback()
    assert h.hosting().balance_pence == 1_000 and expense.status == "approved"
    assert summed_balance(h.ids.hosting_id) == 1_000


def test_an_unapproved_expense_cannot_be_paid_and_only_the_host_pays(h):
    h.receive(5_000)
    expense = h.expense()
    with pytest.raises(RuleViolation):
        expenses.pay_expense(actor=h.user("hal"), expense=expense)
    expenses.approve_expense(actor=h.user("ann"), expense=expense)
    expenses.approve_expense(actor=h.user("dev"), expense=expense)
    for who in ("ann", "oli"):
        with pytest.raises(PermissionDenied):
            expenses.pay_expense(actor=h.user(who), expense=expense)


def test_someone_outside_the_group_cannot_submit_an_expense(h):
    with pytest.raises(PermissionDenied):
        expenses.submit_expense(actor=h.user("oli"), hosting=h.hosting(), new=expenses.NewExpense(
            description="Tea", amount_pence=100, claimant_id=h.person("eve")))


# Graduation

def test_graduation_needs_the_groups_own_open_bank_account(h):
    with pytest.raises(RuleViolation) as error:
        hosting.graduate(actor=h.user("hal"), hosting=h.hosting())
    assert "no open bank account of its own" in error.value.message


def test_graduation_transfers_the_balance_out_and_ends_hosting(h):
    h.receive(4_200)
    services.set_bank_account(actor=h.user("ann"), group=h.group(), status="open",
                                account_name="Wakefield Walkers", last4="1234")
    hosting.graduate(actor=h.user("hal"), hosting=h.hosting())
    held = h.hosting()
    assert held.status == "ended" and held.balance_pence == 0 == summed_balance(held.id)
    transfer = db.session.scalar(select(HostedEntry).where(HostedEntry.kind == "transfer_out"))
    assert transfer.amount_pence == 4_200 and "ending 1234" in transfer.note
    assert readiness_for(h.group()).stage == "banked"
    assert "hosting.graduated" in actions(h.ids.group_id)


def test_graduation_waits_for_every_unpaid_expense_to_be_paid_or_cancelled(h):
    h.receive(4_200)
    expense = h.expense()
    expenses.approve_expense(actor=h.user("ann"), expense=expense)
    expenses.approve_expense(actor=h.user("dev"), expense=expense)
    services.set_bank_account(actor=h.user("ann"), group=h.group(), status="open",
                                account_name="Wakefield Walkers", last4="1234")
    with pytest.raises(RuleViolation) as error:
        hosting.graduate(actor=h.user("hal"), hosting=h.hosting())
    assert "is approved, ready to pay. Pay it, or cancel it." in error.value.message
    blockers = hosting.graduation_blockers_of(h.hosting())
    assert [b.next_step for b in blockers] == ["Pay it, or cancel it."]


def test_another_partners_contact_cannot_graduate_the_group(h):
    with pytest.raises(PermissionDenied):
        hosting.graduate(actor=h.user("oli"), hosting=h.hosting())
    with pytest.raises(PermissionDenied):
        hosting.get_hosting(actor=h.user("oli"), hosting_id=h.ids.hosting_id)


def test_an_expired_empty_agreement_makes_way_for_a_new_application_but_one_holding_money_does_not(h, now_fixed):
    from datetime import datetime, timezone
    h.receive(700)
    now_fixed(datetime(2027, 6, 10, 12, 0, tzinfo=timezone.utc))
    with pytest.raises(RuleViolation):
        hosting.apply_for_hosting(actor=h.user("ann"), group=h.group(), partner_id=h.ids.other_partner_id, request="")
    db.session.rollback()
    now_fixed(datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc))
    expense = h.expense(pence=700)
    expenses.approve_expense(actor=h.user("ann"), expense=expense)
    expenses.approve_expense(actor=h.user("dev"), expense=expense)
    expenses.pay_expense(actor=h.user("hal"), expense=expense)
    now_fixed(datetime(2027, 6, 10, 12, 0, tzinfo=timezone.utc))
    new = hosting.apply_for_hosting(actor=h.user("ann"), group=h.group(), partner_id=h.ids.other_partner_id,
                                    request="")
    assert h.hosting().status == "expired" and new.status == "pending"
    assert actions(h.ids.group_id)[-2:] == ["hosting.expired", "hosting.applied"]


# Withdrawing, cancelling and waiting for funds

def test_an_expense_beyond_the_money_held_is_approved_waiting_for_funds_and_never_paid(h):
    h.receive(1_000)
    expense = h.expense(pence=5_000)
    expenses.approve_expense(actor=h.user("ann"), expense=expense)
    expenses.approve_expense(actor=h.user("dev"), expense=expense)
    assert expense.status == "approved"
    assert expense_state(expense.status, expense.amount_pence, h.hosting().balance_pence) == "waiting"
    assert "waiting for funds" in db.session.scalar(select(AuditEvent.summary).where(
        AuditEvent.action == "expense.approved").order_by(AuditEvent.id.desc()).limit(1))
    with pytest.raises(Overspend):
        expenses.pay_expense(actor=h.user("hal"), expense=expense)
    assert h.hosting().balance_pence == 1_000


def test_the_claimant_can_withdraw_their_expense_and_nobody_else_can(h):
    expense = h.expense(claimant="eve")
    with pytest.raises(PermissionDenied):
        expenses.withdraw_expense(actor=h.user("ann"), expense=expense)
    expenses.withdraw_expense(actor=h.user("eve"), expense=expense, reason="")
    assert expense.status == "withdrawn" and expense.end_reason == "Withdrawn by Eve."
    with pytest.raises(RuleViolation):
        expenses.approve_expense(actor=h.user("ann"), expense=expense)
    assert "expense.withdrawn" in actions(h.ids.group_id)


def test_cancelling_needs_two_officers_each_with_a_reason(h):
    expense = h.expense()
    with pytest.raises(RuleViolation) as error:
        expenses.cancel_expense(actor=h.user("ann"), expense=expense, reason="  ")
    assert error.value.field == "reason"
    with pytest.raises(PermissionDenied):
        expenses.cancel_expense(actor=h.user("eve"), expense=expense, reason="Not a group cost")
    expenses.cancel_expense(actor=h.user("ann"), expense=expense, reason="Not a group cost")
    assert expense.status == "submitted"
    with pytest.raises(RuleViolation):
        expenses.cancel_expense(actor=h.user("ann"), expense=expense, reason="Again")
    expenses.cancel_expense(actor=h.user("dev"), expense=expense, reason="Agreed: paid personally")
    assert expense.status == "cancelled" and "Not a group cost" in expense.end_reason
    assert {"expense.cancel_asked", "expense.cancelled"} <= set(actions(h.ids.group_id))


def test_two_related_officers_cannot_cancel_an_expense_between_them(h):
    expense = h.expense()
    expenses.cancel_expense(actor=h.user("bea"), expense=expense, reason="Duplicate claim")
    with pytest.raises(RuleViolation) as error:
        expenses.cancel_expense(actor=h.user("cal"), expense=expense, reason="Duplicate claim")
    assert "related" in error.value.message


def test_a_paid_expense_cannot_be_withdrawn_or_cancelled(h):
    h.receive(4_200)
    expense = h.expense()
    expenses.approve_expense(actor=h.user("ann"), expense=expense)
    expenses.approve_expense(actor=h.user("dev"), expense=expense)
    expenses.pay_expense(actor=h.user("hal"), expense=expense)
    with pytest.raises(RuleViolation):
        expenses.withdraw_expense(actor=h.user("eve"), expense=expense)
    with pytest.raises(RuleViolation):
        expenses.cancel_expense(actor=h.user("ann"), expense=expense, reason="Too late")


def test_a_cancelled_claim_too_large_no_longer_blocks_graduation(h):
    h.receive(1_000)
    expense = h.expense(pence=9_000)
    expenses.approve_expense(actor=h.user("ann"), expense=expense)
    expenses.approve_expense(actor=h.user("dev"), expense=expense)
    services.set_bank_account(actor=h.user("ann"), group=h.group(), status="open",
                              account_name="Wakefield Walkers", last4="1234")
    assert [b.next_step for b in hosting.graduation_blockers_of(h.hosting())] == [
        "Cancel it, or pay it once the money has come in."]
    expenses.cancel_expense(actor=h.user("ann"), expense=expense, reason="Too much")
    expenses.cancel_expense(actor=h.user("dev"), expense=expense, reason="Too much")
    hosting.graduate(actor=h.user("hal"), hosting=h.hosting())
    assert h.hosting().status == "ended"


def test_whoever_put_a_claim_in_cannot_approve_it_under_another_record(h):
    expense = h.expense(claimant="fay", by="ann")
    with pytest.raises(RuleViolation) as error:
        expenses.approve_expense(actor=h.user("ann"), expense=expense)
    assert "You put this claim in" in error.value.message
