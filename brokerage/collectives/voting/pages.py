"""What the vote pages show, gathered so that templates never query. Pure reads: due votes
are closed before any of these runs, by one named step (`closing.settle_due_votes`, run
before the pages that show votes, voting/views.py). Running tallies are never gathered here
while a poll is open: only `Poll.tally`, written when it closes."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from ...accounts.models import User
from ...core.values.timeutils import london_today, to_london
from ...errors import NotFound
from ...extensions import db
from ...partners.access import partner_ids_for_contact
from ...partners.organisations.export import safe_cell
from ..bids import match_rules
from ..bids.access import can_act_for, may_move
from ..bids.lifecycle import BidStatus
from ..bids.models import Bid
from ..models import CONSTITUENCY_LABELS, Constituency
from ..money.models import LedgerEntry
from .access import OPENABLE, can_hand_over, can_manage_poll, elector_of, polls_of, recording_refusal
from .ballots import current_vote
from .closing import answerable
from .models import Award, Declaration, Poll, PollAttendance, PollElector, PollStatus, Vote, VoteMethod
from .rules import Outcome


@dataclass(frozen=True)
class PollPage:
    poll: Poll
    elector: PollElector | None
    vote: Vote | None
    can_manage: bool
    earlier: Poll | None = None  # the listing before, when it was deferred: its questions and answers


@dataclass(frozen=True)
class ToVote:
    poll: Poll
    declared: bool


@dataclass(frozen=True)
class ElectorRow:
    name: str
    declaration: str  # plain words
    interest: str
    voted: bool
    recorded: str = ""  # who recorded the answer and the vote, when not the member themself online


@dataclass(frozen=True)
class DecisionRecord:
    poll: Poll
    electors: list[ElectorRow]
    constituencies: list[tuple[str, int]]
    entries: list[LedgerEntry]
    award: Award | None
    days_to_decision: int | None
    comments: list[str]
    recorder: str  # who was handed the recording of votes for others, if anyone


@dataclass(frozen=True)
class BidVotes:
    polls: list[Poll]
    open_poll: Poll | None
    can_open: bool
    can_withdraw: bool  # during an open vote: the partner's own people and coordinators
    to_answer: Poll | None = None  # a deferred listing whose questions this viewer can answer now
    voted: "VotedAward | None" = None  # the award voted on, once a vote has opened on the bid


@dataclass(frozen=True)
class VotedAward:
    """The one award figure of a bid whose vote has opened: set aside when it opened, committed if
    approved. `rule_changed_on` is the day a later version of the match rule started, if one did
    since (the bid keeps the figure of the rule it was voted under)."""

    pence: int
    committed: bool
    rule_changed_on: date | None


def voted_award(poll: Poll, award: Award | None, today: date) -> VotedAward:
    """The figure voted on for this listing, and whether the match rule has changed since it opened."""
    collective_id = poll.collective_id
    then = match_rules.current_rule(collective_id=collective_id, day=london_today(poll.opened_at))
    now = match_rules.current_rule(collective_id=collective_id, day=today)
    return VotedAward(
        pence=award.amount_pence if award else poll.award_pence,
        committed=award is not None,
        rule_changed_on=now.effective_from if now != then else None,
    )


def poll_page(*, viewer: User, poll: Poll, now: datetime) -> PollPage:
    """The poll as this viewer sees it."""
    earlier = db.session.scalar(
        select(Poll).where(
            Poll.bid_id == poll.bid_id, Poll.round == poll.round - 1, Poll.outcome == Outcome.DEFERRED.value
        )
    )
    return PollPage(
        poll=poll,
        elector=elector_of(poll, viewer),
        vote=current_vote(poll, viewer.id),
        can_manage=poll.is_open and can_manage_poll(viewer, poll, london_today(now)),
        earlier=earlier,
    )


def to_vote(*, viewer: User) -> list[ToVote]:
    """Open polls the viewer may still vote in (no current vote, not recused), soonest to close first."""
    voted = select(Vote.poll_id).where(Vote.user_id == viewer.id, Vote.is_current)
    rows = db.session.execute(
        select(Poll, PollElector)
        .join(PollElector, PollElector.poll_id == Poll.id)
        .where(
            PollElector.user_id == viewer.id,
            Poll.status == PollStatus.OPEN.value,
            Poll.id.not_in(voted),
            or_(PollElector.declaration.is_(None), PollElector.declaration != "interest"),
        )
        .order_by(Poll.closes_at)
    ).all()
    return [ToVote(poll, elector.declaration is not None) for poll, elector in rows]


@dataclass(frozen=True)
class ToDo:
    """A person's to-do list across the collectives: votes to cast (a member) and bids to act on
    (the partner's people): returned for changes, or deferred with the members' questions."""

    to_vote: list[ToVote]
    to_change: list[Bid]
    to_answer: list[Poll]  # the deferred listing, with its questions; the bid waits for its next vote

    def __bool__(self) -> bool:
        return bool(self.to_vote or self.to_change or self.to_answer)


def partner_to_do(*, viewer: User) -> tuple[list[Bid], list[Poll]]:
    """The bids of the partners the viewer acts for that wait for them: returned for changes, and
    deferred with questions from the members (until the vote opens again)."""
    partner_ids = partner_ids_for_contact(viewer)
    if not partner_ids:
        return [], []
    returned = list(
        db.session.scalars(
            select(Bid)
            .where(Bid.partner_id.in_(partner_ids), Bid.status == BidStatus.RETURNED.value)
            .order_by(Bid.status_changed_at)
        )
    )
    listing = aliased(Poll)
    latest = select(func.max(listing.id)).where(listing.bid_id == Bid.id).correlate(Bid).scalar_subquery()
    deferred = list(
        db.session.scalars(
            select(Poll)
            .join(Bid, Bid.id == Poll.bid_id)
            .where(
                Bid.partner_id.in_(partner_ids),
                Poll.id == latest,
                Poll.outcome == Outcome.DEFERRED.value,
                Poll.questions != "",
                Poll.answers.is_(None),
                Bid.status.in_([BidStatus.READY_FOR_VOTE.value, BidStatus.AWAITING_FUNDS.value]),
            )
            .order_by(Poll.closed_at)
        )
    )
    return returned, deferred


def to_do(*, viewer: User, now: datetime) -> ToDo:
    """The viewer's to-do list for their starting page (votes whose window has ended are left out:
    they close before the next vote page is read)."""
    to_change, to_answer = partner_to_do(viewer=viewer)
    return ToDo([item for item in to_vote(viewer=viewer) if item.poll.closes_at > now], to_change, to_answer)


def open_and_recent(*, limit: int = 30) -> list[Poll]:
    """For coordinators: open polls and the latest closed ones."""
    return list(db.session.scalars(select(Poll).order_by(Poll.status.desc(), Poll.closes_at.desc()).limit(limit)))


def _declaration_words(elector: PollElector) -> str:
    if elector.declaration is None:
        return "Did not answer"
    return "Declared a connection (did not vote)" if elector.recused else "No connection"


def _recorded_words(elector: PollElector, vote: Vote | None) -> str:
    """Who recorded a member's answer and vote, in words, when it was not the member online."""
    words = []
    if elector.declared_by is not None and elector.declared_by_id != elector.user_id:
        words.append(
            f"Answer recorded by {elector.declared_by.name}"
            + (f": {elector.declaration_reason}" if elector.declaration_reason else "")
        )
    if vote is None or vote.recorded_by is None:
        pass
    elif vote.method == VoteMethod.MEETING.value:
        words.append(f"Vote recorded at the meeting by {vote.recorded_by.name}")
    elif vote.method == VoteMethod.ASSISTED.value:
        words.append(f"Vote recorded on their behalf by {vote.recorded_by.name}: {vote.on_behalf_reason}")
    return "; ".join(words)


