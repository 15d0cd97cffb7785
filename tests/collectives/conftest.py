"""Fixtures for every collectives test (sub-folders inherit them): the four collectives, a funded
fund and members of a collective; the bids' `world` (two partners in two localities, their
contacts, members of each collective, a funded Barnsley fund) and `make_bid`; the votes'
`electorate` (a Barnsley electorate of six with known constituencies), `open_poll`, `poll_id`
and `ctx`. Plain helpers are in bids/helpers.py, voting/helpers.py and grants/helpers.py."""
from datetime import date

import pytest
from sqlalchemy import select

from brokerage.accounts.models import User
from brokerage.core.values.roles import Role
from brokerage.collectives.bids import services as bid_services, moves as bid_workflow
from brokerage.collectives.bids.models import Bid
from brokerage.collectives.money import services as funds
from brokerage.collectives.members import membership
from brokerage.collectives.models import Collective, Constituency, MemberRole
from brokerage.collectives.models import Constituency as K
from brokerage.collectives.voting import opening as poll_opening
from brokerage.core.data.models import Locality
from brokerage.extensions import db
from brokerage.partners.people import services as contacts
from brokerage.partners.organisations import services as partner_services
from brokerage.partners.agreements.rules import AgreementTerms
from brokerage.partners.agreements.services import save_agreement

from .bids.helpers import CONFIRMED_LINE, NOW, TODAY, World, bid_details, locality_id
from .voting.helpers import CLOSES, MEMBERS, Electorate

YEAR = 2026  # fixed_now is 15 June 2026: financial year 2026-27
JOINED = date(2026, 5, 1)


@pytest.fixture
def collectives(app):
    with app.app_context():
        membership.ensure_collectives()
    return ["barnsley", "calderdale", "kirklees", "wakefield"]


def collective(slug: str) -> Collective:
    return membership.get_collective(slug)


def load(user) -> User:
    return db.session.get(User, user.id)


@pytest.fixture
def add_member(app, collectives):
    """add_member(user, "barnsley", Constituency.CARER, MemberRole.CHAIR) through the service."""
    def add(user, slug: str = "barnsley", constituency: Constituency = Constituency.LIVED_EXPERIENCE,
            role: MemberRole = MemberRole.MEMBER):
        with app.app_context():
            created = membership.add_member(actor=None, collective=collective(slug), user=load(user),
                                            constituency=constituency, role=role, active_from=JOINED)
            return created.id
    return add


@pytest.fixture
def funded(app, make_user, collectives):
    """funded(pence, slug="barnsley") -> the fund id, allocated by a coordinator."""
    boss = make_user(Role.COORDINATOR, name="Fund Keeper")

    def fund(pence: int, slug: str = "barnsley") -> int:
        with app.app_context():
            locality = db.session.scalar(select(Locality).where(Locality.slug == slug))
            entry = funds.allocate_for_year(actor=load(boss), locality=locality, start_year=YEAR,
                                            current_year=YEAR, amount_pence=pence, note="Trust share")
            return entry.fund_id
    return fund


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
