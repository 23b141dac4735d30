"""Nested tables (neighbourhoods within deciles) suppressed together: no hidden figure can be worked out from
the figures shown at either level and the grand total, on random hostile layouts."""

import random
from fractions import Fraction

import pytest

from commonweal.suppression import SuppressedNesting, suppress_counts, suppress_nested

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
