"""A bid's life in one table: every state, and every move between states (who may make it,
from which states, to which). Pure: no database, no clock, no request.

    draft -> submitted -> screening -> ready for vote -> open for vote -> approved -> agreement
          -> paid -> reported -> closed
    screening -> returned -> submitted again;  ready for vote -> awaiting funds -> open for vote
    open for vote -> not approved, or deferred -> ready for vote (listed again)
    paid -> agreement (a payment reversed);  withdrawn: by the partner, before or during the vote
    withdrawn -> returned: a coordinator returns it for changes (e.g. withdrawn during the vote to
    make a material change), so it can be submitted and voted on afresh

Each stage makes its own moves, by name, through this table: the bid stage (`moves.py`:
submit, pick up, return, ready, withdraw), the votes stage (`voting/opening.py`: open the
vote or wait for funds; `voting/closing.py`: the decision, re-listing a deferred bid,
withdrawing during the vote) and the grants stage (`grants/stages.py`, `grants/payments.py`,
`grants/corrections.py`). A name not in the table raises `NotInTable`; a move from a state
it does not start from raises the move's `RuleViolation`. Who may make a move is checked by
`access.may_move`.
"""

from dataclasses import dataclass
from enum import StrEnum

from ...errors import RuleViolation


class BidStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SCREENING = "screening"
    RETURNED = "returned"
    READY_FOR_VOTE = "ready_for_vote"
    WITHDRAWN = "withdrawn"
    # The votes stage's states.
    AWAITING_FUNDS = "awaiting_funds"
    OPEN_FOR_VOTE = "open_for_vote"
    DEFERRED = "deferred"
    APPROVED = "approved"
    NOT_APPROVED = "not_approved"
    # After approval: the grant agreement is signed, the award is paid in full, the partner
    # reports at the end of the grant, a coordinator closes it.
    AGREEMENT = "agreement"
    PAID = "paid"
    REPORTED = "reported"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self][0]

    @property
    def tag(self) -> str:
        return STATUS_LABELS[self][1]


STATUS_LABELS = {
    BidStatus.DRAFT: ("Draft", "grey"),
    BidStatus.SUBMITTED: ("Submitted", "blue"),
    BidStatus.SCREENING: ("Being screened", "blue"),
    BidStatus.RETURNED: ("Returned for changes", "yellow"),
    BidStatus.READY_FOR_VOTE: ("Ready for vote", "green"),
    BidStatus.WITHDRAWN: ("Withdrawn", "grey"),
    BidStatus.AWAITING_FUNDS: ("Awaiting funds", "yellow"),
    BidStatus.OPEN_FOR_VOTE: ("Open for vote", "blue"),
    BidStatus.DEFERRED: ("Deferred", "yellow"),
    BidStatus.APPROVED: ("Approved", "green"),
    BidStatus.NOT_APPROVED: ("Not approved", "red"),
    BidStatus.AGREEMENT: ("Agreement signed", "green"),
    BidStatus.PAID: ("Paid", "green"),
    BidStatus.REPORTED: ("Reported", "blue"),
    BidStatus.CLOSED: ("Closed", "grey"),
}

S = BidStatus
START = S.DRAFT  # a bid is born a draft (bids/services.py create_draft)
FINAL = frozenset({S.NOT_APPROVED, S.CLOSED})  # no move leaves these
# The partner may change a bid's content only in these states.
EDITABLE_STATUSES = frozenset({S.DRAFT, S.RETURNED})


class Who(StrEnum):
    """Who may make a move."""

    PARTNER = "partner"  # the partner's own people, or a coordinator on their behalf
    COORDINATOR = "coordinator"
    VOTE = "vote"  # the collective's vote as it closes: no person


@dataclass(frozen=True)
class Move:
    name: str
    sources: frozenset[BidStatus]
    target: BidStatus
    who: Who
    stage: str  # the stage that makes it: bids, voting or grants
    summary: str  # the audit summary ("{summary}: {title}")
    refusal: str  # why it is refused, in plain words ({state} is the bid's state)
    names_partner: bool = False  # the audit summary says "on behalf of <partner>" for a coordinator


class NotInTable(LookupError):
    """A move the bid's lifecycle does not have."""


