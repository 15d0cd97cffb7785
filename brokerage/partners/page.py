"""The partner page gathers everything about one partner. Features that hold records about a
partner (activities, bids and awards, hosted groups) add a panel here when they are built:

    register_partner_panel(PartnerPanel(order=20, template="bids/_partner_panel.html", load=...))

`load(partner, viewer)` returns the template's values, or None when there is nothing to show,
so a panel appears only when its feature exists and has something to say.
"""
from collections.abc import Callable
from dataclasses import dataclass

from ..accounts.models import User
from .models import Partner


@dataclass(frozen=True)
class PartnerPanel:
    order: int
    template: str
    load: Callable[[Partner, User], dict | None]


@dataclass(frozen=True)
class RenderedPanel:
    template: str
    values: dict


_PANELS: list[PartnerPanel] = []


def register_partner_panel(panel: PartnerPanel) -> None:
    if panel.template not in {existing.template for existing in _PANELS}:
        _PANELS.append(panel)
        _PANELS.sort(key=lambda existing: existing.order)


def panels_for(partner: Partner, viewer: User) -> list[RenderedPanel]:
    panels = []
    for panel in _PANELS:
        values = panel.load(partner, viewer)
        if values is not None:
            panels.append(RenderedPanel(panel.template, values))
    return panels
