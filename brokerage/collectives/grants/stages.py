"""A grant's life after the collective approves it:

    approved -> agreement -> paid -> reported -> closed

- agreement: a coordinator records that the partner has signed the grant agreement (the date,
  who signed for the partner, the document's reference). Payments can be made only from here.
- paid: payments.py moves the bid here once the award is paid in full, and back to agreement
  if a payment is reversed (corrections.py).
- reported: the partner's own people (or a coordinator on their behalf) send a short
  end-of-grant report once the award is paid: how many people took part, what happened.
- closed: a coordinator closes the grant once the report is in.

Each public call checks who may act and the bid's state, writes the record, moves the bid
(time-stamped history and audit event), audits the record and commits once.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.unit_of_work import unit_of_work
from ...core.values.timeutils import london_today, to_london
from ...core.web.filters import long_date
from ...errors import PermissionDenied, RuleViolation
from ...extensions import db
from ..bids import lifecycle
from ..bids.access import may_move
from ..bids.models import Bid
from ..bids.moves import make_move
from ..bids.services import MAX_PARTICIPANTS, lock_bid, on_behalf
from ..voting.models import Award
from .models import GrantAgreement, GrantReport
from .payments import award_of

MAX_SIGNATORY = 200
MAX_REFERENCE = 120
MAX_REPORT = 3000
CLOSE_NOTE = 2000


@dataclass(frozen=True)
class AgreementDetails:
    signed_on: date | None
    signed_by: str
    reference: str = ""


@dataclass(frozen=True)
class ReportDetails:
    participants: int | None
    what_happened: str


@dataclass(frozen=True)
class GrantStage:
    """What the bid page shows of a grant after approval, and what the viewer may do next."""

    agreement: GrantAgreement | None
    report: GrantReport | None
    can_record_agreement: bool
    can_report: bool
    can_close: bool


def _award(bid: Bid) -> Award:
    award = award_of(bid)
    if award is None:
        raise RuleViolation("This bid has no award.")
    return award


def agreement_of(award: Award | None) -> GrantAgreement | None:
    if award is None:
        return None
    return db.session.scalar(select(GrantAgreement).where(GrantAgreement.award_id == award.id))


def report_of(award: Award | None) -> GrantReport | None:
    if award is None:
        return None
    return db.session.scalar(select(GrantReport).where(GrantReport.award_id == award.id))


def _may(viewer: User, name: str, bid: Bid) -> bool:
    """The viewer may make the move, and the bid is in a state it starts from."""
    return may_move(viewer, name, bid) and lifecycle.refusal(name, bid.state) is None


def stage_of(*, viewer: User, bid: Bid) -> GrantStage | None:
    """The grant's agreement and report with the viewer's next steps (None before an award)."""
    award = award_of(bid)
    if award is None:
        return None
    return GrantStage(
        agreement=agreement_of(award),
        report=report_of(award),
        can_record_agreement=_may(viewer, "sign_agreement", bid),
        can_report=_may(viewer, "report", bid),
        can_close=_may(viewer, "close_grant", bid),
    )


def _check_agreement(details: AgreementDetails, award: Award, today: date) -> None:
    if details.signed_on is None:
        raise RuleViolation("Enter the date the partner signed the grant agreement.", field="signed_on")
    if details.signed_on > today:
        raise RuleViolation("The date the agreement was signed cannot be in the future.", field="signed_on")
    awarded_on = to_london(award.awarded_at).date()
    if details.signed_on < awarded_on:
        raise RuleViolation(
            f"The agreement cannot be signed before the award was made on {long_date(awarded_on)}.", field="signed_on"
        )
    signed_by = details.signed_by.strip()
    if not signed_by:
        raise RuleViolation("Enter the name and role of the person who signed for the partner.", field="signed_by")
    if len(signed_by) > MAX_SIGNATORY:
        raise RuleViolation(f"Keep this to {MAX_SIGNATORY} characters or fewer.", field="signed_by")
    if len(details.reference.strip()) > MAX_REFERENCE:
        raise RuleViolation(f"Keep the reference to {MAX_REFERENCE} characters or fewer.", field="reference")


def record_agreement(*, actor: User, bid: Bid, details: AgreementDetails, now: datetime) -> GrantAgreement:
    """A coordinator records that the partner has signed the grant agreement for an approved
    bid: the bid moves to *agreement*, and payments can be recorded. PermissionDenied for
    anyone else; RuleViolation (with the field) for a missing or future date, a date before
    the award, no signatory, or a bid that is not approved (e.g. already agreed)."""
    with unit_of_work():
        if not may_move(actor, "sign_agreement", bid):
            raise PermissionDenied()
        bid = lock_bid(bid.id)
        lifecycle.check("sign_agreement", bid.state)
        award = _award(bid)
        _check_agreement(details, award, london_today(now))
        agreement = GrantAgreement(
            award_id=award.id,
            signed_on=details.signed_on,
            signed_by=details.signed_by.strip(),
            reference=details.reference.strip(),
            recorded_by_id=actor.id,
            recorded_at=now,
        )
        db.session.add(agreement)
        db.session.flush()
        make_move("sign_agreement", actor=actor, bid=bid, now=now, message=f"Signed on {long_date(details.signed_on)}")
        record_event(
            actor=actor,
            action="grant.agreement_recorded",
            object_type="bid",
            object_id=bid.id,
            summary=f"Grant agreement for {bid.title} signed by {agreement.signed_by} for {bid.partner.name}",
            after={
                "agreement_id": agreement.id,
                "award_id": award.id,
                "signed_on": agreement.signed_on.isoformat(),
                "signed_by": agreement.signed_by,
                "reference": agreement.reference,
            },
        )
    return agreement


def _check_report(details: ReportDetails) -> None:
    if details.participants is None or not 0 <= details.participants <= MAX_PARTICIPANTS:
        raise RuleViolation(f"Enter how many people took part, from 0 to {MAX_PARTICIPANTS:,}.", field="participants")
    text = details.what_happened.strip()
    if not text:
        raise RuleViolation(
            "Say what the project did and what changed for the people who took part.", field="what_happened"
        )
    if len(text) > MAX_REPORT:
        raise RuleViolation(f"Keep the report to {MAX_REPORT:,} characters or fewer.", field="what_happened")


def submit_report(*, actor: User, bid: Bid, details: ReportDetails, now: datetime) -> GrantReport:
    """The partner's own people (or a coordinator on their behalf) send the end-of-grant
    report once the award is paid in full: the bid moves to *reported*. PermissionDenied for
    anyone else; RuleViolation for a missing or impossible figure, no text, or a bid that is
    not paid (not yet, or already reported)."""
    with unit_of_work():
        if not may_move(actor, "report", bid):
            raise PermissionDenied()
        bid = lock_bid(bid.id)
        lifecycle.check("report", bid.state)
        _check_report(details)
        award = _award(bid)
        report = GrantReport(
            award_id=award.id,
            participants=details.participants,
            what_happened=details.what_happened.strip(),
            submitted_by_id=actor.id,
            submitted_at=now,
        )
        db.session.add(report)
        db.session.flush()
        make_move("report", actor=actor, bid=bid, now=now)
        record_event(
            actor=actor,
            action="grant.reported",
            object_type="bid",
            object_id=bid.id,
            summary=f"End-of-grant report for {bid.title}{on_behalf(actor, bid.partner)}: "
            f"{details.participants:,} people took part",
            after={"report_id": report.id, "award_id": award.id, "participants": details.participants},
        )
    return report


def close_grant(*, actor: User, bid: Bid, note: str, now: datetime) -> Bid:
    """A coordinator closes a grant whose end-of-grant report is in (optionally with a note
    the partner sees). PermissionDenied for anyone else; RuleViolation from any other state."""
    with unit_of_work():
        if not may_move(actor, "close_grant", bid):
            raise PermissionDenied()
        note = note.strip()
        if len(note) > CLOSE_NOTE:
            raise RuleViolation(f"Keep the note to {CLOSE_NOTE:,} characters or fewer.", field="note")
        bid = lock_bid(bid.id)
        lifecycle.check("close_grant", bid.state)
        make_move("close_grant", actor=actor, bid=bid, now=now, message=note)
    return bid
