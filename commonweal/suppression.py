"""Small-number suppression for anything shown to analysts or the public.

Primary suppression hides every count below the threshold (10 by default, including zero: a
zero can disclose as much as a one). Secondary suppression then hides enough other cells that no
hidden count can be worked out from the totals shown: in every row and every column that has a
shown total, either no cell is hidden or at least two are. This is the usual rule of the ONS and
NHS England disclosure guidance for frequency tables. Looking at one line at a time is not always
enough (a cell alone in its row gives itself away through the row's total; the margins add up to
the grand total), so a two-way table is then checked exactly: every sum shown, taken together, as a
system of linear equations, and no small hidden figure may be determined by it; where one is, the
smallest figure still shown beside it is hidden too, and the check is repeated.

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
from fractions import Fraction

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
    total = sum(rows)
    small_total = is_small(total, threshold)
    total_shown = not small_total
    while True:
        changed = True
        while changed:
            changed = False
            lines = [[(i, j) for j in range(width)] for i in range(len(grid)) if row_shown[i]]
            lines += [[(i, j) for i in range(len(grid))] for j in range(width) if column_shown[j]]
            for line in lines:
                if _protect(line, grid, hidden):
                    changed = True
        # The rule above looks at one line at a time. Checked exactly over all the sums shown together (cells,
        # margins and grand total), a small figure may still be worked out, e.g. where a line has one cell only,
        # or the margins add up to the grand total: then hide more, and look again.
        if small_total:
            break  # every figure is small: its callers withhold the whole table
        leak = _first_disclosed(
            grid, hidden, rows, columns, row_shown, column_shown, total_shown, row_totals, column_totals, threshold
        )
        if leak is None:
            break
        if not _hide_more(leak, grid, hidden, row_shown, column_shown, rows, columns, row_totals, column_totals):
            if not total_shown:  # nothing is left to hide but everything: withhold the whole table
                hidden |= {(i, j) for i, row in enumerate(grid) for j, c in enumerate(row) if c is not None}
                break
            total_shown = False
    return SuppressedTable(
        cells=[[None if (i, j) in hidden else c for j, c in enumerate(row)] for i, row in enumerate(grid)],
        row_totals=[t if row_shown[i] else None for i, t in enumerate(rows)] if row_totals else [None] * len(rows),
        column_totals=[t if column_shown[j] else None for j, t in enumerate(columns)]
        if column_totals
        else [None] * width,
        total=total if total_shown else None,
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


Unknown = tuple[str, int, int]  # ("cell", i, j), ("row", i, 0), ("column", j, 0), ("total", 0, 0)


def _equations(
    grid: list[list[int | None]],
    hidden: set[tuple[int, int]],
    row_shown: list[bool],
    column_shown: list[bool],
    row_totals: bool,
    column_totals: bool,
    total_shown: bool,
) -> tuple[list[Unknown], list[list[Fraction]]]:
    """The sums a reader of the table has, as rows of coefficients over the hidden figures (with margins shown,
    the grand total is shown too; a line's known figures only move its right-hand side, which decides nothing)."""
    unknowns: list[Unknown] = [("cell", i, j) for i, j in sorted(hidden) if grid[i][j] is not None]
    if row_totals:
        unknowns += [("row", i, 0) for i, shown in enumerate(row_shown) if not shown]
    if column_totals:
        unknowns += [("column", j, 0) for j, shown in enumerate(column_shown) if not shown]
    if not total_shown:
        unknowns.append(("total", 0, 0))
    index = {u: k for k, u in enumerate(unknowns)}
    equations = []

    def equation(terms: list[tuple[Unknown, int]]) -> None:
        row = [Fraction(0)] * len(unknowns)
        for u, sign in terms:
            if u in index:
                row[index[u]] += sign
        if any(row):
            equations.append(row)

    height, width = len(grid), len(grid[0]) if grid else 0
    if row_totals:
        for i in range(height):
            equation([(("cell", i, j), 1) for j in range(width)] + [(("row", i, 0), -1)])
        equation([(("row", i, 0), 1) for i in range(height)] + [(("total", 0, 0), -1)])
    if column_totals:
        for j in range(width):
            equation([(("cell", i, j), 1) for i in range(height)] + [(("column", j, 0), -1)])
        equation([(("column", j, 0), 1) for j in range(width)] + [(("total", 0, 0), -1)])
    return unknowns, equations


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


def _first_disclosed(
    grid: list[list[int | None]],
    hidden: set[tuple[int, int]],
    rows: list[int],
    columns: list[int],
    row_shown: list[bool],
    column_shown: list[bool],
    total_shown: bool,
    row_totals: bool,
    column_totals: bool,
    threshold: int,
) -> Unknown | None:
    """A small hidden figure (cell or margin) that the figures shown determine exactly, if there is one."""
    unknowns, equations = _equations(grid, hidden, row_shown, column_shown, row_totals, column_totals, total_shown)
    if not equations:
        return None
    base = _rank(equations)
    for k, u in enumerate(unknowns):
        kind, a, b = u
        if kind == "total":
            continue  # not small (a small grand total withholds the whole table)
        if kind == "row" and all(c is None for c in grid[a]):
            continue  # a line without cells adds up to 0 by its shape, not by anyone's count
        if kind == "column" and all(row[a] is None for row in grid):
            continue
        value = grid[a][b] if kind == "cell" else rows[a] if kind == "row" else columns[a]
        if not is_small(value, threshold):
            continue
        unit = [Fraction(int(n == k)) for n in range(len(unknowns))]
        if _rank([*equations, unit]) == base:
            return u
    return None


def _hide_more(
    leak: Unknown,
    grid: list[list[int | None]],
    hidden: set[tuple[int, int]],
    row_shown: list[bool],
    column_shown: list[bool],
    rows: list[int],
    columns: list[int],
    row_totals: bool,
    column_totals: bool,
) -> bool:
    """Hide the smallest figure still shown beside a disclosed one: a cell of its row or column, else a margin.
    False if none is left but the grand total."""
    kind, a, b = leak
    height, width = len(grid), len(grid[0]) if grid else 0
    if kind == "cell":
        lines = [[(a, j) for j in range(width)], [(i, b) for i in range(height)]]
        cells = [(grid[i][j], (i, j)) for line in lines for i, j in line if grid[i][j] is not None]
    elif kind == "row":
        cells = [(grid[i][j], (i, j)) for i in range(height) for j in range(width) if grid[i][j] is not None and i != a]
    else:
        cells = [(grid[i][j], (i, j)) for i in range(height) for j in range(width) if grid[i][j] is not None and j != a]
    shown = sorted((value or 0, cell) for value, cell in cells if cell not in hidden)
    if shown:
        hidden.add(shown[0][1])
        return True
    # No cell left to hide beside it: hide the smallest margin shown, else (returning False) the grand total.
    margins = [(rows[i], "row", i) for i in range(height) if row_totals and row_shown[i]]
    margins += [(columns[j], "column", j) for j in range(width) if column_totals and column_shown[j]]
    if not margins:
        return False
    _, which, index = min(margins)
    if which == "row":
        row_shown[index] = False
    else:
        column_shown[index] = False
    return True


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
