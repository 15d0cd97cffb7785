"""Pure rules of the mental-health-friendly mark: no database, clock or request."""

from datetime import date

from ...errors import RuleViolation

SUBMITTED, AWARDED, NOT_YET = "submitted", "awarded", "not_yet"
LONGEST_AWARD_MONTHS = 60
LARGEST_MINIMUM = 1000
EXPIRING_WITHIN_DAYS = 60
LONGEST_TEXT = 2000


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def check_scheme(name: str, mark_text: str, award_months: int | None) -> int:
    """The award length, once name, text and length are all acceptable."""
    if not name:
        raise RuleViolation("Enter the scheme's name.", field="name")
    if not mark_text:
        raise RuleViolation("Say in plain words what the mark means.", field="mark_text")
    if award_months is None or not 1 <= award_months <= LONGEST_AWARD_MONTHS:
        raise RuleViolation(
            f"Enter how many months an award lasts, from 1 to {LONGEST_AWARD_MONTHS}.", field="award_months"
        )
    return award_months


def check_criterion(name: str, minimum: int | None) -> int:
    """A criterion needs a name, and a count of at least one (a count of none asks for nothing).
    Returns the count."""
    if not name:
        raise RuleViolation("Enter what the criterion asks for.", field="name")
    if minimum is None or not 1 <= minimum <= LARGEST_MINIMUM:
        raise RuleViolation(f"Enter how many are needed: 1 or more (at most {LARGEST_MINIMUM:,}).", field="minimum")
    return minimum


def check_evidence(field_prefix: str, issued_on: date | None, expires_on: date | None, today: date) -> None:
    """A certificate cannot be issued in the future, nor expire before it was issued or already
    have expired (an expired certificate is no evidence)."""
    if issued_on is not None and issued_on > today:
        raise RuleViolation("The date issued cannot be in the future.", field=f"{field_prefix}issued_on")
    if expires_on is not None and issued_on is not None and expires_on <= issued_on:
        raise RuleViolation("The expiry date must be after the date issued.", field=f"{field_prefix}expires_on")
    if expires_on is not None and expires_on < today:
        raise RuleViolation("This has already expired: renew it first.", field=f"{field_prefix}expires_on")


def check_award(awarded_until: date | None, award_months: int, today: date) -> None:
    """An award runs from today for at most the scheme's length."""
    if awarded_until is None or awarded_until <= today:
        raise RuleViolation("Enter an expiry date after today.", field="awarded_until")
    if awarded_until > add_months(today, award_months):
        raise RuleViolation(
            f"An award lasts at most {award_months} months under this scheme: "
            f"choose {long_date(add_months(today, award_months))} or earlier.",
            field="awarded_until",
        )


def valid_until(awarded_until: date, expiries: list[date | None]) -> date:
    """The mark lapses when the award ends or any evidence expires, whichever comes first."""
    return min([awarded_until, *(day for day in expiries if day is not None)])


def status(state: str, lapses_on: date | None, today: date) -> str:
    """'marked', 'suspended' (awarded, but the award or a certificate has expired), or the state."""
    if state != AWARDED:
        return state
    return "marked" if lapses_on is not None and lapses_on >= today else "suspended"
