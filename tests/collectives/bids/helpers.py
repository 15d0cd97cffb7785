"""Fixtures for bids, made through the services: two partners in two localities, their
contacts, members of each collective, a funded Barnsley fund. Import the fixtures by name."""
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from brokerage.accounts.models import User
from brokerage.accounts.roles import Role
from brokerage.collectives.bids import services as bid_services, lifecycle as bid_workflow
from brokerage.collectives.bids.models import Bid
from brokerage.collectives.bids.services import BidDetails, LineDetails
from brokerage.core.models import Locality
from brokerage.extensions import db
from brokerage.partners import contacts, services as partner_services
from brokerage.partners.agreements import AgreementTerms, save_agreement

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


@pytest.fixture
def world(app, make_user, collectives, add_member, funded) -> World:
    coordinator = make_user(Role.COORDINATOR, name="Casey Coordinator", email="casey@example.org")
    people = dict(reds_contact=make_user(Role.PARTNER_CONTACT, name="Lee Reds", email="lee@example.org"),
                  cafe_contact=make_user(Role.PARTNER_CONTACT, name="Mel Cafe", email="mel@example.org"),
                  barnsley_member=make_user(Role.COLLECTIVE_MEMBER, name="Pat Barnsley", email="pat@example.org"),
                  calderdale_member=make_user(Role.COLLECTIVE_MEMBER, name="Jo Calder", email="jo@example.org"),
                  champion=make_user(Role.CHAMPION, name="Dee Champion", email="dee@example.org"))
    add_member(people["barnsley_member"], "barnsley")
    add_member(people["calderdale_member"], "calderdale")
    funded(5_000_000, "barnsley")
    with app.app_context():
        actor = load(coordinator)
        reds = partner_services.create_partner(actor=actor, details=partner_services.PartnerDetails(
            name="Reds in the Community", type="informal_group", locality_ids=[locality_id("barnsley")]))
        save_agreement(actor=actor, partner=reds, today=TODAY, terms=AgreementTerms(
            signed_on=date(2026, 1, 10), expires_on=date(2028, 1, 9), insurance_expires_on=date(2027, 3, 31),
            safeguarding_reviewed_on=date(2026, 5, 1)))
        cafe = partner_services.create_partner(actor=actor, details=partner_services.PartnerDetails(
            name="Halifax Arts Cafe", type="informal_group", locality_ids=[locality_id("calderdale")]))
        contacts.link_account(actor=actor, partner=reds, user=load(people["reds_contact"]))
        contacts.link_account(actor=actor, partner=cafe, user=load(people["cafe_contact"]))
        return World(coordinator=coordinator, reds=reds.id, cafe=cafe.id, **people)


CONFIRMED_LINE = LineDetails(source="Club foundation", amount_pence=600_000, status="confirmed",
                             evidence="Letter of 1 May 2026")


@pytest.fixture
def make_bid(app, world):
    """make_bid(status="submitted", lines=[LineDetails...], **details) -> the bid id, moved through the workflow."""
    def make(status: str = "draft", lines=(CONFIRMED_LINE,), partner: str = "reds", slug: str = "barnsley",
             **overrides) -> int:
        with app.app_context():
            contact = load(world.reds_contact if partner == "reds" else world.cafe_contact)
            boss = load(world.coordinator)
            owner = partner_services.get_partner(getattr(world, partner))
            bid = bid_services.create_draft(actor=contact, partner=owner, details=bid_details(slug, **overrides),
                                            now=NOW)
            for line in lines:
                bid_services.add_line(actor=contact, bid=bid, line=line, now=NOW)
            steps = {"submitted": ["submit"], "screening": ["submit", "pick_up"],
                     "returned": ["submit", "pick_up", "return"], "ready_for_vote": ["submit", "pick_up", "ready"],
                     "withdrawn": ["withdraw"]}.get(status, [])
            for step in steps:
                _step(step, bid, contact, boss)
            return bid.id
    return make


def _step(step: str, bid: Bid, contact: User, boss: User) -> None:
    if step == "submit":
        bid_workflow.submit(actor=contact, bid=bid, now=NOW)
    elif step == "pick_up":
        bid_workflow.pick_up(actor=boss, bid=bid, now=NOW)
    elif step == "return":
        bid_workflow.return_for_changes(actor=boss, bid=bid, message="Please confirm the venue.", now=NOW)
    elif step == "ready":
        bid_workflow.mark_ready_for_vote(actor=boss, bid=bid, now=NOW)
    elif step == "withdraw":
        bid_workflow.withdraw(actor=contact, bid=bid, now=NOW)


def get_bid(bid_id: int) -> Bid:
    db.session.expire_all()
    return db.session.get(Bid, bid_id)
