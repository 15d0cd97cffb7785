"""Bid services: drafting rules, who may act, the state machine, the match rule versions."""
from datetime import date

import pytest
from sqlalchemy import func, select

from brokerage.audit.models import AuditEvent
from brokerage.collectives.bids import (services as bid_services, moves as bid_workflow, access as bids,
                                        match_rules)
from brokerage.collectives.bids.models import Bid, BidTransition
from brokerage.collectives.bids.lifecycle import BidStatus
from brokerage.collectives.bids.services import LineDetails
from brokerage.collectives.members.membership import get_collective
from brokerage.errors import NotFound, PermissionDenied, RuleViolation
from brokerage.extensions import db
from brokerage.partners.organisations.services import get_partner

from .helpers import NOW, TODAY, bid_details, get_bid, load

pytestmark = pytest.mark.usefixtures("world")


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def bid_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Bid))


def draft(actor, partner_id: int, **overrides):
    return bid_services.create_draft(actor=load(actor), partner=get_partner(partner_id),
                                     details=bid_details(**overrides), now=NOW)


# Drafting -------------------------------------------------------------------------------------

def test_partner_contact_drafts_a_bid_for_their_own_partner(ctx, world):
    bid = draft(world.reds_contact, world.reds)
    assert bid.state is BidStatus.DRAFT
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "bid.created"))
    assert event.object_id == bid.id and "on behalf of" not in event.summary


def test_coordinator_drafting_records_on_behalf_of_the_partner(ctx, world):
    bid = draft(world.coordinator, world.reds)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "bid.created"))
    assert bid.created_by_id == world.coordinator.id
    assert "on behalf of Reds in the Community" in event.summary


@pytest.mark.parametrize("who", ["cafe_contact", "barnsley_member", "champion"])
def test_only_the_partners_people_and_coordinators_draft_its_bids(ctx, world, who):
    with pytest.raises(PermissionDenied):
        draft(getattr(world, who), world.reds)
    assert bid_count() == 0


@pytest.mark.parametrize(("overrides", "field"), [
    ({"title": "  "}, "title"),
    ({"summary": ""}, "summary"),
    ({"who_for": ""}, "who_for"),
    ({"how_reached": ""}, "how_reached"),
    ({"title": "x" * 201}, "title"),
    ({"start_on": date(2026, 9, 1), "end_on": date(2026, 8, 31)}, "end_on"),
    ({"start_on": date(2026, 9, 1), "end_on": date(2026, 9, 1)}, "end_on"),
    ({"end_on": date(2036, 9, 1)}, "end_on"),
    ({"start_on": None}, "start_on"),
    ({"expected_participants": 0}, "expected_participants"),
    ({"expected_participants": None}, "expected_participants"),
    ({"total_cost_pence": -100}, "total_cost"),
    ({"total_cost_pence": 10**12}, "total_cost"),
    ({"requested_pence": 0}, "requested"),
    ({"requested_pence": None}, "requested"),
    ({"requested_pence": 2_000_000}, "requested"),  # more than the total project cost
])
def test_bad_bid_content_is_refused_by_the_field_and_nothing_is_saved(ctx, world, overrides, field):
    with pytest.raises(RuleViolation) as refused:
        draft(world.reds_contact, world.reds, **overrides)
    assert refused.value.field == field
    assert bid_count() == 0


def test_bid_locality_must_be_one_the_partner_serves(ctx, world):
    with pytest.raises(RuleViolation) as refused:
        draft(world.reds_contact, world.reds, slug="wakefield")
    assert refused.value.field == "locality_id"
    assert "Reds in the Community serves" in refused.value.message


# Editing only in draft or returned ------------------------------------------------------------

@pytest.mark.parametrize("status", ["draft", "returned"])
def test_content_can_change_while_draft_or_returned(app, world, make_bid, status):
    bid_id = make_bid(status)
    with app.app_context():
        bid = get_bid(bid_id)
        bid_services.update_draft(actor=load(world.reds_contact), bid=bid,
                                  details=bid_details(title="Memory group, new venue"), now=NOW)
        assert get_bid(bid_id).title == "Memory group, new venue"


