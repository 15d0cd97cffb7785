"""Who may do what with guided first visits. Anyone may ask (a worker signed in, or a person with
no account) while the activity's club holds the mark; only the club's own people (its partner
contacts, one of whom is its named lead) and coordinators see and answer requests. Nothing is public
but the status page behind a private link."""

from datetime import date

from ...accounts.models import User
from ...partners.access import acts_for_partner
from ...partners.marks.pages import current_mark
from ..listings.models import Activity


def offers_guided_visits(activity: Activity, today: date) -> bool:
    """A listed, running activity of a partner that holds the mark today."""
    return activity.partner_id is not None and activity.listed and current_mark(activity.partner_id, today) is not None


def may_see_requests(user: User, partner_id: int) -> bool:
    return user.is_authenticated and (user.is_coordinator or acts_for_partner(user, partner_id))
