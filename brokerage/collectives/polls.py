"""Opening a vote on a bid, and who may see or act on a poll.

Opening (a coordinator, for a bid ready for a vote or awaiting funds) happens in one
transaction: the bid row is locked, the electorate, the rules in force and the bid's content
are snapshotted, and the award is earmarked in the locality's fund for this financial year.
If the money is not there, the bid waits as *awaiting funds* instead and no poll opens.

The electorate: active members of the locality's collective, minus the bid's author and the
partner's own people (accounts linked to the partner). Members whose register of interests
names the partner are flagged, so they are asked about it first.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..audit.services import record_event
from ..core.filters import money
from ..core.timeutils import financial_year_start, london_today
from ..errors import NotFound, PermissionDenied, RuleViolation
from ..extensions import db
from ..partners.models import PartnerUser
from . import funds, match_rules, membership
from .bid_models import MAX_PENCE, Bid, BidStatus, BidTransition
from .bid_services import lock_bid
from .decision_rules import check_window
from .ledger import InsufficientFunds
from .ledger_models import EntryKind
from .match import match_award
from .models import Collective, Interest, Membership
from .poll_models import Poll, PollElector, PollStatus
from .rule_sets import RulesInForce, rules_in_force

OPENABLE = frozenset({BidStatus.READY_FOR_VOTE, BidStatus.AWAITING_FUNDS})


def move_bid(*, actor: User | None, bid: Bid, target: BidStatus, now: datetime, message: str = "",
             summary: str) -> None:
    """The votes stage's moves of a bid (open for vote, awaiting funds, decided, re-listed):
    time-stamped in the bid's history and audited. Flushes."""
    before = bid.status
    bid.status, bid.status_changed_at = target.value, now
    db.session.add(BidTransition(bid_id=bid.id, from_status=before, to_status=target.value,
                                 actor_id=actor.id if actor else None, message=message, at=now))
    record_event(actor=actor, action=f"bid.{target.value}", object_type="bid", object_id=bid.id,
                 summary=f"{summary}: {bid.title}", before={"status": before},
                 after={"status": target.value, "message": message} if message else {"status": target.value})


def bid_snapshot(bid: Bid) -> dict:
    """The bid's content as the voters see it (frozen into the poll)."""
    return {"title": bid.title, "partner": bid.partner.name, "locality": bid.locality.name,
            "summary": bid.summary, "easy_read_summary": bid.easy_read_summary, "who_for": bid.who_for,
            "how_reached": bid.how_reached, "start_on": bid.start_on.isoformat(), "end_on": bid.end_on.isoformat(),
            "expected_participants": bid.expected_participants, "total_cost_pence": bid.total_cost_pence,
            "requested_pence": bid.requested_pence, "confirmed_funds_pence": bid.confirmed_funds_pence,
            "lines": [{"source": line.source, "amount_pence": line.amount_pence, "status": line.status,
                       "evidence": line.evidence} for line in bid.lines]}


def polls_of(bid: Bid) -> list[Poll]:
    return list(db.session.scalars(select(Poll).where(Poll.bid_id == bid.id).order_by(Poll.round)))


@dataclass(frozen=True)
class _Listing:
    """The bid's latest vote so far (rounds count up from 1, so its round is how many there were)."""
    round: int = 0
    bid_version: int = 0
    bid_snapshot: dict | None = None

    def version_for(self, snapshot: dict) -> int:
        """The same version number while the content is unchanged, the next one otherwise."""
        if not self.round:
            return 1
        return self.bid_version if self.bid_snapshot == snapshot else self.bid_version + 1


def _last_listing(bid: Bid) -> _Listing:
    row = db.session.execute(select(Poll.round, Poll.bid_version, Poll.bid_snapshot).where(Poll.bid_id == bid.id)
                             .order_by(Poll.round.desc()).limit(1)).first()
    return _Listing(*row) if row else _Listing()


def award_for(bid: Bid, day, collective_id: int | None = None) -> int:
    """The match award, before looking at the money available (that decides awaiting funds)."""
    rule = (match_rules.current_rule(collective_id=collective_id, day=day) if collective_id
            else match_rules.rule_for_locality(locality=bid.locality, day=day))
    return match_award(requested=bid.requested_pence, confirmed_funds=bid.confirmed_funds_pence, ratio=rule.ratio,
                       cap=rule.cap_pence, available=MAX_PENCE).award