@pytest.mark.parametrize("status", ["submitted", "screening", "ready_for_vote", "withdrawn"])
def test_content_is_frozen_outside_draft_and_returned(app, world, make_bid, status):
    bid_id = make_bid(status)
    with app.app_context():
        bid, contact = get_bid(bid_id), load(world.reds_contact)
        with pytest.raises(RuleViolation, match="can no longer be changed"):
            bid_services.update_draft(actor=contact, bid=bid, details=bid_details(title="Changed"), now=NOW)
        with pytest.raises(RuleViolation, match="can no longer be changed"):
            bid_services.add_line(actor=contact, bid=bid, line=LineDetails("More", 100, "confirmed"), now=NOW)
        with pytest.raises(RuleViolation, match="can no longer be changed"):
            bid_services.remove_line(actor=contact, bid=bid, line_id=bid.lines[0].id, now=NOW)
        db.session.rollback()
        assert get_bid(bid_id).title == "Memory group at the stadium"
        assert len(get_bid(bid_id).lines) == 1


def test_another_partners_contact_cannot_change_a_bid(app, world, make_bid):
    bid_id = make_bid()
    with app.app_context():
        with pytest.raises(PermissionDenied):
            bid_services.update_draft(actor=load(world.cafe_contact), bid=get_bid(bid_id),
                                      details=bid_details(title="Hijacked"), now=NOW)
        with pytest.raises(PermissionDenied):
            bid_services.add_line(actor=load(world.cafe_contact), bid=get_bid(bid_id),
                                  line=LineDetails("Mine", 100, "confirmed"), now=NOW)


@pytest.mark.parametrize(("line", "field"), [
    (LineDetails("", 100, "confirmed"), "source"),
    (LineDetails("Grant", -5, "confirmed"), "amount"),
    (LineDetails("Grant", None, "confirmed"), "amount"),
    (LineDetails("Grant", 10**12, "confirmed"), "amount"),
    (LineDetails("Grant", 100, "promised"), "status"),
])
def test_bad_match_lines_are_refused_by_the_field(app, world, make_bid, line, field):
    bid_id = make_bid(lines=())
    with app.app_context():
        with pytest.raises(RuleViolation) as refused:
            bid_services.add_line(actor=load(world.reds_contact), bid=get_bid(bid_id), line=line, now=NOW)
        assert refused.value.field == field
        db.session.rollback()
        assert get_bid(bid_id).lines == []


def test_removing_a_line_of_another_bid_is_not_found(app, world, make_bid):
    first, second = make_bid(), make_bid()
    with app.app_context():
        other_line = get_bid(second).lines[0].id
        with pytest.raises(NotFound):
            bid_services.remove_line(actor=load(world.reds_contact), bid=get_bid(first), line_id=other_line, now=NOW)


# The state machine ----------------------------------------------------------------------------

def test_a_bid_moves_from_draft_to_ready_for_vote_with_timestamps_and_audit(app, world, make_bid):
    bid_id = make_bid("ready_for_vote")
    with app.app_context():
        bid = get_bid(bid_id)
        assert bid.state is BidStatus.READY_FOR_VOTE and bid.submitted_at == NOW
        steps = db.session.scalars(select(BidTransition.to_status).where(BidTransition.bid_id == bid_id)
                                   .order_by(BidTransition.id)).all()
        assert steps == ["draft", "submitted", "screening", "ready_for_vote"]
        actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "bid")))
        assert {"bid.created", "bid.submitted", "bid.screening", "bid.ready_for_vote"} <= actions


def test_returned_bid_carries_the_message_and_can_be_submitted_again(app, world, make_bid):
    bid_id = make_bid("returned")
    with app.app_context():
        bid = get_bid(bid_id)
        assert bid.return_message == "Please confirm the venue."
        bid_workflow.submit(actor=load(world.reds_contact), bid=bid, now=NOW)
        assert get_bid(bid_id).state is BidStatus.SUBMITTED


FORBIDDEN = [
    ("draft", "pick_up"), ("draft", "return"), ("draft", "ready"),
    ("submitted", "submit"), ("submitted", "return"), ("submitted", "ready"),
    ("screening", "submit"), ("screening", "pick_up"),
    ("returned", "pick_up"), ("returned", "return"), ("returned", "ready"),
    ("ready_for_vote", "submit"), ("ready_for_vote", "pick_up"), ("ready_for_vote", "return"),
    ("withdrawn", "submit"), ("withdrawn", "pick_up"), ("withdrawn", "withdraw"),
]


