"""Issuing, changing and closing calls (audited, refused cases leave nothing), the email to the
locality's partners and champions, bids answering calls, and the call's progress."""
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from brokerage.audit.models import AuditEvent
from brokerage.collectives.bids import moves, services as bid_services
from brokerage.collectives.bids.models import Bid
from brokerage.collectives.calls import services as calls
from brokerage.collectives.calls.models import CallForBids
from brokerage.collectives.calls.rules import CallState
from brokerage.collectives.reports.call_progress import call_progress
from brokerage.collectives.voting.planning import bid_snapshot
from brokerage.errors import PermissionDenied, RuleViolation
from brokerage.extensions import db
from brokerage.partners.organisations import services as partner_services
from brokerage.partners.people import services as contacts

from ..bids.helpers import CONFIRMED_LINE, NOW, TODAY, bid_details, get_bid, load
from ..notices.helpers import choose, link_paths, names, outbox
from .helpers import DETAILS, get_call, issue

pytestmark = pytest.mark.usefixtures("ctx")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_coordinator_issues_a_call_audited_and_emailed_to_the_localitys_partners_and_champions(
        world, champion_in_barnsley):
    call = issue(world.coordinator)
    assert (call.collective.slug, call.upper_pence, call.districts) == ("barnsley", 300_000, "S70")
    [event] = events("call.issued")
    assert (event.object_id, event.after["upper_pence"], event.actor_id) == (call.id, 300_000, world.coordinator.id)
    # Reds serves Barnsley (its contact); the champion names Barnsley; the Calderdale cafe's contact is not told.
    assert names("call_opened") == ["Dee Champion", "Lee Reds"]
    message = outbox("call_opened")[0]
    assert message.subject == "Call for bids: Evening activities for young people in Barnsley"
    assert "up to £3,000" in message.text_body and "31 July 2026" in message.text_body
    assert link_paths(message) == [f"/calls/{call.id}"]


def test_the_email_respects_a_persons_choice_and_reaches_named_contacts_once(world, champion_in_barnsley):
    contacts.add_contact(actor=load(world.coordinator), partner=partner_services.get_partner(world.reds),
                         details=contacts.ContactDetails(name="Sam Secretary", email="sam@reds.example.org"))
    contacts.add_contact(actor=load(world.coordinator), partner=partner_services.get_partner(world.reds),
                         details=contacts.ContactDetails(name="Lee again", email="LEE@example.org"))
    choose(world.champion, "call_opened", "never")
    issue(world.coordinator)
    assert names("call_opened") == ["Lee Reds", "Sam Secretary"]


def test_a_chair_issues_a_call_but_a_plain_member_or_another_collectives_chair_cannot(world, chair):
    assert issue(chair).created_by_id == chair.id
    with pytest.raises(PermissionDenied):
        issue(world.barnsley_member)
    with pytest.raises(PermissionDenied):
        issue(chair, slug="calderdale")
    assert count(CallForBids) == 1


@pytest.mark.parametrize("changes, field", [
    ({"upper_pence": 5_000_001}, "upper"),  # the Barnsley fund has £50,000 available
    ({"closes_on": TODAY - timedelta(days=1)}, "closes_on"),
    ({"title": ""}, "title"),
    ({"upper_pence": 0}, "upper"),
])
def test_a_refused_call_leaves_nothing_behind(world, changes, field):
    with pytest.raises(RuleViolation) as caught:
        issue(world.coordinator, **changes)
    assert caught.value.field == field
    assert (count(CallForBids), events("call.issued"), outbox("call_opened")) == (0, [], [])


def test_a_locality_with_no_fund_this_year_cannot_offer_money(world):
    with pytest.raises(RuleViolation) as caught:
        issue(world.coordinator, slug="wakefield")
    assert "£0 available" in caught.value.message


def test_a_call_changes_until_a_bid_answers_it_then_it_is_fixed(world):
    call = issue(world.coordinator)
    calls.update_call(actor=load(world.coordinator), call=call, details=replace(DETAILS, upper_pence=250_000),
                      now=NOW, today=TODAY)
    assert get_call(call.id).upper_pence == 250_000
    assert events("call.updated")[0].before["upper_pence"] == 300_000
    _bid(world, call_id=call.id, requested_pence=200_000)
    assert get_call(call.id).first_answered_at is not None
    with pytest.raises(RuleViolation) as caught:
        calls.update_call(actor=load(world.coordinator), call=get_call(call.id),
                          details=replace(DETAILS, upper_pence=100_000), now=NOW, today=TODAY)
    assert "can no longer change" in caught.value.message
    assert get_call(call.id).upper_pence == 250_000


