"""Closing polls and landing decisions: quorum, co-production balance, recusal, ties,
deferral and re-listing, early close, lazy close and the CLI, the money and the audit trail.
The Barnsley electorate has seven members, so the quorum is four votes."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from brokerage.audit.models import AuditEvent
from brokerage.collectives.money import services as funds
from brokerage.collectives.members import membership
from brokerage.collectives.voting import closing as poll_closing, opening as poll_opening, ballots as poll_voting
from brokerage.collectives.bids.lifecycle import BidStatus
from brokerage.collectives.voting.rules import Outcome
from brokerage.collectives.money.models import EntryKind, LedgerEntry
from brokerage.collectives.voting.models import Award
from brokerage.errors import PermissionDenied, RuleViolation
from brokerage.extensions import db

from ..bids.helpers import NOW, get_bid, load
from .helpers import CLOSES, get_poll, vote

AFTER = CLOSES + timedelta(minutes=1)


def votes(poll_id, electorate, **choices):
    for name, choice in choices.items():
        vote(poll_id, electorate[name.replace("_", " ")], choice)


def close(poll_id, now=AFTER):
    return poll_closing.close_if_due(poll=get_poll(poll_id), now=now)


def summary():
    collective = membership.get_collective("barnsley")
    return funds.fund_summary(funds.fund_for(locality=collective.locality, start_year=2026))


def test_approval_commits_the_earmark_and_records_the_award(poll_id, electorate, ctx):
    votes(poll_id, electorate, Pat_Barnsley="support", Ash_Carer="support", Di_Community="support",
          Ed_Community="oppose")
    assert get_poll(poll_id).is_open
    assert close(poll_id)
    poll = get_poll(poll_id)
    assert poll.outcome_value is Outcome.APPROVED
    assert poll.tally == {"support": 3, "oppose": 1, "abstain": 0, "cast": 4, "eligible": 7, "quorate": True}
    award = db.session.scalar(select(Award).where(Award.poll_id == poll_id))
    commitment = db.session.get(LedgerEntry, award.commitment_entry_id)
    assert (award.amount_pence, commitment.kind, commitment.related_id) == (400_000, EntryKind.COMMITMENT,
                                                                           poll.earmark_entry_id)
    assert (summary().earmarked, summary().committed) == (0, 400_000)
    assert get_bid(poll.bid_id).state is BidStatus.APPROVED


def test_quorum_needs_half_the_eligible_members(poll_id, electorate, ctx):
    votes(poll_id, electorate, Pat_Barnsley="support", Ash_Carer="support", Di_Community="support")
    close(poll_id)
    assert get_poll(poll_id).outcome_value is Outcome.DEFERRED


def test_recused_members_are_removed_from_the_quorum_count(poll_id, electorate, ctx):
    for name in ("Bo Staff", "Cy Staff", "Flo Chair"):
        poll_voting.declare(actor=load(electorate[name]), poll_id=poll_id, interest="Trustee", now=NOW)
    votes(poll_id, electorate, Pat_Barnsley="support", Ash_Carer="support", Di_Community="abstain")
    close(poll_id)
    poll = get_poll(poll_id)
    assert (poll.outcome_value, poll.tally["eligible"]) == (Outcome.APPROVED, 4)


def test_co_production_balance_defers_when_trust_staff_cast_more_than_half(poll_id, electorate, ctx):
    for name in ("Ash Carer", "Di Community", "Ed Community"):
        poll_voting.declare(actor=load(electorate[name]), poll_id=poll_id, interest="Trustee", now=NOW)
    votes(poll_id, electorate, Pat_Barnsley="support", Bo_Staff="support", Cy_Staff="support")
    assert get_poll(poll_id).is_open  # Flo's vote would still bring the staff share to half
    close(poll_id)
    poll = get_poll(poll_id)
    assert poll.outcome_value is Outcome.DEFERRED
    assert "Trust staff cast 2 of the 3 votes" in poll.reasons


def test_co_production_balance_allows_staff_exactly_half(poll_id, electorate, ctx):
    votes(poll_id, electorate, Pat_Barnsley="support", Bo_Staff="support", Cy_Staff="support", Ed_Community="abstain")
    close(poll_id)
    assert get_poll(poll_id).outcome_value is Outcome.APPROVED


def test_co_production_needs_a_lived_experience_or_carer_vote(poll_id, electorate, ctx):
    votes(poll_id, electorate, Di_Community="support", Ed_Community="support", Flo_Chair="support",
          Bo_Staff="abstain")
    close(poll_id)
    poll = get_poll(poll_id)
    assert poll.outcome_value is Outcome.DEFERRED
    assert "lived experience or a carer" in poll.reasons


def test_tie_defers_releases_the_earmark_and_relists_with_questions(poll_id, electorate, ctx):
    vote(poll_id, electorate["Pat Barnsley"], "support")
    vote(poll_id, electorate["Ash Carer"], "oppose", comment="Is the venue accessible?")
    votes(poll_id, electorate, Di_Community="support", Ed_Community="oppose")
    close(poll_id)
    poll = get_poll(poll_id)
    assert poll.outcome_value is Outcome.DEFERRED and "tied" in poll.reasons
    assert "Is the venue accessible?" in poll.questions
    assert get_bid(poll.bid_id).state is BidStatus.READY_FOR_VOTE
    assert (summary().earmarked, summary().available) == (0, 5_000_000)


def test_second_deferral_is_not_approved(poll_id, electorate, world, ctx):
    close(poll_id)  # nobody voted: no quorum, deferred
    bid = get_bid(get_poll(poll_id).bid_id)
    second = poll_opening.open_vote(actor=load(world.coordinator), bid=bid, closes_at=AFTER + timedelta(days=3),
                                    now=AFTER)
    assert (second.round, second.bid_version) == (2, 1)
    close(second.id, now=AFTER + timedelta(days=4))
    assert get_poll(second.id).outcome_value is Outcome.NOT_APPROVED
    assert get_bid(bid.id).state is BidStatus.NOT_APPROVED
    assert summary().earmarked == 0


def test_rejection_releases_the_earmark_and_closes_early_when_settled(poll_id, electorate, ctx):
    votes(poll_id, electorate, Pat_Barnsley="oppose", Ash_Carer="oppose", Di_Community="oppose",
          Ed_Community="oppose")
    poll = get_poll(poll_id)  # three left cannot outvote four: closed on the fourth vote
    assert (poll.status, poll.outcome_value, poll.closed_at) == ("closed", Outcome.NOT_APPROVED, NOW)
    assert get_bid(poll.bid_id).state is BidStatus.NOT_APPROVED
    assert (summary().earmarked, summary().available) == (0, 5_000_000)


def test_early_close_when_everyone_eligible_has_voted(poll_id, electorate, ctx):
    for name in electorate.people:
        poll = get_poll(poll_id)
        assert poll.is_open
        vote(poll_id, electorate[name], "abstain" if name != "Pat Barnsley" else "support")
    assert get_poll(poll_id).status == "closed"


def test_early_close_when_the_outcome_cannot_change_lands_the_approval(poll_id, electorate, ctx):
    votes(poll_id, electorate, Pat_Barnsley="support", Ash_Carer="support", Di_Community="support",
          Bo_Staff="support")
    poll = get_poll(poll_id)  # four for; the three left against would still lose 4 to 3
    assert (poll.status, poll.outcome_value, poll.closed_at) == ("closed", Outcome.APPROVED, NOW)
    assert poll.closes_at > NOW and summary().committed == 400_000
    assert get_bid(poll.bid_id).state is BidStatus.APPROVED


def test_no_early_close_while_remaining_votes_could_change_the_outcome(poll_id, electorate, ctx):
    votes(poll_id, electorate, Pat_Barnsley="support", Ash_Carer="support", Di_Community="support",
          Ed_Community="oppose")
    assert get_poll(poll_id).is_open
    assert not close(poll_id, now=NOW + timedelta(hours=1))


def test_tallies_are_hidden_until_close(poll_id, electorate, ctx):
    vote(poll_id, electorate["Pat Barnsley"], "support")
    assert get_poll(poll_id).tally is None


def test_closing_and_deciding_are_audited(poll_id, electorate, ctx):
    close(poll_id)
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"poll.closed", "decision.deferred", "fund.release", "bid.deferred", "bid.ready_for_vote"} <= actions


def test_close_due_polls_command_closes_polls_past_their_time(app, poll_id, runner, fixed_now):
    fixed_now(AFTER)
    result = runner.invoke(args=["close-due-polls"])
    assert result.exit_code == 0 and "1 vote closed" in result.output
    with app.app_context():
        assert get_poll(poll_id).outcome_value is Outcome.DEFERRED


def test_withdrawing_during_the_vote_voids_it_and_releases_the_earmark(poll_id, electorate, world, ctx):
    vote(poll_id, electorate["Pat Barnsley"], "support")
    poll_closing.withdraw_during_vote(actor=load(world.reds_contact), bid=get_bid(get_poll(poll_id).bid_id),
                                      reason="New dates", now=NOW + timedelta(hours=2))
    poll = get_poll(poll_id)
    assert (poll.status, poll.outcome, poll.tally) == ("void", None, None)
    assert get_bid(poll.bid_id).state is BidStatus.WITHDRAWN
    assert (summary().earmarked, summary().available) == (0, 5_000_000)
    with pytest.raises(RuleViolation):
        vote(poll_id, electorate["Ash Carer"], "support", now=NOW + timedelta(hours=3))


def test_only_the_partners_people_or_a_coordinator_withdraw_during_the_vote(poll_id, electorate, ctx):
    with pytest.raises(PermissionDenied):
        poll_closing.withdraw_during_vote(actor=load(electorate.chair), bid=get_bid(get_poll(poll_id).bid_id),
                                          reason="New dates", now=NOW)
