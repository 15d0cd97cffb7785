"""The only writers of the mark: schemes and criteria (coordinators), applications with evidence
(a partner's people), assessments and awards (coordinators). Each step is audited in its own unit
of work, so nothing is half-saved."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.models import Locality
from ...core.data.results import rows_changed
from ...core.data.unit_of_work import Conflict, unit_of_work
from ...errors import NotFound, PermissionDenied, RuleViolation
from ...extensions import db
from ..models import Partner
from ..validation import clean_text
from .access import may_apply_for, may_run_schemes
from .models import MarkApplication, MarkCriterion, MarkEvidence, MarkScheme
from .rules import (
    AWARDED,
    LONGEST_TEXT,
    NOT_YET,
    SUBMITTED,
    check_award,
    check_criterion,
    check_evidence,
    check_scheme,
    valid_until,
)


@dataclass(frozen=True)
class Evidence:
    criterion_id: int
    details: str
    reference: str = ""
    issued_on: date | None = None
    expires_on: date | None = None


@dataclass(frozen=True)
class Assessment:
    criterion_id: int
    met: bool
    note: str = ""


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied()


def _text(value: str, field: str, limit: int = LONGEST_TEXT) -> str:
    value = clean_text(value or "")
    if len(value) > limit:
        raise RuleViolation(f"Use at most {limit} characters.", field=field)
    return value


def create_scheme(*, actor: User, locality_id: int, name: str, mark_text: str, award_months: int | None) -> MarkScheme:
    _require(may_run_schemes(actor))
    name, mark_text = _text(name, "name", 120), _text(mark_text, "mark_text")
    check_scheme(name, mark_text, award_months)
    if db.session.get(Locality, locality_id) is None:
        raise RuleViolation("Choose a locality.", field="locality")
    with unit_of_work(conflict=Conflict("This locality already has a scheme.", field="locality")):
        scheme = MarkScheme(locality_id=locality_id, name=name, mark_text=mark_text, award_months=award_months)
        db.session.add(scheme)
        db.session.flush()
        record_event(
            actor=actor,
            action="mark_scheme.created",
            object_type="mark_scheme",
            object_id=scheme.id,
            summary=f"Mark scheme {name} set up",
            after={"award_months": award_months},
        )
    return scheme


def add_criterion(*, actor: User, scheme: MarkScheme, name: str, minimum: int | None) -> MarkCriterion:
    _require(may_run_schemes(actor))
    name = _text(name, "name", 200)
    check_criterion(name, minimum)
    with unit_of_work():
        criterion = MarkCriterion(scheme_id=scheme.id, name=name, minimum=minimum)
        db.session.add(criterion)
        db.session.flush()
        record_event(
            actor=actor,
            action="mark_scheme.criterion_added",
            object_type="mark_scheme",
            object_id=scheme.id,
            summary=f"Criterion added to {scheme.name}: {name}",
            after={"minimum": minimum},
        )
    db.session.refresh(scheme)
    return criterion


def edit_scheme(*, actor: User, scheme: MarkScheme, name: str, mark_text: str, award_months: int | None) -> None:
    """Change a scheme's name, what the mark means or how long an award lasts (awards already made
    keep their expiry), with the rules of setting one up."""
    _require(may_run_schemes(actor))
    name, mark_text = _text(name, "name", 120), _text(mark_text, "mark_text")
    months = check_scheme(name, mark_text, award_months)
    before = {"name": scheme.name, "mark_text": scheme.mark_text, "award_months": scheme.award_months}
    with unit_of_work():
        scheme.name, scheme.mark_text, scheme.award_months = name, mark_text, months
        record_event(
            actor=actor,
            action="mark_scheme.edited",
            object_type="mark_scheme",
            object_id=scheme.id,
            summary=f"Mark scheme {name} edited",
            before=before,
            after={"name": name, "mark_text": mark_text, "award_months": months},
        )


def get_criterion(*, actor: User, criterion_id: int) -> MarkCriterion:
    _require(may_run_schemes(actor))
    criterion = db.session.get(MarkCriterion, criterion_id)
    if criterion is None:
        raise NotFound()
    return criterion


def _current(criterion: MarkCriterion) -> None:
    if criterion.retired_at is not None:
        raise RuleViolation("This criterion is retired, so it cannot be changed.")


def edit_criterion(*, actor: User, criterion: MarkCriterion, name: str, minimum: int | None) -> None:
    _require(may_run_schemes(actor))
    _current(criterion)
    name = _text(name, "name", 200)
    count = check_criterion(name, minimum)
    before = {"name": criterion.name, "minimum": criterion.minimum}
    with unit_of_work():
        criterion.name, criterion.minimum = name, count
        record_event(
            actor=actor,
            action="mark_scheme.criterion_edited",
            object_type="mark_scheme",
            object_id=criterion.scheme_id,
            summary=f"Criterion edited: {name}",
            before=before,
            after={"name": name, "minimum": count},
        )


def remove_criterion(*, actor: User, criterion: MarkCriterion, now: datetime) -> bool:
    """Take a criterion out of the scheme. One that an application has evidence for is retired (kept,
    so its assessments still say what was assessed), any other deleted. True when it was retired."""
    _require(may_run_schemes(actor))
    _current(criterion)
    used = db.session.scalar(select(MarkEvidence.id).where(MarkEvidence.criterion_id == criterion.id).limit(1))
    scheme_id, name = criterion.scheme_id, criterion.name
    with unit_of_work():
        if used is not None:
            criterion.retired_at = now
        else:
            db.session.delete(criterion)
        record_event(
            actor=actor,
            action="mark_scheme.criterion_" + ("retired" if used else "deleted"),
            object_type="mark_scheme",
            object_id=scheme_id,
            summary=f"Criterion {'retired' if used else 'deleted'}: {name}",
            before={"name": name},
        )
    scheme = db.session.get(MarkScheme, scheme_id)
    if scheme is not None:
        db.session.refresh(scheme)
    return used is not None


def scheme_for_partner(partner: Partner) -> MarkScheme | None:
    """The scheme of the partner's first locality that runs one."""
    ids = [locality.id for locality in partner.localities]
    return db.session.scalars(
        select(MarkScheme).where(MarkScheme.locality_id.in_(ids or [-1])).order_by(MarkScheme.id)
    ).first()


