"""The calls tests' world: the bids' `world` (tests/collectives/conftest.py) with a chair of the
Barnsley collective and the champion's profile naming Barnsley."""
import pytest

from brokerage.collectives.models import MemberRole
from brokerage.core.values.roles import Role
from brokerage.partners.champions import services as champions

from ..bids.helpers import load, locality_id


@pytest.fixture
def chair(app, make_user, add_member, world):
    user = make_user(Role.COLLECTIVE_MEMBER, name="Chris Chair", email="chris@example.org")
    add_member(user, "barnsley", role=MemberRole.CHAIR)
    return user


@pytest.fixture
def champion_in_barnsley(app, world):
    with app.app_context():
        champions.update_profile(actor=load(world.coordinator), champion=load(world.champion),
                                 details=champions.ChampionDetails(locality_ids=[locality_id("barnsley")]))
    return world.champion
