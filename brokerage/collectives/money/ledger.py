"""The ledger's arithmetic: what each kind of entry means, and writing entries safely.

Every entry has a positive `amount_pence` and moves money between five pots of its fund:
*allocated*, *earmarked*, *committed*, *paid*, and *available* (= allocated - earmarked -
committed - paid, kept as the running balance `Fund.available_pence`).

| kind       | acts on (`related_id`)       | allocated | earmarked | committed | paid | available |
| ---------- | ---------------------------- | --------- | --------- | --------- | ---- | --------- |
| allocation | -                            | +a        |           |           |      | +a        |
| earmark    | -                            |           | +a        |           |      | -a        |
| release    | an earmark                   |           | -a        |           |      | +a        |
| commitment | an earmark (turned into it)  |           | -a        | +a        |      | 0         |
| payment    | a commitment (paid against)  |           |           | -a        | +a   | 0         |
| reversal   | any entry except a reversal  | the exact opposite of the entry it reverses       |

Rules that keep the figures exact:
- releases and commitments together never exceed what is left of their earmark, and
  payments never exceed what is left of their commitment ("left" ignores reversed entries);
- an entry is reversed at most once (unique index), in full, and only when no unreversed
  entry still acts on it (reverse the payment before its commitment, and so on);
- an entry that lowers `available` is written only if the conditional UPDATE of the fund's
  balance succeeds (`WHERE available_pence + delta >= 0`, atomic on its own: PostgreSQL
  re-checks the condition on the latest row after waiting for a concurrent writer, SQLite
  writers hold the database write lock from `BEGIN IMMEDIATE`, see core/data/database.py), and
  the CHECK constraint is the last guard. An entry that acts on an earlier one first locks
  the fund row (`SELECT ... FOR UPDATE`), so that what is left of that entry cannot change
  while it is checked. A refused earmark therefore never holds the fund's row lock.

These helpers flush and never commit: the public services in `services.py`, or later the
bid and decision services, commit the entry together with the change that caused it.
"""

from dataclasses import dataclass
from functools import cache

from sqlalchemy import BindParameter, and_, bindparam, exists, func, select, update
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value

from ...accounts.models import User
from ...core.input.fields import MAX_AMOUNT_PENCE
from ...core.web.filters import money
from ...errors import RuleViolation
from ...extensions import db
from .models import EntryKind, Fund, LedgerEntry

# (allocated, earmarked, committed, paid) per pound of each kind of entry.
EFFECTS: dict[EntryKind, tuple[int, int, int, int]] = {
    EntryKind.ALLOCATION: (1, 0, 0, 0),
    EntryKind.EARMARK: (0, 1, 0, 0),
    EntryKind.RELEASE: (0, -1, 0, 0),
    EntryKind.COMMITMENT: (0, -1, 1, 0),
    EntryKind.PAYMENT: (0, 0, -1, 1),
}
# What an entry may act on.
ACTS_ON = {
    EntryKind.RELEASE: EntryKind.EARMARK,
    EntryKind.COMMITMENT: EntryKind.EARMARK,
    EntryKind.PAYMENT: EntryKind.COMMITMENT,
}


class InsufficientFunds(RuleViolation):
    """There is not enough available money in the fund for this entry."""


@dataclass(frozen=True)
class FundSummary:
    allocated: int = 0
    earmarked: int = 0
    committed: int = 0
    paid: int = 0

    @property
    def available(self) -> int:
        return self.allocated - self.earmarked - self.committed - self.paid


def effect(kind: EntryKind, amount: int, reversed_kind: EntryKind | None = None) -> tuple[int, int, int, int]:
    """The change one entry makes to (allocated, earmarked, committed, paid)."""
    if kind is EntryKind.REVERSAL:
        assert reversed_kind is not None, "a reversal undoes the effect of the kind it reverses"
        allocated, earmarked, committed, paid = effect(reversed_kind, amount)
        return -allocated, -earmarked, -committed, -paid
    allocated, earmarked, committed, paid = EFFECTS[kind]
    return allocated * amount, earmarked * amount, committed * amount, paid * amount


def available_delta(kind: EntryKind, amount: int, reversed_kind: EntryKind | None = None) -> int:
    allocated, earmarked, committed, paid = effect(kind, amount, reversed_kind)
    return allocated - earmarked - committed - paid


def summarise(fund_id: int) -> FundSummary:
    """The five figures, summed from the ledger itself in one query."""
    target = aliased(LedgerEntry)
    rows = db.session.execute(
        select(LedgerEntry.kind, target.kind, func.sum(LedgerEntry.amount_pence))
        .outerjoin(target, target.id == LedgerEntry.related_id)
        .where(LedgerEntry.fund_id == fund_id)
        .group_by(LedgerEntry.kind, target.kind)
    )
    totals = [0, 0, 0, 0]
    for kind, target_kind, amount in rows:
        kind = EntryKind(kind)
        reversed_kind = EntryKind(target_kind) if kind is EntryKind.REVERSAL else None
        for index, part in enumerate(effect(kind, int(amount), reversed_kind)):
            totals[index] += part
    return FundSummary(*totals)


