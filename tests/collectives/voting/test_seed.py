"""The demo vote that is open now: a Kirklees member can declare an interest (or none) and
vote, and the decision lands in the same sitting; safe to load twice."""
from datetime import timedelta

from sqlalchemy import func, select

from brokerage.collectives.voting import closing as poll_closing, ballots as poll_voting, access as polls
from brokerage.collectives.grants.seed import seed_awards
from brokerage.collectives.bids.models import Bid
from brokerage.collectives.bids.lifecycle import BidStatus
from brokerage.collectives.bids.seed import seed_bids, seed_user
from brokerage.collectives.voting.rules import Choice
from brokerage.collectives.voting.models import Poll, PollStatus
from brokerage.collectives.voting.ballots import Ballot
from brokerage.collectives.seed import seed_collectives
from brokerage.collectives.voting.seed import seed_open_votes
from brokerage.extensions import db
from brokerage.partners.seed import seed_partners
from brokerage.seeding import SEED_DIR, seed_demo_users

from ..bids.helpers import NOW  # fixed_now's moment

KIRKLEES = "{}@demo.creativeminds.example"


def _load_demo() -> None:
    seed_demo_users(SEED_DIR)
    seed_partners(SEED_DIR)
    seed_collectives(SEED_DIR)
    seed_bids(SEED_DIR)
    seed_awards(SEED_DIR)
    seed_open_votes(SEED_DIR)
    seed_open_votes(SEED_DIR)


def _vote(name: str, choice: Choice, poll_id: int, interest: str | None = None) -> None:
    member = seed_user(KIRKLEES.format(name))
    poll_voting.declare(actor=member, poll_id=poll_id, interest=interest, now=NOW)
    if interest is None:
        poll_voting.cast_vote(actor=member, poll_id=poll_id, ballot=Ballot(choice, ""), now=NOW)


def test_the_demo_has_a_vote_open_now_that_members_can_finish(app, fixed_now):
    with app.app_context():
        _load_demo()
        [poll] = db.session.scalars(select(Poll).where(Poll.status == PollStatus.OPEN.value)).all()
        assert poll.bid.state is BidStatus.OPEN_FOR_VOTE and poll.closes_at > NOW + timedelta(days=3)
        assert db.session.scalar(select(func.count()).select_from(Bid).where(
            Bid.title == "Singing for breathing and wellbeing")) == 1
        chair = polls.elector_of(poll, seed_user(KIRKLEES.format("kirklees.member")))
        assert chair.flagged  # her register of interests names the choir
        assert not poll_closing.close_if_due(poll=poll, now=NOW)  # viewing it changes nothing
        _vote("kirklees.member", Choice.ABSTAIN, poll.id, interest="I sing in the choir.")
        _vote("kirklees.lived", Choice.SUPPORT, poll.id)
        assert polls.get_poll(poll.id).is_open
        _vote("kirklees.carer", Choice.SUPPORT, poll.id)
        db.session.expire_all()
        decided = polls.get_poll(poll.id)
        assert (decided.status, decided.outcome) == ("closed", "approved")
        assert decided.bid.state is BidStatus.APPROVED