@pytest.mark.parametrize(("status", "move"), FORBIDDEN)
def test_forbidden_transitions_are_refused_in_plain_words(app, world, make_bid, status, move):
    bid_id = make_bid(status)
    with app.app_context():
        bid, boss = get_bid(bid_id), load(world.coordinator)
        calls = {"submit": lambda: bid_workflow.submit(actor=boss, bid=bid, now=NOW),
                 "pick_up": lambda: bid_workflow.pick_up(actor=boss, bid=bid, now=NOW),
                 "return": lambda: bid_workflow.return_for_changes(actor=boss, bid=bid, message="Why", now=NOW),
                 "ready": lambda: bid_workflow.mark_ready_for_vote(actor=boss, bid=bid, now=NOW),
                 "withdraw": lambda: bid_workflow.withdraw(actor=boss, bid=bid, now=NOW)}
        with pytest.raises(RuleViolation) as refused:
            calls[move]()
        assert BidStatus(status).label.lower() in refused.value.message
        db.session.rollback()
        assert get_bid(bid_id).status == status


@pytest.mark.parametrize("status", ["draft", "submitted", "screening", "returned", "ready_for_vote"])
def test_a_bid_can_be_withdrawn_at_any_time_before_a_decision(app, world, make_bid, status):
    bid_id = make_bid(status)
    with app.app_context():
        bid_workflow.withdraw(actor=load(world.reds_contact), bid=get_bid(bid_id), now=NOW)
        assert get_bid(bid_id).state is BidStatus.WITHDRAWN


def test_submitting_needs_the_figures_to_add_up(app, world, make_bid):
    bid_id = make_bid(lines=(LineDetails("Club foundation", 100_000, "confirmed"),))
    with app.app_context():
        with pytest.raises(RuleViolation, match="add up to £5,000, but the total project cost is £10,000"):
            bid_workflow.submit(actor=load(world.reds_contact), bid=get_bid(bid_id), now=NOW)
        db.session.rollback()
        assert get_bid(bid_id).state is BidStatus.DRAFT


def test_returning_a_bid_needs_a_message(app, world, make_bid):
    bid_id = make_bid("screening")
    with app.app_context():
        with pytest.raises(RuleViolation) as refused:
            bid_workflow.return_for_changes(actor=load(world.coordinator), bid=get_bid(bid_id), message="  ", now=NOW)
        assert refused.value.field == "message"


@pytest.mark.parametrize("move", ["pick_up", "ready"])
def test_partner_contacts_cannot_screen_their_own_bids(app, world, make_bid, move):
    bid_id = make_bid("submitted" if move == "pick_up" else "screening")
    call = bid_workflow.pick_up if move == "pick_up" else bid_workflow.mark_ready_for_vote
    with app.app_context():
        with pytest.raises(PermissionDenied):
            call(actor=load(world.reds_contact), bid=get_bid(bid_id), now=NOW)


@pytest.mark.parametrize("who", ["cafe_contact", "barnsley_member"])
def test_only_the_partners_people_submit_or_withdraw(app, world, make_bid, who):
    bid_id = make_bid()
    with app.app_context():
        with pytest.raises(PermissionDenied):
            bid_workflow.submit(actor=load(getattr(world, who)), bid=get_bid(bid_id), now=NOW)
        with pytest.raises(PermissionDenied):
            bid_workflow.withdraw(actor=load(getattr(world, who)), bid=get_bid(bid_id), now=NOW)


# Reading --------------------------------------------------------------------------------------

def test_members_read_submitted_bids_of_their_own_locality_only(app, world, make_bid):
    draft_id, submitted_id = make_bid(), make_bid("submitted")
    with app.app_context():
        barnsley, calderdale = load(world.barnsley_member), load(world.calderdale_member)
        assert bids.can_read(barnsley, get_bid(submitted_id), TODAY)
        assert not bids.can_read(barnsley, get_bid(draft_id), TODAY)
        assert not bids.can_read(calderdale, get_bid(submitted_id), TODAY)
        assert not bids.can_read(load(world.champion), get_bid(submitted_id), TODAY)
        with pytest.raises(PermissionDenied):
            bids.bid_for_viewing(actor=calderdale, bid_id=submitted_id, day=TODAY)
        assert [row.bid.id for row in bids.readable_bids(actor=calderdale, day=TODAY)] == []


