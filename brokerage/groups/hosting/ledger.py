"""The money a host holds for a group: append-only entries and a running balance that never goes negative.

| kind         | balance | what it is                                                  |
| ------------ | ------- | ----------------------------------------------------------- |
| received     | +a      | money the host received for the group (grants, subs, sales) |
| host_fee     | -a      | the host's agreed percentage of money received              |
| expense_paid | -a      | an approved expense the host paid                           |
| transfer_out | -a      | the balance moved to the group's own account on graduation  |

An entry that lowers the balance is written only if the conditional UPDATE
(`WHERE balance_pence + delta >= 0`) succeeds; the CHECK constraint is the last guard. On SQLite
writers hold the write lock from `BEGIN IMMEDIATE` (core/data/database.py). Helpers flush, never commit.
"""

from datetime import date

from sqlalchemy import func, select, update

from ...accounts.models import User
from ...core.data.results import rows_changed
from ...core.web.filters import money
from ...errors import RuleViolation
from ...extensions import db
from ..models import Hosting
from .models import HostedEntry

MAX_AMOUNT_PENCE = 100_000_000  # £1,000,000: far beyond any peer-led group's money
ENTRY_LABELS = {
    "received": "Money received",
    "host_fee": "Host's fee",
    "expense_paid": "Expense paid",
    "transfer_out": "Transferred to the group's own account",
}


class Overspend(RuleViolation):
    """The entry would take the held balance below zero."""


def check_amount(amount_pence: int, field: str = "amount") -> None:
    if isinstance(amount_pence, bool) or not isinstance(amount_pence, int) or amount_pence <= 0:
        raise RuleViolation("Enter an amount of money greater than £0.", field=field)
    if amount_pence > MAX_AMOUNT_PENCE:
        raise RuleViolation("Enter an amount no more than £1,000,000.", field=field)


def _move_balance(hosting: Hosting, delta: int) -> None:
    result = db.session.execute(
        update(Hosting)
        .where(Hosting.id == hosting.id, Hosting.balance_pence + delta >= 0)
        .values(balance_pence=Hosting.balance_pence + delta)
        .execution_options(synchronize_session=False)
    )
    if rows_changed(result) != 1:
        db.session.refresh(hosting, ["balance_pence"])
        raise Overspend(
            f"That would overspend the money held for the group: it holds {money(hosting.balance_pence)}, "
            f"and this needs {money(-delta)}. Nothing has been paid.",
            field="amount",
        )
    db.session.refresh(hosting, ["balance_pence"])


def add_entry(
    *,
    actor: User | None,
    hosting: Hosting,
    kind: str,
    amount_pence: int,
    on: date,
    note: str = "",
    expense_id: int | None = None,
) -> HostedEntry:
    """Move the running balance and append the entry (flushed). Raises Overspend; nothing is written then."""
    check_amount(amount_pence)
    _move_balance(hosting, amount_pence if kind == "received" else -amount_pence)
    entry = HostedEntry(
        hosting_id=hosting.id,
        kind=kind,
        amount_pence=amount_pence,
        received_on=on,
        note=note.strip()[:300],
        expense_id=expense_id,
        actor_id=actor.id if actor else None,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def entries_of(hosting: Hosting) -> list[HostedEntry]:
    return list(
        db.session.scalars(
            select(HostedEntry)
            .where(HostedEntry.hosting_id == hosting.id)
            .order_by(HostedEntry.received_on.desc(), HostedEntry.id.desc())
        )
    )


def summed_balance(hosting_id: int) -> int:
    """The balance worked out from the entries themselves (it always equals the running balance)."""
    rows = db.session.execute(
        select(HostedEntry.kind, func.sum(HostedEntry.amount_pence))
        .where(HostedEntry.hosting_id == hosting_id)
        .group_by(HostedEntry.kind)
    )
    return sum(int(total) if kind == "received" else -int(total) for kind, total in rows)
