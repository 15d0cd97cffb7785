"""The public activity page's extension point: features that depend on the directory (outcomes'
published stories) add a panel without the directory importing them (core/web/panels.py).
`load(activity, viewer)` returns the template's values or None; panels must show only what is public.
The mental-health-friendly mark of the activity's partner is the directory's own panel here."""

from ...accounts.models import User
from ...core.values.timeutils import london_today
from ...core.web.panels import Panel, Panels, RenderedPanel
from ...partners.marks.models import PAGE_CACHE_TABLES as MARK_TABLES
from ...partners.marks.pages import current_mark
from ..listings.models import Activity
from ..page_cache import watch_tables

_PANELS = Panels()


def register_activity_panel(panel: Panel, *, reads: tuple[str, ...]) -> None:
    """Add a panel to the activity page. `reads` names the tables it shows, so that the page
    cache forgets kept pages when they change (a withdrawn story disappears at once)."""
    watch_tables(*reads)
    _PANELS.register(panel)


def activity_panels_for(activity: Activity, viewer: User) -> list[RenderedPanel]:
    return _PANELS.render(activity, viewer)


def _mark(activity: Activity, viewer: User) -> dict | None:
    """The mark and what it means, while the partner that runs the activity holds it."""
    scheme = current_mark(activity.partner_id, london_today()) if activity.partner_id else None
    return None if scheme is None else {"scheme": scheme}


register_activity_panel(Panel(order=5, template="directory/search/_mark_panel.html", load=_mark), reads=MARK_TABLES)
