"""Which counts of people may be shown: small-number suppression, pure (no database, no clock).

Primary suppression: a count from 1 to THRESHOLD - 1 is never shown (domain.md: no figure from
fewer than 5 people). Zero is shown: it is about nobody.

Secondary (complementary) suppression, as official statistics practise it. A hidden count can be
worked out by subtraction when its total is shown with the other parts: every locality shows 9
pairs, Barnsley 6, so Calderdale's hidden count is 3, and its mean change follows from the overall
mean and Barnsley's. So in every relation "total = the sum of its parts" that a reader can see:

- when the total is shown, either no part is hidden, or at least two are, together they hold at
  least THRESHOLD people, and they hold more than the least a reader knows they hold (a hidden
  count is at least 1, as zeros are shown; a hidden total at least its parts' least). Then each
  hidden part could be one more or one less than it is; and what subtraction does give, the
  hidden parts pooled (their count, and their mean from the overall mean and the others'), is
  about at least THRESHOLD people;
- when the total is hidden, at least one of its non-zero parts is hidden too, or the shown parts
  would add up to it.

The cell hidden to protect another (the complement) is the smallest non-zero one not yet hidden
in the relation: zeros are shown, so hiding one protects nothing. When no part is left to hide,
the total is hidden instead; and a relation may say that its total matters less than its parts,
so that it is hidden as soon as any part is.
Relations share cells (a locality is a part of the total of every locality and the total of its
own projects), so the rule runs until no relation asks for more.

Relations can also combine: rows and columns of a cross-table together can pin a hidden cell that
no single relation pins (a cell joining two otherwise separate groups of hidden cells). So the
hidden cells are then audited as a system of linear equations, one per relation: while any hidden
count is determined by it, the nearest smallest shown count whose hiding frees it is hidden too.

Means are shown only with their count (pairs), so whatever subtraction gives for a mean is the
pooled mean of hidden groups, about at least THRESHOLD people.

What this does not promise: in a cross-table (projects by partner and by locality), reading
"at least 1" into every hidden cell while combining rows and columns can, in rare patterns, still
pin a hidden count or leave a pooled group below THRESHOLD. Ruling that out is an integer
programming audit; here only coordinators see the reports by locality, and they hold the
anonymous item scores anyway.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from .equations import fixed_columns

THRESHOLD = 5
Cell = TypeVar("Cell", bound=Hashable)
CANDIDATES = 8  # shown cells tried, nearest first, to free a cell the equations determine


@dataclass(frozen=True)
class Relation(Generic[Cell]):
    """total = the sum of parts, as a reader can see it (the total shown with its parts).
    `total_first`: once any part is hidden, hide the total rather than more parts (for a total
    that matters less than its parts, so that hiding spreads no further)."""

    total: Cell
    parts: tuple[Cell, ...]
    total_first: bool = False


def is_small(count: int, threshold: int = THRESHOLD) -> bool:
    """Primary suppression: a count of 1 to threshold - 1 people."""
    return 0 < count < threshold


def suppress(
    counts: Mapping[Cell, int], relations: Sequence[Relation[Cell]], threshold: int = THRESHOLD
) -> frozenset[Cell]:
    """The cells to hide: every small count, and the complements that keep each one from being
    worked out from its totals (see the module docstring). `counts` may leave out zero cells."""
    table = _Table(counts, relations)
    hidden = {cell for cell, count in counts.items() if is_small(count, threshold)}
    while True:
        _protect_each_relation(table, hidden, threshold)
        complements = _complements_beside(table, hidden, _determined(relations, hidden))
        if not complements:
            return frozenset(hidden)
        hidden |= complements


class _Table:
    """The counts and relations, with each cell's relations and what a reader knows of a cell."""

    def __init__(self, counts: Mapping, relations: Sequence[Relation]):
        self.counts, self.relations = counts, relations
        self.relations_of: dict = {}
        self.parts_of: dict = {}
        for relation in relations:
            self.parts_of.setdefault(relation.total, []).append(relation.parts)
            for cell in {relation.total, *relation.parts}:
                self.relations_of.setdefault(cell, []).append(relation)
        self._least: dict = {}

    def count(self, cell) -> int:
        return self.counts.get(cell, 0)

    def forget(self) -> None:
        """Call when a cell is hidden: what a reader knows changes."""
        self._least.clear()

    def least(self, cell, hidden: set) -> int:
        """The least count a reader knows the cell holds: its count if shown; 1 for a hidden cell
        (zeros are shown), or for a hidden total the least of its parts together, if more."""
        if cell not in self._least:
            self._least[cell] = (
                self.count(cell)
                if cell not in hidden
                else max(
                    [1, *(sum(self.least(part, hidden) for part in parts) for parts in self.parts_of.get(cell, []))]
                )
            )
        return self._least[cell]


