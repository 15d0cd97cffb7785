"""Published stories on the public activity page and on the partner page (panels registered with
directory/page.py and partners/page.py). Only stories with consent to publish, never withdrawn;
the reporter's name stays internal."""
from ..accounts.models import User
from ..core.panels import Panel
from ..directory.activity_models import Activity
from ..directory.page import register_activity_panel
from ..partners.models import Partner
from ..partners.page import register_partner_panel
from .stories import shown_stories

PANEL_LIMIT = 10


def _values(stories, heading_id: str, show_project: bool) -> dict | None:
    if not stories:
        return None
    return {"stories": stories, "heading_id": heading_id, "show_project": show_project}


def activity_stories(activity: Activity, viewer: User) -> dict | None:
    return _values(shown_stories(where=Activity.id == activity.id, internal=False, limit=PANEL_LIMIT),
                   "stories-heading", False)


def partner_stories(partner: Partner, viewer: User) -> dict | None:
    return _values(shown_stories(where=Activity.partner_id == partner.id, internal=False, limit=PANEL_LIMIT),
                   "partner-stories-heading", True)


register_activity_panel(Panel(order=10, template="outcomes/_published_stories.html", load=activity_stories))
register_partner_panel(Panel(order=40, template="outcomes/_published_stories.html", load=partner_stories))
