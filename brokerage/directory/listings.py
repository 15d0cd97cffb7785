"""The activities a person looks after, with the ones due a "Still running?" check flagged,
and the activities panel on a partner's page."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from ..accounts.models import User
from ..extensions import db
from ..partners.models import Partner
from ..partners.page import PartnerPanel, register_partner_panel
from ..partners.access import can_edit_partner
from .activity_models import Activity
from .permissions import editable_providers
from .services import freshness
from .vocabulary import STATUSES


@dataclass(frozen=True)
class EditorRow:
    activity: Activity
    freshness: str  # 'fresh', 'stale' (flagged) or 'hidden' (no longer in search)


def _editable_activities(user: User) -> list[Activity]:
    query = select(Activity).order_by(Activity.title, Activity.id)
    if not user.is_coordinator:
        providers = editable_providers(user)
        partner_ids = [provider.id for provider in providers if provider.kind == "partner"]
        group_ids = [provider.id for provider in providers if provider.kind == "group"]
        query = query.where(or_(Activity.partner_id.in_(partner_ids), Activity.group_id.in_(group_ids)))
    return list(db.session.scalars(query))


def activities_for_editor(user: User, *, today: date) -> list[EditorRow]:
    """Every activity the user may edit, those most in need of a check first."""
    rows = [EditorRow(activity, freshness(activity, today=today)) for activity in _editable_activities(user)]
    order = {"hidden": 0, "stale": 1, "fresh": 2}
    return sorted(rows, key=lambda row: order[row.freshness])


def partner_activities(partner: Partner, viewer: User) -> dict | None:
    """The partner page's panel (when it has activities): them, and a way to list another."""
    activities = list(db.session.scalars(
        select(Activity).where(Activity.partner_id == partner.id).order_by(Activity.title)))
    if not activities:
        return None
    can_list = not partner.is_archived and can_edit_partner(viewer, partner)
    return {"activities": activities, "statuses": STATUSES, "can_list": can_list, "partner": partner}


register_partner_panel(PartnerPanel(order=10, template="directory/_partner_panel.html", load=partner_activities))