def check_amount(amount_pence: int, field: str = "amount") -> None:
    if isinstance(amount_pence, bool) or not isinstance(amount_pence, int) or amount_pence <= 0:
        raise RuleViolation("Enter an amount of money greater than £0.", field=field)
    if amount_pence > MAX_AMOUNT_PENCE:
        raise RuleViolation("Enter an amount no more than £10,000,000.", field=field)


def lock_fund(fund_id: int) -> Fund:
    """Lock the fund row for the rest of the transaction and read it afresh."""
    fund = db.session.scalar(
        select(Fund).where(Fund.id == fund_id).with_for_update(of=Fund).execution_options(populate_existing=True)
    )
    if fund is None:
        raise RuleViolation("That fund does not exist.")
    return fund


def _not_reversed(entry_table):
    reversal = aliased(LedgerEntry)
    return ~exists().where(and_(reversal.related_id == entry_table.id, reversal.kind == EntryKind.REVERSAL))


def outstanding(entry: LedgerEntry) -> int:
    """What is left of an earmark or commitment once the unreversed entries acting on it are taken off."""
    if _is_reversed(entry):
        return 0
    child = aliased(LedgerEntry)
    used = db.session.scalar(
        select(func.coalesce(func.sum(child.amount_pence), 0)).where(
            child.related_id == entry.id, child.kind != EntryKind.REVERSAL, _not_reversed(child)
        )
    )
    return entry.amount_pence - int(used or 0)


def _is_reversed(entry: LedgerEntry) -> bool:
    return bool(
        db.session.scalar(
            select(exists().where(LedgerEntry.related_id == entry.id, LedgerEntry.kind == EntryKind.REVERSAL))
        )
    )


def _has_live_children(entry: LedgerEntry) -> bool:
    child = aliased(LedgerEntry)
    return bool(
        db.session.scalar(
            select(exists().where(child.related_id == entry.id, child.kind != EntryKind.REVERSAL, _not_reversed(child)))
        )
    )


def change_balance(fund_id: int, delta: int) -> int | None:
    """Move the running balance by `delta` in one conditional UPDATE; the new balance, or
    None (nothing changed) if it would go below zero."""
    return (
        db.session.connection().execute(_balance_statement(), {"fund_id": fund_id, "delta": delta}).scalar_one_or_none()
    )


@cache
def _balance_statement():
    funds = Fund.__table__.c
    delta: BindParameter[int] = bindparam("delta")
    return (
        update(Fund.__table__)
        .where(funds.id == bindparam("fund_id"), funds.available_pence + delta >= 0)
        .values(available_pence=funds.available_pence + delta)
        .returning(funds.available_pence)
    )


def _move_available(fund: Fund, delta: int) -> None:
    """Change the running balance, refusing (InsufficientFunds) if it would go below zero;
    `fund.available_pence` then holds the new balance."""
    if delta == 0:
        return
    balance = change_balance(fund.id, delta)
    if balance is None:
        raise InsufficientFunds("There is not enough money available in this fund.", field="amount")
    set_committed_value(fund, "available_pence", balance)


def _check_target(kind: EntryKind, fund: Fund, related: LedgerEntry | None, amount: int) -> None:
    if kind not in ACTS_ON and kind is not EntryKind.REVERSAL:
        return
    if related is None or related.fund_id != fund.id:
        raise RuleViolation("That entry is not part of this fund.")
    if kind is EntryKind.REVERSAL:
        _check_reversible(related)
        return
    if EntryKind(related.kind) is not ACTS_ON[kind]:
        raise RuleViolation(f"A {kind.value} must be made against an {ACTS_ON[kind].value}.")
    left = outstanding(related)
    if amount > left:
        raise RuleViolation(f"Only {money(left)} is left of that {related.kind}.", field="amount")


def _check_reversible(entry: LedgerEntry) -> None:
    if EntryKind(entry.kind) is EntryKind.REVERSAL:
        raise RuleViolation("A reversal cannot itself be reversed: record a new entry instead.")
    if _is_reversed(entry):
        raise RuleViolation("That entry has already been reversed.")
    if _has_live_children(entry):
        raise RuleViolation("Later entries act on this one: reverse those first.")


def add_entry(
    *,
    actor: User | None,
    fund: Fund,
    kind: EntryKind,
    amount_pence: int,
    related: LedgerEntry | None = None,
    reference: str = "",
    note: str = "",
) -> LedgerEntry:
    """Check the entry against the rules above, move the running balance and append the
    entry (flushed). Raises InsufficientFunds or RuleViolation; nothing is written then.
    An entry that acts on an earlier one locks the fund first, so that what is left of that
    entry cannot change under the check; the others need only the conditional UPDATE."""
    check_amount(amount_pence)
    if kind in ACTS_ON or kind is EntryKind.REVERSAL:
        fund = lock_fund(fund.id)
        _check_target(kind, fund, related, amount_pence)
    reversed_kind = EntryKind(related.kind) if kind is EntryKind.REVERSAL and related is not None else None
    _move_available(fund, available_delta(kind, amount_pence, reversed_kind))
    entry = LedgerEntry(
        fund_id=fund.id,
        kind=kind.value,
        amount_pence=amount_pence,
        related_id=related.id if related else None,
        reference=reference.strip()[:120],
        note=note.strip()[:500],
        actor_id=actor.id if actor else None,
    )
    db.session.add(entry)
    db.session.flush()
    return entry
