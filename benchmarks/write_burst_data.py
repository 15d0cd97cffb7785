"""The data write_burst.py needs, made through the services: a coordinator, a partner, a
£50,000 Barnsley fund with one member to vote, 200 bids ready for a vote (each a £1,000
award), a few Calderdale bids (half of them fundable) to warm the workers up with, and an
open Wakefield poll with 50 voters (who have declared no interest) and some members who
never vote, so the poll cannot close early while the burst runs."""
from datetime import timedelta

from sqlalchemy import select

from brokerage.accounts import services as accounts
from brokerage.core.values.roles import Role
from brokerage.collectives.bids import services as bid_services, moves as bid_workflow
from brokerage.collectives.money import services as funds
from brokerage.collectives.members import membership
from brokerage.collectives.voting import opening as poll_opening, ballots as poll_voting, access as polls
from brokerage.collectives.bids.services import BidDetails, LineDetails
from brokerage.collectives.models import Constituency
from brokerage.core.data.models import Locality
from brokerage.core.values.timeutils import financial_year_start, london_today, utcnow
from brokerage.extensions import db
from brokerage.partners.organisations import services as partners
from brokerage.seeding import seed_localities


def _locality(slug: str) -> Locality:
    return db.session.scalar(select(Locality).where(Locality.slug == slug))


def _ready_bid(boss, partner, locality: Locality, award: int, number: int, now):
    start = london_today(now) + timedelta(days=30)
    bid = bid_services.create_draft(actor=boss, partner=partner, now=now, details=BidDetails(
        title=f"Burst bid {number}", summary="A benchmark bid.", who_for="Benchmark participants.",
        how_reached="Benchmark referrals.", locality_id=locality.id, start_on=start, end_on=start + timedelta(days=90),
        expected_participants=10, total_cost_pence=2 * award, requested_pence=award))
    bid_services.add_line(actor=boss, bid=bid, now=now, line=LineDetails(
        source="Benchmark trust", amount_pence=award, status="confirmed", evidence="Letter"))
    for move in (bid_workflow.submit, bid_workflow.pick_up, bid_workflow.mark_ready_for_vote):
        move(actor=boss, bid=bid, now=now)
    return bid


def _member(email: str, slug: str, constituency: Constituency, password: str):
    user = accounts.create_user(actor=None, email=email, name=email.split("@")[0], roles=[Role.COLLECTIVE_MEMBER],
                                password=password)
    membership.add_member(actor=None, collective=membership.get_collective(slug), user=user,
                          constituency=constituency, active_from=london_today() - timedelta(days=30))
    return user


def _fund(boss, slug: str, amount: int) -> int:
    year = financial_year_start(london_today())
    return funds.allocate_for_year(actor=boss, locality=_locality(slug), start_year=year, current_year=year,
                                   amount_pence=amount).fund_id


def _w2_poll(boss, partner, voters: int, bystanders: int, password: str, now) -> tuple[int, list]:
    kinds = [Constituency.LIVED_EXPERIENCE, Constituency.CARER, Constituency.COMMUNITY]
    people = [_member(f"voter{n}@burst.example", "wakefield", kinds[n % 3], password) for n in range(voters)]
    for n in range(bystanders):
        _member(f"bystander{n}@burst.example", "wakefield", Constituency.COMMUNITY, password)
    _fund(boss, "wakefield", 1_000_000)
    bid = _ready_bid(boss, partner, _locality("wakefield"), 100_000, 0, now)
    poll = poll_opening.open_vote(actor=boss, bid=bid, closes_at=now + timedelta(days=3), now=now)
    for person in people:
        poll_voting.declare(actor=person, poll_id=poll.id, interest=None, now=now)
    # Half support, half oppose: with the bystanders still to vote the outcome is never settled.
    return poll.id, [(person.email, "support" if n % 2 else "oppose") for n, person in enumerate(people)]


def _warm_up_bids(boss, partner, count: int, award: int, password: str, now) -> list[int]:
    _member("calderdale.voter@burst.example", "calderdale", Constituency.CARER, password)
    _fund(boss, "calderdale", award * count // 2)
    return [_ready_bid(boss, partner, _locality("calderdale"), award, 1000 + n, now).id for n in range(count)]


def build(*, password: str, bids: int, fund: int, award: int, voters: int, bystanders: int,
          warm_up: int = 0) -> dict:
    seed_localities()
    membership.ensure_collectives()
    now = utcnow()
    boss = accounts.create_user(actor=None, email="boss@burst.example", name="Burst Coordinator",
                                roles=[Role.COORDINATOR], password=password)
    partner = partners.create_partner(actor=boss, details=partners.PartnerDetails(
        name="Burst Partner", type="informal_group",
        locality_ids=[_locality(slug).id for slug in ("barnsley", "calderdale", "wakefield")]))
    _member("barnsley.voter@burst.example", "barnsley", Constituency.CARER, password)
    fund_id = _fund(boss, "barnsley", fund)
    bid_ids = [_ready_bid(boss, partner, _locality("barnsley"), award, n + 1, now).id for n in range(bids)]
    warm_up_ids = _warm_up_bids(boss, partner, warm_up, award, password, now) if warm_up else []
    poll_id, ballots = _w2_poll(boss, partner, voters, bystanders, password, now)
    return {"coordinator": boss.email, "bids": bid_ids, "fund": fund_id, "poll": poll_id, "voters": ballots,
            "warm_up_bids": warm_up_ids}
