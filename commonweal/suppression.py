"""Small-number suppression for anything shown to analysts or the public.

Primary suppression hides every count below the threshold (10 by default, including zero: a
zero can disclose as much as a one). Secondary suppression then hides enough other cells that no
hidden count can be worked out from the totals shown: in every row and every column that has a
shown total, either no cell is hidden or at least two are. This is the usual rule of the ONS and
NHS England disclosure guidance for frequency tables.

Two tables over the same people where one nests in the other (neighbourhoods in IMD deciles,
neighbourhoods in districts) are one hierarchy: each group's figure is the total of its parts, and
the groups add up to the grand total. `suppress_nested` protects both levels together: in every
group shown, none or at least two of its parts are hidden (else the group's figure minus its parts
shown gives the hidden one away); a group hidden has at least one part hidden (else the sum of its
parts gives it away); and the groups follow the rule above against the grand total. Suppressing each
table on its own is not enough: each would be safe against its own total and not against the other.

Pure Python: tables are lists of rows of counts (None for a missing cell). Results keep the
shape and say, cell by cell, what is shown.
"""

from collections.abc import Sequence
from dataclasses import dataclass

SUPPRESSED = None


@dataclass(frozen=True)
class SuppressedTable:
    """A table of counts with hidden cells as None, its margins, and why each cell was hidden."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None
    primary: frozenset[tuple[int, int]]
    secondary: frozenset[tuple[int, int]]


def is_small(count: int | None, threshold: int) -> bool:
    return count is not None and count < threshold


def suppress_counts(counts: Sequence[int], *, threshold: int = 10, total_shown: bool = True) -> list[int | None]:
    """Suppress a one-way breakdown (e.g. counts by IMD decile) whose total is shown.

    >>> suppress_counts([120, 4, 60, 33])
    [120, None, 60, None]
    >>> suppress_counts([120, 4, 60, 33], total_shown=False)
    [120, None, 60, 33]
    """
    table = suppress_table([list(counts)], threshold=threshold, row_totals=total_shown, column_totals=False)
    return table.cells[0]


def suppress_table(
    counts: Sequence[Sequence[int | None]],
    *,
    threshold: int = 10,
    row_totals: bool = True,
    column_totals: bool = True,
) -> SuppressedTable:
    """Suppress a two-way table of counts with the margins that will be shown.

    Margins below the threshold are hidden too; a hidden margin protects its line, so that line
    needs no secondary suppression. Secondary cells are chosen smallest first, so as little as
    possible is hidden.

    >>> t = suppress_table([[50, 3], [40, 60]])
    >>> t.cells, t.row_totals, t.column_totals
    ([[None, None], [None, None]], [53, 100], [90, 63])
    """
    grid = [list(row) for row in counts]
    width = max((len(r) for r in grid), default=0)
    for row in grid:
        row.extend([None] * (width - len(row)))
    rows = [sum(c or 0 for c in row) for row in grid]
    columns = [sum(row[j] or 0 for row in grid) for j in range(width)]
    primary = {(i, j) for i, row in enumerate(grid) for j, c in enumerate(row) if is_small(c, threshold)}
    hidden = set(primary)
    row_shown = [row_totals and not is_small(t, threshold) for t in rows]
    column_shown = [column_totals and not is_small(t, threshold) for t in columns]
    changed = True
    while changed:
        changed = False
        lines = [[(i, j) for j in range(width)] for i in range(len(grid)) if row_shown[i]]
        lines += [[(i, j) for i in range(len(grid))] for j in range(width) if column_shown[j]]
        for line in lines:
            if _protect(line, grid, hidden):
                changed = True
    total = sum(rows)
    return SuppressedTable(
        cells=[[None if (i, j) in hidden else c for j, c in enumerate(row)] for i, row in enumerate(grid)],
        row_totals=[t if row_shown[i] else None for i, t in enumerate(rows)] if row_totals else [None] * len(rows),
        column_totals=[t if column_shown[j] else None for j, t in enumerate(columns)]
        if column_totals
        else [None] * width,
        total=None if is_small(total, threshold) else total,
        primary=frozenset(primary),
        secondary=frozenset(hidden - primary),
    )


@dataclass(frozen=True)
class SuppressedNesting:
    """Groups of parts (e.g. neighbourhoods within IMD deciles), hidden figures as None at both levels."""

    parts: list[list[int | None]]
    groups: list[int | None]
    total: int | None
    primary: frozenset[tuple[int, int] | int]  # (group, part) for a part, the group's index for a group
    secondary: frozenset[tuple[int, int] | int]


def suppress_nested(
    groups: Sequence[Sequence[int]], *, threshold: int = 10, total_shown: bool = True
) -> SuppressedNesting:
    """Suppress a table of groups and, beside it, the table of their parts, both shown.

    `groups[i]` lists the counts of group i's parts; the group's count is their sum and the grand
    total is the sum of the groups (each person counted in one part). The parts' own table needs
    nothing more: its total is the grand total, and if every group's parts are protected against the
    group, the parts are protected against the grand total too.

    Counts below the threshold are hidden at either level. Then, until nothing changes: a group
    shown with exactly one part hidden hides its smallest other part, or itself if it has no other;
    a group hidden with no part hidden hides its smallest part; and with the grand total shown, a
    lone hidden group hides the smallest other group (or the total, if there is no other).

    >>> t = suppress_nested([[40, 5, 30], [25, 20]])
    >>> t.parts, t.groups, t.total
    ([[40, None, None], [25, 20]], [75, 45], 120)
    >>> t = suppress_nested([[12, 30], [4]])  # the lone small group takes the other with it, and a part of it
    >>> t.parts, t.groups, t.total
    ([[None, 30], [None]], [None, None], 46)
    """
    parts = [list(group) for group in groups]
    sums = [sum(group) for group in parts]
    primary: set[tuple[int, int] | int] = {i for i, s in enumerate(sums) if is_small(s, threshold)}
    primary |= {(i, j) for i, group in enumerate(parts) for j, c in enumerate(group) if is_small(c, threshold)}
    hidden = set(primary)
    total = sum(sums)
    total_is_shown = total_shown and not is_small(total, threshold)
    changed = True
    while changed:
        changed = False
        if total_is_shown and sum(i in hidden for i in range(len(parts))) == 1:
            other_groups = [(s, i) for i, s in enumerate(sums) if i not in hidden]
            if other_groups:
                hidden.add(min(other_groups)[1])
            else:
                total_is_shown = False
            changed = True
        for i, group in enumerate(parts):
            hidden_parts = sum((i, j) in hidden for j in range(len(group)))
            other_parts = [(c, (i, j)) for j, c in enumerate(group) if (i, j) not in hidden]
            if i in hidden and not hidden_parts and other_parts:
                hidden.add(min(other_parts)[1])
                changed = True
            elif i not in hidden and hidden_parts == 1:
                hidden.add(min(other_parts)[1] if other_parts else i)
                changed = True
    return SuppressedNesting(
        parts=[[None if (i, j) in hidden else c for j, c in enumerate(group)] for i, group in enumerate(parts)],
        groups=[None if i in hidden else s for i, s in enumerate(sums)],
        total=total if total_is_shown else None,
        primary=frozenset(primary),
        secondary=frozenset(hidden - primary),
    )


def _protect(line: list[tuple[int, int]], grid: list[list[int | None]], hidden: set[tuple[int, int]]) -> bool:
    """If exactly one cell of a line with a shown total is hidden, hide the smallest other one."""
    present = [cell for cell in line if grid[cell[0]][cell[1]] is not None]
    if sum(cell in hidden for cell in present) != 1:
        return False
    candidates = sorted((grid[i][j] or 0, (i, j)) for i, j in present if (i, j) not in hidden)
    if not candidates:
        return False
    hidden.add(candidates[0][1])
    return True


def suppress_value(count: int | None, *, threshold: int = 10) -> bool:
    """Whether a figure derived from this count (a rate, a share, a mean) must be hidden too."""
    return count is None or count < threshold
