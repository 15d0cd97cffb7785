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

THRESHOLD = 5
Cell = TypeVar("Cell", bound=Hashable)
_PRIME = 2**61 - 1  # exact linear algebra on ±1 equations, in modular arithmetic (Python ints)
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


def suppress(counts: Mapping[Cell, int], relations: Sequence[Relation[Cell]],
             threshold: int = THRESHOLD) -> frozenset[Cell]:
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
            self._least[cell] = (self.count(cell) if cell not in hidden else max(
                [1, *(sum(self.least(part, hidden) for part in parts) for parts in self.parts_of.get(cell, []))]))
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
    shown = [(table.count(cell), index, cell) for index, cell in enumerate(cells)
             if cell not in hidden and table.count(cell) > 0]
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
        freeing = next((candidate for candidate in near[:CANDIDATES] if cell not in _determined(
            _around(table, cell, hidden | chosen | {candidate}), hidden | chosen | {candidate})), None)
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
    reached, visited, seen = {cell}, {cell}, set()
    while reached:
        near = {id(relation): relation for reached_cell in reached
                for relation in table.relations_of.get(reached_cell, []) if id(relation) not in seen}
        seen |= near.keys()
        cells = {member: None for relation in near.values() for member in (*relation.parts, relation.total)}
        found |= dict.fromkeys(sorted((member for member in cells if member not in hidden and member not in found
                                       and table.count(member) > 0), key=table.count))
        reached = (hidden & cells.keys()) - visited
        visited |= reached
    return list(found)


def _determined(relations: Sequence[Relation], hidden: set) -> set:
    """Hidden cells whose count the relations fix, given every shown count. An equation with a
    cell found in no other (an all-time total beside its years) constrains nothing else: it is
    set aside, and that cell is fixed when the rest of its equation is. What is left is solved as
    a graph when it is one (_bridges), else by reduced row echelon form (_pivots_fixed)."""
    columns, rows = _equations(relations, hidden)
    rows, aside = _set_aside(rows)
    fixed = _bridges(rows)
    if fixed is None:
        fixed = _fixed_by_reduction(rows)
    for own, row in reversed(aside):
        if row.keys() - {own} <= fixed:
            fixed.add(own)
    return {columns[column] for column in fixed}


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


def _fixed_by_reduction(rows: list[dict[int, int]]) -> set[int]:
    return set().union(*(_pivots_fixed(group) for group in _connected(rows)))


def _bridges(rows: list[dict[int, int]]) -> set[int] | None:
    """The fixed columns when the equations are a graph's: every column in at most two rows, and
    the rows can be signed so that each column's two entries are +1 and -1. Rows are then nodes,
    a column in two rows an edge between them and a column in one row an edge to the ground (the
    shown counts); the unknowns are flows, free exactly along cycles, so a column is fixed when
    its edge is a bridge. None when the equations are no graph's."""
    ends: dict[int, list[tuple[int, int]]] = {}
    for node, row in enumerate(rows, start=1):
        for column, value in row.items():
            if value not in (1, -1):
                return None
            ends.setdefault(column, []).append((node, value))
    sign = _signs(ends, len(rows))
    if sign is None:
        return None
    edges = {column: (pair[0][0], pair[1][0] if len(pair) == 2 else 0) for column, pair in ends.items()}
    return _bridge_edges(edges, len(rows) + 1)


def _signs(ends: dict[int, list[tuple[int, int]]], nodes: int) -> dict[int, int] | None:
    """A sign per row under which every column's two entries differ, or None (not a graph's)."""
    links: dict[int, list[tuple[int, int]]] = {}
    for pair in ends.values():
        if len(pair) > 2:
            return None
        if len(pair) == 2:
            (first, a), (second, b) = pair
            links.setdefault(first, []).append((second, -a * b))
            links.setdefault(second, []).append((first, -a * b))
    sign: dict[int, int] = {}
    for start in range(1, nodes + 1):
        if start in sign:
            continue
        sign[start], stack = 1, [start]
        while stack:
            node = stack.pop()
            for other, relative in links.get(node, []):
                wanted = sign[node] * relative
                if other not in sign:
                    sign[other] = wanted
                    stack.append(other)
                elif sign[other] != wanted:
                    return None
    return sign


