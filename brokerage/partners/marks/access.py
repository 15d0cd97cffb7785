"""Who may do what with the mark: coordinators run schemes and assess; a partner's own people
(and coordinators) apply for it and see its applications. Nothing here is public but the mark."""

from ...accounts.models import User
from ..access import acts_for_partner


def may_run_schemes(user: User) -> bool:
    return user.is_authenticated and user.is_coordinator


def may_apply_for(user: User, partner_id: int) -> bool:
    return user.is_authenticated and (user.is_coordinator or acts_for_partner(user, partner_id))
