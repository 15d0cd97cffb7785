"""Who may record wellbeing measures for a project and see its results: coordinators, champions,
and the activity's editors (directory permissions). The anonymous item-score CSV is for coordinators."""
from ..accounts.models import User
from ..accounts.roles import Role
from ..directory.activity_models import Activity
from ..directory.permissions import can_edit_activity
from ..errors import PermissionDenied


def can_record(user: User, activity: Activity) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.has_any_role({Role.COORDINATOR, Role.CHAMPION}) or can_edit_activity(user, activity)


def require_record(user: User, activity: Activity) -> None:
    if not can_record(user, activity):
        raise PermissionDenied()


def require_export(user: User) -> None:
    if user is None or not user.is_authenticated or not user.is_coordinator:
        raise PermissionDenied()
