"""Who may record wellbeing measures for a project and see its results: coordinators, and the
people who run the activity (directory permissions: the champions linked to its partner or
supporting its group, the partner's contacts, the group's officers). Being a champion is not
enough: a champion works with the projects they support, as everywhere else in the app. The
anonymous item-score CSV is for coordinators."""

from ...accounts.models import User
from ...directory.listings.access import can_edit_activity
from ...directory.listings.models import Activity
from ...errors import PermissionDenied


def can_record(user: User, activity: Activity) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_coordinator or can_edit_activity(user, activity)


def require_record(user: User, activity: Activity) -> None:
    if not can_record(user, activity):
        raise PermissionDenied()


def can_export(user: User) -> bool:
    """The anonymous item scores as CSV: coordinators."""
    return user is not None and user.is_authenticated and user.is_coordinator


def require_export(user: User) -> None:
    if not can_export(user):
        raise PermissionDenied()
