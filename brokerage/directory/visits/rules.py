"""Pure rules of guided first visits: no database, clock or request."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from ...errors import RuleViolation

ASKED, ACCEPTED, OFFERED = "asked", "accepted", "offered"
MEET_CHOICES = (
    ("lead", "The club's named mental health lead"),
    ("buddy", "A peer buddy"),
    ("either", "Either is fine"),
)
RETENTION = timedelta(days=92)
RETENTION_WORDS = "3 months after the visit"
SESSIONS_OFFERED = 6
_PHONE = re.compile(r"^\+?[0-9 ()-]{10,20}$")


def looks_like_phone(phone: str) -> bool:
    return bool(_PHONE.match(phone)) and 10 <= sum(char.isdigit() for char in phone) <= 13


def check_person(first_name: str, email: str, phone: str, consent: bool) -> None:
    """A person with no account gives a first name (so the club knows whom to meet), one way to be
    reached, and agrees that both are kept until the retention period ends."""
    if not first_name:
        raise RuleViolation("Enter your first name, so the club knows who to look out for.", field="first_name")
    if not email and not phone:
        raise RuleViolation("Enter a phone number or an email address, so the club can reply.", field="phone")
    if phone and not looks_like_phone(phone):
        raise RuleViolation("Enter a phone number like 01484 123456.", field="phone")
    check_consent(consent)


def check_consent(consent: bool) -> None:
    """Everyone who asks agrees that the club keeps the request and contacts them about it (a worker
    asking with someone they support ticks it once that person has agreed)."""
    if not consent:
        raise RuleViolation("Tick the box to agree that the club may contact you about this visit.", field="consent")


def check_session(starts_at: datetime | None, upcoming: list[datetime], now: datetime) -> datetime:
    """The chosen session must be one still to come (a session that has started or passed cannot
    be visited) and one the activity really holds."""
    if starts_at is None:
        raise RuleViolation("Choose a session.", field="session")
    if starts_at <= now:
        raise RuleViolation("That session has already happened: choose one still to come.", field="session")
    if starts_at not in upcoming:
        raise RuleViolation("Choose one of the sessions listed.", field="session")
    return starts_at


def purge_after(ends_at: datetime) -> datetime:
    """The person's details are kept until RETENTION after the session they were to visit."""
    return ends_at + RETENTION


def is_closed(ends_at: datetime, now: datetime) -> bool:
    """A request closes when its session is over: nobody can answer it after that, and the club
    records whether the person came."""
    return ends_at <= now


def may_answer(state: str, ends_at: datetime, now: datetime) -> bool:
    """The club answers once, before the session: accept it, or offer another."""
    return state == ASKED and not is_closed(ends_at, now)


def check_offer(starts_at: datetime, current: datetime, note: str) -> None:
    if starts_at == current:
        raise RuleViolation("Choose a different session from the one asked for, or accept it.", field="session")
    if not note:
        raise RuleViolation("Add a note saying why, so the person knows what to expect.", field="note")


def check_outcome(ends_at: datetime, now: datetime, came: bool | None, came_back: bool | None) -> None:
    """Whether the person came is known only after the session; whether they came back only if they came."""
    if not is_closed(ends_at, now):
        raise RuleViolation("You can record this after the session.")
    if came is None:
        raise RuleViolation("Say whether the person came.", field="came")
    if came_back and not came:
        raise RuleViolation("Someone who did not come cannot have come back.", field="came_back")


@dataclass(frozen=True)
class Tally:
    """What the club's report shows: visits counted with consent, how many came, how many came back."""

    visits: int
    came: int
    came_back: int


def tally(outcomes: list[tuple[bool, bool | None, bool | None]]) -> Tally:
    """`outcomes`: (may_count, came, came_back) per request; only those counted with consent count."""
    counted = [(came, back) for may_count, came, back in outcomes if may_count]
    return Tally(len(counted), sum(1 for came, _ in counted if came), sum(1 for _, back in counted if back))
