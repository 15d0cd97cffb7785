"""The rules of a call for bids, as pure functions (no database, no clock, no request): the
caller passes today's Europe/London date and the fund's available money.

- A call needs a title and what is wanted; its upper amount is more than £0 and no more than
  the money the locality's fund has available today (a call for money the collective does
  not have would raise hopes it cannot meet); it closes today or later.
- Postcode districts are outward codes ("HD3", "WF13"): letters then a number, never a full
  postcode, so that a call never points at somebody's address.
- A call is open until the end of its closing day, unless it was closed early.
- A bid may answer a call only while the call is open (a bid already answering it keeps it),
  only a call of the bid's own locality, and may not ask for more than the call's upper amount.
- The closing date is the deadline for bids: a bid answering a call is first submitted while the
  call is open (a bid returned for changes may be submitted again after it closes).
"""

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ...core.input.fields import MAX_AMOUNT_PENCE
from ...core.web.filters import long_date, money
from ...errors import RuleViolation

DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")
CATEGORY_CODE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,59}$")
MAX_DISTRICTS = 12
TEXT_LIMITS = {"title": 200, "wanted": 5000, "category_label": 120, "audience": 300}


class CallState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return "Open" if self is CallState.OPEN else "Closed"


@dataclass(frozen=True)
class CallDetails:
    title: str
    wanted: str
    districts: str
    category_code: str
    category_label: str
    audience: str
    upper_pence: int | None
    closes_on: date | None


def clean_district(text: str | None) -> str | None:
    """One postcode district, upper-cased, or None when the text is not one (a query argument
    that is not a district is ignored)."""
    value = (text or "").strip().upper()
    return value if DISTRICT.match(value) else None


def clean_category(text: str | None) -> str | None:
    """A category code ("sport", "arts-crafts"), or None when the text is not one."""
    value = (text or "").strip().lower()
    return value if CATEGORY_CODE.match(value) else None


def category_words(code: str) -> str:
    """A code in words, for a label nobody has typed yet: "arts-crafts" -> "Arts crafts"."""
    return re.sub(r"[-_.]+", " ", code).strip().capitalize()


def parse_districts(text: str) -> list[str]:
    """The districts typed (separated by spaces or commas), upper-cased, each once, in order.
    RuleViolation naming the first that is not a district, or when there are too many."""
    districts: list[str] = []
    for part in re.split(r"[\s,;]+", text.strip()):
        if not part:
            continue
        district = clean_district(part)
        if district is None:
            raise RuleViolation(
                f"“{part[:20]}” is not a postcode district. Enter the first half of a postcode, "
                "like HD3 or WF13, not a full postcode.",
                field="districts",
            )
        if district not in districts:
            districts.append(district)
    if len(districts) > MAX_DISTRICTS:
        raise RuleViolation(f"Name at most {MAX_DISTRICTS} postcode districts.", field="districts")
    return districts


def check_details(details: CallDetails, *, today: date, available_pence: int) -> None:
    """Every rule on what a call says; RuleViolation naming the field."""
    if not details.title.strip():
        raise RuleViolation("Enter a title for the call.", field="title")
    if not details.wanted.strip():
        raise RuleViolation("Say what the collective wants partners to offer.", field="wanted")
    for field, limit in TEXT_LIMITS.items():
        if len(getattr(details, field).strip()) > limit:
            raise RuleViolation(f"Keep this to {limit:,} characters or fewer.", field=field)
    parse_districts(details.districts)
    if details.category_code and clean_category(details.category_code) is None:
        raise RuleViolation("That category is not one the directory uses.", field="category_label")
    check_upper_amount(details.upper_pence, available_pence=available_pence)
    if details.closes_on is None:
        raise RuleViolation("Enter the day the call closes.", field="closes_on")
    if details.closes_on < today:
        raise RuleViolation("The closing date is in the past: choose today or a later day.", field="closes_on")


def check_upper_amount(pence: int | None, *, available_pence: int) -> None:
    if pence is None:
        raise RuleViolation("Enter the most a bid may ask for.", field="upper")
    if pence <= 0:
        raise RuleViolation("Enter an amount greater than £0.", field="upper")
    if pence > MAX_AMOUNT_PENCE:
        raise RuleViolation(f"Enter an amount no more than {money(MAX_AMOUNT_PENCE)}.", field="upper")
    if pence > available_pence:
        raise RuleViolation(
            f"The fund has {money(available_pence)} available this financial year: "
            "the call cannot offer more than that.",
            field="upper",
        )


def call_state(*, closes_on: date, closed_early: bool, today: date) -> CallState:
    """Open until the end of the closing day, unless closed early."""
    return CallState.OPEN if not closed_early and today <= closes_on else CallState.CLOSED


def check_close_reason(reason: str) -> None:
    if not reason.strip():
        raise RuleViolation("Say why the call is closing early.", field="reason")
    if len(reason.strip()) > 1000:
        raise RuleViolation("Keep the reason to 1,000 characters or fewer.", field="reason")


def check_answer(
    *,
    state: CallState,
    call_locality_id: int,
    bid_locality_id: int | None,
    upper_pence: int,
    requested_pence: int | None,
    already_answering: bool,
) -> None:
    """Whether a bid may answer the call. A bid that already answers the call keeps it after the
    call closes (its partner may still change the bid); choosing a closed call is refused."""
    if state is CallState.CLOSED and not already_answering:
        raise RuleViolation("That call for bids has closed: choose an open call, or none.", field="call_id")
    if bid_locality_id != call_locality_id:
        raise RuleViolation(
            "That call is for another locality: choose a call of the bid's locality, or none.", field="call_id"
        )
    if requested_pence is not None and requested_pence > upper_pence:
        raise RuleViolation(
            f"The call offers up to {money(upper_pence)}: ask for no more than that, or choose not to answer the call.",
            field="requested",
        )


def check_submission(*, state: CallState, closes_on: date, first: bool) -> None:
    """Whether a bid answering a call may be submitted now (first: never submitted before)."""
    if first and state is CallState.CLOSED:
        raise RuleViolation(
            f"The call for bids this bid answers closed on {long_date(closes_on)}. To submit it "
            "anyway, change the bid so that it does not answer the call."
        )
