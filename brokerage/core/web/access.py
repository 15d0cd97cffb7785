"""Access control in one place: every view declares who may use it, and one hook enforces it.

Deny by default: a view with no declared rule answers 403, and `check_every_view_has_a_rule`
refuses to start an app that has one. Object-level checks (this partner, this bid) live in
the services, which raise PermissionDenied.
"""

from dataclasses import dataclass
from functools import wraps

from flask import Flask, abort, current_app, request
from flask_login import current_user

from ...extensions import login_manager
from ..values.roles import SCOPED_ROLES, Role, is_scoped


@dataclass(frozen=True)
class AccessRule:
    public: bool = False
    roles: frozenset[Role] = frozenset()  # empty: any signed-in user
    scoped_too: bool = False  # also open to scoped accounts (roles.SCOPED_ROLES); the view checks the object

    def describe(self) -> str:
        if self.public:
            return "public"
        who = "signed in" if not self.roles else "roles: " + ", ".join(sorted(self.roles))
        return who + (", scoped accounts too" if self.scoped_too else "")


def _declare(rule: AccessRule):
    def decorator(view):
        view.access_rule = rule
        return view

    return decorator


public = _declare(AccessRule(public=True))
signed_in = _declare(AccessRule())
# Any signed-in user, scoped accounts included: their own account pages, and pages whose service
# checks that the record is theirs (a group organiser's own group).
signed_in_scoped_too = _declare(AccessRule(scoped_too=True))


def roles_required(*roles: Role):
    """Only users holding at least one of `roles` (coordinators are not implied: list them). Naming a
    scoped role opens the view to its accounts."""
    return _declare(AccessRule(roles=frozenset(roles), scoped_too=bool(SCOPED_ROLES.intersection(roles))))


def access_rule_for(app: Flask, endpoint: str | None) -> AccessRule | None:
    view = app.view_functions.get(endpoint or "")
    return getattr(view, "access_rule", None)


def enforce_access():
    """before_request hook: apply the endpoint's declared rule."""
    if request.endpoint is None:  # no route matched: let the 404/405 handlers answer
        return None
    rule = access_rule_for(current_app, request.endpoint)
    if rule is None:
        current_app.logger.error("view %s declares no access rule: denied", request.endpoint)
        abort(403)
    if rule.public:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if rule.roles and not current_user.has_any_role(rule.roles):
        abort(403)
    if is_scoped(current_user) and not rule.scoped_too:
        abort(403)  # deny by default: a scoped account reaches only the pages declared for it
    return None


def check_every_view_has_a_rule(app: Flask) -> None:
    missing = [name for name, view in app.view_functions.items() if not hasattr(view, "access_rule")]
    if missing:
        raise RuntimeError(f"views without an access rule: {', '.join(sorted(missing))}")


def register_access(app: Flask) -> None:
    static_view = app.view_functions["static"]

    @wraps(static_view)
    def static(*args, **kwargs):
        return static_view(*args, **kwargs)

    app.view_functions["static"] = public(static)
    app.before_request(enforce_access)
