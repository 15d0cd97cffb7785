"""What the bid pages show that later stages add. The bid page shows the bid's votes (voting)
and its grant and payments (grants); a vote's decision record shows the award's payments
(grants). Each later stage registers its part here (`register_panel`) when its views load, so
that the views of an earlier stage never import the stages above it; `panels` gathers the
parts of one page as template variables. Panels only read."""

from collections.abc import Callable

Panel = Callable[..., dict]
_PANELS: dict[str, list[Panel]] = {}


def register_panel(page: str, panel: Panel) -> None:
    """Add a later stage's part to a page ("bid": called with viewer and bid; "decision_record":
    with viewer, poll and award); it returns the template variables it fills."""
    _PANELS.setdefault(page, []).append(panel)


def panels(page: str, **subject) -> dict:
    """The template variables of every part registered for the page, in registration order."""
    context: dict = {}
    for panel in _PANELS.get(page, ()):
        context.update(panel(**subject))
    return context
