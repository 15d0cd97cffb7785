"""Drafting a bid and changing its content and match-funding lines.

Content can change only while the bid is a draft or has been returned for changes; the
partner's own people and coordinators (on the partner's behalf) make the changes. Each
public call checks, writes one audit event and commits once.
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.unit_of_work import Conflict, unit_of_work
from ...core.values.timeutils import london_today
from ...core.web.filters import money
from ...errors import NotFound, PermissionDenied, RuleViolation
from ...extensions import db
from ...partners.access import acts_for_partner
from ...partners.models import Partner
from ..calls import services as calls
from .access import can_act_for
from .lifecycle import START, BidStatus
from .models import MAX_PENCE, Bid, BidTransition, LineStatus, MatchLine

MAX_PARTICIPANTS = 100_000
MAX_PROJECT_DAYS = 5 * 366
TEXT_LIMITS = {"title": 200, "summary": 5000, "easy_read_summary": 5000, "who_for": 3000, "how_reached": 3000}
REQUIRED_TEXT = {
    "title": "Enter the project title.",
    "summary": "Enter a summary of the project.",
    "who_for": "Say who the project is for.",
    "how_reached": "Say how you will reach them.",
}


@dataclass(frozen=True)
class BidDetails:
    title: str
    summary: str
    who_for: str
    how_reached: str
    locality_id: int | None
    start_on: date | None
    end_on: date | None
    expected_participants: int | None
    total_cost_pence: int | None
    requested_pence: int | None
    easy_read_summary: str = ""
    call_id: int | None = None  # the call for bids it answers


@dataclass(frozen=True)
class LineDetails:
    source: str
    amount_pence: int | None
    status: str
    evidence: str = ""


def on_behalf(actor: User | None, partner: Partner) -> str:
    """' on behalf of <partner>' when a coordinator acts for a partner they do not belong to."""
    if actor is None or acts_for_partner(actor, partner.id):
        return ""
    return f" on behalf of {partner.name}"


def _check_text(details: BidDetails) -> None:
    for field, message in REQUIRED_TEXT.items():
        if not getattr(details, field).strip():
            raise RuleViolation(message, field=field)
    for field, limit in TEXT_LIMITS.items():
        if len(getattr(details, field)) > limit:
            raise RuleViolation(f"Keep this to {limit:,} characters or fewer.", field=field)


def _check_money(pence: int | None, field: str, what: str) -> int:
    """The amount, once it is one a bid may hold."""
    if pence is None:
        raise RuleViolation(f"Enter the {what}.", field=field)
    if pence <= 0:
        raise RuleViolation(f"Enter the {what} as an amount greater than £0.", field=field)
    if pence > MAX_PENCE:
        raise RuleViolation(f"The {what} must be no more than {money(MAX_PENCE)}.", field=field)
    return pence


def _check_dates(start_on: date | None, end_on: date | None) -> None:
    if start_on is None:
        raise RuleViolation("Enter the date the project starts.", field="start_on")
    if end_on is None:
        raise RuleViolation("Enter the date the project ends.", field="end_on")
    if end_on <= start_on:
        raise RuleViolation("The end date must be after the start date.", field="end_on")
    if (end_on - start_on).days > MAX_PROJECT_DAYS:
        raise RuleViolation("A project can run for at most 5 years: check the end date.", field="end_on")


def check_details(details: BidDetails, partner: Partner) -> None:
    """Every rule on a bid's content; RuleViolation naming the field."""
    _check_text(details)
    if details.locality_id not in {locality.id for locality in partner.localities}:
        raise RuleViolation(f"Choose one of the localities {partner.name} serves.", field="locality_id")
    _check_dates(details.start_on, details.end_on)
    participants = details.expected_participants
    if participants is None or not 1 <= participants <= MAX_PARTICIPANTS:
        raise RuleViolation(
            f"Enter the number of people you expect to take part, from 1 to {MAX_PARTICIPANTS:,}.",
            field="expected_participants",
        )
    total_cost = _check_money(details.total_cost_pence, "total_cost", "total project cost")
    requested = _check_money(details.requested_pence, "requested", "amount requested")
    if requested > total_cost:
        raise RuleViolation("The amount requested cannot be more than the total project cost.", field="requested")


