"""Group expenses under hosting: a member submits one; two officers who are neither the person claiming
nor related to each other approve it; the host pays it from the money it holds (never overspending).
Until it is paid, its claimant may withdraw it, or two officers cancel it with a reason."""

from dataclasses import dataclass

from sqlalchemy import select

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.unit_of_work import Conflict, refused_as, unit_of_work
from ...core.values.timeutils import london_today, utcnow
from ...core.web.filters import money
from ...errors import NotFound, PermissionDenied, RuleViolation
from ...extensions import db
from ..models import GroupPerson, Hosting
from ..people.services import declared_relationships, person_in
from ..rules import are_related
from .access import can_see_hosting, can_submit_expense, officer_person, require_host
from .ledger import add_entry, check_amount
from .models import Expense, ExpenseApproval, ExpenseCancellation
from .rules import APPROVALS_NEEDED, CANCELLATIONS_NEEDED, OUTSTANDING, expense_state
from .services import require_agreement


@dataclass(frozen=True)
class NewExpense:
    description: str
    amount_pence: int
    claimant_id: int


def get_expense(*, actor: User, expense_id: int) -> Expense:
    """The expense, if `actor` may see its hosting. Raises NotFound, PermissionDenied."""
    expense = db.session.get(Expense, expense_id)
    if expense is None:
        raise NotFound()
    if not can_see_hosting(actor, hosting_of(expense)):
        raise PermissionDenied()
    return expense


def hosting_of(expense: Expense) -> Hosting:
    return db.session.get_one(Hosting, expense.hosting_id)


def expenses_of(hosting: Hosting) -> list[Expense]:
    return list(
        db.session.scalars(
            select(Expense)
            .where(Expense.hosting_id == hosting.id)
            .order_by(Expense.submitted_at.desc(), Expense.id.desc())
        )
    )


def _audit(actor: User, hosting: Hosting, action: str, summary: str, after: dict) -> None:
    record_event(
        actor=actor,
        action=f"expense.{action}",
        object_type="group",
        object_id=hosting.group_id,
        summary=f"{hosting.group.name}: {summary}",
        after=after,
    )


def submit_expense(*, actor: User, hosting: Hosting, new: NewExpense) -> Expense:
    """A member or officer of the group (or its supporters) submits an expense claimed by one of its
    members, under a current agreement. Raises NotFound, PermissionDenied, RuleViolation."""
    with unit_of_work():
        if not can_submit_expense(actor, hosting):
            raise PermissionDenied()
        require_agreement(hosting, london_today())
        if not new.description.strip():
            raise RuleViolation("Say what the money was spent on.", field="description")
        check_amount(new.amount_pence)
        if not new.claimant_id:
            raise RuleViolation("Choose who is claiming the money.", field="claimant_id")
        claimant = person_in(hosting.group, new.claimant_id)
        expense = Expense(
            hosting_id=hosting.id,
            description=new.description.strip()[:300],
            amount_pence=new.amount_pence,
            claimant_id=claimant.id,
            submitted_by_id=actor.id,
        )
        db.session.add(expense)
        db.session.flush()
        _audit(
            actor,
            hosting,
            "submitted",
            f"expense of {money(new.amount_pence)} claimed by {claimant.name}: {expense.description}",
            {"expense_id": expense.id, "amount_pence": new.amount_pence, "claimant_id": claimant.id},
        )
    return expense


def _lock(expense: Expense) -> None:
    """Lock the expense row until commit and read it and its approvals afresh, so that officers acting at
    the same moment take turns and each sees what the one before did (on SQLite every write transaction
    already takes turns, from BEGIN IMMEDIATE)."""
    db.session.scalars(
        select(Expense)
        .where(Expense.id == expense.id)
        .with_for_update(of=Expense)
        .execution_options(populate_existing=True)
    ).one()


def _check_approver(actor: User, expense: Expense, officer: GroupPerson, group_id: int) -> None:
    """The claimant is known by their account as well as by their record, so a second record for
    the same person (or the account that put the claim in) cannot approve it."""
    if officer.id == expense.claimant_id or expense.claimant.user_id == actor.id:
        raise RuleViolation(
            f"{officer.name} is claiming this expense, so cannot approve it. Two other officers need to approve it."
        )
    if expense.submitted_by_id == actor.id:
        raise RuleViolation("You put this claim in, so cannot approve it. Two other officers need to approve it.")
    if any(approval.officer_id == officer.id for approval in expense.approvals):
        raise RuleViolation("You have already approved this expense. It needs a second officer.")
    relationships = declared_relationships(group_id)
    for approval in expense.approvals:
        if are_related(approval.officer_id, officer.id, relationships):
            raise RuleViolation(
                f"{officer.name} and {approval.officer.name} are related (family, partners or the "
                "same address), so they cannot be the two officers who approve the same expense. "
                "Ask an officer who is not related to them."
            )


