"""Vote pages: opening, the interests question, the ballot, hidden tallies, lazy close, the
decision record, the partner's view, reminders, meeting mode and assisted votes."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from brokerage.core.values.roles import Role
from brokerage.collectives.members import membership
from brokerage.collectives.bids import match_rules
from brokerage.collectives.voting import ballots as poll_voting, closing, rule_sets
from brokerage.collectives.bids.lifecycle import BidStatus
from brokerage.collectives.voting.models import PollStatus, Vote
from brokerage.extensions import db

from ...conftest import page_text
from ..bids.helpers import NOW, get_bid, load
from ..notices.helpers import outbox
from .helpers import CLOSES, get_poll, vote

AFTER = CLOSES + timedelta(minutes=1)
pytestmark = pytest.mark.usefixtures("fixed_now")


def url(poll_id: int, tail: str = "") -> str:
    return f"/polls/{poll_id}{tail}"


def declare_and_vote(client, poll_id: int, choice: str = "support", comment: str = ""):
    client.post(url(poll_id, "/declare"), data={"answer": "no_interest"})
    return client.post(url(poll_id, "/vote"), data={"choice": choice, "comment": comment})


def test_coordinator_opens_a_vote_from_the_bid(app, client, auth, world, make_bid, electorate):
    bid_id = make_bid(status="ready_for_vote")
    auth.login(world.coordinator)
    assert "Open the vote" in page_text(client.get(f"/bids/{bid_id}"))
    assert "£4,000" in page_text(client.get(f"/bids/{bid_id}/vote/open"))
    response = client.post(f"/bids/{bid_id}/vote/open", data={"days": "3"})
    assert response.status_code == 302 and "/polls/" in response.location
    with app.app_context():
        assert get_bid(bid_id).state is BidStatus.OPEN_FOR_VOTE


def test_opening_without_money_says_the_bid_waits_for_funds(app, client, auth, world, make_bid):
    bid_id = make_bid(status="ready_for_vote", partner="cafe", slug="calderdale")
    auth.login(world.coordinator)
    response = client.post(f"/bids/{bid_id}/vote/open", data={"days": "3"}, follow_redirects=True)
    assert "waiting for funds" in page_text(response)
    assert "Awaiting funds" in page_text(response)


def test_bad_window_is_shown_next_to_the_field(client, auth, world, make_bid):
    bid_id = make_bid(status="ready_for_vote")
    auth.login(world.coordinator)
    response = client.post(f"/bids/{bid_id}/vote/open", data={"days": "30"})
    assert response.status_code == 400 and "Not a valid choice" in page_text(response)


def test_member_answers_the_interests_question_then_votes(client, auth, poll_id, electorate):
    auth.login(electorate["Ash Carer"])
    text = page_text(client.get(url(poll_id)))
    assert "Being connected to local organisations is normal" in text and "Cast my vote" not in text
    client.post(url(poll_id, "/declare"), data={"answer": "no_interest"})
    assert "Cast my vote" in page_text(client.get(url(poll_id)))
    response = client.post(url(poll_id, "/vote"), data={"choice": "support"}, follow_redirects=True)
    assert "Your vote is recorded" in page_text(response)
    assert "You voted: Support" in page_text(response)


def test_declaring_a_connection_is_thanked_and_recuses(client, auth, poll_id, electorate):
    auth.login(electorate["Ash Carer"])
    response = client.post(url(poll_id, "/declare"), data={"answer": "interest", "interest": "I volunteer there"},
                           follow_redirects=True)
    text = page_text(response)
    assert "Thank you" in text and "you are not counted when working out the quorum" in text
    assert "Cast my vote" not in text
    assert client.post(url(poll_id, "/vote"), data={"choice": "support"}).status_code == 403


def test_bad_input_shows_messages_not_errors(client, auth, poll_id, electorate):
    auth.login(electorate["Ash Carer"])
    response = client.post(url(poll_id, "/declare"), data={"answer": "interest", "interest": ""})
    assert response.status_code == 400 and "Describe the connection" in page_text(response)
    client.post(url(poll_id, "/declare"), data={"answer": "no_interest"})
    response = client.post(url(poll_id, "/vote"), data={"choice": "maybe"})
    assert response.status_code == 400 and "Not a valid choice" in page_text(response)


def test_tallies_are_hidden_on_every_page_until_close(app, client, auth, poll_id, electorate, world):
    with app.app_context():
        for name in ("Pat Barnsley", "Ash Carer", "Di Community"):
            vote(poll_id, electorate[name], "support")
    auth.login(world.coordinator)
    with app.app_context():
        bid_id = get_poll(poll_id).bid_id
    for page in (url(poll_id), f"/bids/{bid_id}", "/polls"):
        text = page_text(client.get(page))
        assert "3 support" not in text and "eligible members voted" not in text
    assert client.get(url(poll_id, "/record")).status_code == 404
    assert client.get(url(poll_id, "/record.csv")).status_code == 404


def test_viewing_a_poll_after_its_closing_time_closes_it(app, client, auth, poll_id, electorate, fixed_now):
    with app.app_context():
        for name in ("Pat Barnsley", "Ash Carer", "Di Community", "Ed Community"):
            vote(poll_id, electorate[name], "oppose" if name == "Ed Community" else "support",
                 comment="Is it accessible?" if name == "Ed Community" else "")
    fixed_now(AFTER)
    auth.login(electorate["Bo Staff"])
    text = page_text(client.get(url(poll_id)))
    assert "Approved" in text and "3 support, 1 oppose, 0 abstain" in text
    record = page_text(client.get(url(poll_id, "/record")))
    assert "Days from submission to decision 3" in record and "Is it accessible?" in record
    assert "Money set aside for a bid while it is voted on" in record and "Money committed to an approved bid" in record
    csv_text = client.get(url(poll_id, "/record.csv")).get_data(as_text=True)
    assert "Approved,3,1,0,7,400000,3" in csv_text


def test_partner_sees_the_outcome_and_reasons_on_their_bid(app, client, auth, poll_id, world, fixed_now):
    fixed_now(AFTER)
    with app.app_context():
        bid_id = get_poll(poll_id).bid_id
    auth.login(world.reds_contact)
    text = page_text(client.get(f"/bids/{bid_id}"))
    assert "The first time this bid was listed: Deferred" in text and "Not enough people voted for a decision." in text


def test_to_vote_list_reminds_members_until_they_vote(client, auth, poll_id, electorate):
    auth.login(electorate["Ash Carer"])
    text = page_text(client.get("/your-collectives"))
    assert "To vote" in text and "Memory group at the stadium" in text and "18 Jun 2026" in text
    declare_and_vote(client, poll_id)
    assert "To vote" not in page_text(client.get("/your-collectives"))


@pytest.mark.parametrize("who", ["outsider", "calderdale_member", "champion"])
def test_people_outside_the_collective_cannot_see_or_vote(client, auth, poll_id, world, make_user, who):
    user = make_user(Role.COLLECTIVE_MEMBER) if who == "outsider" else getattr(world, who)
    auth.login(user)
    assert client.get(url(poll_id)).status_code == 403
    assert client.post(url(poll_id, "/vote"), data={"choice": "support"}).status_code == 403


def test_partners_own_people_see_the_vote_but_cannot_vote(client, auth, poll_id, world):
    auth.login(world.reds_contact)
    assert client.get(url(poll_id)).status_code == 200
    assert client.post(url(poll_id, "/declare"), data={"answer": "no_interest"}).status_code == 403


def test_vote_after_close_is_refused_with_a_message(app, client, auth, poll_id, electorate, fixed_now):
    auth.login(electorate["Ash Carer"])
    client.post(url(poll_id, "/declare"), data={"answer": "no_interest"})
    fixed_now(AFTER)
    auth.login(electorate["Ash Carer"])  # signed in again: the earlier session has timed out
    response = client.post(url(poll_id, "/vote"), data={"choice": "support"})
    assert response.status_code == 400 and "This vote has closed" in page_text(response)
    with app.app_context():  # the page it showed again settled the vote first
        assert get_poll(poll_id).status == PollStatus.CLOSED


def test_chair_records_attendance_and_meeting_votes(app, client, auth, poll_id, electorate):
    auth.login(electorate.chair)
    client.post(url(poll_id, "/declare"), data={"answer": "no_interest"})
    ash = electorate["Ash Carer"]
    client.post(url(poll_id, "/meeting/attendance"), data={"attendance-members": [str(ash.id)]})
    response = client.post(url(poll_id, "/meeting/vote"), data={
        "vote-member": str(ash.id), "vote-answer": "no_interest", "vote-choice": "oppose"}, follow_redirects=True)
    assert "Recorded for Ash Carer: their answer about connections and their vote." in page_text(response)
    auth.logout()
    auth.login(ash)
    assert "You voted: Oppose" in page_text(client.get(url(poll_id)))


def test_chair_records_an_assisted_vote_that_the_member_sees(app, client, auth, poll_id, electorate):
    ash = electorate["Ash Carer"]
    with app.app_context():
        poll_voting.declare(actor=load(ash), poll_id=poll_id, interest=None, now=NOW)
    auth.login(electorate.chair)
    client.post(url(poll_id, "/declare"), data={"answer": "no_interest"})
    response = client.post(url(poll_id, "/assisted"), data={"member": str(ash.id), "choice": "support",
                                                            "reason": "Asked by phone"})
    assert response.status_code == 302
    auth.logout()
    auth.login(ash)
    assert "recorded for you by Flo Chair" in page_text(client.get(url(poll_id)))


def test_members_who_are_not_chairs_cannot_use_meeting_mode(client, auth, poll_id, electorate):
    auth.login(electorate["Bo Staff"])
    response = client.post(url(poll_id, "/meeting/attendance"),
                           data={"attendance-members": [str(electorate["Ash Carer"].id)]})
    assert response.status_code == 403


RULES = {"quorum_minimum": "4", "quorum_percent": "50", "require_lived_or_carer": "y", "staff_max_percent": "50",
         "support_minimum": "2", "min_window_hours": "48", "max_window_hours": "168", "max_deferrals": "1",
         "effective_from": "2026-06-15"}


def test_coordinator_sets_a_new_version_of_the_decision_rules(app, client, auth, world, collectives):
    auth.login(world.coordinator)
    assert "the standard rules" in page_text(client.get("/collectives/barnsley/decision-rules"))
    response = client.post("/collectives/barnsley/decision-rules", data=RULES, follow_redirects=True)
    assert "Version 1 of the decision rules is saved" in page_text(response)
    with app.app_context():
        in_force = rule_sets.rules_in_force(collective_id=membership.get_collective("barnsley").id, day=NOW.date())
        assert (in_force.version, in_force.rules.quorum_minimum) == (1, 4)


@pytest.mark.parametrize("field, value, message", [
    ("quorum_minimum", "99999999999999999999999", "Enter a whole number"),
    ("quorum_percent", "0", "from 1 to 100"),
    ("max_window_hours", "30", "at least the shortest window"),
    ("effective_from", "2026-01-01", "cannot start in the past")])
def test_bad_decision_rules_are_shown_next_to_the_field(client, auth, world, collectives, field, value, message):
    auth.login(world.coordinator)
    response = client.post("/collectives/barnsley/decision-rules", data={**RULES, field: value})
    assert response.status_code == 400 and message in page_text(response)


def test_only_coordinators_change_decision_rules(client, auth, electorate):
    auth.login(electorate.chair)
    assert client.get("/collectives/barnsley/decision-rules").status_code == 403


def test_partner_withdraws_the_bid_during_the_vote_from_its_page(app, client, auth, poll_id, world, electorate):
    with app.app_context():
        bid_id = get_poll(poll_id).bid_id
    auth.login(world.reds_contact)
    assert "Withdraw the bid" in page_text(client.get(f"/bids/{bid_id}"))
    assert "This cannot be undone" in page_text(client.get(f"/bids/{bid_id}/vote/withdraw"))
    response = client.post(f"/bids/{bid_id}/vote/withdraw", data={"reason": "We need to change the dates"},
                           follow_redirects=True)
    assert "its vote is void" in page_text(response) and "withdrawn during the vote" in page_text(response)
    auth.logout()
    auth.login(electorate["Ash Carer"])
    text = page_text(client.get(url(poll_id)))
    assert "Withdrawn" in text and "The reason given: We need to change the dates" in text
    assert "To vote" not in page_text(client.get("/your-collectives"))
    with app.app_context():
        assert "We need to change the dates" in outbox("bid_withdrawn")[0].text_body


def test_withdrawing_during_a_vote_needs_a_reason_and_nothing_changes_without_one(app, client, auth, poll_id, world):
    with app.app_context():
        bid_id = get_poll(poll_id).bid_id
    auth.login(world.reds_contact)
    response = client.post(f"/bids/{bid_id}/vote/withdraw", data={"reason": "  "})
    assert response.status_code == 400 and "Say why the bid is withdrawn" in page_text(response)
    with app.app_context():
        assert get_bid(bid_id).state is BidStatus.OPEN_FOR_VOTE


def test_only_the_partner_and_coordinators_withdraw_during_a_vote(app, client, auth, poll_id, electorate):
    with app.app_context():
        bid_id = get_poll(poll_id).bid_id
    auth.login(electorate.chair)
    assert client.get(f"/bids/{bid_id}/vote/withdraw").status_code == 403


def test_a_coordinator_returns_a_bid_withdrawn_during_the_vote_and_the_partner_changes_it(
        app, client, auth, poll_id, world):
    with app.app_context():
        bid_id = get_poll(poll_id).bid_id
    auth.login(world.reds_contact)
    client.post(f"/bids/{bid_id}/vote/withdraw", data={"reason": "We need to change the dates"})
    auth.logout()
    auth.login(world.coordinator)
    assert "Return for changes" in page_text(client.get(f"/bids/{bid_id}"))
    response = client.post(f"/bids/{bid_id}/return", data={"message": "Change the dates, then submit again"},
                           follow_redirects=True)
    assert "has been returned" in page_text(response)
    with app.app_context():
        assert get_bid(bid_id).state is BidStatus.RETURNED


@pytest.mark.parametrize("page", ["/meeting", "/assisted"])
def test_members_who_are_not_chairs_cannot_open_the_helpers_pages(client, auth, poll_id, electorate, page):
    auth.login(electorate["Bo Staff"])
    assert client.get(url(poll_id, page)).status_code == 403


def test_chair_opens_the_meeting_and_assisted_pages(client, auth, poll_id, electorate):
    auth.login(electorate.chair)
    client.post(url(poll_id, "/declare"), data={"answer": "no_interest"})
    assert "Members present at the meeting" in page_text(client.get(url(poll_id, "/meeting")))
    assert "Why the vote is recorded for them" in page_text(client.get(url(poll_id, "/assisted")))


def test_votes_list_closes_due_polls_and_shows_their_outcome(client, auth, poll_id, world, fixed_now):
    auth.login(world.coordinator)
    assert "Deferred" not in page_text(client.get("/polls"))
    fixed_now(AFTER)
    auth.login(world.coordinator)
    assert "Deferred" in page_text(client.get("/polls"))


def chair_present_with(client, auth, poll_id, electorate, *names):
    """The chair signs in, answers "no connection" for themself and records these members as present."""
    auth.login(electorate.chair)
    client.post(url(poll_id, "/declare"), data={"answer": "no_interest"})
    client.post(url(poll_id, "/meeting/attendance"),
                data={"attendance-members": [str(electorate[name].id) for name in names]})


def test_a_chair_can_record_no_connection_without_a_vote_and_the_vote_follows(app, client, auth, poll_id, electorate):
    chair_present_with(client, auth, poll_id, electorate, "Ash Carer")
    ash = str(electorate["Ash Carer"].id)
    response = client.post(url(poll_id, "/meeting/vote"), data={"vote-member": ash, "vote-answer": "no_interest"},
                           follow_redirects=True)
    assert response.status_code == 200
    assert "Recorded for Ash Carer: their answer about connections." in page_text(response)
    assert "Ash Carer: no connection, not voted yet" in page_text(response)
    response = client.post(url(poll_id, "/meeting/vote"), data={
        "vote-member": ash, "vote-answer": "no_interest", "vote-choice": "support"}, follow_redirects=True)
    assert "Ash Carer: no connection, voted" in page_text(response)


def test_a_meeting_vote_with_a_connection_but_no_description_is_shown_next_to_the_field(client, auth, poll_id,
                                                                                       electorate):
    chair_present_with(client, auth, poll_id, electorate, "Ash Carer")
    response = client.post(url(poll_id, "/meeting/vote"), data={
        "vote-member": str(electorate["Ash Carer"].id), "vote-answer": "interest", "vote-comment": "Kept"})
    assert response.status_code == 400 and "Describe the connection in a few words" in page_text(response)
    assert "Kept" in response.get_data(as_text=True)


def test_a_chair_with_a_declared_connection_cannot_record_votes_for_others(client, auth, poll_id, electorate):
    auth.login(electorate.chair)
    client.post(url(poll_id, "/declare"), data={"answer": "interest", "interest": "I volunteer there"})
    page = page_text(client.get(url(poll_id, "/meeting")))
    assert "You declared a connection with this bid" in page and "Record as present" not in page
    response = client.post(url(poll_id, "/meeting/attendance"),
                           data={"attendance-members": [str(electorate["Ash Carer"].id)]})
    assert response.status_code == 400 and "You declared a connection" in page_text(response)


def test_a_chair_who_has_not_answered_for_themself_cannot_record_for_others(client, auth, poll_id, electorate):
    auth.login(electorate.chair)
    response = client.post(url(poll_id, "/assisted"), data={
        "member": str(electorate["Ash Carer"].id), "answer": "no_interest", "choice": "support", "reason": "Phone"})
    assert response.status_code == 400 and "Answer the question about connections for yourself first" in \
        page_text(response)


def test_a_chair_with_a_connection_hands_over_and_the_record_says_who_recorded_each_vote(
        app, client, auth, poll_id, electorate, world, fixed_now):
    bo = electorate["Bo Staff"]
    with app.app_context():
        poll_voting.declare(actor=load(bo), poll_id=poll_id, interest=None, now=NOW)
    auth.login(electorate.chair)
    client.post(url(poll_id, "/declare"), data={"answer": "interest", "interest": "My cousin runs it"})
    response = client.post(url(poll_id, "/meeting/hand-over"), data={"handover-member": str(bo.id)},
                           follow_redirects=True)
    assert "Bo Staff now records votes for others on this bid." in page_text(response)
    auth.logout()
    auth.login(bo)
    client.post(url(poll_id, "/meeting/attendance"), data={"attendance-members": [str(electorate["Ash Carer"].id)]})
    response = client.post(url(poll_id, "/meeting/vote"), data={
        "vote-member": str(electorate["Ash Carer"].id), "vote-answer": "no_interest", "vote-choice": "support"},
        follow_redirects=True)
    assert "and their vote" in page_text(response)
    fixed_now(AFTER)
    auth.login(world.coordinator)
    record = page_text(client.get(url(poll_id, "/record")))
    assert "The chair handed the recording of votes for others to Bo Staff." in record
    assert "Vote recorded at the meeting by Bo Staff" in record
    assert "Answer recorded by Bo Staff" in record


def test_only_a_chair_or_coordinator_hands_over(client, auth, poll_id, electorate):
    auth.login(electorate["Bo Staff"])
    response = client.post(url(poll_id, "/meeting/hand-over"), data={"handover-member": str(electorate["Ash Carer"].id)})
    assert response.status_code == 403


def test_handing_over_to_a_member_who_has_not_answered_is_refused_next_to_the_field(client, auth, poll_id,
                                                                                    electorate):
    auth.login(electorate.chair)
    response = client.post(url(poll_id, "/meeting/hand-over"), data={"handover-member": str(electorate["Ash Carer"].id)})
    assert response.status_code == 400 and "Not a valid choice" in page_text(response)


def test_an_absent_member_is_recorded_by_phone_with_their_answer_and_told_by_email(
        app, client, auth, poll_id, electorate):
    di = electorate["Di Community"]
    chair_present_with(client, auth, poll_id, electorate, "Ash Carer")
    response = client.post(url(poll_id, "/assisted"), data={
        "member": str(di.id), "answer": "no_interest", "choice": "oppose",
        "reason": "By telephone during the meeting"}, follow_redirects=True)
    assert "They are told by email" in page_text(response)
    with app.app_context():
        [message] = outbox("recorded_for_you")
        assert message.recipient_user_id == di.id and "By telephone during the meeting" in message.text_body
        assert "Your vote: Oppose" in message.text_body
    auth.logout()
    auth.login(di)
    assert "You voted: Oppose" in page_text(client.get(url(poll_id)))
    response = client.post(url(poll_id, "/vote"), data={"choice": "support"}, follow_redirects=True)
    assert "You voted: Support" in page_text(response)


def test_an_assisted_vote_for_a_member_who_has_not_answered_needs_their_answer(client, auth, poll_id, electorate):
    chair_present_with(client, auth, poll_id, electorate)
    response = client.post(url(poll_id, "/assisted"), data={
        "member": str(electorate["Di Community"].id), "choice": "oppose", "reason": "By telephone"})
    assert response.status_code == 400
    assert "Record their answer to the question about connections" in page_text(response)
    assert "By telephone" in response.get_data(as_text=True)


def test_a_member_can_change_a_connection_recorded_for_them(app, client, auth, poll_id, electorate):
    di = electorate["Di Community"]
    chair_present_with(client, auth, poll_id, electorate)
    client.post(url(poll_id, "/assisted"), data={"member": str(di.id), "answer": "interest", "interest": "Trustee",
                                                 "reason": "By telephone during the meeting"})
    auth.logout()
    auth.login(di)
    client.post(url(poll_id, "/declare"), data={"answer": "no_interest"})
    response = client.post(url(poll_id, "/vote"), data={"choice": "support"}, follow_redirects=True)
    assert "You voted: Support" in page_text(response)


def test_a_members_comment_is_kept_when_they_change_their_vote(app, client, auth, poll_id, electorate):
    auth.login(electorate["Ash Carer"])
    declare_and_vote(client, poll_id, "support", comment="Good value for the town")
    assert "Good value for the town</textarea>" in client.get(url(poll_id)).get_data(as_text=True)
    client.post(url(poll_id, "/vote"), data={"choice": "oppose", "comment": "Good value for the town"})
    with app.app_context():
        history = db.session.execute(select(Vote.choice, Vote.comment).where(Vote.user_id == electorate["Ash Carer"].id)
                                     .order_by(Vote.id)).all()
        assert history == [("support", "Good value for the town"), ("oppose", "Good value for the town")]


def test_after_the_last_vote_lands_the_page_says_the_decision(app, client, auth, poll_id, electorate):
    for name, choice in [("Pat Barnsley", "support"), ("Ash Carer", "oppose"), ("Bo Staff", "support"),
                         ("Cy Staff", "oppose"), ("Di Community", "support"), ("Ed Community", "oppose")]:
        with app.app_context():
            vote(poll_id, electorate[name], choice)
    auth.login(electorate.chair)
    response = declare_and_vote(client, poll_id, "support")
    response = client.get(response.location)
    text = page_text(response)
    assert "It was the last vote needed, so the vote has closed" in text and "Approved" in text
    assert "You can change it until the vote closes" not in text


def defer_with_questions(app, poll_id, electorate) -> int:
    """Two members ask questions, nobody else votes: the vote is not quorate and the bid is deferred."""
    with app.app_context():
        vote(poll_id, electorate["Pat Barnsley"], "support", comment="Who runs the sessions?")
        vote(poll_id, electorate["Ash Carer"], "oppose", comment="Is the stadium step-free?\nThe lift was broken.")
        closing.close_if_due(poll=get_poll(poll_id), now=AFTER)
        return get_poll(poll_id).bid_id


def test_a_deferred_partner_answers_each_question_and_members_see_the_answers_when_it_is_listed_again(
        app, client, auth, poll_id, world, electorate, fixed_now):
    bid_id = defer_with_questions(app, poll_id, electorate)
    fixed_now(AFTER)
    auth.login(world.reds_contact)
    assert "Answer the members' questions" in page_text(client.get(f"/bids/{bid_id}"))
    form = page_text(client.get(url(poll_id, "/answers")))
    assert "Question 1: Who runs the sessions?" in form and "Question 2: Is the stadium step-free?" in form
    response = client.post(url(poll_id, "/answers"), data={
        "answer_0": "Two trained volunteers", "answer_1": "Yes, and the lift is fixed"}, follow_redirects=True)
    assert "The members will see your answers" in page_text(response)
    auth.logout()
    auth.login(world.coordinator)
    response = client.post(f"/bids/{bid_id}/vote/open", data={"days": "3"})
    auth.logout()
    auth.login(electorate["Di Community"])
    text = page_text(client.get(response.location))
    assert "The first time this bid was listed" in text
    assert "Who runs the sessions?" in text and "Two trained volunteers" in text


def test_a_deferred_partner_can_amend_the_bid_before_it_is_listed_again(app, client, auth, poll_id, world,
                                                                         electorate, fixed_now):
    bid_id = defer_with_questions(app, poll_id, electorate)
    fixed_now(AFTER)
    auth.login(world.reds_contact)
    assert "Change the bid" in page_text(client.get(f"/bids/{bid_id}"))
    assert client.get(f"/bids/{bid_id}/edit").status_code == 200


def test_an_empty_answer_is_shown_next_to_its_question_and_the_others_are_kept(app, client, auth, poll_id, world,
                                                                              electorate, fixed_now):
    defer_with_questions(app, poll_id, electorate)
    fixed_now(AFTER)
    auth.login(world.reds_contact)
    response = client.post(url(poll_id, "/answers"), data={"answer_0": "Two trained volunteers", "answer_1": ""})
    assert response.status_code == 400 and "Answer this question" in page_text(response)
    assert "Two trained volunteers" in response.get_data(as_text=True)


def test_only_the_partner_and_coordinators_answer_and_only_until_the_vote_opens_again(
        app, client, auth, poll_id, world, electorate, fixed_now):
    bid_id = defer_with_questions(app, poll_id, electorate)
    fixed_now(AFTER)
    auth.login(world.cafe_contact)
    assert client.get(url(poll_id, "/answers")).status_code == 403
    auth.logout()
    auth.login(world.coordinator)
    client.post(f"/bids/{bid_id}/vote/open", data={"days": "3"})
    assert client.get(url(poll_id, "/answers")).status_code == 403


def test_a_decided_bid_shows_the_one_award_voted_on_and_says_when_the_rule_changed_since(
        app, client, auth, poll_id, world, electorate, fixed_now):
    with app.app_context():
        for name in ["Pat Barnsley", "Ash Carer", "Di Community", "Ed Community", "Flo Chair"]:
            if get_poll(poll_id).is_open:
                vote(poll_id, electorate[name], "support")
        poll = get_poll(poll_id)
        assert poll.outcome == "approved"
        bid_id, award = poll.bid_id, poll.award_pence
        match_rules.set_match_rule(actor=load(world.coordinator), collective=membership.get_collective("barnsley"),
                                   numerator=1, denominator=4, cap_pence=100_000,
                                   effective_from=(NOW + timedelta(days=5)).date(), now=NOW)
    fixed_now(NOW + timedelta(days=6))
    auth.login(electorate["Bo Staff"])
    text = page_text(client.get(f"/bids/{bid_id}"))
    assert f"Match award committed £{award // 100:,}" in text
    assert "if decided today" not in text and "£1,000" not in text
    assert "The match rule changed on 20 June 2026; this bid was decided under the earlier rule" in text


def test_members_pages_use_plain_words_and_link_to_what_the_words_mean(app, client, auth, poll_id, electorate):
    auth.login(electorate["Ash Carer"])
    page = client.get(url(poll_id)).get_data(as_text=True)
    assert 'href="/collectives/words"' in page
    text = page_text(client.get(url(poll_id)))
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text)  # never an ISO date
    words = page_text(client.get("/collectives/words"))
    assert "Money set aside (earmarked)" in words and "Enough people have voted (quorate)" in words
    money = page_text(client.get("/collectives/barnsley"))
    assert "Set aside for bids being voted on" in money and "Earmark" not in money
