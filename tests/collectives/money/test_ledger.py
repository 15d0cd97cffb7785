"""The fund ledger: exact figures, append-only history, and never overspending, even under concurrency."""
import threading

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from brokerage import create_app
from brokerage.core.values.roles import Role
from brokerage.audit.models import AuditEvent
from brokerage.collectives.money import services as funds, ledger
from brokerage.collectives.money.models import LedgerEntry, LedgerIsAppendOnly
from brokerage.core.data.models import Locality
from brokerage.errors import PermissionDenied, RuleViolation
from brokerage.extensions import db
from config import TestingConfig
from tests.collectives.conftest import load

POUND = 100


def _fund(fund_id):
    return funds.get_fund(fund_id)


def _figures(fund_id):
    summary = funds.fund_summary(_fund(fund_id))
    return (summary.allocated, summary.earmarked, summary.committed, summary.paid, summary.available)


def test_each_kind_of_entry_moves_money_between_the_right_pots(app, funded, make_user):
    fund_id = funded(10_000 * POUND)
    with app.app_context():
        mark = funds.earmark(actor=None, fund=_fund(fund_id), amount_pence=3_000 * POUND, reference="bid 1")
        assert _figures(fund_id) == (1_000_000, 300_000, 0, 0, 700_000)
        award = funds.commit(actor=None, earmark_entry=mark, amount_pence=2_500 * POUND)
        assert _figures(fund_id) == (1_000_000, 50_000, 250_000, 0, 700_000)
        funds.release(actor=None, earmark_entry=mark)
        assert _figures(fund_id) == (1_000_000, 0, 250_000, 0, 750_000)
        funds.record_payment(actor=None, commitment_entry=award, amount_pence=1_000 * POUND, reference="INV-7")
        assert _figures(fund_id) == (1_000_000, 0, 150_000, 100_000, 750_000)
        assert _fund(fund_id).available_pence == 750_000


def test_reversals_undo_exactly_and_in_order(app, funded, make_user):
    boss = make_user(Role.COORDINATOR)
    fund_id = funded(10_000 * POUND)
    with app.app_context():
        mark = funds.earmark(actor=None, fund=_fund(fund_id), amount_pence=3_000 * POUND, reference="bid 1")
        award = funds.commit(actor=None, earmark_entry=mark, amount_pence=3_000 * POUND)
        payment = funds.record_payment(actor=None, commitment_entry=award, amount_pence=500 * POUND)
        with pytest.raises(RuleViolation, match="reverse those first"):
            funds.reverse_entry(actor=load(boss), entry=award, note="Wrong bid")
        funds.reverse_entry(actor=load(boss), entry=payment, note="Paid twice by mistake")
        assert _figures(fund_id) == (1_000_000, 0, 300_000, 0, 700_000)
        reversal = funds.reverse_entry(actor=load(boss), entry=award, note="Wrong bid")
        assert _figures(fund_id) == (1_000_000, 300_000, 0, 0, 700_000)
        with pytest.raises(RuleViolation, match="already been reversed"):
            funds.reverse_entry(actor=load(boss), entry=award, note="Again")
        with pytest.raises(RuleViolation, match="cannot itself be reversed"):
            funds.reverse_entry(actor=load(boss), entry=reversal, note="Undo the undo")
        funds.reverse_entry(actor=load(boss), entry=mark, note="Bid withdrawn")
        assert _figures(fund_id) == (1_000_000, 0, 0, 0, 1_000_000)
        assert _fund(fund_id).available_pence == 1_000_000


def test_earmark_beyond_available_raises_insufficient_funds_and_writes_nothing(app, funded):
    fund_id = funded(1_000 * POUND)
    with app.app_context():
        with pytest.raises(ledger.InsufficientFunds):
            funds.earmark(actor=None, fund=_fund(fund_id), amount_pence=1_000 * POUND + 1, reference="bid 2")
        assert db.session.scalar(select(func.count()).select_from(LedgerEntry)) == 1
        assert _fund(fund_id).available_pence == 1_000 * POUND


def test_an_award_cannot_be_overpaid_nor_an_earmark_overcommitted(app, funded):
    fund_id = funded(1_000 * POUND)
    with app.app_context():
        mark = funds.earmark(actor=None, fund=_fund(fund_id), amount_pence=600 * POUND, reference="bid 3")
        with pytest.raises(RuleViolation, match="Only £600 is left"):
            funds.commit(actor=None, earmark_entry=mark, amount_pence=601 * POUND)
        award = funds.commit(actor=None, earmark_entry=mark, amount_pence=400 * POUND)
        funds.record_payment(actor=None, commitment_entry=award, amount_pence=300 * POUND)
        with pytest.raises(RuleViolation, match="Only £100 is left"):
            funds.record_payment(actor=None, commitment_entry=award, amount_pence=101 * POUND)
        with pytest.raises(RuleViolation, match="must be made against an earmark"):
            funds.commit(actor=None, earmark_entry=award, amount_pence=1)


