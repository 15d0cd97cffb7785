"""A search in one line, for the top of its results ("Art near HD1, within 5 miles"), so that on
a phone the results come first and the form they came from can stay folded away. Pure functions."""

from ..geo.distances import miles_text
from ..geo.locations import Location
from .matching import SearchQuery

FILTERS = ("category", "locality", "day", "time", "this_week", "free", "mark", "age", "suitable", "join", "access")


def filters_chosen(query: SearchQuery) -> int:
    """How many filters beyond the words and the place the person chose."""
    return sum(1 for name in FILTERS if getattr(query, name) not in (None, False, "", ()))


def search_summary(query: SearchQuery, origin: Location | None) -> str:
    """'Art near HD1, within 5 miles', 'Choir, anywhere, with 2 filters', 'Every activity'."""
    words = " ".join(query.q.split())
    text = words[:1].upper() + words[1:] if words else "Every activity"
    if origin is not None:
        text += f" near {origin.postcode}, within {miles_text(query.distance)}"
    elif words:
        text += ", anywhere"
    chosen = filters_chosen(query)
    if chosen:
        text += f", with {chosen} {'filter' if chosen == 1 else 'filters'}"
    return text
