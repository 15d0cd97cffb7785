"""The public activity page's extension point: features that depend on the directory (outcomes'
published stories) add a panel without the directory importing them (core/web/panels.py).
`load(activity, viewer)` returns the template's values or None; panels must show only what is public."""
from ...accounts.models import User
from ...core.web.panels import Panel, Panels, RenderedPanel
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
