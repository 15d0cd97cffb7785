"""Money services: opening funds, allocating, earmarking, releasing, committing, paying, reversing.

Each public call writes one ledger entry and one audit event and commits once, through the
unit of work; if a rule refuses the entry the transaction is rolled back, so nothing is
half-written. The entry
semantics and the concurrency guard are described in `ledger.py`.

Allocation, reversal and opening a fund are coordinator actions. Earmarks, releases,
commitments and payments are made by the bid, vote and decision services, which check who
may act before they call these.
"""

from sqlalchemy import select

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.models import Locality
from ...core.data.unit_of_work import Conflict, refused_as, unit_of_work
from ...core.web.filters import money
from ...errors import NotFound, PermissionDenied, RuleViolation
from ...extensions import db
from . import ledger
from .access import can_manage_money
from .ledger import FundSummary
from .models import EntryKind, Fund, LedgerEntry

MAX_FUTURE_YEARS = 1


def _require_coordinator(actor: User | None) -> None:
    if not can_manage_money(actor):
        raise PermissionDenied()


def entry_event(
    *,
    actor: User | None,
    fund_id: int,
    entry_id: int,
    kind: EntryKind,
    amount_pence: int,
    related_id: int | None,
    reference: str,
    available_pence: int,
    summary: str,
) -> dict:
    """The audit event of a ledger entry (as `record_event` arguments)."""
    return {
        "actor": actor,
        "action": f"fund.{kind}",
        "object_type": "fund",
        "object_id": fund_id,
        "summary": summary,
        "after": {
            "entry_id": entry_id,
            "kind": kind,
            "amount_pence": amount_pence,
            "related_id": related_id,
            "reference": reference,
            "available_pence": available_pence,
        },
    }


def _audit(actor: User | None, entry: LedgerEntry, fund: Fund, summary: str) -> None:
    record_event(
        **entry_event(
            actor=actor,
            fund_id=fund.id,
            entry_id=entry.id,
            kind=EntryKind(entry.kind),
            amount_pence=entry.amount_pence,
            related_id=entry.related_id,
            reference=entry.reference,
            available_pence=fund.available_pence,
            summary=summary,
        )
    )


# What a constraint's refusal of a ledger entry tells the person (the ledger's last guard).
LEDGER_CHANGED = Conflict("The ledger changed while you were working: check the figures and try again.")
OPENED_A_MOMENT_AGO = Conflict("This fund was opened a moment ago.")


def write_entry(
    *,
    actor: User | None,
    fund: Fund,
    kind: EntryKind,
    amount_pence: int,
    verb: str,
    related: LedgerEntry | None = None,
    reference: str = "",
    note: str = "",
) -> LedgerEntry:
    """Write and audit one entry without committing, for a service that commits it together
    with the change that caused it (e.g. opening a vote). Raises InsufficientFunds or
    RuleViolation before anything is written; the caller's unit of work rolls back."""
    entry = ledger.add_entry(
        actor=actor, fund=fund, kind=kind, amount_pence=amount_pence, related=related, reference=reference, note=note
    )
    _audit(actor, entry, fund, f"{money(amount_pence)} {verb} ({fund.locality.name} {fund.year_label})")
    return entry


def get_fund(fund_id: int) -> Fund:
    fund = db.session.get(Fund, fund_id)
    if fund is None:
        raise NotFound()
    return fund


def fund_for(*, locality: Locality, start_year: int) -> Fund | None:
    return db.session.scalar(select(Fund).where(Fund.locality_id == locality.id, Fund.start_year == start_year))


def get_entry(*, locality: Locality, entry_id: int) -> LedgerEntry:
    """An entry of one of this locality's funds (NotFound otherwise)."""
    entry = db.session.get(LedgerEntry, entry_id)
    if entry is None or entry.fund.locality_id != locality.id:
        raise NotFound()
    return entry


def _open_fund(*, actor: User, locality: Locality, start_year: int) -> Fund:
    """The locality's fund for that year, created (and audited) if it does not exist yet. Flushes."""
    fund = fund_for(locality=locality, start_year=start_year)
    if fund is not None:
        return fund
    try:
        with refused_as(OPENED_A_MOMENT_AGO):
            fund = Fund(locality_id=locality.id, start_year=start_year, available_pence=0)
            db.session.add(fund)
    except RuleViolation:  # opened by someone else a moment ago: that one is the fund
        opened = fund_for(locality=locality, start_year=start_year)
        if opened is None:
            raise
        return opened
    record_event(
        actor=actor,
        action="fund.opened",
        object_type="fund",
        object_id=fund.id,
        summary=f"Fund opened for {locality.name} {fund.year_label}",
        after={"locality": locality.slug, "start_year": start_year},
    )
    return fund


def open_fund(*, actor: User, locality: Locality, start_year: int) -> Fund:
    """The locality's fund for a financial year, opened if it does not exist yet (an empty
    fund; money arrives by allocation). Coordinators only (PermissionDenied)."""
    _require_coordinator(actor)
    with unit_of_work():
        fund = _open_fund(actor=actor, locality=locality, start_year=start_year)
    return fund


