"""The search form's HTML, which every search page shows: rendered once per set of chosen
options, then reused with this search's typed-in values filled in.

Rendering the form's hundred-odd fields and options took most of an uncached search's time
(about 70%, more than the search statement), and a person's searches differ mostly in what
they type, never in the form's markup around it. So the form is rendered with a marker in place
of each typed-in value (`TYPED`), once per `_selection` (the options chosen, which decide the
checked boxes, the selected options and whether "More filters" is open) and per list of
categories and areas offered; a search fills the markers with its own values, escaped exactly
as WTForms escapes them. A form with errors (rare) is rendered in full, since the messages and
their marks depend on what was typed."""

import re

from flask import render_template, request
from markupsafe import Markup, escape

TEMPLATE = "directory/search/_form.html"
# Fields whose value is typed (free text): each is a marker in the cached HTML.
TYPED = ("q", "postcode", "distance", "age")
# Enough for every combination people choose; emptied when full (a new one costs one rendering).
MAX_SELECTIONS = 512
_rendered: dict[tuple, str] = {}
MARKERS = re.compile(f"typed-value-of-({'|'.join(TYPED)})-marker")


def _marker(name: str) -> str:
    return f"typed-value-of-{name}-marker"


def _selection(form) -> tuple:
    """What decides the form's HTML but the typed-in values."""
    chosen = tuple(tuple(form[name].data or ()) for name in ("day", "time", "suitable", "join", "access"))
    return (
        request.script_root,
        form.category.data,
        form.locality.data,
        chosen,
        bool(form.this_week.data),
        bool(form.free.data),
        bool(form.mark.data),
        bool(form.age.data),
        form.sort.data,
        tuple(form.category.choices),
        tuple(form.locality.choices),
    )


def _render_with_markers(form) -> str:
    """The form's HTML with each typed-in value replaced by its marker (the fields' own
    values are put back afterwards)."""
    for name in TYPED:
        form[name]._value = lambda name=name: _marker(name)
    try:
        return render_template(TEMPLATE, form=form)
    finally:
        for name in TYPED:
            del form[name]._value


def search_form_html(form) -> Markup:
    """The form's HTML, as rendering TEMPLATE would give it."""
    if form.errors:
        return Markup(render_template(TEMPLATE, form=form))
    key = _selection(form)
    html = _rendered.get(key)
    if html is None:
        if len(_rendered) >= MAX_SELECTIONS:
            _rendered.clear()
        html = _rendered[key] = _render_with_markers(form)
    values = {name: str(escape(form[name]._value())) for name in TYPED}
    return Markup(MARKERS.sub(lambda found: values[found.group(1)], html))
