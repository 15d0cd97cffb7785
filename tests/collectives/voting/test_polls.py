"""Opening a vote: the snapshots, the earmark (or awaiting funds), who may open it."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from brokerage.audit.models import AuditEvent
from brokerage.collectives.bids import services as bid_services, match_rules
from brokerage.collectives.money import services as funds
from brokerage.collectives.members import interests, membership
from brokerage.collectives.voting import opening as poll_opening, rule_sets
from brokerage.collectives.bids.models import Bid
from brokerage.collectives.bids.lifecycle import BidStatus
from brokerage.collectives.voting.rules import RuleSet
from brokerage.collectives.money.models import EntryKind, LedgerEntry
from brokerage.collectives.models import Constituency
from brokerage.collectives.voting.models import Poll, PollElector
from brokerage.errors import PermissionDenied, RuleViolation
from brokerage.extensions import db

from ..bids.helpers import NOW, bid_details, get_bid, load
from .helpers import CLOSES, get_poll

pytestmark = pytest.mark.usefixtures("electorate")


def fund_available(slug: str = "barnsley") -> int:
    collective = membership.get_collective(slug)
    return funds.fund_summary(funds.fund_for(locality=collective.locality, start_year=2026)).available


def electorate_names(poll: Poll) -> set[str]:
    return {e.user.name for e in db.session.scalars(select(PollElector).where(PollElector.poll_id == poll.id))}


def test_opening_a_vote_snapshots_the_electorate_without_the_partners_own_people(app, world, open_poll, add_member):
    add_member(world.reds_contact, "barnsley", Constituency.COMMUNITY)
    poll_id = open_poll()
    with app.app_context():
        names = electorate_names(get_poll(poll_id))
    assert "Lee Reds" not in names
    assert names == {"Pat Barnsley", "Ash Carer", "Bo Staff", "Cy Staff", "Di Community", "Ed Community",
                     "Flo Chair"}


def test_opening_a_vote_leaves_out_the_bids_author(app, world, make_bid, electorate):
    bid_id = make_bid(status="ready_for_vote")
    with app.app_context():
        author = load(electorate["Di Community"])
        bid = db.session.get(Bid, bid_id)
        bid.created_by_id = author.id
        db.session.commit()
        poll = poll_opening.open_vote(actor=load(world.coordinator), bid=bid, closes_at=CLOSES, now=NOW)
        assert "Di Community" not in electorate_names(poll)


def test_members_with_a_registered_interest_in_the_partner_are_flagged(app, world, open_poll, electorate):
    with app.app_context():
        interests.add_interest(actor=load(electorate["Di Community"]), organisation_name="", nature="Volunteer coach",
                               since=date(2025, 1, 1), today=date(2026, 6, 15), partner_id=world.reds)
    poll_id = open_poll()
    with app.app_context():
        flagged = {e.user.name for e in db.session.scalars(select(PollElector).where(
            PollElector.poll_id == poll_id, PollElector.flagged))}
    assert flagged == {"Di Community"}


def test_opening_a_vote_earmarks_the_award_in_the_same_transaction(app, open_poll):
    with app.app_context():
        before = fund_available()
    poll_id = open_poll()
    with app.app_context():
        _check_earmark(get_poll(poll_id), before)


def _check_earmark(poll, before):
    earmark = db.session.get(LedgerEntry, poll.earmark_entry_id)
    assert (earmark.kind, earmark.amount_pence, poll.award_pence) == (EntryKind.EARMARK, 400_000, 400_000)
    assert fund_available() == before - 400_000
    assert get_bid(poll.bid_id).state is BidStatus.OPEN_FOR_VOTE


def test_match_cap_limits_the_award_earmarked_when_the_vote_opens(app, open_poll):
    # £9,000 asked for, £9,000 confirmed (1:1 would allow £9,000): the £5,000 per-bid cap binds.
    poll_id = open_poll(total_cost_pence=1_800_000, requested_pence=900_000,
                        lines=[bid_services.LineDetails(source="Club", amount_pence=900_000, status="confirmed")])
    with app.app_context():
        poll = get_poll(poll_id)
        earmark = db.session.get(LedgerEntry, poll.earmark_entry_id)
        assert (poll.award_pence, earmark.amount_pence) == (500_000, 500_000)


def test_opening_a_vote_snapshots_rules_and_bid_content(app, poll_id, ctx):
    poll = get_poll(poll_id)
    assert poll.rules == RuleSet().as_dict() and poll.rule_set_version == 0
    assert poll.bid_version == 1 and poll.bid_snapshot["title"] == "Memory group at the stadium"
    assert poll.bid_snapshot["lines"][0]["amount_pence"] == 600_000


def test_rules_changed_after_opening_do_not_touch_the_open_poll(app, world, poll_id, ctx):
    rule_sets.set_rules(actor=load(world.coordinator), collective=membership.get_collective("barnsley"),
                        rules=RuleSet(quorum_minimum=5), effective_from=date(2026, 6, 15), now=NOW)
    assert get_poll(poll_id).rules["quorum_minimum"] == 3
    in_force = rule_sets.rules_in_force(collective_id=membership.get_collective("barnsley").id,
                                         day=date(2026, 6, 15))
    assert (in_force.version, in_force.rules.quorum_minimum) == (1, 5)


def test_bid_content_is_frozen_while_the_vote_is_open(app, world, poll_id, ctx):
    poll = get_poll(poll_id)
    with pytest.raises(RuleViolation):
        bid_services.update_draft(actor=load(world.reds_contact), bid=get_bid(poll.bid_id),
                                  details=bid_details(title="Changed"), now=NOW)


def test_opening_a_vote_uses_the_rules_and_match_rule_in_force_that_day(app, world, open_poll):
    """The versions in force on the day it opens, not an earlier or a later one; pledged money is not matched."""
    versions = ((-5, 120, (3, 1)), (0, 72, (1, 2)), (10, 96, (2, 1)))  # days from now, window hours, match ratio
    with app.app_context():
        boss, barnsley = load(world.coordinator), membership.get_collective("barnsley")
        for days, max_window, (numerator, denominator) in versions:
            day = NOW + timedelta(days=days)
            rule_sets.set_rules(actor=boss, collective=barnsley, rules=RuleSet(max_window_hours=max_window),
                                effective_from=day.date(), now=min(day, NOW))
            match_rules.set_match_rule(actor=boss, collective=barnsley, numerator=numerator, denominator=denominator,
                                       cap_pence=1_000_000, effective_from=day.date(), now=min(day, NOW))
    poll_id = open_poll(total_cost_pence=1_800_000, requested_pence=900_000, lines=[
        bid_services.LineDetails(source="Club", amount_pence=600_000, status="confirmed"),
        bid_services.LineDetails(source="Raffle", amount_pence=300_000, status="pledged")])
    with app.app_context():
        poll = get_poll(poll_id)
        assert (poll.rule_set_version, poll.rules["max_window_hours"]) == (2, 72)
        assert poll.award_pence == 300_000  # £1 for every £2 of the £6,000 confirmed


def test_opening_without_enough_money_marks_the_bid_awaiting_funds(app, world, make_bid):
    bid_id = make_bid(status="ready_for_vote", partner="cafe", slug="calderdale")
    with app.app_context():
        poll = poll_opening.open_vote(actor=load(world.coordinator), bid=get_bid(bid_id), closes_at=CLOSES, now=NOW)
        assert poll is None
        assert get_bid(bid_id).state is BidStatus.AWAITING_FUNDS
        assert db.session.scalar(select(func.count()).select_from(Poll)) == 0
        assert db.session.scalar(select(func.count()).select_from(LedgerEntry).where(
            LedgerEntry.kind == EntryKind.EARMARK)) == 0


def test_a_bid_awaiting_funds_opens_once_money_arrives(app, world, make_bid, funded):
    bid_id = make_bid(status="ready_for_vote", partner="cafe", slug="calderdale")
    with app.app_context():
        poll_opening.open_vote(actor=load(world.coordinator), bid=get_bid(bid_id), closes_at=CLOSES, now=NOW)
    funded(1_000_000, "calderdale")
    with app.app_context():
        poll = poll_opening.open_vote(actor=load(world.coordinator), bid=get_bid(bid_id), closes_at=CLOSES, now=NOW)
        assert poll is not None and get_bid(bid_id).state is BidStatus.OPEN_FOR_VOTE


@pytest.mark.parametrize("hours", [47, 169])
def test_vote_window_outside_48_hours_to_7_days_is_refused(app, world, make_bid, hours):
    bid_id = make_bid(status="ready_for_vote")
    with app.app_context(), pytest.raises(RuleViolation):
        poll_opening.open_vote(actor=load(world.coordinator), bid=get_bid(bid_id),
                               closes_at=NOW + timedelta(hours=hours), now=NOW)


def test_only_coordinators_open_a_vote(app, world, make_bid, electorate):
    bid_id = make_bid(status="ready_for_vote")
    with app.app_context(), pytest.raises(PermissionDenied):
        poll_opening.open_vote(actor=load(electorate.chair), bid=get_bid(bid_id), closes_at=CLOSES, now=NOW)


def test_a_vote_opens_only_on_a_bid_ready_for_it(app, world, make_bid):
    bid_id = make_bid(status="screening")
    with app.app_context(), pytest.raises(RuleViolation):
        poll_opening.open_vote(actor=load(world.coordinator), bid=get_bid(bid_id), closes_at=CLOSES, now=NOW)


def test_a_vote_cannot_be_opened_twice(app, world, poll_id, ctx):
    poll = get_poll(poll_id)
    with pytest.raises(RuleViolation):
        poll_opening.open_vote(actor=load(world.coordinator), bid=get_bid(poll.bid_id), closes_at=CLOSES, now=NOW)


def test_opening_a_vote_is_audited(app, poll_id, ctx):
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"poll.opened", "bid.open_for_vote", "fund.earmark"} <= actions
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "poll.opened")).object_id == poll_id



def test_a_match_rule_version_a_vote_opened_under_cannot_be_corrected(app, world, open_poll):
    with app.app_context():
        values = dict(collective=membership.get_collective("barnsley"), numerator=1, denominator=1,
                      cap_pence=300_000, effective_from=NOW.date(), now=NOW)
        match_rules.set_match_rule(actor=load(world.coordinator), **values)
    open_poll()
    with app.app_context(), pytest.raises(RuleViolation, match="already opened under the version"):
        match_rules.set_match_rule(actor=load(world.coordinator), **(values | {
            "cap_pence": 100_000, "collective": membership.get_collective("barnsley")}))


def test_decision_rules_are_corrected_the_same_day_until_a_vote_opens_under_them(app, world, open_poll):
    with app.app_context():
        barnsley_id = membership.get_collective("barnsley").id
        for quorum in (5, 4):
            row = rule_sets.set_rules(actor=load(world.coordinator), collective=membership.get_collective("barnsley"),
                                      rules=RuleSet(quorum_minimum=quorum), effective_from=NOW.date(), now=NOW)
        assert (row.version, row.quorum_minimum) == (1, 4)
    open_poll()
    with app.app_context(), pytest.raises(RuleViolation, match="already opened under the version"):
        rule_sets.set_rules(actor=load(world.coordinator), collective=membership.get_collective("barnsley"),
                            rules=RuleSet(quorum_minimum=6), effective_from=NOW.date(), now=NOW)
    with app.app_context():
        assert rule_sets.rules_in_force(collective_id=barnsley_id, day=NOW.date()).rules.quorum_minimum == 4