def _checked_evidence(scheme: MarkScheme, evidence: list[Evidence], today: date) -> list[Evidence]:
    given = {item.criterion_id: item for item in evidence}
    checked = []
    for criterion in scheme.current_criteria:
        item = given.get(criterion.id)
        prefix = f"c{criterion.id}_"
        details = _text(item.details if item else "", f"{prefix}details")
        if item is None or not details:
            raise RuleViolation("Say how you meet this: names, training, dates.", field=f"{prefix}details")
        check_evidence(prefix, item.issued_on, item.expires_on, today)
        checked.append(
            Evidence(
                criterion.id, details, _text(item.reference, f"{prefix}reference", 120), item.issued_on, item.expires_on
            )
        )
    return checked


def apply(*, actor: User, partner: Partner, evidence: list[Evidence], today: date, now: datetime) -> MarkApplication:
    """Apply (or renew) with evidence for every criterion of the partner's locality's scheme."""
    _require(may_apply_for(actor, partner.id))
    if partner.is_archived:
        raise RuleViolation(
            "This partner is archived, so it cannot apply for the mark. A coordinator can restore it first."
        )
    scheme = scheme_for_partner(partner)
    if scheme is None or not scheme.current_criteria:
        raise RuleViolation("There is no mark scheme with criteria in this partner's area yet.")
    checked = _checked_evidence(scheme, evidence, today)
    with unit_of_work():
        application = MarkApplication(scheme_id=scheme.id, partner_id=partner.id, state=SUBMITTED, submitted_at=now)
        db.session.add(application)
        db.session.flush()
        for item in checked:
            db.session.add(
                MarkEvidence(
                    application_id=application.id,
                    criterion_id=item.criterion_id,
                    details=item.details,
                    reference=item.reference,
                    issued_on=item.issued_on,
                    expires_on=item.expires_on,
                )
            )
        record_event(
            actor=actor,
            action="mark.applied",
            object_type="partner",
            object_id=partner.id,
            summary=f"{partner.name} applied for the {scheme.name} mark",
            after={"application_id": application.id},
        )
    return application


def get_application(*, actor: User, application_id: int) -> MarkApplication:
    application = db.session.get(MarkApplication, application_id)
    if application is None:
        raise NotFound()
    _require(may_apply_for(actor, application.partner_id))
    return application


def _assess(application: MarkApplication, assessments: list[Assessment]) -> None:
    given = {item.criterion_id: item for item in assessments}
    for row in application.evidence:
        item = given.get(row.criterion_id)
        if item is None:
            raise RuleViolation("Say whether each criterion is met.", field=f"c{row.criterion_id}_met")
        row.met, row.note = item.met, _text(item.note, f"c{row.criterion_id}_note")


ALREADY_DECIDED = "This application has already been decided."


def _claim(actor: User, application: MarkApplication, now: datetime) -> None:
    """Take the decision only if nobody has: of two coordinators deciding at once, the database lets
    one through (the other waits for its row lock, then finds it decided)."""
    claimed = db.session.execute(
        update(MarkApplication)
        .where(
            MarkApplication.id == application.id,
            MarkApplication.state == SUBMITTED,
            MarkApplication.decided_at.is_(None),
        )
        .values(decided_at=now, decided_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    if rows_changed(claimed) != 1:
        raise RuleViolation(ALREADY_DECIDED)
    db.session.refresh(application)


def decide(
    *,
    actor: User,
    application: MarkApplication,
    assessments: list[Assessment],
    awarded_until: date | None,
    missing: str,
    today: date,
    now: datetime,
) -> None:
    """Award with an expiry (every criterion met, within the scheme's award length), or say what is
    missing (some criterion not yet met). Decided once."""
    _require(may_run_schemes(actor))
    if application.state != SUBMITTED:
        raise RuleViolation(ALREADY_DECIDED)
    with unit_of_work():
        _claim(actor, application, now)
        _assess(application, assessments)
        if all(row.met for row in application.evidence):
            check_award(awarded_until, application.scheme.award_months, today)
            assert awarded_until is not None  # refused by check_award
            application.state, application.awarded_until = AWARDED, awarded_until
            application.valid_until = valid_until(awarded_until, [row.expires_on for row in application.evidence])
        else:
            missing = _text(missing, "missing")
            if not missing:
                raise RuleViolation("Say what is missing, so that the club knows what to do next.", field="missing")
            application.state, application.missing = NOT_YET, missing
        record_event(
            actor=actor,
            action=f"mark.{application.state}",
            object_type="partner",
            object_id=application.partner_id,
            summary=f"Mark application {application.id}: {application.state}",
            after={
                "awarded_until": str(awarded_until) if application.state == AWARDED else None,
                "met": {row.criterion_id: row.met for row in application.evidence},
            },
        )