def snapshot(bid: Bid) -> dict:
    return {
        "title": bid.title,
        "locality_id": bid.locality_id,
        "start_on": bid.start_on.isoformat(),
        "end_on": bid.end_on.isoformat(),
        "expected_participants": bid.expected_participants,
        "total_cost_pence": bid.total_cost_pence,
        "requested_pence": bid.requested_pence,
        "call_id": bid.call_id,
    }


def _answer_call(details: BidDetails, answering: int | None, now: datetime) -> None:
    """A bid that answers a call: the call must be open (unless the bid already answers it), of
    the bid's locality, and offer at least the amount requested (calls.rules.check_answer)."""
    if details.call_id is not None:
        calls.note_answer(
            call_id=details.call_id,
            locality_id=details.locality_id,
            requested_pence=details.requested_pence,
            already_answering=answering == details.call_id,
            now=now,
            today=london_today(now),
        )


def _apply(bid: Bid, details: BidDetails) -> None:
    for field, value in asdict(details).items():
        setattr(bid, field, value.strip() if isinstance(value, str) else value)


def lock_bid(bid_id: int) -> Bid:
    """Lock the bid row for the rest of the transaction and read it afresh, with its lines
    and partner (whose own details load only when used)."""
    bid = (
        db.session.scalars(
            select(Bid)
            .where(Bid.id == bid_id)
            .with_for_update(of=Bid)
            .options(joinedload(Bid.partner).lazyload("*"), joinedload(Bid.lines))
            .execution_options(populate_existing=True)
        )
        .unique()
        .one_or_none()
    )
    if bid is None:
        raise NotFound()
    return bid


RETURNABLE = frozenset({BidStatus.SUBMITTED, BidStatus.SCREENING, BidStatus.WITHDRAWN})
WITHDRAW_FIRST = frozenset({BidStatus.READY_FOR_VOTE, BidStatus.AWAITING_FUNDS, BidStatus.OPEN_FOR_VOTE})


def _how_to_change(state: BidStatus) -> str:
    """What the partner can do to change a bid in this state: only what an action on the page
    really offers (a coordinator returns a bid being screened or withdrawn)."""
    if state in RETURNABLE:
        return " A coordinator can return it to you for changes."
    if state in WITHDRAW_FIRST:
        return (
            " To change it, withdraw it (during a vote, the vote becomes void); a coordinator can then "
            "return it to you for changes."
        )
    return ""


AMENDABLE_AFTER_DEFERRAL = frozenset({BidStatus.READY_FOR_VOTE, BidStatus.AWAITING_FUNDS})


def can_amend(bid: Bid) -> bool:
    """A draft or returned bid can be changed; so can a deferred bid until it is listed again,
    so the partner can act on the members' questions (the next vote snapshots the new version)."""
    if bid.is_editable:
        return True
    return (
        bid.state in AMENDABLE_AFTER_DEFERRAL
        and db.session.scalar(
            select(BidTransition.id)
            .where(BidTransition.bid_id == bid.id, BidTransition.to_status == BidStatus.DEFERRED.value)
            .limit(1)
        )
        is not None
    )


def require_editable(bid: Bid) -> None:
    if not can_amend(bid):
        raise RuleViolation(
            f"This bid is {bid.state.label.lower()}, so its content can no longer be changed."
            + _how_to_change(bid.state)
        )


def _saving(on_error_field: str | None = None):
    """The unit of work of a change to a bid: a constraint that refuses it, in plain words."""
    return unit_of_work(
        conflict=Conflict("Those figures do not fit together: check the amounts and dates.", field=on_error_field)
    )