def approve_expense(*, actor: User, expense: Expense) -> None:
    """An officer of the group approves a submitted expense; with two approvals from officers who are
    neither the claimant nor related to each other it is approved for payment.
    Raises PermissionDenied (not an officer), RuleViolation."""
    with unit_of_work():
        hosting = hosting_of(expense)
        officer = officer_person(actor, hosting.group_id)
        if officer is None or hosting.group.closed_on:
            raise PermissionDenied()
        _lock(expense)
        if expense.status != "submitted":
            raise RuleViolation("This expense no longer needs approval.")
        _check_approver(actor, expense, officer, hosting.group_id)
        with refused_as(Conflict("You have already approved this expense.")):
            db.session.add(
                ExpenseApproval(
                    expense_id=expense.id, officer_id=officer.id, claimant_id=expense.claimant_id, user_id=actor.id
                )
            )
        db.session.refresh(expense, ["approvals"])
        if len(expense.approvals) >= APPROVALS_NEEDED:
            expense.status = "approved"
        state = expense_state(expense.status, expense.amount_pence, hosting.balance_pence)
        _audit(
            actor,
            hosting,
            "approved",
            f"{officer.name} approved the expense of {money(expense.amount_pence)}"
            + {"ready": " (ready to pay)", "waiting": " (approved, waiting for funds)"}.get(state, ""),
            {"expense_id": expense.id, "officer_id": officer.id, "status": expense.status},
        )


def pay_expense(*, actor: User, expense: Expense) -> None:
    """The host pays an approved expense from the money it holds for the group; refused (Overspend) while
    it is waiting for funds, as that would overspend the held balance. Raises PermissionDenied, RuleViolation."""
    with unit_of_work():
        hosting = hosting_of(expense)
        require_host(actor, hosting)
        _lock(expense)
        if expense.status != "approved":
            raise RuleViolation(
                "Only an expense approved by two unrelated officers can be paid."
                if expense.status == "submitted"
                else "This expense has already been paid."
                if expense.status == "paid"
                else f"This expense was {expense.status}, so it is not paid."
            )
        require_agreement(hosting, london_today())
        add_entry(
            actor=actor,
            hosting=hosting,
            kind="expense_paid",
            amount_pence=expense.amount_pence,
            on=london_today(),
            note=expense.description[:300],
            expense_id=expense.id,
        )
        expense.status, expense.paid_at = "paid", utcnow()
        _audit(
            actor,
            hosting,
            "paid",
            f"{hosting.partner.name} paid {money(expense.amount_pence)} to {expense.claimant.name}",
            {"expense_id": expense.id, "balance_pence": hosting.balance_pence},
        )


def _require_unpaid(expense: Expense) -> None:
    if expense.status not in OUTSTANDING:
        raise RuleViolation(f"This expense is {expense.status}, so it can no longer be withdrawn or cancelled.")


def _end(actor: User, hosting: Hosting, expense: Expense, status: str, reason: str) -> None:
    expense.status, expense.ended_at, expense.end_reason = status, utcnow(), reason[:500]
    _audit(
        actor,
        hosting,
        status,
        f"the expense of {money(expense.amount_pence)} claimed by {expense.claimant.name} "
        f"was {status}: {expense.end_reason}",
        {"expense_id": expense.id, "status": status},
    )


def withdraw_expense(*, actor: User, expense: Expense, reason: str = "") -> None:
    """The claimant (through the account linked to their record) withdraws their own claim until it is
    paid. Raises PermissionDenied (anyone else), RuleViolation."""
    with unit_of_work():
        hosting = hosting_of(expense)
        if expense.claimant.user_id != actor.id or hosting.group.closed_on:
            raise PermissionDenied()
        _lock(expense)
        _require_unpaid(expense)
        _end(actor, hosting, expense, "withdrawn", reason.strip() or f"Withdrawn by {expense.claimant.name}.")


def cancel_expense(*, actor: User, expense: Expense, reason: str) -> None:
    """An officer asks to cancel an unpaid expense, with a reason; when a second officer, not related
    to the first, asks too, it is cancelled (one officer alone cannot drop a member's claim).
    Raises PermissionDenied (not an officer), RuleViolation."""
    with unit_of_work():
        hosting = hosting_of(expense)
        officer = officer_person(actor, hosting.group_id)
        if officer is None or hosting.group.closed_on:
            raise PermissionDenied()
        if not reason.strip():
            raise RuleViolation("Say why the expense should be cancelled, so the claimant knows.", field="reason")
        _lock(expense)
        _require_unpaid(expense)
        _check_canceller(expense, officer, hosting.group_id)
        with refused_as(Conflict("You have already asked to cancel this expense.")):
            db.session.add(
                ExpenseCancellation(
                    expense_id=expense.id, officer_id=officer.id, user_id=actor.id, reason=reason.strip()[:500]
                )
            )
        db.session.refresh(expense, ["cancellations"])
        if len(expense.cancellations) >= CANCELLATIONS_NEEDED:
            _end(actor, hosting, expense, "cancelled", "; ".join(c.reason for c in expense.cancellations))
        else:
            _audit(
                actor,
                hosting,
                "cancel_asked",
                f"{officer.name} asked to cancel the expense of {money(expense.amount_pence)}: {reason.strip()}",
                {"expense_id": expense.id},
            )


def _check_canceller(expense: Expense, officer: GroupPerson, group_id: int) -> None:
    if any(row.officer_id == officer.id for row in expense.cancellations):
        raise RuleViolation("You have already asked to cancel this expense. A second officer needs to agree.")
    relationships = declared_relationships(group_id)
    for row in expense.cancellations:
        if are_related(row.officer_id, officer.id, relationships):
            raise RuleViolation(
                f"{officer.name} and {row.officer.name} are related, so they cannot be the two "
                "officers who cancel the same expense. Ask an officer who is not related to them."
            )