def _protect_each_relation(table: _Table, hidden: set, threshold: int) -> None:
    changed = True
    while changed:
        changed = False
        for relation in table.relations:
            complement = _complement_for(table, relation, hidden, threshold)
            if complement is not None:
                hidden.add(complement)
                table.forget()
                changed = True


def _complement_for(table: _Table, relation: Relation, hidden: set, threshold: int):
    """The next cell this relation needs hidden, or None when it is safe."""
    hidden_parts = [part for part in relation.parts if part in hidden]
    if relation.total in hidden:
        return None if hidden_parts else _smallest_shown(table, relation.parts, hidden)
    if not hidden_parts:
        return None
    if relation.total_first:
        return relation.total
    people = sum(table.count(part) for part in hidden_parts)
    room = people - sum(table.least(part, hidden) for part in hidden_parts)
    if len(hidden_parts) >= 2 and people >= threshold and room >= 1:
        return None
    complement = _smallest_shown(table, relation.parts, hidden)
    return relation.total if complement is None else complement


def _smallest_shown(table: _Table, cells: Iterable, hidden: set):
    """The shown cell with the fewest people, not zero (the first of equals), or None."""
    shown = [
        (table.count(cell), index, cell)
        for index, cell in enumerate(cells)
        if cell not in hidden and table.count(cell) > 0
    ]
    return min(shown, key=lambda item: item[:2])[2] if shown else None


def _complements_beside(table: _Table, hidden: set, determined: set) -> set:
    """For each determined hidden cell, unless one chosen in this round already frees it: the
    smallest shown cell near it (in its relations; failing that, in those of the hidden cells
    beside it, and so on) whose hiding leaves it undetermined, or the nearest smallest if none
    of the first CANDIDATES does."""
    chosen: set = set()
    for cell in sorted(determined, key=repr):
        if chosen and cell not in _determined(_around(table, cell, hidden | chosen), hidden | chosen):
            continue
        near = _nearest_shown(table, cell, hidden | chosen)
        freeing = next(
            (
                candidate
                for candidate in near[:CANDIDATES]
                if cell
                not in _determined(_around(table, cell, hidden | chosen | {candidate}), hidden | chosen | {candidate})
            ),
            None,
        )
        if freeing is not None or near:
            chosen.add(near[0] if freeing is None else freeing)
    table.forget()
    return chosen


def _around(table: _Table, cell, hidden: set) -> list[Relation]:
    """The relations linked to `cell` through hidden cells: all the equations that can fix it."""
    found, reached, frontier = {}, {cell}, [cell]
    while frontier:
        member = frontier.pop()
        for relation in table.relations_of.get(member, []):
            if id(relation) not in found:
                found[id(relation)] = relation
                for other in (relation.total, *relation.parts):
                    if other in hidden and other not in reached:
                        reached.add(other)
                        frontier.append(other)
    return list(found.values())


def _nearest_shown(table: _Table, cell, hidden: set) -> list:
    """Shown non-zero cells by distance from `cell` (through relations and the hidden cells in
    them), the smallest first at each distance."""
    found: dict = {}
    reached, visited = {cell}, {cell}
    seen: set[int] = set()
    while reached:
        near = {
            id(relation): relation
            for reached_cell in reached
            for relation in table.relations_of.get(reached_cell, [])
            if id(relation) not in seen
        }
        seen |= near.keys()
        cells = {member: None for relation in near.values() for member in (*relation.parts, relation.total)}
        found |= dict.fromkeys(
            sorted(
                (
                    member
                    for member in cells
                    if member not in hidden and member not in found and table.count(member) > 0
                ),
                key=table.count,
            )
        )
        reached = (hidden & cells.keys()) - visited
        visited |= reached
    return list(found)


def _determined(relations: Sequence[Relation], hidden: set) -> set:
    """Hidden cells whose count the relations fix, given every shown count: one equation per
    relation holding any (_equations), solved in equations.py."""
    columns, rows = _equations(relations, hidden)
    return {columns[column] for column in fixed_columns(rows)}


def _equations(relations: Sequence[Relation], hidden: set) -> tuple[list, list[dict[int, int]]]:
    """(the hidden cells, one row per relation holding any: {hidden cell's position: +1 for the
    total, -1 for a part}); the shown counts are the constants, which do not matter here."""
    columns = sorted(hidden, key=repr)
    index = {cell: position for position, cell in enumerate(columns)}
    rows = []
    for relation in relations:
        row: dict[int, int] = {}
        for cell, sign in ((relation.total, 1), *((part, -1) for part in relation.parts)):
            if cell in index:
                row[index[cell]] = row.get(index[cell], 0) + sign
        row = {column: value for column, value in row.items() if value}
        if row:
            rows.append(row)
    return columns, rows