MOVES = {
    move.name: move
    for move in (
        # The bid stage (moves.py): the bid page's buttons.
        Move(
            "submit",
            frozenset({S.DRAFT, S.RETURNED}),
            S.SUBMITTED,
            Who.PARTNER,
            "bids",
            "Bid submitted",
            "Only a draft, or a bid returned for changes, can be submitted. This bid is {state}.",
            True,
        ),
        Move(
            "pick_up",
            frozenset({S.SUBMITTED}),
            S.SCREENING,
            Who.COORDINATOR,
            "bids",
            "Bid picked up for screening",
            "Only a submitted bid can be picked up for screening. This bid is {state}.",
            True,
        ),
        Move(
            "return",
            frozenset({S.SCREENING, S.WITHDRAWN}),
            S.RETURNED,
            Who.COORDINATOR,
            "bids",
            "Bid returned for changes",
            "Only a bid being screened, or a withdrawn bid, can be returned for changes. This bid is {state}.",
            True,
        ),
        Move(
            "ready",
            frozenset({S.SCREENING}),
            S.READY_FOR_VOTE,
            Who.COORDINATOR,
            "bids",
            "Bid ready for a vote",
            "Only a bid being screened can be marked ready for a vote. This bid is {state}.",
            True,
        ),
        Move(
            "withdraw",
            frozenset({S.DRAFT, S.SUBMITTED, S.SCREENING, S.RETURNED, S.READY_FOR_VOTE, S.AWAITING_FUNDS}),
            S.WITHDRAWN,
            Who.PARTNER,
            "bids",
            "Bid withdrawn",
            "This bid is {state}, so it can no longer be withdrawn.",
            True,
        ),
        # The votes stage (voting/opening.py, voting/closing.py).
        Move(
            "open_vote",
            frozenset({S.READY_FOR_VOTE, S.AWAITING_FUNDS}),
            S.OPEN_FOR_VOTE,
            Who.COORDINATOR,
            "voting",
            "Vote opened",
            "Only a bid ready for a vote can be opened for a vote. This bid is {state}.",
        ),
        Move(
            "await_funds",
            frozenset({S.READY_FOR_VOTE}),
            S.AWAITING_FUNDS,
            Who.COORDINATOR,
            "voting",
            "Bid awaiting funds",
            "Only a bid ready for a vote can wait for funds. This bid is {state}.",
        ),
        Move(
            "withdraw_during_vote",
            frozenset({S.OPEN_FOR_VOTE}),
            S.WITHDRAWN,
            Who.PARTNER,
            "voting",
            "Bid withdrawn during the vote",
            "Only a bid whose vote is open can be withdrawn here.",
        ),
        Move(
            "approve",
            frozenset({S.OPEN_FOR_VOTE}),
            S.APPROVED,
            Who.VOTE,
            "voting",
            "Vote approved",
            "Only a bid whose vote is open can be decided. This bid is {state}.",
        ),
        Move(
            "not_approve",
            frozenset({S.OPEN_FOR_VOTE}),
            S.NOT_APPROVED,
            Who.VOTE,
            "voting",
            "Vote not approved",
            "Only a bid whose vote is open can be decided. This bid is {state}.",
        ),
        Move(
            "defer",
            frozenset({S.OPEN_FOR_VOTE}),
            S.DEFERRED,
            Who.VOTE,
            "voting",
            "Vote deferred",
            "Only a bid whose vote is open can be decided. This bid is {state}.",
        ),
        Move(
            "relist",
            frozenset({S.DEFERRED}),
            S.READY_FOR_VOTE,
            Who.VOTE,
            "voting",
            "Bid listed for a vote again",
            "Only a deferred bid can be listed for a vote again. This bid is {state}.",
        ),
        # The grants stage (grants/stages.py, grants/payments.py, grants/corrections.py).
        Move(
            "sign_agreement",
            frozenset({S.APPROVED}),
            S.AGREEMENT,
            Who.COORDINATOR,
            "grants",
            "Grant agreement signed",
            "Only an approved bid's grant agreement can be recorded. This bid is {state}.",
        ),
        Move(
            "pay_in_full",
            frozenset({S.AGREEMENT}),
            S.PAID,
            Who.COORDINATOR,
            "grants",
            "Award paid in full",
            "Only an awarded bid with a signed grant agreement can be paid. This bid is {state}.",
        ),
        Move(
            "reverse_payment",
            frozenset({S.PAID}),
            S.AGREEMENT,
            Who.COORDINATOR,
            "grants",
            "Payment reversed: the award is no longer paid in full",
            "Only a bid paid in full goes back to its agreement when a payment is reversed. This bid is {state}.",
        ),
        Move(
            "report",
            frozenset({S.PAID}),
            S.REPORTED,
            Who.PARTNER,
            "grants",
            "End-of-grant report sent",
            "The end-of-grant report can be sent once the award is paid in full. This bid is {state}.",
        ),
        Move(
            "close_grant",
            frozenset({S.REPORTED}),
            S.CLOSED,
            Who.COORDINATOR,
            "grants",
            "Grant closed",
            "A grant can be closed once its end-of-grant report is in. This bid is {state}.",
        ),
    )
}


def move_named(name: str) -> Move:
    """The move of that name; NotInTable for a move the lifecycle does not have."""
    try:
        return MOVES[name]
    except KeyError:
        raise NotInTable(f"A bid has no move called {name!r}.") from None


def refusal(name: str, state: BidStatus) -> str | None:
    """Why the move cannot start from `state`, in plain words (None when it can)."""
    move = move_named(name)
    return None if state in move.sources else move.refusal.format(state=state.label.lower())


def check(name: str, state: BidStatus) -> Move:
    """The move, when it starts from `state`; RuleViolation in its own words otherwise."""
    reason = refusal(name, state)
    if reason is not None:
        raise RuleViolation(reason)
    return MOVES[name]


def moves_of(stage: str) -> tuple[Move, ...]:
    """The moves one stage makes, in the table's order."""
    return tuple(move for move in MOVES.values() if move.stage == stage)
