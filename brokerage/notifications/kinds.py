"""Every kind of message the platform sends, in one table.

A security message (an invitation, a password reset, a change to how someone signs in) always
goes, and carries no unsubscribe link; every other kind may be chosen immediately, as a daily
digest or never, per person, on their account page.
"""

from dataclasses import dataclass
from enum import StrEnum


class Delivery(StrEnum):
    IMMEDIATELY = "immediately"
    DAILY = "daily"
    NEVER = "never"


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # how the account page names it: "Votes opening in your collectives"
    security: bool = False

    @property
    def choices(self) -> tuple[Delivery, ...]:
        return (Delivery.IMMEDIATELY,) if self.security else tuple(Delivery)


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("invitation", "Invitations to set up your account", security=True),
        Kind("password_reset", "Links to reset your password", security=True),
        Kind("sign_in_changed", "Changes to how you sign in", security=True),
        Kind("vote_opened", "Votes opening in your collectives"),
        Kind("vote_reminder", "Reminders to vote before a vote closes"),
        Kind("recorded_for_you", "Votes recorded on your behalf, e.g. by telephone"),
        Kind("decision", "Decisions on bids"),
        Kind("deferral", "Questions from a collective about a bid"),
        Kind("bid_returned", "Bids returned for changes"),
        Kind("bid_withdrawn", "Bids withdrawn"),
        Kind("call_opened", "Calls for bids opening in your localities"),
        Kind("agreements_due", "Partnership agreements due for renewal (weekly)"),
        Kind("hosting_application", "Groups asking your organisation to host them"),
        Kind("interest_entries", "People interested in your activities"),
        Kind("listing_check", "Activities to check are still running"),
        Kind("agm_deadline", "Your group's AGM and notice deadlines"),
        Kind("hosting_application_expired", "Your group's hosting application expired without a decision"),
        Kind("partner_application", "Applications to become a community partner"),
        Kind("marks_expiring", "Mental-health-friendly marks and certificates expiring (weekly)"),
        Kind("guided_visit", "Guided first visits: requests to your club, and answers to yours"),
    )
}


def kind_named(name: str) -> Kind:
    """The kind called `name`; a KeyError names a kind nobody declared (a programming error)."""
    return KINDS[name]
