"""Small-number suppression (a pure rule): every small count hidden, and enough others hidden with
it that no hidden count, nor the mean of fewer than 5 people, can be worked out by subtraction.
Checked on hand-made tables built to be differenced, and with Hypothesis on any one-way table,
hierarchy and cross-table, against a brute-force reader who tries every count the shown figures
allow."""
from hypothesis import given, settings
from hypothesis import strategies as st

from brokerage.outcomes.small_numbers.equations import _bridges, _fixed_by_reduction

from brokerage.outcomes.small_numbers.rules import THRESHOLD, Relation, _equations, is_small, suppress

COUNTS = st.integers(0, 9) | st.sampled_from([0, 0, 1, 2, 3])  # plenty of zeros and small counts


def one_way(parts: list[int]) -> tuple[dict, list[Relation]]:
    """A total and its parts ('all' and 0, 1, ...)."""
    counts = {"all": sum(parts), **dict(enumerate(parts))}
    return counts, [Relation("all", tuple(range(len(parts))))]


def tree(groups: list[list[int]]) -> tuple[dict, list[Relation]]:
    """A hierarchy (say every locality, each locality, its projects): leaves (g, i), groups ("group", g), 'all'."""
    counts = {(g, i): count for g, leaves in enumerate(groups) for i, count in enumerate(leaves)}
    counts |= {("group", g): sum(leaves) for g, leaves in enumerate(groups)} | {"all": sum(map(sum, groups))}
    relations = [Relation(("group", g), tuple((g, i) for i in range(len(leaves)))) for g, leaves in enumerate(groups)]
    return counts, [*relations, Relation("all", tuple(("group", g) for g in range(len(groups))))]


def cross(grid: list[list[int]]) -> tuple[dict, list[Relation]]:
    """A cross-table (say partners by localities): cells (i, j), row and column totals and the grand total."""
    rows, columns = range(len(grid)), range(len(grid[0]))
    counts = {(i, j): grid[i][j] for i in rows for j in columns}
    counts |= {("row", i): sum(grid[i]) for i in rows} | {("column", j): sum(row[j] for row in grid) for j in columns}
    counts["all"] = sum(map(sum, grid))
    relations = ([Relation(("row", i), tuple((i, j) for j in columns)) for i in rows]
                 + [Relation(("column", j), tuple((i, j) for i in rows)) for j in columns]
                 + [Relation("all", tuple(("row", i) for i in rows)),
                    Relation("all", tuple(("column", j) for j in columns))])
    return counts, relations


def leaves_under(relations: list[Relation], cell) -> set:
    """The cells that hold the people counted in `cell` (itself, for a cell that is no total)."""
    relation = next((relation for relation in relations if relation.total == cell), None)
    return {cell} if relation is None else set().union(*(leaves_under(relations, part) for part in relation.parts))


def open_cells(counts: dict, relations: list[Relation], hidden: frozenset, at_least_one: bool = True) -> set:
    """The hidden cells whose count a reader cannot pin down from the shown ones, knowing (unless
    told otherwise) that a hidden count is at least 1 (zeros are shown). The reader tries every
    other table that fits: for sums like these (each person counted once in a row and once in a
    column) any such table can be reached by moving single people, so trying -1, 0 or +1 in each
    hidden leaf finds one whenever there is one. A depth-first search, checking each shown total
    once its last hidden leaf has been moved."""
    totals = {relation.total for relation in relations}
    under = {cell: leaves_under(relations, cell) for cell in counts}
    unknown = sorted((cell for cell in hidden if cell not in totals), key=repr)
    last = {cell: max((unknown.index(leaf) for leaf in under[cell] if leaf in hidden), default=-1)
            for cell in counts if cell in totals}
    checks = {position: [cell for cell, at in last.items() if at == position] for position in range(len(unknown))}
    moved, found = {}, set()

    def change(cell) -> int:
        return sum(moved.get(leaf, 0) for leaf in under[cell])

    def search(position: int) -> bool:
        if position == len(unknown):
            found.update(cell for cell in hidden if change(cell))
            return found == set(hidden)
        leaf = unknown[position]
        for step in (0, 1, -1):
            if at_least_one and counts[leaf] + step < 1:
                continue
            moved[leaf] = step
            if all(change(total) == 0 if total not in hidden
                   else not at_least_one or counts[total] + change(total) >= 1
                   for total in checks[position]) and search(position + 1):
                return True
        moved.pop(leaf, None)
        return False

    search(0)
    return found


def assert_protected(counts: dict, relations: list[Relation], hidden: frozenset, threshold: int = THRESHOLD):
    assert {cell for cell, count in counts.items() if is_small(count, threshold)} <= hidden
    assert not any(counts[cell] == 0 for cell in hidden)
    for relation in relations:
        hidden_parts = [part for part in relation.parts if part in hidden]
        cells_hidden = len(hidden_parts) + (relation.total in hidden)
        assert cells_hidden != 1, f"{relation}: one hidden cell alone can be subtracted out"
        if relation.total in hidden:
            assert hidden_parts or all(counts[part] == 0 for part in relation.parts)
        elif hidden_parts:
            pooled = sum(counts[part] for part in hidden_parts)
            assert pooled >= threshold, f"{relation}: the hidden parts pooled are {pooled} people"
            assert pooled > len(hidden_parts)


