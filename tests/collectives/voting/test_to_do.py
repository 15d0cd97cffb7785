"""The to-do list on the starting page and on "Your bids": votes to cast (for electors still to
vote), bids returned for changes and bids with the members' questions to answer (for the
partner's people), and nothing for anyone else."""
from datetime import timedelta

from brokerage.collectives.voting import ballots as poll_voting, closing

from ..bids.helpers import NOW, load
from .helpers import CLOSES, get_poll, vote

TITLE = "Memory group at the stadium"


def _page(auth, user, path="/dashboard") -> str:
    auth.login(user)
    response = auth.client.get(path)
    assert response.status_code == 200
    auth.logout()
    return response.get_data(as_text=True)


def test_an_elector_sees_the_vote_to_cast_with_its_closing_time_and_link(poll_id, electorate, auth, fixed_now):
    fixed_now(NOW + timedelta(hours=1))
    page = _page(auth, electorate["Ash Carer"])
    assert "To do" in page and f'href="/polls/{poll_id}">Vote on {TITLE}</a>' in page
    assert "closes Thu 18 Jun 2026, 1:00pm" in page and "First, answer the question about connections" in page


def test_the_vote_leaves_the_list_once_cast_or_recused(poll_id, electorate, auth, app, fixed_now):
    fixed_now(NOW + timedelta(hours=1))
    with app.app_context():
        vote(poll_id, electorate["Ash Carer"], "support")
        poll_voting.declare(actor=load(electorate["Bo Staff"]), poll_id=poll_id, interest="Trustee", now=NOW)
    for name in ("Ash Carer", "Bo Staff"):
        assert f"Vote on {TITLE}" not in _page(auth, electorate[name])


def test_people_outside_the_electorate_have_nothing_to_do(poll_id, world, auth, fixed_now):
    fixed_now(NOW + timedelta(hours=1))
    for person in (world.calderdale_member, world.cafe_contact, world.champion):
        assert 'id="to-do-heading"' not in _page(auth, person)


def test_the_partner_sees_a_bid_returned_for_changes_on_the_dashboard_and_your_bids(world, make_bid, auth):
    bid_id = make_bid(status="returned")
    for path in ("/dashboard", "/bids/yours"):
        assert f'href="/bids/{bid_id}">Change {TITLE}</a>' in _page(auth, world.reds_contact, path)
    assert f"Change {TITLE}" not in _page(auth, world.cafe_contact, "/bids/yours")


def test_the_partner_sees_the_members_questions_to_answer_until_the_vote_opens_again(
        poll_id, world, electorate, auth, app):
    with app.app_context():
        vote(poll_id, electorate["Pat Barnsley"], "support", comment="Who runs the sessions?")
        closing.close_if_due(poll=get_poll(poll_id), now=CLOSES + timedelta(minutes=1))
        bid_id = get_poll(poll_id).bid_id
    page = _page(auth, world.reds_contact)
    assert f'href="/polls/{poll_id}/answers">Answer the members\' questions about {TITLE}</a>' in page
    assert bid_id
    assert "the Barnsley collective deferred its decision" in page
    assert "Answer the members" not in _page(auth, electorate["Ash Carer"])