def decision_record(*, poll: Poll) -> DecisionRecord:
    """The printable record of a decided poll (NotFound while it is open or after the bid was
    withdrawn during the vote: there is no decision to record)."""
    if not poll.is_decided:
        raise NotFound()
    electors = list(db.session.scalars(select(PollElector).where(PollElector.poll_id == poll.id)))
    votes = {v.user_id: v for v in db.session.scalars(select(Vote).where(Vote.poll_id == poll.id, Vote.is_current))}
    rows = sorted(
        (
            ElectorRow(
                e.user.name,
                _declaration_words(e),
                e.interest_text,
                e.user_id in votes,
                _recorded_words(e, votes.get(e.user_id)),
            )
            for e in electors
        ),
        key=lambda row: row.name,
    )
    constituencies = [(CONSTITUENCY_LABELS[c], sum(e.constituency == c for e in electors)) for c in Constituency]
    entries = list(
        db.session.scalars(
            select(LedgerEntry)
            .where(or_(LedgerEntry.id == poll.earmark_entry_id, LedgerEntry.related_id == poll.earmark_entry_id))
            .order_by(LedgerEntry.id)
        )
    )
    submitted = poll.bid.submitted_at
    days = (
        (to_london(poll.closed_at).date() - to_london(submitted).date()).days if submitted and poll.closed_at else None
    )
    comments = list(
        db.session.scalars(
            select(Vote.comment).where(Vote.poll_id == poll.id, Vote.is_current, Vote.comment != "").order_by(Vote.id)
        )
    )
    return DecisionRecord(
        poll=poll,
        electors=rows,
        constituencies=constituencies,
        entries=entries,
        award=db.session.scalar(select(Award).where(Award.poll_id == poll.id)),
        days_to_decision=days,
        comments=comments,
        recorder=db.session.get_one(User, poll.recorder_id).name if poll.recorder_id else "",
    )


