"""The messages of a vote: opened (to every elector, in the opening's own transaction), the one
reminder (to electors still to vote), and who never receives them."""
from datetime import date, timedelta

from brokerage.collectives.members import membership
from brokerage.collectives.voting import ballots as poll_voting
from brokerage.collectives.reminders import remind_voters
from brokerage.collectives.bids.models import Bid
from brokerage.collectives.voting import opening, rule_sets
from brokerage.collectives.voting.rules import RuleSet
from brokerage.extensions import db
from brokerage.notifications.sweeps import registered_sweeps

from ..bids.helpers import NOW, load
from ..voting.helpers import CLOSES, get_poll, vote
from .helpers import choose, link_paths, names, outbox

ELECTORATE = ["Ash Carer", "Bo Staff", "Cy Staff", "Di Community", "Ed Community", "Flo Chair", "Pat Barnsley"]
REMINDER_DUE = CLOSES - timedelta(hours=24)


def test_every_elector_is_told_the_vote_opened_with_the_closing_time_and_a_link(poll_id, electorate, ctx):
    assert names("vote_opened") == ELECTORATE
    message = outbox("vote_opened")[0]
    assert message.subject == "Vote open: Memory group at the stadium"
    assert message.occasion == f"poll:{poll_id}:opened" and message.state == "pending"
    assert "open until Thu 18 Jun 2026, 1:00pm (UK time)" in message.text_body  # noon UTC is 1pm in June
    assert "The Barnsley collective" in message.text_body
    assert "You are a member of the Barnsley collective who may vote on this bid." in message.text_body
    assert link_paths(message) == [f"/polls/{poll_id}"]


def test_the_partners_people_and_other_collectives_are_not_told_a_vote_opened(poll_id, world, ctx):
    assert not {"Lee Reds", "Mel Cafe", "Jo Calder", "Casey Coordinator"} & set(names("vote_opened"))


def test_a_member_who_chose_never_is_not_told_and_a_daily_digest_waits(app, world, electorate, open_poll, ctx):
    choose(electorate["Ash Carer"], "vote_opened", "never")
    choose(electorate["Bo Staff"], "vote_opened", "daily")
    open_poll()
    assert "Ash Carer" not in names("vote_opened")
    assert {m.recipient_name: m.state for m in outbox("vote_opened")}["Bo Staff"] == "digest"


def test_a_member_whose_membership_ended_is_not_told(app, world, electorate, open_poll, ctx):
    ed = membership.membership_of(user=load(electorate["Ed Community"]), collective=membership.get_collective("barnsley"),
                                  day=NOW.date())
    membership.end_membership(actor=load(world.coordinator), membership=ed, ended_on=NOW.date())
    open_poll()
    assert "Ed Community" not in names("vote_opened")


def test_no_message_when_the_vote_does_not_open_for_want_of_money(app, world, make_bid, ctx):
    bid_id = make_bid(status="ready_for_vote", partner="cafe", slug="calderdale")
    poll = opening.open_vote(actor=load(world.coordinator), bid=db.session.get(Bid, bid_id), closes_at=CLOSES,
                             now=NOW)
    assert poll is None and outbox("vote_opened") == []


def test_the_link_in_the_message_opens_the_declaration_and_ballot(poll_id, electorate, auth, app):
    with app.app_context():
        [path] = link_paths(next(m for m in outbox("vote_opened") if m.recipient_name == "Ash Carer"))
    auth.login(electorate["Ash Carer"])
    response = auth.client.get(path)
    assert response.status_code == 200
    assert "Memory group at the stadium" in response.get_data(as_text=True)


def test_no_reminder_before_it_is_due(poll_id, electorate, ctx):
    assert remind_voters(REMINDER_DUE - timedelta(minutes=1)) == 0
    assert outbox("vote_reminder") == []


def test_the_reminder_goes_once_to_electors_who_have_not_voted_or_declared_a_connection(poll_id, electorate, ctx):
    vote(poll_id, electorate["Pat Barnsley"], "support")
    poll_voting.declare(actor=load(electorate["Bo Staff"]), poll_id=poll_id, interest="Trustee", now=NOW)
    poll_voting.declare(actor=load(electorate["Cy Staff"]), poll_id=poll_id, interest=None, now=NOW)
    choose(electorate["Di Community"], "vote_reminder", "never")
    assert remind_voters(REMINDER_DUE) == 4
    assert names("vote_reminder") == ["Ash Carer", "Cy Staff", "Ed Community", "Flo Chair"]
    assert remind_voters(REMINDER_DUE + timedelta(hours=1)) == 0
    assert len(outbox("vote_reminder")) == 4
    message = outbox("vote_reminder")[0]
    assert message.subject == "Reminder: the vote on Memory group at the stadium closes soon"
    assert "You are a member of the Barnsley collective who may vote on this bid" in message.text_body
    assert link_paths(message) == [f"/polls/{poll_id}"]


def test_no_reminder_to_a_member_whose_membership_has_ended(poll_id, world, electorate, ctx):
    ed = membership.membership_of(user=load(electorate["Ed Community"]), collective=membership.get_collective("barnsley"),
                                  day=NOW.date())
    membership.end_membership(actor=load(world.coordinator), membership=ed, ended_on=REMINDER_DUE.date())
    remind_voters(REMINDER_DUE)
    assert "Ed Community" not in names("vote_reminder")


def test_a_short_window_is_reminded_half_way_through(app, world, open_poll, electorate, ctx):
    rule_sets.set_rules(actor=load(world.coordinator), collective=membership.get_collective("barnsley"),
                        rules=RuleSet(min_window_hours=24), effective_from=date(2026, 6, 15), now=NOW)
    open_poll(closes_at=NOW + timedelta(hours=36))
    assert remind_voters(NOW + timedelta(hours=17, minutes=59)) == 0
    assert remind_voters(NOW + timedelta(hours=18)) == 7


def test_no_reminder_once_the_vote_has_closed(poll_id, electorate, ctx):
    assert remind_voters(CLOSES) == 0


def test_the_worker_runs_the_reminders_and_closes_due_votes(app):
    assert {"collectives.vote_reminders", "collectives.close_due_votes"} <= set(registered_sweeps())
