"""Partnership agreements (preferred-supplier status), pure: the status derived from the dates,
and the dates a signed agreement needs.

The status is never stored: `agreement_status` works it out from the dates and the day
it is asked about, so a partner turns "expiring" and then "lapsed" without anyone typing it.
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from ...errors import RuleViolation
from ..models import Partner, PartnershipAgreement

EXPIRING_WINDOW = timedelta(days=60)
SAFEGUARDING_REVIEW_MONTHS = 12


class AgreementStatus(StrEnum):
    PROSPECTIVE = "prospective"
    ACTIVE = "active"
    EXPIRING = "expiring"
    LAPSED = "lapsed"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def tag(self) -> str:
        return {"prospective": "grey", "active": "green", "expiring": "yellow", "lapsed": "red"}[self.value]


@dataclass(frozen=True)
class DueDate:
    label: str
    on: date

    def days_from(self, today: date) -> int:
        return (self.on - today).days


@dataclass(frozen=True)
class StatusReport:
    status: AgreementStatus
    due: tuple[DueDate, ...] = ()  # the dates that made it expiring or lapsed, soonest first

    @property
    def next_due(self) -> date | None:
        return self.due[0].on if self.due else None


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 29th-31st fall back to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def safeguarding_review_due(agreement: PartnershipAgreement) -> date | None:
    """Safeguarding policies are reviewed every year."""
    if agreement.safeguarding_reviewed_on is None:
        return None
    return add_months(agreement.safeguarding_reviewed_on, SAFEGUARDING_REVIEW_MONTHS)


def tracked_dates(agreement: PartnershipAgreement) -> list[DueDate]:
    dates = [
        ("Agreement expires", agreement.expires_on),
        ("Insurance expires", agreement.insurance_expires_on),
        ("Safeguarding policy review due", safeguarding_review_due(agreement)),
    ]
    return sorted((DueDate(label, on) for label, on in dates if on is not None), key=lambda item: item.on)


def agreement_status(agreement: PartnershipAgreement | None, *, today: date) -> StatusReport:
    """prospective: no agreement signed (on or before `today`); lapsed: the agreement, the
    insurance or the safeguarding review date has passed (the date itself still counts as
    valid); expiring: one of them falls within 60 days (day 60 included); otherwise active."""
    if agreement is None or agreement.signed_on is None or agreement.signed_on > today:
        return StatusReport(AgreementStatus.PROSPECTIVE)
    dates = tracked_dates(agreement)
    past = tuple(item for item in dates if item.on < today)
    if past:
        return StatusReport(AgreementStatus.LAPSED, past)
    soon = tuple(item for item in dates if item.on <= today + EXPIRING_WINDOW)
    if soon:
        return StatusReport(AgreementStatus.EXPIRING, soon)
    return StatusReport(AgreementStatus.ACTIVE)


def partner_status(partner: Partner, *, today: date) -> StatusReport:
    return agreement_status(partner.agreement, today=today)


@dataclass(frozen=True)
class AgreementTerms:
    signed_on: date | None
    expires_on: date | None
    safeguarding_reviewed_on: date | None
    insurance_expires_on: date | None
    dbs_arrangements: str = ""
    notes: str = ""


def check_terms(terms: AgreementTerms, today: date) -> None:
    if terms.signed_on and terms.signed_on > today:
        raise RuleViolation("The date signed cannot be in the future.", field="signed_on")
    if terms.signed_on and terms.expires_on and terms.expires_on <= terms.signed_on:
        raise RuleViolation("The expiry date must be after the date signed.", field="expires_on")
    if terms.safeguarding_reviewed_on and terms.safeguarding_reviewed_on > today:
        raise RuleViolation("The safeguarding review date cannot be in the future.", field="safeguarding_reviewed_on")
    if terms.signed_on:
        for field, message in (
            ("expires_on", "Enter the date the agreement expires."),
            ("insurance_expires_on", "Enter the date the public liability insurance expires."),
            ("safeguarding_reviewed_on", "Enter the date the safeguarding policy was last reviewed."),
        ):
            if getattr(terms, field) is None:
                raise RuleViolation(f"{message} A signed agreement needs it.", field=field)
