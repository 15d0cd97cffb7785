"""Who may see and do what about a collective's members (who may decide join requests is
`membership.can_manage`: coordinators and the collective's chairs, and
`membership.may_decide_request`: never their own)."""

from ...accounts.models import User


def sees_every_constituency(viewer: User) -> bool:
    """Coordinators see the constituency of every member and of everyone asking to join."""
    return viewer.is_coordinator


def sees_constituency(viewer: User, user_id: int) -> bool:
    """A person's constituency is seen only by coordinators and by that person."""
    return sees_every_constituency(viewer) or viewer.id == user_id


def can_set_roles(viewer: User) -> bool:
    """Coordinators make a member a chair, or a chair a member."""
    return viewer.is_coordinator
