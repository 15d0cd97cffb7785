"""The champion's own page gathers work they could take on. Features above partners (peer-led
groups) add a panel here without partners importing them:

    register_champion_panel(Panel(order=10, template="groups/_champion_suggestions.html", load=...))

`load(champion, viewer)` returns the template's values, or None when there is nothing to show."""

from ...accounts.models import User
from ...core.web.panels import Panel, Panels, RenderedPanel

__all__ = ["Panel", "register_champion_panel", "champion_panels"]

_PANELS = Panels()


def register_champion_panel(panel: Panel) -> None:
    _PANELS.register(panel)


def champion_panels(champion: User, viewer: User) -> list[RenderedPanel]:
    return _PANELS.render(champion, viewer)
