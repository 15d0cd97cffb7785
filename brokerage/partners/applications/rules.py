"""Pure rules for applications to become a partner."""

PENDING, ACCEPTED, DECLINED = "pending", "accepted", "declined"
LONGEST_REASON = 2000
LONGEST_PROPOSAL = 5000


def looks_automated(honeypot: str | None) -> bool:
    """The form's hidden "website address" field is empty for people (it is hidden from them and
    from screen readers); programs that fill in every field fill it."""
    return bool((honeypot or "").strip())


def may_decide(state: str) -> bool:
    """An application is decided once: accepted or declined, never both, never twice."""
    return state == PENDING
