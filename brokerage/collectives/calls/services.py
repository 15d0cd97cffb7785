"""Issuing, changing and closing calls for bids, and noting that a bid answers one.

Each public action checks who may act (PermissionDenied), checks the rules (RuleViolation,
naming the field), writes, records one audit event and commits once through the unit of work,
so a refused call leaves nothing behind. Issuing a call also writes its email to the outbox in
the same unit of work.
"""

from dataclasses import asdict
from datetime import date, datetime

from sqlalchemy import select

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.unit_of_work import unit_of_work
from ...core.values.timeutils import financial_year_start
from ...core.web.filters import money
from ...errors import NotFound, PermissionDenied, RuleViolation
from ...extensions import db
from ..models import Collective
from ..money import services as funds
from . import messages, rules
from .access import can_issue
from .models import CallForBids
from .rules import CallDetails, CallState


def available_pence(collective: Collective, today: date) -> int:
    """What the locality's fund for this financial year has available (£0 before it is opened)."""
    fund = funds.fund_for(locality=collective.locality, start_year=financial_year_start(today))
    return fund.available_pence if fund is not None else 0


def state_of(call: CallForBids, today: date) -> CallState:
    return rules.call_state(closes_on=call.closes_on, closed_early=call.closed_early_at is not None, today=today)


def snapshot(call: CallForBids) -> dict:
    return {
        "title": call.title,
        "districts": call.districts,
        "category_code": call.category_code,
        "category_label": call.category_label,
        "audience": call.audience,
        "upper_pence": call.upper_pence,
        "closes_on": call.closes_on.isoformat(),
    }


def _apply(call: CallForBids, details: CallDetails) -> None:
    values = asdict(details)
    values["districts"] = " ".join(rules.parse_districts(details.districts))
    for field, value in values.items():
        setattr(call, field, value.strip() if isinstance(value, str) else value)


def _locked(call_id: int) -> CallForBids | None:
    return db.session.scalar(
        select(CallForBids)
        .where(CallForBids.id == call_id)
        .with_for_update(of=CallForBids)
        .execution_options(populate_existing=True)
    )


def lock_call(call_id: int) -> CallForBids:
    """The call, locked for the rest of the transaction and read afresh (a change to it and a bid
    answering it never cross). NotFound when there is none."""
    call = _locked(call_id)
    if call is None:
        raise NotFound()
    return call


def issue_call(*, actor: User, collective: Collective, details: CallDetails, now: datetime, today: date) -> CallForBids:
    """Open a call for bids in the collective's locality: coordinators and its active chairs
    (PermissionDenied otherwise). Audited; the locality's partners and champions are emailed."""
    with unit_of_work():
        if not can_issue(actor, collective, today):
            raise PermissionDenied()
        rules.check_details(details, today=today, available_pence=available_pence(collective, today))
        call = CallForBids(collective_id=collective.id, created_by_id=actor.id, created_at=now, updated_at=now)
        _apply(call, details)
        db.session.add(call)
        db.session.flush()
        record_event(
            actor=actor,
            action="call.issued",
            object_type="call_for_bids",
            object_id=call.id,
            summary=f"Call for bids issued in {collective.name}: {call.title}, up to {money(call.upper_pence)}",
            after=snapshot(call),
        )
        messages.call_opened(call=call, now=now)
    return call


def can_change(call: CallForBids, today: date) -> bool:
    """A call can be changed while it is open and no bid has answered it yet."""
    return call.first_answered_at is None and state_of(call, today) is CallState.OPEN


def update_call(*, actor: User, call: CallForBids, details: CallDetails, now: datetime, today: date) -> CallForBids:
    """Change an open call that no bid has answered yet (RuleViolation otherwise). Audited."""
    with unit_of_work():
        if not can_issue(actor, call.collective, today):
            raise PermissionDenied()
        call = lock_call(call.id)
        if call.first_answered_at is not None:
            raise RuleViolation(
                "A bid has answered this call, so what it asks for can no longer change. "
                "Close it early and issue a new call instead."
            )
        if state_of(call, today) is CallState.CLOSED:
            raise RuleViolation("This call has closed, so it can no longer change.")
        rules.check_details(details, today=today, available_pence=available_pence(call.collective, today))
        before = snapshot(call)
        _apply(call, details)
        call.updated_at = now
        record_event(
            actor=actor,
            action="call.updated",
            object_type="call_for_bids",
            object_id=call.id,
            summary=f"Call for bids changed: {call.title}",
            before=before,
            after=snapshot(call),
        )
    return call


def close_early(*, actor: User, call: CallForBids, reason: str, now: datetime, today: date) -> CallForBids:
    """Close an open call before its closing day, with the reason (shown on the call). Audited."""
    with unit_of_work():
        if not can_issue(actor, call.collective, today):
            raise PermissionDenied()
        call = lock_call(call.id)
        if state_of(call, today) is CallState.CLOSED:
            raise RuleViolation("This call has already closed.")
        rules.check_close_reason(reason)
        call.closed_early_at, call.closed_early_by_id = now, actor.id
        call.closed_early_reason = reason.strip()
        record_event(
            actor=actor,
            action="call.closed",
            object_type="call_for_bids",
            object_id=call.id,
            summary=f"Call for bids closed early: {call.title}",
            after={"reason": call.closed_early_reason},
        )
    return call


def note_answer(
    *,
    call_id: int,
    locality_id: int | None,
    requested_pence: int | None,
    already_answering: bool,
    now: datetime,
    today: date,
) -> CallForBids:
    """Inside a bid's unit of work: check that the bid may answer the call (rules.check_answer)
    and mark the call as answered, which fixes what it asks for. Flushes; never commits."""
    call = _locked(call_id)
    if call is None:
        raise RuleViolation("Choose one of the calls listed, or none.", field="call_id")
    rules.check_answer(
        state=state_of(call, today),
        call_locality_id=call.collective.locality_id,
        bid_locality_id=locality_id,
        upper_pence=call.upper_pence,
        requested_pence=requested_pence,
        already_answering=already_answering,
    )
    if call.first_answered_at is None:
        call.first_answered_at = now
        db.session.flush()
    return call
