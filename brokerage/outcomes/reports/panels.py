"""Published stories on the public activity page and on the partner page (panels registered with
directory/search/panels.py and partners/page.py). Only stories with consent to publish, never withdrawn;
the reporter's name stays internal. The partner page also links to the partner's impact report
for the people who may see it."""

from flask import url_for

from ...accounts.models import User
from ...core.web.panels import Panel
from ...directory.listings.models import Activity
from ...directory.search.panels import register_activity_panel
from ...partners.models import Partner
from ...partners.page import register_partner_panel
from ..stories.services import shown_stories
from .access import can_see_report
from .scopes import scope_for

PANEL_LIMIT = 10


def _values(stories, heading_id: str, show_project: bool, report_url: str | None = None) -> dict | None:
    if not stories and report_url is None:
        return None
    return {"stories": stories, "heading_id": heading_id, "show_project": show_project, "report_url": report_url}


def activity_stories(activity: Activity, viewer: User) -> dict | None:
    return _values(
        shown_stories(where=Activity.id == activity.id, internal=False, limit=PANEL_LIMIT), "stories-heading", False
    )


def partner_stories(partner: Partner, viewer: User) -> dict | None:
    """The partner's published stories, and a link to its impact report for those who may see it."""
    report_url = (
        url_for("impact.report", kind="partner", scope_id=partner.id)
        if can_see_report(viewer, scope_for("partner", partner.id))
        else None
    )
    return _values(
        shown_stories(where=Activity.partner_id == partner.id, internal=False, limit=PANEL_LIMIT),
        "partner-stories-heading",
        True,
        report_url,
    )


register_activity_panel(
    Panel(order=10, template="outcomes/reports/_published_stories.html", load=activity_stories), reads=("story",)
)
register_partner_panel(Panel(order=40, template="outcomes/reports/_published_stories.html", load=partner_stories))