def create_draft(*, actor: User, partner: Partner, details: BidDetails, now: datetime) -> Bid:
    """Start a draft bid for a partner: its own people, or a coordinator on its behalf
    (PermissionDenied otherwise). RuleViolation (with the field) for missing or bad content,
    a locality the partner does not serve, or an archived partner."""
    with _saving():
        if not (actor.is_coordinator or acts_for_partner(actor, partner.id)):
            raise PermissionDenied()
        if partner.is_archived:
            raise RuleViolation(f"{partner.name} is archived: restore it before drafting a bid.")
        check_details(details, partner)
        _answer_call(details, None, now)
        bid = Bid(
            partner_id=partner.id,
            status=START.value,
            created_by_id=actor.id,
            created_at=now,
            updated_at=now,
            status_changed_at=now,
        )
        _apply(bid, details)
        db.session.add(bid)
        db.session.flush()
        db.session.add(BidTransition(bid_id=bid.id, from_status=None, to_status=START.value, actor_id=actor.id, at=now))
        record_event(
            actor=actor,
            action="bid.created",
            object_type="bid",
            object_id=bid.id,
            summary=f"Bid drafted: {bid.title} for {partner.name}{on_behalf(actor, partner)}",
            after=snapshot(bid),
        )
    return bid


def update_draft(*, actor: User, bid: Bid, details: BidDetails, now: datetime) -> Bid:
    """Change a bid's content while it is a draft or returned for changes (RuleViolation
    otherwise, or for bad content). Partner's people and coordinators only (PermissionDenied)."""
    with _saving():
        if not can_act_for(actor, bid):
            raise PermissionDenied()
        bid = lock_bid(bid.id)
        require_editable(bid)
        check_details(details, bid.partner)
        _answer_call(details, bid.call_id, now)
        before = snapshot(bid)
        _apply(bid, details)
        bid.updated_at = now
        record_event(
            actor=actor,
            action="bid.updated",
            object_type="bid",
            object_id=bid.id,
            summary=f"Bid changed: {bid.title}{on_behalf(actor, bid.partner)}",
            before=before,
            after=snapshot(bid),
        )
    return bid


def _check_line(line: LineDetails) -> None:
    if not line.source.strip():
        raise RuleViolation("Say where this money comes from.", field="source")
    if len(line.source.strip()) > 200:
        raise RuleViolation("Keep the source to 200 characters or fewer.", field="source")
    _check_money(line.amount_pence, "amount", "amount")
    if line.status not in {status.value for status in LineStatus}:
        raise RuleViolation("Choose whether the money is pledged, confirmed or received.", field="status")
    if len(line.evidence.strip()) > 500:
        raise RuleViolation("Keep the evidence note to 500 characters or fewer.", field="evidence")


def add_line(*, actor: User, bid: Bid, line: LineDetails, now: datetime) -> MatchLine:
    """Add a match-funding line to an editable bid (RuleViolation otherwise or for bad input;
    PermissionDenied for anyone but the partner's people and coordinators)."""
    with _saving("amount"):
        if not can_act_for(actor, bid):
            raise PermissionDenied()
        bid = lock_bid(bid.id)
        require_editable(bid)
        _check_line(line)
        row = MatchLine(
            bid_id=bid.id,
            source=line.source.strip(),
            amount_pence=line.amount_pence,
            status=line.status,
            evidence=line.evidence.strip(),
            created_at=now,
        )
        db.session.add(row)
        bid.updated_at = now
        db.session.flush()
        record_event(
            actor=actor,
            action="bid.line_added",
            object_type="bid",
            object_id=bid.id,
            summary=f"Match funding added to {bid.title}: {row.source}, {money(row.amount_pence)} "
            f"{line.status}{on_behalf(actor, bid.partner)}",
            after={"line_id": row.id, "amount_pence": row.amount_pence, "status": row.status},
        )
    return row


def remove_line(*, actor: User, bid: Bid, line_id: int, now: datetime) -> None:
    """Remove a match-funding line from an editable bid (NotFound if it is not this bid's)."""
    with _saving():
        if not can_act_for(actor, bid):
            raise PermissionDenied()
        bid = lock_bid(bid.id)
        line = db.session.get(MatchLine, line_id)
        if line is None or line.bid_id != bid.id:
            raise NotFound()
        require_editable(bid)
        before = {"line_id": line.id, "source": line.source, "amount_pence": line.amount_pence, "status": line.status}
        bid.lines.remove(line)
        bid.updated_at = now
        record_event(
            actor=actor,
            action="bid.line_removed",
            object_type="bid",
            object_id=bid.id,
            summary=f"Match funding removed from {bid.title}: {line.source}{on_behalf(actor, bid.partner)}",
            before=before,
        )