def bid_votes(*, viewer: User, bid: Bid) -> BidVotes:
    """The votes on a bid for its page: each listing with outcome and reasons once closed."""
    listed = polls_of(bid)
    open_poll = next((p for p in listed if p.is_open), None)
    latest = listed[-1] if listed else None
    award = db.session.scalar(select(Award).where(Award.bid_id == bid.id))
    voted_on = next((p for p in listed if award and p.id == award.poll_id), open_poll)
    return BidVotes(
        polls=listed,
        open_poll=open_poll,
        voted=voted_award(voted_on, award, london_today()) if voted_on else None,
        can_open=may_move(viewer, "open_vote") and bid.state in OPENABLE,
        can_withdraw=open_poll is not None and can_act_for(viewer, bid),
        to_answer=latest if latest and can_act_for(viewer, bid) and answerable(latest) else None,
    )


@dataclass(frozen=True)
class MeetingPage:
    """Meeting mode as the person running it sees it."""

    present: list[PollElector]
    absent: list[PollElector]
    voted: set[int]  # user ids with a current vote
    refusal: str | None  # why this person may not record for others (they hand over instead)
    must_answer: bool  # they can record once they answer the connection question themselves
    can_hand_over: bool
    candidates: list[PollElector]  # who the recording can be handed to: answered "no connection"
    recorder: User | None


def meeting_page(*, viewer: User, poll: Poll, now: datetime) -> MeetingPage:
    present, absent = meeting_people(poll=poll)
    everyone = present + absent
    voted = set(db.session.scalars(select(Vote.user_id).where(Vote.poll_id == poll.id, Vote.is_current)))
    own = next((e for e in everyone if e.user_id == viewer.id), None)
    return MeetingPage(
        present=present,
        absent=absent,
        voted=voted,
        refusal=recording_refusal(viewer, poll),
        must_answer=own is not None and own.declaration is None,
        can_hand_over=can_hand_over(viewer, poll, london_today(now)),
        candidates=sorted(
            (e for e in everyone if e.declaration == Declaration.NO_INTEREST and e.user_id != viewer.id),
            key=lambda e: e.user.name,
        ),
        recorder=db.session.get(User, poll.recorder_id) if poll.recorder_id else None,
    )


def meeting_people(*, poll: Poll) -> tuple[list[PollElector], list[PollElector]]:
    """The electorate split into those recorded as present and the others."""
    present = set(db.session.scalars(select(PollAttendance.user_id).where(PollAttendance.poll_id == poll.id)))
    electors = sorted(
        db.session.scalars(select(PollElector).where(PollElector.poll_id == poll.id)), key=lambda e: e.user.name
    )
    return [e for e in electors if e.user_id in present], [e for e in electors if e.user_id not in present]


def electors(*, poll: Poll) -> list[PollElector]:
    return sorted(
        db.session.scalars(select(PollElector).where(PollElector.poll_id == poll.id)), key=lambda e: e.user.name
    )


def decision_csv(record: DecisionRecord) -> str:
    """The decision record as CSV (closed polls only, like the record page)."""
    out = io.StringIO()
    writer = csv.writer(out)
    poll, tally, outcome = record.poll, record.poll.tally, record.poll.outcome_value
    assert tally is not None and outcome is not None  # written when the poll closed
    rows = [
        [
            "Bid",
            "Bid version",
            "Listing",
            "Outcome",
            "Support",
            "Oppose",
            "Abstain",
            "Eligible members",
            "Award (pence)",
            "Days from submission to decision",
        ],
        [
            poll.bid_snapshot["title"],
            poll.bid_version,
            poll.round,
            outcome.label,
            tally["support"],
            tally["oppose"],
            tally["abstain"],
            tally["eligible"],
            record.award.amount_pence if record.award else 0,
            record.days_to_decision,
        ],
        [],
        ["Member", "Declaration", "Connection", "Voted", "Recorded by"],
        *[
            [row.name, row.declaration, row.interest, "Yes" if row.voted else "No", row.recorded]
            for row in record.electors
        ],
    ]
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()
