"""Who may see a locality's gaps: coordinators, the collective's members (while their
membership runs) and the champions who work in that locality."""

from datetime import date

from sqlalchemy import select

from ...accounts.models import User
from ...collectives.members.membership import membership_of
from ...collectives.models import Collective
from ...core.values.roles import Role
from ...extensions import db
from ...partners.models import ChampionProfile

GAPS_ROLES = (Role.COORDINATOR, Role.COLLECTIVE_MEMBER, Role.CHAMPION)


def _champion_here(user: User, collective: Collective) -> bool:
    profile = db.session.scalar(select(ChampionProfile).where(ChampionProfile.user_id == user.id))
    return profile is not None and collective.locality_id in {locality.id for locality in profile.localities}


def may_see_gaps(user: User, collective: Collective, day: date) -> bool:
    if user.is_coordinator:
        return True
    if user.has_role(Role.COLLECTIVE_MEMBER) and membership_of(user=user, collective=collective, day=day):
        return True
    return user.has_role(Role.CHAMPION) and _champion_here(user, collective)


def collectives_with_gaps_for(user: User, collectives: list[Collective], day: date) -> list[Collective]:
    """The collectives whose gaps `user` may see, of those given."""
    return [collective for collective in collectives if may_see_gaps(user, collective, day)]
