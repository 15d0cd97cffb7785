"""The public activity page's extension point: features that depend on the directory (outcomes'
published stories) add a panel without the directory importing them (core/panels.py).
`load(activity, viewer)` returns the template's values or None; panels must show only what is public."""
from ..accounts.models import User
from ..core.panels import Panel, Panels, RenderedPanel
from .activity_models import Activity

_PANELS = Panels()


def register_activity_panel(panel: Panel) -> None:
    _PANELS.register(panel)


def activity_panels_for(activity: Activity, viewer: User) -> list[RenderedPanel]:
    return _PANELS.render(activity, viewer)
