"""Helpers for the bid tests: fixed moments, a bid's details, the `World` the `world` fixture
(tests/collectives/conftest.py) makes, and reading rows back."""
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone

from sqlalchemy import select

from brokerage.accounts.models import User
from brokerage.collectives.bids.models import Bid
from brokerage.collectives.bids.services import BidDetails, LineDetails
from brokerage.core.data.models import Locality
from brokerage.extensions import db

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)
TODAY = date(2026, 6, 15)


def load(user) -> User:
    return db.session.get(User, user.id)


def locality_id(slug: str) -> int:
    return db.session.scalar(select(Locality.id).where(Locality.slug == slug))


def bid_details(slug: str = "barnsley", **overrides) -> BidDetails:
    values = dict(title="Memory group at the stadium", summary="A weekly memory group for people with dementia.",
                  who_for="People living with dementia and their carers.", how_reached="Memory clinic referrals.",
                  locality_id=locality_id(slug), start_on=date(2026, 9, 1), end_on=date(2027, 8, 31),
                  expected_participants=20, total_cost_pence=1_000_000, requested_pence=400_000)
    return replace(BidDetails(**values), **overrides)


@dataclass
class World:
    coordinator: User
    reds: int  # partner in Barnsley with an active agreement
    cafe: int  # partner in Calderdale with no agreement
    reds_contact: User
    cafe_contact: User
    barnsley_member: User
    calderdale_member: User
    champion: User


CONFIRMED_LINE = LineDetails(source="Club foundation", amount_pence=600_000, status="confirmed",
                             evidence="Letter of 1 May 2026")


def get_bid(bid_id: int) -> Bid:
    db.session.expire_all()
    return db.session.get(Bid, bid_id)
