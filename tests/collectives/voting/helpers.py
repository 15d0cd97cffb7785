"""Helpers for the vote tests: the Barnsley electorate the `electorate` fixture
(tests/collectives/conftest.py) makes, reading a poll back, and voting as a member."""
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from brokerage.accounts.models import User
from brokerage.collectives.voting import ballots as poll_voting, access as polls
from brokerage.collectives.voting.rules import Choice
from brokerage.collectives.models import Constituency as K
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


def get_poll(poll_id: int) -> Poll:
    db.session.expire_all()
    return db.session.get(Poll, poll_id)


def vote(poll_id: int, user, choice: str, now=NOW, comment: str = "", declare: bool = True):
    """Declare no interest (unless told not to) and vote, as the member themself."""
    actor = load(user)
    poll = get_poll(poll_id)
    elector = polls.elector_of(poll, actor)
    if declare and elector is not None and elector.declaration is None:
        poll_voting.declare(actor=actor, poll_id=poll.id, interest=None, now=now)
    return poll_voting.cast_vote(actor=actor, poll_id=poll_id, ballot=Ballot(Choice(choice), comment), now=now)


def user_named(name: str) -> User:
    return db.session.scalar(select(User).where(User.name == name))
