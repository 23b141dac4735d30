"""Small-number suppression for anything shown to analysts or the public.

Primary suppression hides every count below the threshold (10 by default, including zero: a
zero can disclose as much as a one). Secondary suppression then hides enough other cells that no
hidden count can be worked out from the totals shown: in every row and every column that has a
shown total, either no cell is hidden or at least two are. This is the usual rule of the ONS and
NHS England disclosure guidance for frequency tables.

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