def _bridge_edges(edges: dict[int, tuple[int, int]], nodes: int) -> set[int]:
    """The edges (by key) on no cycle of a multigraph on nodes 0..nodes-1 (Tarjan, iteratively)."""
    around: dict[int, list[tuple[int, int]]] = {}
    for key, (first, second) in edges.items():
        around.setdefault(first, []).append((second, key))
        around.setdefault(second, []).append((first, key))
    order, low, bridges, counter = {}, {}, set(), 0
    for start in range(nodes):
        if start in order:
            continue
        order[start] = low[start] = counter = counter + 1
        stack = [(start, None, iter(around.get(start, [])))]
        while stack:
            node, via, neighbours = stack[-1]
            step = next(neighbours, None)
            if step is None:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        bridges.add(via)
                continue
            other, key = step
            if key == via:
                continue
            if other in order:
                low[node] = min(low[node], order[other])
            else:
                order[other] = low[other] = counter = counter + 1
                stack.append((other, key, iter(around.get(other, []))))
    return bridges


def _pivots_fixed(rows: list[dict[int, int]]) -> set[int]:
    """The fixed columns of a connected group of rows: the pivots of their reduced row echelon
    form (mod _PRIME) whose rows have no free column."""
    pivots = _reduce([{column: value % _PRIME for column, value in row.items()} for row in rows])
    free = set().union(*rows) - pivots.keys()
    return {pivot for pivot, row in pivots.items() if not free & row.keys()}


def _set_aside(rows: list[dict[int, int]]) -> tuple[list[dict[int, int]], list[tuple[int, dict[int, int]]]]:
    """(the rows left, [(a column only that row has, the row)] in the order they were set aside)."""
    uses: dict[int, int] = {}
    for row in rows:
        for column in row:
            uses[column] = uses.get(column, 0) + 1
    kept, aside = list(rows), []
    changed = True
    while changed:
        changed = False
        for row in list(kept):
            own = next((column for column in row if uses[column] == 1), None)
            if own is not None:
                kept.remove(row)
                aside.append((own, row))
                for column in row:
                    uses[column] -= 1
                changed = True
    return kept, aside


def _connected(rows: list[dict[int, int]]) -> list[list[dict[int, int]]]:
    """The rows grouped so that no two groups share a column (union-find over columns)."""
    parent: dict[int, int] = {}

    def root(column: int) -> int:
        while parent.setdefault(column, column) != column:
            parent[column] = parent[parent[column]]
            column = parent[column]
        return column
    for row in rows:
        first, *others = row
        for other in others:
            parent[root(other)] = root(first)
    groups: dict[int, list] = {}
    for row in rows:
        groups.setdefault(root(next(iter(row))), []).append(row)
    return list(groups.values())


def _reduce(rows: list[dict[int, int]]) -> dict[int, dict[int, int]]:
    """Reduced row echelon form of sparse rows mod _PRIME: {pivot column: its row}. A pivot's row
    is zero in every other pivot's column, so reducing a row by one pivot adds no other pivot."""
    pivots: dict[int, dict[int, int]] = {}
    for row in rows:
        for column in [column for column in row if column in pivots]:
            row = _subtract(row, pivots[column], row[column])
        if not row:
            continue
        pivot = min(row)
        inverse = pow(row[pivot], _PRIME - 2, _PRIME)
        row = {column: value * inverse % _PRIME for column, value in row.items()}
        for other, other_row in pivots.items():
            if pivot in other_row:
                pivots[other] = _subtract(other_row, row, other_row[pivot])
        pivots[pivot] = row
    return pivots


def _subtract(row: dict[int, int], pivot_row: dict[int, int], factor: int) -> dict[int, int]:
    result = dict(row)
    for column, value in pivot_row.items():
        result[column] = (result.get(column, 0) - factor * value) % _PRIME
        if not result[column]:
            del result[column]
    return result
