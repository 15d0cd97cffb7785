"""One current vote per member per poll under real concurrency (security.md row 12, scaled
down): 20 members each send the same vote 4 times at once -> exactly 20 current votes, no errors."""
import threading
from datetime import timedelta

from sqlalchemy import func, select

from brokerage.accounts.roles import Role
from brokerage.collectives import bid_services, bid_workflow, poll_voting, polls
from brokerage.collectives.decision_rules import Choice
from brokerage.collectives.models import Constituency
from brokerage.collectives.poll_models import Vote
from brokerage.collectives.poll_voting import Ballot
from brokerage.extensions import db
from brokerage.partners import services as partner_services

from .bid_fixtures import CONFIRMED_LINE, NOW, bid_details, get_bid, load, world  # noqa: F401
from .poll_fixtures import get_poll

VOTERS, REPEATS, BYSTANDERS = 20, 4, 4


def _open_poll(world) -> int:
    contact, boss = load(world.reds_contact), load(world.coordinator)
    bid = bid_services.create_draft(actor=contact, partner=partner_services.get_partner(world.reds),
                                    details=bid_details(), now=NOW)
    bid_services.add_line(actor=contact, bid=bid, line=CONFIRMED_LINE, now=NOW)
    bid_workflow.submit(actor=contact, bid=bid, now=NOW)
    bid_workflow.pick_up(actor=boss, bid=bid, now=NOW)
    bid_workflow.mark_ready_for_vote(actor=boss, bid=bid, now=NOW)
    return polls.open_vote(actor=boss, bid=get_bid(bid.id), closes_at=NOW + timedelta(days=3), now=NOW).id


def test_concurrent_duplicate_votes_leave_exactly_one_current_vote_each(app, world, make_user, add_member):
    voters = [make_user(Role.COLLECTIVE_MEMBER, name=f"Voter {n}") for n in range(VOTERS - 1)]
    for voter in voters:
        add_member(voter, "barnsley", Constituency.CARER)
    voters.append(world.barnsley_member)
    for n in range(BYSTANDERS):  # members who have not voted keep the tied poll open
        add_member(make_user(Role.COLLECTIVE_MEMBER, name=f"Bystander {n}"), "barnsley", Constituency.COMMUNITY)
    with app.app_context():
        poll_id = _open_poll(world)
        for voter in voters:
            poll_voting.declare(actor=load(voter), poll=get_poll(poll_id), interest=None, now=NOW)

    barrier = threading.Barrier(VOTERS * REPEATS)
    errors: list[BaseException] = []

    def cast(user_id: int, choice: Choice) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                actor = db.session.get(type(world.coordinator), user_id)
                poll_voting.cast_vote(actor=actor, poll=polls.get_poll(poll_id), ballot=Ballot(choice),
                                      now=NOW + timedelta(minutes=1))
            except BaseException as error:  # noqa: BLE001  (collected and asserted below)
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=cast, args=(voter.id, Choice.SUPPORT if index % 2 else Choice.OPPOSE))
               for index, voter in enumerate(voters) for _ in range(REPEATS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    with app.app_context():
        current = db.session.scalar(select(func.count()).select_from(Vote).where(Vote.poll_id == poll_id,
                                                                              Vote.is_current))
        total = db.session.scalar(select(func.count()).select_from(Vote).where(Vote.poll_id == poll_id))
        assert (current, total) == (VOTERS, VOTERS * REPEATS)
        assert get_poll(poll_id).is_open
