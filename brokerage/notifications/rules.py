"""When to try a message again, when it has failed for good, and when the daily digest is due.
Pure: the caller passes the clock."""

import re
from datetime import datetime, timedelta
from datetime import time as TimeOfDay
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
MAX_TRIES = 6
FIRST_WAIT = timedelta(minutes=1)
DEFAULT_DIGEST_TIME = "08:00"


def backoff(tries: int) -> timedelta:
    """After the n-th failed try, wait 1, 2, 4, 8, 16... minutes before the next."""
    return FIRST_WAIT * 2 ** max(0, tries - 1)


def after_failure(*, tries: int, now: datetime) -> tuple[str, datetime]:
    """A message that has failed `tries` times: ("pending", when to try again), or ("failed", now)
    once it has had its MAX_TRIES."""
    if tries >= MAX_TRIES:
        return "failed", now
    return "pending", now + backoff(tries)


def parse_digest_time(text: str) -> TimeOfDay:
    """'08:00' -> 08:00; a ValueError names anything else."""
    match = re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)", (text or "").strip())
    if not match:
        raise ValueError("Give the time as hours and minutes on the 24-hour clock, like 08:00.")
    return TimeOfDay(int(match.group(1)), int(match.group(2)))


def latest_digest_moment(*, now: datetime, digest_time: str) -> datetime:
    """The most recent digest moment at or before `now`: today's at that London time, or yesterday's."""
    local = now.astimezone(LONDON)
    wanted = parse_digest_time(digest_time)
    moment = datetime.combine(local.date(), wanted, tzinfo=LONDON)
    if moment > local:
        moment = datetime.combine(local.date() - timedelta(days=1), wanted, tzinfo=LONDON)
    return moment.astimezone(now.tzinfo)


def digest_due(*, now: datetime, digest_time: str, last_digest_at: datetime | None) -> bool:
    """Once a day: due when the latest digest moment has passed since the last digest went."""
    moment = latest_digest_moment(now=now, digest_time=digest_time)
    return last_digest_at is None or last_digest_at < moment


WHY = "Why you received this:"


def digest_part(text_body: str) -> str:
    """A message's plain text as one part of a daily digest: its own words and why it was sent,
    without the greeting, the signature and the unsubscribe lines that the digest has once."""
    head, found, tail = text_body.rpartition(f"\n\n{WHY}")
    if not found:
        return text_body.strip()
    greeting, _, rest = head.partition("\n\n")
    body = rest if greeting.startswith("Hello ") else head
    body = body.rpartition("\n\n")[0] or body  # the last paragraph is the signature
    reason = tail.strip().splitlines()[0] if tail.strip() else ""
    return f"{body.strip()}\n\n{WHY} {reason}".rstrip()
