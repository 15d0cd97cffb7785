"""Which hidden counts a reader can work out: the relations as linear equations in the hidden
counts (+1 for a total, -1 for a part; the shown counts are the constants), solved exactly. A
count is fixed when the equations leave it no freedom. Pure: no database, no clock."""

from collections.abc import Iterator

_PRIME = 2**61 - 1  # exact linear algebra on ±1 equations, in modular arithmetic (Python ints)


def fixed_columns(rows: list[dict[int, int]]) -> set[int]:
    """The unknowns (columns) the equations fix. An equation with a cell found in no other (an
    all-time total beside its years) constrains nothing else: it is set aside, and that cell is
    fixed when the rest of its equation is. What is left is solved as a graph when it is one
    (_bridges), else by reduced row echelon form (_pivots_fixed)."""
    rows, aside = _set_aside(rows)
    fixed = _bridges(rows)
    if fixed is None:
        fixed = _fixed_by_reduction(rows)
    for own, row in reversed(aside):
        if row.keys() - {own} <= fixed:
            fixed.add(own)
    return fixed


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
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    bridges: set[int] = set()
    counter = 0
    for start in range(nodes):
        if start in order:
            continue
        order[start] = low[start] = counter = counter + 1
        stack: list[tuple[int, int | None, Iterator[tuple[int, int]]]] = [(start, None, iter(around.get(start, [])))]
        while stack:
            node, via, neighbours = stack[-1]
            step = next(neighbours, None)
            if step is None:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent] and via is not None:
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
