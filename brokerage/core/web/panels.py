"""Panels: a page owned by one feature shows sections from features that depend on it, without
importing them. A feature registers a panel (a template and a `load(subject, viewer)` that
returns the template's values, or None when there is nothing to show); the page's view renders
what `render(subject, viewer)` returns."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    load: Callable[[Any, Any], dict | None]  # (subject, the signed-in user)


@dataclass(frozen=True)
class RenderedPanel:
    template: str
    values: dict


class Panels:
    """The panels registered for one kind of page, in order."""

    def __init__(self) -> None:
        self._panels: list[Panel] = []

    def register(self, panel: Panel) -> None:
        if panel.template not in {existing.template for existing in self._panels}:
            self._panels.append(panel)
            self._panels.sort(key=lambda existing: existing.order)

    def render(self, subject, viewer) -> list[RenderedPanel]:
        rendered = []
        for panel in self._panels:
            values = panel.load(subject, viewer)
            if values is not None:
                rendered.append(RenderedPanel(panel.template, values))
        return rendered
