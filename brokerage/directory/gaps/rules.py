"""The gaps page's rules: which figures may be shown as they are, how a heat cell is banded,
what counts as a gap and how rows are sorted. Pure functions, no database, no clock.

Counts of people (the "I'm interested" entries waiting, the searches that found nothing) from 1
to 4 are shown as "fewer than 5", on the page and in the CSV: with a district, a category and a
month, a small count could point at one person. Counts of activities and sessions are public
facts of the directory and are shown as they are."""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

SMALL_NUMBER = 5
FEWER_THAN = "fewer than 5"
BANDS = 4  # heat bands 1 to 4 for figures above nothing; 0 is nothing
NAME_SORT = "name"

Row = TypeVar("Row")


def shown_count(count: int) -> str:
    """A count of people as it may be shown: 0, "fewer than 5" for 1 to 4, else the number."""
    if 0 < count < SMALL_NUMBER:
        return FEWER_THAN
    return str(count)


def comparable_count(count: int, *, people: bool) -> int:
    """The figure sorting and banding may use: a count of people from 1 to 4 counts as 1, so
    that neither the order nor the shade tells 1 from 4."""
    return 1 if people and 0 < count < SMALL_NUMBER else count


def heat_band(value: int, largest: int) -> int:
    """0 for nothing; else 1 to BANDS, in proportion to the column's largest figure."""
    if value <= 0 or largest <= 0:
        return 0
    return max(1, min(BANDS, math.ceil(BANDS * value / largest)))


def is_gap(value: int, *, supply: bool) -> bool:
    """Nothing on offer (no activity, session, free, evening... activity) is a gap; for counts
    of demand (interest waiting, searches that found nothing) any at all is."""
    return value == 0 if supply else value > 0


def postcode_district(postal_code: str) -> str:
    """The district of a venue's postcode: "hd3 4ab" -> "HD3", "WF9" -> "WF9", "" -> ""."""
    compact = "".join((postal_code or "").split()).upper()
    return compact[:-3] if len(compact) > 4 else compact


@dataclass(frozen=True)
class SortOrder:
    """How rows are sorted by one column: supply fewest first, demand most first (the gaps
    come first either way); ties by name."""

    key: str
    fewest_first: bool


def sort_rows(
    rows: Sequence[Row], order: SortOrder | None, *, name: Callable[[Row], str], value: Callable[[Row, str], int]
) -> list[Row]:
    """The rows by `order`'s column (its comparable figure), then by name; by name alone
    when there is no order."""
    by_name = sorted(rows, key=lambda row: name(row).casefold())
    if order is None:
        return by_name
    sign = 1 if order.fewest_first else -1
    return sorted(by_name, key=lambda row: sign * value(row, order.key))
