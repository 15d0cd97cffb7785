"""The partner page gathers everything about one partner. Features that hold records about a
partner (activities, bids and awards, hosted groups, stories) add a panel here:

    register_partner_panel(PartnerPanel(order=20, template="collectives/bids/_partner_panel.html", load=...))

`load(partner, viewer)` returns the template's values, or None when there is nothing to show,
so a panel appears only when its feature exists and has something to say (core/web/panels.py).
"""

from ..accounts.models import User
from ..core.web.panels import Panel as PartnerPanel
from ..core.web.panels import Panels, RenderedPanel
from .models import Partner

__all__ = ["PartnerPanel", "register_partner_panel", "panels_for"]

_PANELS = Panels()


def register_partner_panel(panel: PartnerPanel) -> None:
    _PANELS.register(panel)


def panels_for(partner: Partner, viewer: User) -> list[RenderedPanel]:
    return _PANELS.render(partner, viewer)