def test_screening_queue_flags_partners_without_an_active_agreement(app, world, make_bid):
    make_bid("submitted")
    make_bid("submitted", partner="cafe", slug="calderdale")
    with app.app_context():
        rows = bids.screening_queue(actor=load(world.coordinator), locality=None, day=TODAY)
        flags = {row.bid.partner.name: row.agreement_flagged for row in rows}
        assert flags == {"Reds in the Community": False, "Halifax Arts Cafe": True}
        with pytest.raises(PermissionDenied):
            bids.screening_queue(actor=load(world.barnsley_member), locality=None, day=TODAY)


# The match rule, per collective and versioned --------------------------------------------------

def test_default_match_rule_is_one_to_one_capped_at_five_thousand_pounds(ctx):
    rule = match_rules.current_rule(collective_id=get_collective("barnsley").id, day=TODAY)
    assert (rule.ratio.numerator, rule.ratio.denominator, rule.cap_pence) == (1, 1, 500_000)


def test_a_new_rule_version_applies_from_its_date(ctx, world):
    collective = get_collective("barnsley")
    match_rules.set_match_rule(actor=load(world.coordinator), collective=collective, numerator=2, denominator=1,
                               cap_pence=1_000_000, effective_from=date(2026, 7, 1), now=NOW)
    assert match_rules.current_rule(collective_id=collective.id, day=date(2026, 6, 30)).cap_pence == 500_000
    assert match_rules.current_rule(collective_id=collective.id, day=date(2026, 7, 1)).ratio.numerator == 2
    assert match_rules.current_rule(collective_id=get_collective("wakefield").id, day=date(2026, 7, 1)).cap_pence \
        == 500_000


@pytest.mark.parametrize(("changes", "field"), [
    ({"effective_from": date(2026, 6, 14)}, "effective_from"),
    ({"denominator": 0}, "ratio_denominator"),
    ({"cap_pence": 0}, "cap"),
])
def test_match_rule_versions_are_checked(ctx, world, changes, field):
    values = dict(numerator=1, denominator=1, cap_pence=100_000, effective_from=date(2026, 7, 1)) | changes
    with pytest.raises(RuleViolation) as refused:
        match_rules.set_match_rule(actor=load(world.coordinator), collective=get_collective("barnsley"), now=NOW,
                                   **values)
    assert refused.value.field == field


def test_only_coordinators_change_the_match_rule(ctx, world):
    with pytest.raises(PermissionDenied):
        match_rules.set_match_rule(actor=load(world.barnsley_member), collective=get_collective("barnsley"),
                                   numerator=3, denominator=1, cap_pence=100, effective_from=TODAY, now=NOW)


def test_a_mistaken_rule_no_vote_has_used_is_corrected_the_same_day_and_the_audit_keeps_both(ctx, world):
    values = dict(actor=load(world.coordinator), collective=get_collective("barnsley"), numerator=1, denominator=1,
                  cap_pence=100_000, effective_from=date(2026, 7, 1), now=NOW)
    match_rules.set_match_rule(**values)
    match_rules.set_match_rule(**(values | {"cap_pence": 200_000, "actor": load(world.coordinator),
                                            "collective": get_collective("barnsley")}))
    collective_id = get_collective("barnsley").id
    assert [v.cap_pence for v in match_rules.rule_versions(collective_id=collective_id)] == [200_000]
    corrected = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "collective.match_rule_corrected"))
    assert (corrected.before["cap_pence"], corrected.after["cap_pence"]) == (100_000, 200_000)


def test_bid_figures_count_confirmed_and_received_funds_not_pledges(app, world, make_bid):
    bid_id = make_bid(lines=(LineDetails("Pledge", 300_000, "pledged"), LineDetails("Grant", 100_000, "received"),
                             LineDetails("Club", 200_000, "confirmed")))
    with app.app_context():
        figures = match_rules.figures_for_bid(get_bid(bid_id), day=TODAY)
        assert figures.confirmed_funds == 300_000
        assert figures.award == 300_000  # matched 1:1, below the £4,000 requested


def test_bid_figures_are_limited_by_the_money_available(app, world, make_bid):
    bid_id = make_bid(partner="cafe", slug="calderdale")  # Calderdale has no fund yet
    with app.app_context():
        figures = match_rules.figures_for_bid(get_bid(bid_id), day=TODAY)
        assert figures.available == 0 and figures.award == 0