def _excluded_user_ids(bid: Bid) -> set[int]:
    partner_people = set(db.session.scalars(select(PartnerUser.user_id).where(PartnerUser.partner_id == bid.partner_id)))
    return partner_people | ({bid.created_by_id} if bid.created_by_id else set())


def _electorate(collective: Collective, bid: Bid, day) -> list[tuple[int, str, bool]]:
    """(user id, constituency, flagged) of each eligible member, in one query: the active
    members, minus the bid's author and the partner's own people, flagged when their register
    of interests names the partner."""
    flagged = exists().where(Interest.user_id == Membership.user_id, Interest.partner_id == bid.partner_id,
                             Interest.ended_on.is_(None))
    partner_people = select(PartnerUser.user_id).where(PartnerUser.partner_id == bid.partner_id)
    query = (select(Membership.user_id, Membership.constituency, flagged)
             .join(User, User.id == Membership.user_id)
             .where(Membership.collective_id == collective.id, Membership.active_on(day),
                    Membership.user_id.not_in(partner_people))
             .order_by(User.name))
    if bid.created_by_id:
        query = query.where(Membership.user_id != bid.created_by_id)
    return [(user_id, constituency, bool(is_flagged)) for user_id, constituency, is_flagged in db.session.execute(query)]


def _earmark(actor: User, bid: Bid, amount: int, day):
    fund = funds.fund_for(locality=bid.locality, start_year=financial_year_start(day))
    if fund is None:
        raise InsufficientFunds("No fund is open for this financial year.")
    return funds.write_entry(actor=actor, fund=fund, kind=EntryKind.EARMARK, amount_pence=amount,
                             verb="earmarked", reference=f"bid {bid.id}", note=f"Vote on {bid.title}"[:500])


def _wait_for_funds(actor: User, bid: Bid, amount: int, now: datetime) -> None:
    if bid.state is not BidStatus.AWAITING_FUNDS:
        move_bid(actor=actor, bid=bid, target=BidStatus.AWAITING_FUNDS, now=now, summary="Bid awaiting funds",
                 message=f"Not enough money is available yet to set aside {money(amount)}.")
    db.session.commit()


@dataclass(frozen=True)
class _Opening:
    """What opening a vote has checked and read, before any money moves."""
    collective: Collective
    in_force: RulesInForce
    listing: _Listing
    amount: int


def _check_opening(bid: Bid, now: datetime, closes_at: datetime) -> _Opening:
    """The rules for opening, on the locked bid. Reads only."""
    if bid.state not in OPENABLE:
        raise RuleViolation(f"Only a bid ready for a vote can be opened for a vote. This bid is "
                            f"{bid.state.label.lower()}.")
    day = london_today(now)
    collective = db.session.scalar(select(Collective).where(Collective.locality_id == bid.locality_id))
    in_force = rules_in_force(collective=collective, day=day)
    check_window(in_force.rules, now, closes_at)
    listing = _last_listing(bid)
    if listing.round > in_force.rules.max_deferrals:
        raise RuleViolation("This bid has already been listed as many times as the rules allow.")
    amount = award_for(bid, day, collective.id)
    if amount <= 0:
        raise RuleViolation("The match rule allows no award for this bid: it needs confirmed partner funds.")
    return _Opening(collective, in_force, listing, amount)


def open_vote(*, actor: User, bid: Bid, closes_at: datetime, now: datetime) -> Poll | None:
    """Open the collective's vote on a bid. Returns the poll, or None when the money is not
    available: the bid is then marked awaiting funds (nothing is earmarked, no poll opens).
    Coordinators only (PermissionDenied). RuleViolation when the bid is in another state,
    the window is too short or too long, no award is possible under the match rule, no one
    is eligible to vote, or the bid has used up its listings.

    The checks read before the money moves; a refused earmark writes only the bid's move to
    awaiting funds, and the fund's row (on PostgreSQL) is locked only from the earmark on."""
    if not actor.is_coordinator:
        raise PermissionDenied()
    bid = lock_bid(bid.id)
    opening = _check_opening(bid, now, closes_at)
    try:
        earmark = _earmark(actor, bid, opening.amount, london_today(now))
    except InsufficientFunds:
        _wait_for_funds(actor, bid, opening.amount, now)
        return None
    electorate = _electorate(opening.collective, bid, london_today(now))
    if not electorate:
        db.session.rollback()
        raise RuleViolation("No member of the collective is eligible to vote on this bid.")
    poll = _add_poll(actor, bid, opening, electorate, earmark.id, now, closes_at)
    move_bid(actor=actor, bid=bid, target=BidStatus.OPEN_FOR_VOTE, now=now, summary="Vote opened")
    record_event(actor=actor, action="poll.opened", object_type="poll", object_id=poll.id,
                 summary=f"Vote opened on {bid.title} until {closes_at:%d %b %Y %H:%M} UTC, "
                         f"{money(opening.amount)} earmarked",
                 after={"bid_id": bid.id, "round": poll.round, "bid_version": poll.bid_version,
                        "rule_set_version": poll.rule_set_version, "electorate": len(electorate),
                        "flagged": sum(flagged for _, _, flagged in electorate),
                        "earmark_entry_id": earmark.id})
    db.session.commit()
    return poll


