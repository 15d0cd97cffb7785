"""Who may see which impact report: coordinators every one (and the index of them); the people
who run a partner's or a project's stories that partner's or project's report."""

from ...accounts.models import User
from ...directory.listings.models import Activity
from ...errors import PermissionDenied
from ...partners.access import can_edit_partner
from ...partners.models import Partner
from ..stories.access import can_manage_stories
from .scopes import Scope


def can_see_report(user: User | None, scope: Scope) -> bool:
    """Coordinators see every report; the people who run a partner's or a project's stories
    (stories/access.py) see that partner's or project's report; nobody else."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_coordinator:
        return True
    if isinstance(scope.subject, Activity):
        return can_manage_stories(user, scope.subject)
    if isinstance(scope.subject, Partner):
        return can_edit_partner(user, scope.subject)
    return False


def require_report(user: User | None, scope: Scope) -> None:
    if not can_see_report(user, scope):
        raise PermissionDenied()


def can_see_every_report(user: User | None) -> bool:
    """The index of impact reports and the report over every locality: coordinators."""
    return user is not None and user.is_authenticated and user.is_coordinator