def test_closing_early_needs_a_reason_and_closes_the_call(world, chair):
    call = issue(world.coordinator)
    with pytest.raises(RuleViolation):
        calls.close_early(actor=load(chair), call=call, reason=" ", now=NOW, today=TODAY)
    with pytest.raises(PermissionDenied):
        calls.close_early(actor=load(world.barnsley_member), call=call, reason="No", now=NOW, today=TODAY)
    calls.close_early(actor=load(chair), call=call, reason="A partner already runs this.", now=NOW, today=TODAY)
    call = get_call(call.id)
    assert (calls.state_of(call, TODAY), call.closed_early_reason) == (CallState.CLOSED, "A partner already runs this.")
    assert events("call.closed")[0].actor_id == chair.id
    with pytest.raises(RuleViolation):
        calls.close_early(actor=load(chair), call=call, reason="Again", now=NOW, today=TODAY)


def test_after_its_closing_day_a_call_is_closed_without_anyone_acting(world):
    call = issue(world.coordinator, closes_on=TODAY)
    assert calls.state_of(call, TODAY) is CallState.OPEN
    assert calls.state_of(call, TODAY + timedelta(days=1)) is CallState.CLOSED


def _draft(world, **changes):
    contact = load(world.reds_contact)
    return bid_services.create_draft(actor=contact, partner=partner_services.get_partner(world.reds),
                                     details=bid_details(**changes), now=NOW)


def _bid(world, submit: bool = False, requested_pence: int = 300_000, **changes) -> int:
    """A bid of Reds whose figures add up (so it can be submitted), in the test's own session."""
    bid = _draft(world, requested_pence=requested_pence, total_cost_pence=requested_pence + 600_000, **changes)
    bid_services.add_line(actor=load(world.reds_contact), bid=bid, line=CONFIRMED_LINE, now=NOW)
    if submit:
        moves.submit(actor=load(world.reds_contact), bid=get_bid(bid.id), now=NOW)
    return bid.id


def test_a_bid_answers_an_open_call_and_the_vote_keeps_which(world):
    call = issue(world.coordinator)
    bid = get_bid(_bid(world, call_id=call.id, requested_pence=300_000))
    assert bid.call_id == call.id
    assert bid_snapshot(bid)["call"] == {"id": call.id, "title": call.title, "upper_pence": 300_000}
    assert "call" not in bid_snapshot(get_bid(_bid(world)))  # a bid answering no call keeps its old snapshot


@pytest.mark.parametrize("case, field", [("closed", "call_id"), ("other_locality", "call_id"),
                                         ("too_much", "requested")])
def test_a_bid_cannot_answer_a_closed_call_another_localitys_or_ask_for_more(world, funded, case, field):
    funded(1_000_000, "calderdale")
    call = issue(world.coordinator, slug="calderdale" if case == "other_locality" else "barnsley")
    if case == "closed":
        calls.close_early(actor=load(world.coordinator), call=call, reason="Filled", now=NOW, today=TODAY)
    with pytest.raises(RuleViolation) as caught:
        _draft(world, call_id=call.id, requested_pence=300_001 if case == "too_much" else 100_000)
    assert caught.value.field == field
    assert (get_call(call.id).first_answered_at, count(Bid)) == (None, 0)


def test_a_bid_keeps_the_call_it_answers_after_the_call_closes_but_is_first_submitted_before(world):
    call = issue(world.coordinator, closes_on=date(2026, 6, 20))
    bid = get_bid(_bid(world, call_id=call.id, requested_pence=200_000))
    later = NOW + timedelta(days=30)
    bid_services.update_draft(actor=load(world.reds_contact), bid=bid, now=later, details=bid_details(
        call_id=call.id, requested_pence=300_000, total_cost_pence=900_000))
    assert get_bid(bid.id).requested_pence == 300_000
    with pytest.raises(RuleViolation) as caught:
        moves.submit(actor=load(world.reds_contact), bid=get_bid(bid.id), now=later)
    assert "closed on 20 June 2026" in caught.value.message
    assert (get_bid(bid.id).status, get_bid(bid.id).submitted_at) == ("draft", None)


def test_the_calls_progress_lists_submitted_bids_only(world):
    call = issue(world.coordinator)
    _bid(world, call_id=call.id, requested_pence=200_000)  # a draft is not counted
    submitted = _bid(world, submit=True, call_id=call.id, requested_pence=300_000, title="Youth climbing")
    progress = call_progress(get_call(call.id), TODAY)
    assert [row.bid.id for row in progress.bids] == [submitted]
    assert (progress.bids[0].decision, progress.awarded_pence, progress.paid_pence) == (None, 0, 0)
