"""The collectives' messages, each written to the outbox with `notify` inside the caller's unit of
work, so it exists if and only if the change that causes it commits, once per occasion and person.
Subjects name the bid and what happened, never a tally; each message says why it was sent."""

from dataclasses import dataclass
from datetime import datetime

from ...core.web.filters import london_datetime, money
from ...notifications.services import Recipient, notify
from .people import link, members, partner_people


@dataclass(frozen=True)
class BidFacts:
    """What a message says about a bid, read by the stage that sends it. Signed by the bid's
    locality collective ("The Barnsley collective")."""

    bid_id: int
    title: str
    partner_id: int
    partner_name: str
    locality: str  # its name: "Barnsley"


def facts_of(bid) -> BidFacts:
    """The facts of a bid as the ORM holds it (its partner and locality are loaded with it)."""
    return BidFacts(bid.id, bid.title, bid.partner_id, bid.partner.name, bid.locality.name)


def _send(
    kind: str,
    occasion: str,
    people: list[Recipient],
    *,
    subject: str,
    why: str,
    bid: BidFacts,
    now: datetime,
    **context,
) -> int:
    signed_by = f"The {bid.locality} collective"
    return sum(
        notify(
            kind=kind,
            occasion=occasion,
            recipient=person,
            subject=subject,
            why=why,
            now=now,
            signed_by=signed_by,
            context=dict(context, title=bid.title, partner=bid.partner_name, collective=bid.locality),
        )
        for person in people
    )


def _member_why(bid: BidFacts, words: str) -> str:
    return f"You are a member of the {bid.locality} collective {words}"


def _partner_why(bid: BidFacts) -> str:
    return f"You are a contact for {bid.partner_name}, which made this bid."


def vote_opened(*, poll_id: int, bid: BidFacts, closes_at: datetime, elector_ids, now: datetime) -> int:
    """To every elector: the vote is open until `closes_at`, with the link to declare and vote."""
    return _send(
        "vote_opened",
        f"poll:{poll_id}:opened",
        members(elector_ids),
        bid=bid,
        now=now,
        subject=f"Vote open: {bid.title}",
        why=_member_why(bid, "who may vote on this bid."),
        closes=london_datetime(closes_at),
        link=link("polls.show", poll_id=poll_id),
    )


def vote_reminder(*, poll_id: int, bid: BidFacts, closes_at: datetime, elector_ids, now: datetime) -> int:
    """To electors who have not voted and are not recused (the caller chooses them), once per vote."""
    return _send(
        "vote_reminder",
        f"poll:{poll_id}:reminder",
        members(elector_ids),
        bid=bid,
        now=now,
        subject=f"Reminder: the vote on {bid.title} closes soon",
        why=_member_why(bid, "who may vote on this bid and you have not voted yet."),
        closes=london_datetime(closes_at),
        link=link("polls.show", poll_id=poll_id),
    )


@dataclass(frozen=True)
class Decided:
    poll_id: int
    outcome: str  # "approved", "not_approved" or "deferred"
    label: str  # "Approved"
    reasons: list[str]
    award_pence: int
    questions: str  # the members' questions, when deferred


def decision(*, decided: Decided, bid: BidFacts, elector_ids, now: datetime) -> int:
    """To the electors and the partner's people: the outcome, its reasons, the award and what
    happens next; a deferral instead carries the members' questions and the link to answer them."""
    kind = "deferral" if decided.outcome == "deferred" else "decision"
    subject = f"Questions about your bid: {bid.title}" if kind == "deferral" else f"Decision on {bid.title}"
    context = dict(
        outcome=decided.outcome,
        label=decided.label,
        reasons=decided.reasons,
        award=money(decided.award_pence),
        questions=decided.questions,
        bid_link=link("bids.show", bid_id=bid.bid_id),
        poll_link=link("polls.show", poll_id=decided.poll_id),
    )
    occasion = f"poll:{decided.poll_id}:decided"
    written = _send(
        kind,
        occasion,
        members(elector_ids),
        bid=bid,
        now=now,
        subject=subject,
        to_partner=False,
        why=_member_why(bid, "who could vote on this bid."),
        **context,
    )
    return written + _send(
        kind,
        occasion,
        partner_people(bid.partner_id),
        bid=bid,
        now=now,
        subject=subject,
        to_partner=True,
        why=_partner_why(bid),
        **context,
    )


def bid_returned(*, bid: BidFacts, message: str, now: datetime) -> int:
    """To the partner's people: what the coordinator asks them to change, and the link to the bid."""
    return _send(
        "bid_returned",
        f"bid:{bid.bid_id}:returned:{now:%Y%m%d%H%M%S}",
        partner_people(bid.partner_id),
        bid=bid,
        now=now,
        subject=f"Your bid was returned for changes: {bid.title}",
        why=_partner_why(bid),
        message=message,
        link=link("bids.show", bid_id=bid.bid_id),
    )


def bid_withdrawn(
    *, bid: BidFacts, withdrawn_by: str, now: datetime, poll_id: int | None = None, elector_ids=(), reason: str = ""
) -> int:
    """To the partner's people and, for a bid withdrawn during its vote, to the electors (the vote
    is void: their votes do not count), with the reason given."""
    occasion, subject = f"bid:{bid.bid_id}:withdrawn:{now:%Y%m%d%H%M%S}", f"Bid withdrawn: {bid.title}"
    context = dict(
        withdrawn_by=withdrawn_by,
        during_vote=poll_id is not None,
        reason=reason,
        link=link("bids.show", bid_id=bid.bid_id),
    )
    written = _send(
        "bid_withdrawn",
        occasion,
        members(elector_ids),
        bid=bid,
        now=now,
        subject=subject,
        why=_member_why(bid, "who was asked to vote on this bid."),
        to_partner=False,
        **context,
    )
    return written + _send(
        "bid_withdrawn",
        occasion,
        partner_people(bid.partner_id),
        bid=bid,
        now=now,
        subject=subject,
        why=_partner_why(bid),
        to_partner=True,
        **context,
    )


def recorded_for_you(
    *,
    bid: BidFacts,
    poll_id: int,
    user_id: int,
    recorded_by: str,
    reason: str,
    answered: bool,
    recused: bool,
    choice: str,
    now: datetime,
) -> int:
    """To a member whose answer to the connection question and vote someone recorded on their
    behalf (e.g. by telephone during a meeting): what was recorded, by whom and why, and the link
    to check and change it before the vote closes. Once per recording."""
    return _send(
        "recorded_for_you",
        f"poll:{poll_id}:for:{user_id}:{now:%Y%m%d%H%M%S%f}",
        members([user_id]),
        bid=bid,
        now=now,
        subject=f"Your vote on {bid.title} was recorded for you",
        why=_member_why(bid, f"and {recorded_by} recorded this on your behalf."),
        recorded_by=recorded_by,
        reason=reason,
        answered=answered,
        recused=recused,
        choice=choice,
        link=link("polls.show", poll_id=poll_id),
    )
