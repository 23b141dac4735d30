"""Nested tables (neighbourhoods within deciles) suppressed together: no hidden figure can be worked out from
the figures shown at either level and the grand total, on random hostile layouts."""

import random
from fractions import Fraction

import pytest

from commonweal.suppression import SuppressedNesting, suppress_counts, suppress_nested, suppress_table

COUNTS = [0, 1, 3, 9, 10, 11, 12, 25, 40, 200]


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [list(r) for r in rows]
    rank = 0
    for column in range(len(rows[0]) if rows else 0):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][column]:
                factor = rows[r][column] / rows[rank][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def _worked_out(groups, table, *, total_shown=True):
    """Every hidden figure an attacker can compute exactly by any sums and differences of what is shown:
    each group is the sum of its parts, and the groups add up to the total. Returns the hidden unknowns
    ("total", group i, or (i, j) for part j of group i) that the published figures determine."""
    unknowns = [(i, j) for i, parts in enumerate(table.parts) for j, c in enumerate(parts) if c is None]
    unknowns += [i for i, g in enumerate(table.groups) if g is None]
    if table.total is None:
        unknowns.append("total")
    column = {u: k for k, u in enumerate(unknowns)}
    equations = []
    for i, parts in enumerate(groups):
        row = [Fraction(0)] * len(unknowns)
        if i in column:
            row[column[i]] += 1
        for j in range(len(parts)):
            if (i, j) in column:
                row[column[i, j]] -= 1
        equations.append(row)
    if total_shown or table.total is not None:
        row = [Fraction(0)] * len(unknowns)
        if "total" in column:
            row[column["total"]] += 1
        for i in range(len(groups)):
            if i in column:
                row[column[i]] -= 1
        equations.append(row)
    equations = [row for row in equations if any(row)]
    if not unknowns:
        return []
    base = _rank(equations) if equations else 0
    found = []
    for u, k in column.items():
        unit = [Fraction(int(n == k)) for n in range(len(unknowns))]
        if (_rank([*equations, unit]) if equations else 1) == base:
            found.append(u)
    # A hidden total is a secret only where it is small; the groups' attacker wants groups and parts.
    return [u for u in found if u != "total"]


def _random_groups(rng: random.Random) -> list[list[int]]:
    return [[rng.choice(COUNTS) for _ in range(rng.randrange(1, 6))] for _ in range(rng.randrange(1, 11))]


@pytest.mark.parametrize("seed", range(150))
def test_no_hidden_part_or_group_can_be_worked_out_on_random_nested_tables(seed):
    rng = random.Random(seed)
    groups = _random_groups(rng)
    table = suppress_nested(groups)
    for i, parts in enumerate(groups):
        if sum(parts) < 10:
            assert table.groups[i] is None
        for j, count in enumerate(parts):
            if count < 10:
                assert table.parts[i][j] is None
        hidden = sum(c is None for c in table.parts[i])
        # Every group with hidden parts hides at least two, or is hidden; a hidden group hides a part.
        assert hidden == 0 or hidden >= 2 or table.groups[i] is None, (groups, table)
        assert table.groups[i] is not None or hidden >= 1
    if table.total is not None:
        assert sum(g is None for g in table.groups) != 1
    assert _worked_out(groups, table) == [], (groups, table)
    # What is shown is what was counted.
    assert all(s in (None, c) for g, t in zip(groups, table.parts, strict=True) for c, s in zip(g, t, strict=True))


@pytest.mark.parametrize("seed", range(40))
def test_nested_tables_without_a_total_shown_are_protected_too(seed):
    rng = random.Random(1000 + seed)
    groups = _random_groups(rng)
    table = suppress_nested(groups, total_shown=False, threshold=rng.choice([3, 10, 20]))
    assert table.total is None
    assert _worked_out(groups, table, total_shown=False) == [], (groups, table)


def test_nothing_is_hidden_when_every_count_is_large():
    rng = random.Random(7)
    for _ in range(50):
        groups = [[rng.randrange(10, 500) for _ in range(rng.randrange(1, 6))] for _ in range(rng.randrange(1, 11))]
        table = suppress_nested(groups)
        assert table.parts == groups
        assert table.groups == [sum(g) for g in groups]
        assert table.total == sum(map(sum, groups))
        assert not table.primary
        assert not table.secondary


def test_a_lone_hidden_part_takes_the_smallest_other_part_of_its_group_and_nothing_else():
    table = suppress_nested([[4, 30, 25], [20], [40, 50]])
    assert table.parts == [[None, 30, None], [20], [40, 50]]
    assert table.groups == [59, 20, 90]
    assert table.primary == {(0, 0)}
    assert table.secondary == {(0, 2)}


def test_a_small_group_takes_the_smallest_other_group_and_a_part_of_it():
    table = suppress_nested([[40, 50], [15], [4, 30], [3]], threshold=10)
    # Group 3 (3) is small, and its one part. The smallest other group, 1 (15), is hidden against the total,
    # and so is its one part, which would otherwise give it away. Group 2 is shown: its 4 takes its 30.
    assert table.groups == [90, None, 34, None]
    assert table.parts == [[40, 50], [None], [None, None], [None]]
    assert table.total == 142


def test_nesting_protects_more_than_suppressing_each_table_alone():
    # The house rule on each table alone shows decile 1 (34) and neighbourhood B (30): 34 - 30 = 4.
    groups = [[4, 30], [25], [20]]
    assert suppress_counts([sum(g) for g in groups]) == [34, 25, 20]
    assert suppress_counts([4, 30, 25, 20]) == [None, 30, 25, None]
    alone = SuppressedNesting(
        parts=[[None, 30], [25], [None]], groups=[34, 25, 20], total=79, primary=frozenset(), secondary=frozenset()
    )
    assert _worked_out(groups, alone) == [(0, 0), (2, 0)]  # 4 = 34 - 30; 20 is decile 3 itself
    table = suppress_nested(groups)
    assert table.groups == [34, 25, 20]
    assert table.parts == [[None, None], [25], [20]]
    assert _worked_out(groups, table) == []


# Two-way tables with their margins: the same exact check over every sum shown together.


def _determined_in_table(grid, table, threshold=10):
    """The small hidden figures of a two-way table (cells, row totals, column totals) that the figures shown
    determine exactly, given that every row and column adds up to its total and the totals to the grand total."""
    height, width = len(grid), len(grid[0])
    rows = [sum(c or 0 for c in row) for row in grid]
    columns = [sum(grid[i][j] or 0 for i in range(height)) for j in range(width)]
    unknowns = [("cell", i, j) for i in range(height) for j in range(width) if grid[i][j] is not None]
    unknowns = [u for u in unknowns if table.cells[u[1]][u[2]] is None]
    unknowns += [("row", i) for i in range(height) if table.row_totals[i] is None]
    unknowns += [("column", j) for j in range(width) if table.column_totals[j] is None]
    column = {u: k for k, u in enumerate(unknowns)}
    equations = []

    def add(terms):
        row = [Fraction(0)] * len(unknowns)
        for u, sign in terms:
            if u in column:
                row[column[u]] += sign
        if any(row):
            equations.append(row)

    for i in range(height):
        add([(("cell", i, j), 1) for j in range(width)] + [(("row", i), -1)])
    for j in range(width):
        add([(("cell", i, j), 1) for i in range(height)] + [(("column", j), -1)])
    add([(("row", i), 1) for i in range(height)])
    add([(("column", j), 1) for j in range(width)])
    if not equations:
        return []
    base = _rank(equations)
    found = []
    for u, k in column.items():
        if u[0] == "row" and all(c is None for c in grid[u[1]]):
            continue  # a line without cells is 0 by its shape: nobody's count
        if u[0] == "column" and all(row[u[1]] is None for row in grid):
            continue
        value = grid[u[1]][u[2]] if u[0] == "cell" else rows[u[1]] if u[0] == "row" else columns[u[1]]
        unit = [Fraction(int(n == k)) for n in range(len(unknowns))]
        if value < threshold and _rank([*equations, unit]) == base:
            found.append(u)
    return found


def test_a_cell_alone_in_its_row_does_not_give_away_the_small_cell_it_protects():
    # Column 1 hides 3 and then 40 to protect it; 40 is alone in its row, whose total (40) is shown, so the
    # line-by-line rule left 3 = 43 - 40 to be worked out.
    grid = [[50, 3], [None, 40]]
    table = suppress_table(grid)
    assert table.cells[0][1] is None
    assert _determined_in_table(grid, table) == []


@pytest.mark.parametrize("seed", range(120))
def test_no_small_figure_can_be_worked_out_of_random_two_way_tables(seed):
    rng = random.Random(seed)
    height, width = rng.randrange(1, 6), rng.randrange(1, 5)
    grid = [[None if rng.random() < 0.2 else rng.choice(COUNTS) for _ in range(width)] for _ in range(height)]
    table = suppress_table(grid)
    if table.total is None:
        return  # a small grand total: the whole table is small, and its callers withhold it all
    assert _determined_in_table(grid, table) == [], (grid, table)
    # Never more than needed where nothing is small: a table of large counts is shown whole.
    big = [[c if c is None else c + 10 for c in row] for row in grid]
    assert suppress_table(big).cells == big
