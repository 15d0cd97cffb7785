"""Who may see and decide applications to become a partner: coordinators. Anyone may apply."""

from ...core.values.roles import Role


def may_review_applications(user) -> bool:
    return user is not None and user.is_authenticated and user.has_role(Role.COORDINATOR)
