"""Recording a partner's agreement (coordinators only); every change is audited."""

from datetime import date

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.unit_of_work import unit_of_work
from ...errors import RuleViolation
from ...extensions import db
from ..access import can_manage_agreements, require
from ..models import Partner, PartnershipAgreement
from ..validation import clean_text
from .rules import AgreementTerms, agreement_status, check_terms


def _snapshot(agreement: PartnershipAgreement | None) -> dict | None:
    if agreement is None:
        return None
    return {
        "signed_on": _iso(agreement.signed_on),
        "expires_on": _iso(agreement.expires_on),
        "safeguarding_reviewed_on": _iso(agreement.safeguarding_reviewed_on),
        "insurance_expires_on": _iso(agreement.insurance_expires_on),
        "dbs_arrangements": agreement.dbs_arrangements,
        "notes": agreement.notes,
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def save_agreement(*, actor: User, partner: Partner, terms: AgreementTerms, today: date) -> PartnershipAgreement:
    """Record or update a partner's agreement (coordinators only). The expiry must follow the
    signing date, neither signing nor safeguarding review may be in the future, and a signed
    agreement needs its expiry, insurance and safeguarding dates. Raises PermissionDenied,
    RuleViolation (with the field) for refused dates or an archived partner."""
    with unit_of_work():
        require(can_manage_agreements(actor))
        if partner.is_archived:
            raise RuleViolation("Restore this partner before changing its agreement.")
        check_terms(terms, today)
        agreement = partner.agreement or PartnershipAgreement(partner=partner)
        before = _snapshot(partner.agreement)
        for field in ("signed_on", "expires_on", "safeguarding_reviewed_on", "insurance_expires_on"):
            setattr(agreement, field, getattr(terms, field))
        agreement.dbs_arrangements = clean_text(terms.dbs_arrangements)
        agreement.notes = clean_text(terms.notes)
        db.session.add(agreement)
        db.session.flush()
        status = agreement_status(agreement, today=today).status
        record_event(
            actor=actor,
            action="partner.agreement_saved",
            object_type="partner",
            object_id=partner.id,
            summary=f"Agreement of {partner.name} saved: {status.label.lower()}",
            before=before,
            after=_snapshot(agreement),
        )
    return agreement
