"""Fixtures for collectives: the four collectives, a funded fund, and members of a collective."""
from datetime import date

import pytest
from sqlalchemy import select

from brokerage.accounts.models import User
from brokerage.accounts.roles import Role
from brokerage.collectives.money import services as funds
from brokerage.collectives.members import membership
from brokerage.collectives.models import Collective, Constituency, MemberRole
from brokerage.core.models import Locality
from brokerage.extensions import db

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
