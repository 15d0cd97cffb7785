"""Hosting's pure rules (no database, no clock): what an expense's state means to the people who
claim, approve and pay it, and what stands between a hosted group and graduating."""

from dataclasses import dataclass

APPROVALS_NEEDED = 2
CANCELLATIONS_NEEDED = 2
OUTSTANDING = ("submitted", "approved")

EXPENSE_STATE_LABELS = {
    "submitted": "Needs two approvals",
    "ready": "Approved, ready to pay",
    "waiting": "Approved, waiting for funds",
    "paid": "Paid",
    "withdrawn": "Withdrawn",
    "cancelled": "Cancelled",
}


def expense_state(status: str, amount_pence: int, held_pence: int) -> str:
    """An approved expense the host cannot yet pay is "approved, waiting for funds": two officers
    may approve a claim beyond the money held (the money may be on its way), but it is never paid
    until the host holds enough, so nobody mistakes it for money the group has."""
    if status == "approved":
        return "ready" if amount_pence <= held_pence else "waiting"
    return status


@dataclass(frozen=True)
class Blocker:
    what: str
    next_step: str


@dataclass(frozen=True)
class Outstanding:
    description: str
    claimant: str
    amount: str
    state: str


def graduation_blockers(*, status: str, bank_open: bool, outstanding: list[Outstanding]) -> list[Blocker]:
    """Everything that must be settled before a hosted group graduates, each with what to do: the
    whole balance leaves the host on graduation, so an unpaid claim left behind would never be paid."""
    blockers = []
    if status != "approved":
        blockers.append(
            Blocker(
                "There is no current hosting agreement to graduate from.",
                "Only a group hosted under an approved agreement can graduate.",
            )
        )
    if not bank_open:
        blockers.append(
            Blocker(
                "The group has no open bank account of its own.",
                "Record the group's own account, in the constitution's name, first.",
            )
        )
    for claim in outstanding:
        step = (
            "Approve and pay it, or cancel it."
            if claim.state == "submitted"
            else "Pay it, or cancel it."
            if claim.state == "ready"
            else "Cancel it, or pay it once the money has come in."
        )
        blockers.append(
            Blocker(
                f"The expense \u201c{claim.description}\u201d ({claim.amount}, claimed by "
                f"{claim.claimant}) is {EXPENSE_STATE_LABELS[claim.state].lower()}.",
                step,
            )
        )
    return blockers
