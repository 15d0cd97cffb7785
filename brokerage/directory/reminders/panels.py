"""The starting page's to-do for the people who keep listings: those due a check, each with the
"still running" link."""

from ...core.values.roles import Role
from ...core.values.timeutils import london_today
from ...core.web.pages import Panel, register_dashboard_panel
from .listing_checks import listings_to_check


def _to_check(user, _viewer) -> dict | None:
    if not user.has_any_role((Role.CHAMPION, Role.PARTNER_CONTACT)):
        return None  # coordinators have every listing on the activities page
    rows = listings_to_check(user, today=london_today())
    return {"rows": rows} if rows else None


register_dashboard_panel(Panel(order=30, template="directory/reminders/_to_check_panel.html", load=_to_check))