def allocate_funds(*, actor: User, fund: Fund, amount_pence: int, note: str = "") -> LedgerEntry:
    """Add money to a fund (e.g. the locality's share of a Trust commitment).
    Coordinators only (PermissionDenied); RuleViolation for an amount outside £0.01-£10,000,000."""
    _require_coordinator(actor)
    with unit_of_work(conflict=LEDGER_CHANGED):
        return write_entry(
            actor=actor, fund=fund, kind=EntryKind.ALLOCATION, amount_pence=amount_pence, verb="allocated", note=note
        )


def allocate_for_year(
    *, actor: User, locality: Locality, start_year: int, current_year: int, amount_pence: int, note: str = ""
) -> LedgerEntry:
    """Allocate to a locality's fund for `start_year`, opening the fund if needed. Only the
    current financial year and the next one can receive money. Coordinators only."""
    _require_coordinator(actor)
    if not current_year <= start_year <= current_year + MAX_FUTURE_YEARS:
        raise RuleViolation("Choose this financial year or the next one.", field="year")

    with unit_of_work(conflict=LEDGER_CHANGED):
        fund = _open_fund(actor=actor, locality=locality, start_year=start_year)
        return write_entry(
            actor=actor, fund=fund, kind=EntryKind.ALLOCATION, amount_pence=amount_pence, verb="allocated", note=note
        )


def earmark(*, actor: User | None, fund: Fund, amount_pence: int, reference: str, note: str = "") -> LedgerEntry:
    """Set money aside (e.g. when a bid's vote opens). `reference` names what it is for
    (e.g. "bid 12"). Raises InsufficientFunds when less than the amount is available."""
    with unit_of_work(conflict=LEDGER_CHANGED):
        return write_entry(
            actor=actor,
            fund=fund,
            kind=EntryKind.EARMARK,
            amount_pence=amount_pence,
            verb="earmarked",
            reference=reference,
            note=note,
        )


def release(
    *, actor: User | None, earmark_entry: LedgerEntry, amount_pence: int | None = None, note: str = ""
) -> LedgerEntry:
    """Give back what is left of an earmark (or part of it) to the available money.
    RuleViolation when the amount is more than is left of the earmark."""
    with unit_of_work(conflict=LEDGER_CHANGED):
        amount = amount_pence if amount_pence is not None else ledger.outstanding(earmark_entry)
        if amount == 0:
            raise RuleViolation("Nothing is left of that earmark to release.")
        return write_entry(
            actor=actor,
            fund=earmark_entry.fund,
            kind=EntryKind.RELEASE,
            amount_pence=amount,
            verb="released",
            related=earmark_entry,
            reference=earmark_entry.reference,
            note=note,
        )


def commit(*, actor: User | None, earmark_entry: LedgerEntry, amount_pence: int, note: str = "") -> LedgerEntry:
    """Turn (part of) an earmark into a commitment (e.g. an approved award); available is
    unchanged. RuleViolation when the amount is more than is left of the earmark."""
    with unit_of_work(conflict=LEDGER_CHANGED):
        return write_entry(
            actor=actor,
            fund=earmark_entry.fund,
            kind=EntryKind.COMMITMENT,
            amount_pence=amount_pence,
            verb="committed",
            related=earmark_entry,
            reference=earmark_entry.reference,
            note=note,
        )


def record_payment(
    *, actor: User | None, commitment_entry: LedgerEntry, amount_pence: int, reference: str = "", note: str = ""
) -> LedgerEntry:
    """Pay against a commitment (on evidence named in `reference`, e.g. an invoice).
    RuleViolation when the payment is more than is left of the commitment (no overpaying)."""
    with unit_of_work(conflict=LEDGER_CHANGED):
        return write_entry(
            actor=actor,
            fund=commitment_entry.fund,
            kind=EntryKind.PAYMENT,
            amount_pence=amount_pence,
            verb="paid",
            related=commitment_entry,
            reference=reference or commitment_entry.reference,
            note=note,
        )


def reverse_entry(*, actor: User, entry: LedgerEntry, note: str) -> LedgerEntry:
    """Correct a mistake by adding the exact opposite of an entry (never by editing it).
    Coordinators only; a reason is required; RuleViolation when the entry was already
    reversed, is itself a reversal, has unreversed entries acting on it, or (for an
    allocation or release) the money is no longer available (InsufficientFunds)."""
    _require_coordinator(actor)
    if not note.strip():
        raise RuleViolation("Say why this entry is being reversed.", field="note")
    with unit_of_work(conflict=LEDGER_CHANGED):
        return write_entry(
            actor=actor,
            fund=entry.fund,
            kind=EntryKind.REVERSAL,
            amount_pence=entry.amount_pence,
            verb=f"{entry.kind} reversed",
            related=entry,
            reference=entry.reference,
            note=note,
        )


def fund_summary(fund: Fund | None) -> FundSummary:
    """Allocated, earmarked, committed, paid and available, summed from the ledger."""
    return ledger.summarise(fund.id) if fund is not None else FundSummary()


def recent_entries(fund: Fund | None, limit: int = 20) -> list[LedgerEntry]:
    if fund is None:
        return []
    return list(
        db.session.scalars(
            select(LedgerEntry).where(LedgerEntry.fund_id == fund.id).order_by(LedgerEntry.id.desc()).limit(limit)
        )
    )
