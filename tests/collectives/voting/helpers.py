"""Fixtures for votes: a Barnsley electorate of six with known constituencies, and a poll
opened on a bid ready for a vote. Import the fixtures by name (with those of bid_fixtures)."""
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from brokerage.accounts.models import User
from brokerage.accounts.roles import Role
from brokerage.collectives.voting import opening as poll_opening, ballots as poll_voting, polls
from brokerage.collectives.bids.models import Bid
from brokerage.collectives.voting.rules import Choice
from brokerage.collectives.models import Constituency as K
from brokerage.collectives.models import MemberRole
from brokerage.collectives.voting.models import Poll
from brokerage.collectives.voting.ballots import Ballot
from brokerage.extensions import db

from ..bids.helpers import NOW, load

CLOSES = NOW + timedelta(days=3)
# name -> constituency; "Pat Barnsley" (lived experience) is the world's member already.
MEMBERS = {"Ash Carer": K.CARER, "Bo Staff": K.TRUST_STAFF, "Cy Staff": K.TRUST_STAFF,
           "Di Community": K.COMMUNITY, "Ed Community": K.COMMUNITY}


@dataclass
class Electorate:
    people: dict[str, User]  # everyone in the Barnsley electorate, by name
    chair: User

    def __getitem__(self, name: str) -> User:
        return self.people[name]


@pytest.fixture
def electorate(app, world, make_user, add_member) -> Electorate:
    people = {"Pat Barnsley": world.barnsley_member}
    for name, constituency in MEMBERS.items():
        people[name] = make_user(Role.COLLECTIVE_MEMBER, name=name)
        add_member(people[name], "barnsley", constituency)
    chair = make_user(Role.COLLECTIVE_MEMBER, name="Flo Chair")
    add_member(chair, "barnsley", K.COMMUNITY, MemberRole.CHAIR)
    people["Flo Chair"] = chair
    return Electorate(people=people, chair=chair)


@pytest.fixture
def open_poll(app, world, electorate, make_bid):
    """open_poll(**bid overrides) -> the poll id of a vote opened now on a new ready bid."""
    def make(closes_at=CLOSES, **overrides) -> int:
        bid_id = make_bid(status="ready_for_vote", **overrides)
        with app.app_context():
            poll = poll_opening.open_vote(actor=load(world.coordinator), bid=db.session.get(Bid, bid_id),
                                   closes_at=closes_at, now=NOW)
            return poll.id
    return make


@pytest.fixture
def poll_id(open_poll) -> int:
    """A vote opened now on a new ready bid (request it before `ctx`)."""
    return open_poll()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def get_poll(poll_id: int) -> Poll:
    db.session.expire_all()
    return db.session.get(Poll, poll_id)


def vote(poll_id: int, user, choice: str, now=NOW, comment: str = "", declare: bool = True):
    """Declare no interest (unless told not to) and vote, as the member themself."""
    actor = load(user)
    poll = get_poll(poll_id)
    elector = polls.elector_of(poll, actor)
    if declare and elector is not None and elector.declaration is None:
        poll_voting.declare(actor=actor, poll=poll, interest=None, now=now)
    return poll_voting.cast_vote(actor=actor, poll=get_poll(poll_id), ballot=Ballot(Choice(choice), comment), now=now)


def user_named(name: str) -> User:
    return db.session.scalar(select(User).where(User.name == name))