def test_the_issues_case_four_localities_with_6_3_0_and_0_pairs():
    counts, relations = one_way([6, 3, 0, 0])
    hidden = suppress(counts, relations)
    assert hidden == {0, 1}  # Barnsley's 6 hides with Calderdale's 3; the zeros stay shown
    assert open_cells(counts, relations, hidden) == hidden


def test_a_complement_is_the_next_smallest_part_that_is_not_zero():
    counts, relations = one_way([12, 2, 7, 0, 9])
    assert suppress(counts, relations) == {1, 2}


def test_small_hidden_parts_that_pool_fewer_than_five_people_take_another_part_with_them():
    counts, relations = one_way([2, 2, 8, 6])  # hiding only the 2 and 2 would give their pooled mean from 4 people
    assert suppress(counts, relations) == {0, 1, 3}


def test_five_hidden_parts_of_one_person_each_hide_their_total():
    counts, relations = one_way([1, 1, 1, 1, 1])  # with the total shown, each would have to be 1
    assert suppress(counts, relations) == {"all", 0, 1, 2, 3, 4}


def test_a_hidden_total_hides_one_of_its_parts_too():
    counts = {"partner": 6, "a": 6, "b": 0, "all": 9, "other": 3}
    relations = [Relation("all", ("partner", "other")), Relation("partner", ("a", "b"))]
    hidden = suppress(counts, relations)
    assert hidden == {"partner", "other", "a"}  # else the partner's 6 would be a + b and the other's 3 follow


def test_a_relation_may_ask_to_hide_its_total_rather_than_another_part():
    counts = {"all time": 9, "2025": 6, "2026": 3}
    assert suppress(counts, [Relation("all time", ("2025", "2026"), total_first=True)]) == {"all time", "2026"}
    assert suppress(counts, [Relation("all time", ("2025", "2026"))]) == {"2025", "2026"}


def test_nothing_is_hidden_when_every_count_is_zero_or_five_and_more():
    counts, relations = one_way([5, 0, 17])
    assert suppress(counts, relations) == frozenset()


def test_a_cell_that_rows_and_columns_together_pin_down_is_protected_too():
    """Rows 4, 2, 5; columns 1, 5, 5; 11 in all. Row by row and column by column two or more cells
    stay hidden, yet the total minus row 2 gives rows 0 and 1 together (6), their cells in column 2
    are column 2's total (5), so (1, 1) would be 1. Read as equations, the hidden cells show it,
    and row 2's total is hidden too."""
    counts, relations = cross([[0, 0, 4], [0, 1, 1], [1, 4, 0]])
    hidden = suppress(counts, relations)
    assert_protected(counts, relations, hidden)
    assert open_cells(counts, relations, hidden) == hidden


@settings(max_examples=300, deadline=None)
@given(st.lists(COUNTS, min_size=1, max_size=5), st.integers(2, 6))
def test_any_one_way_table_keeps_every_hidden_count_and_small_mean_from_being_worked_out(parts, threshold):
    counts, relations = one_way(parts)
    hidden = suppress(counts, relations, threshold)
    assert_protected(counts, relations, hidden, threshold)
    assert open_cells(counts, relations, hidden) == hidden


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(COUNTS, min_size=1, max_size=4), min_size=1, max_size=4))
def test_any_hierarchy_keeps_every_hidden_count_from_being_worked_out(groups):
    counts, relations = tree(groups)
    hidden = suppress(counts, relations)
    assert_protected(counts, relations, hidden)
    assert open_cells(counts, relations, hidden) == hidden


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 4).flatmap(lambda width: st.lists(st.lists(COUNTS, min_size=width, max_size=width),
                                                        min_size=2, max_size=4)))
def test_no_hidden_count_of_any_cross_table_follows_from_its_rows_and_columns(grid):
    """Subtraction, however the rows and columns are combined, pins down no hidden count. (Reading
    "at least 1" into every hidden cell as well can, in rare cross-tables, pin one: see the rule's docstring.)"""
    counts, relations = cross(grid)
    hidden = suppress(counts, relations)
    assert_protected(counts, relations, hidden)
    assert open_cells(counts, relations, hidden, at_least_one=False) == hidden


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 4).flatmap(lambda width: st.lists(st.lists(COUNTS, min_size=width, max_size=width),
                                                        min_size=1, max_size=4)), st.data())
def test_solving_the_equations_as_a_graph_agrees_with_linear_algebra(grid, data):
    """The audit's shortcut: rows and columns of a cross-table with their totals are a graph's
    equations, so a hidden count is fixed exactly when its edge is a bridge."""
    counts, relations = cross(grid)
    hidden = data.draw(st.sets(st.sampled_from(sorted(counts, key=repr))))
    _, rows = _equations(relations, hidden)
    assert _bridges(rows) == _fixed_by_reduction(rows)