def _add_poll(actor: User, bid: Bid, opening: _Opening, electorate: list[tuple[int, str, bool]], earmark_id: int,
              now: datetime, closes_at: datetime) -> Poll:
    """The poll with its frozen rules, bid content and electorate (flushed)."""
    snapshot, in_force = bid_snapshot(bid), opening.in_force
    poll = Poll(bid_id=bid.id, collective_id=opening.collective.id, round=opening.listing.round + 1,
                status=PollStatus.OPEN.value, opened_at=now, closes_at=closes_at, opened_by_id=actor.id,
                rule_set_version=in_force.version, rules=in_force.rules.as_dict(),
                bid_version=opening.listing.version_for(snapshot), bid_snapshot=snapshot,
                award_pence=opening.amount, earmark_entry_id=earmark_id)
    db.session.add(poll)
    _flush_poll()
    db.session.add_all(PollElector(poll_id=poll.id, user_id=user_id, constituency=constituency, flagged=flagged)
                       for user_id, constituency, flagged in electorate)
    return poll


def _flush_poll() -> None:
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise RuleViolation("A vote on this bid was opened a moment ago.") from error


def default_closing(now: datetime, hours: int) -> datetime:
    return now + timedelta(hours=hours)


def get_poll(poll_id: int) -> Poll:
    poll = db.session.get(Poll, poll_id)
    if poll is None:
        raise NotFound()
    return poll


def lock_poll(poll_id: int) -> Poll:
    """Lock the poll row for the rest of the transaction and read it afresh."""
    poll = db.session.scalar(select(Poll).where(Poll.id == poll_id).with_for_update(of=Poll)
                             .execution_options(populate_existing=True))
    if poll is None:
        raise NotFound()
    return poll


def elector_of(poll: Poll, user: User) -> PollElector | None:
    return db.session.scalar(select(PollElector).where(PollElector.poll_id == poll.id,
                                                       PollElector.user_id == user.id))


def can_manage_poll(user: User, poll: Poll, day) -> bool:
    """Coordinators, and the active chairs of the poll's collective (meeting mode, assisted votes)."""
    collective = db.session.get(Collective, poll.collective_id)
    return membership.can_manage(user=user, collective=collective, day=day)


def can_view(user: User, poll: Poll, day) -> bool:
    """Coordinators, the electorate, members of that collective, and the partner's own people."""
    if user.is_coordinator or elector_of(poll, user) is not None:
        return True
    collective = db.session.get(Collective, poll.collective_id)
    if membership.membership_of(user=user, collective=collective, day=day) is not None:
        return True
    return user.id in _excluded_user_ids(poll.bid)


def poll_for_viewing(*, actor: User, poll_id: int, day) -> Poll:
    """NotFound for an unknown poll; PermissionDenied for someone who may not see it."""
    poll = get_poll(poll_id)
    if not can_view(actor, poll, day):
        raise PermissionDenied()
    return poll


def poll_for_managing(*, actor: User, poll_id: int, day) -> Poll:
    """For meeting mode and assisted votes: coordinators and the collective's active chairs.
    NotFound for an unknown poll; PermissionDenied for anyone else."""
    poll = get_poll(poll_id)
    if not can_manage_poll(actor, poll, day):
        raise PermissionDenied()
    return poll


def deferral_count(bid_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Poll).where(
        Poll.bid_id == bid_id, Poll.outcome == "deferred")) or 0