@pytest.mark.parametrize("amount", [0, -100, 1_000_000_001, 12.5, True])
def test_amounts_must_be_whole_positive_pence_up_to_ten_million_pounds(app, funded, amount):
    fund_id = funded(1_000 * POUND)
    with app.app_context():
        with pytest.raises(RuleViolation):
            funds.earmark(actor=None, fund=_fund(fund_id), amount_pence=amount, reference="bid")


def test_reversing_an_allocation_already_spent_is_refused(app, funded, make_user):
    boss = make_user(Role.COORDINATOR)
    fund_id = funded(1_000 * POUND)
    with app.app_context():
        allocation = db.session.scalar(select(LedgerEntry).where(LedgerEntry.fund_id == fund_id))
        funds.earmark(actor=None, fund=_fund(fund_id), amount_pence=1 * POUND, reference="bid")
        with pytest.raises(ledger.InsufficientFunds):
            funds.reverse_entry(actor=load(boss), entry=allocation, note="Mistake")


def test_member_cannot_allocate_or_reverse_money(app, funded, make_user):
    member = make_user(Role.COLLECTIVE_MEMBER)
    fund_id = funded(1_000 * POUND)
    with app.app_context():
        with pytest.raises(PermissionDenied):
            funds.allocate_funds(actor=load(member), fund=_fund(fund_id), amount_pence=POUND)
        entry = db.session.scalar(select(LedgerEntry))
        with pytest.raises(PermissionDenied):
            funds.reverse_entry(actor=load(member), entry=entry, note="Mine now")
        assert _figures(fund_id)[0] == 1_000 * POUND


def test_every_money_change_is_audited(app, funded):
    fund_id = funded(1_000 * POUND)
    with app.app_context():
        funds.earmark(actor=None, fund=_fund(fund_id), amount_pence=POUND, reference="bid 4")
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "fund")
                                     .order_by(AuditEvent.id)).all()
    assert actions == ["fund.opened", "fund.allocation", "fund.earmark"]


def test_ledger_entries_cannot_be_changed_or_deleted(app, funded):
    funded(1_000 * POUND)
    with app.app_context():
        entry = db.session.scalar(select(LedgerEntry))
        entry.amount_pence = 1
        with pytest.raises(LedgerIsAppendOnly):
            db.session.flush()
        db.session.rollback()
        for statement in ("UPDATE ledger_entry SET amount_pence = 1", "DELETE FROM ledger_entry"):
            with pytest.raises(DatabaseError):
                db.session.execute(text(statement))
            db.session.rollback()
        assert db.session.scalar(select(LedgerEntry.amount_pence)) == 1_000 * POUND


def test_the_database_refuses_a_negative_balance_even_with_raw_sql(app, funded):
    funded(1_000 * POUND)
    with app.app_context():
        with pytest.raises(DatabaseError):
            db.session.execute(text("UPDATE fund SET available_pence = -1"))
        db.session.rollback()


def test_forty_concurrent_earmarks_of_1000_against_25000_exactly_25_succeed(app, database_url, funded):
    fund_id = funded(25_000 * POUND)
    outcomes: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(40, timeout=60)

    # One app per thread, built here: building apps in parallel trips a CPython 3.11 compile race.
    workers = [create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": database_url}) for _ in range(40)]

    def attempt(number: int) -> None:
        with workers[number].app_context():
            try:
                start.wait()
                funds.earmark(actor=None, fund=funds.get_fund(fund_id), amount_pence=1_000 * POUND,
                              reference=f"bid {number}")
                outcome = "ok"
            except ledger.InsufficientFunds:
                outcome = "insufficient"
            except Exception as error:  # recorded, so the assertion shows what went wrong
                outcome = f"error: {type(error).__name__} {error}"
            finally:
                db.session.remove()
                db.engine.dispose()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer never finished"
    assert sorted(set(outcomes)) == ["insufficient", "ok"], outcomes
    assert outcomes.count("ok") == 25
    with app.app_context():
        summary = funds.fund_summary(_fund(fund_id))
        assert summary.earmarked == 25_000 * POUND and summary.available == 0
        assert _fund(fund_id).available_pence == summary.available
        assert ledger.summarise(fund_id) == summary


def test_money_is_allocated_only_to_this_financial_year_or_the_next(app, make_user, collectives):
    boss = make_user(Role.COORDINATOR)
    with app.app_context():
        barnsley = db.session.scalar(select(Locality).where(Locality.slug == "barnsley"))
        for year in (2025, 2028):
            with pytest.raises(RuleViolation, match="this financial year or the next"):
                funds.allocate_for_year(actor=load(boss), locality=barnsley, start_year=year, current_year=2026,
                                        amount_pence=POUND)
        funds.allocate_for_year(actor=load(boss), locality=barnsley, start_year=2027, current_year=2026,
                                amount_pence=POUND)
        assert funds.fund_for(locality=barnsley, start_year=2027).available_pence == POUND
