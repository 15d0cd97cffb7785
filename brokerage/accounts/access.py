"""Who may do what with accounts: one function per action, for services, views and templates."""

from ..core.values.roles import Role


def may_manage_accounts(user) -> bool:
    """Coordinators invite people, issue set-password links, and change roles, details and activation."""
    return user is not None and user.is_authenticated and user.has_role(Role.COORDINATOR)


def may_deactivate(actor, user) -> bool:
    """A coordinator deactivates anyone's account but their own."""
    return may_manage_accounts(actor) and user.id != actor.id
