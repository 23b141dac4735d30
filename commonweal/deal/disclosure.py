"""What the Deal's tables may show: figures from fewer than 10 contributions are withheld, zero included.

The public Deal page and the ledger page show values (pounds, hours), not counts, but a value made
of one or two contributions gives those givers away as surely as a count would. So each cell's
count of contributions decides, with the house rule of `commonweal.suppression`: a cell from fewer
than the threshold (settings.COMMONWEAL_SUPPRESSION_THRESHOLD) is withheld, and enough others in
its row or column that it cannot be worked out from the totals shown beside it. A withheld figure
is None; templates say "withheld".
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from commonweal.suppression import suppress_counts, suppress_table

from .ledger import Totals
from .models import Contribution, Sector

KINDS = [k.value for k in Contribution.Kind]


@dataclass(frozen=True)
class ShownTotals:
    """One line of a table as shown: each figure, or None where withheld."""

    label: str
    money_pence: int | None
    minutes: int | None
    time_value_pence: int | None
    in_kind_pence: int | None
    value_pence: int | None


@dataclass(frozen=True)
class ShownMonth:
    month: date
    count: int | None
    minutes: int | None
    value_pence: int | None

    @property
    def withheld(self) -> bool:
        return self.count is None


def _threshold() -> int:
    return int(settings.COMMONWEAL_SUPPRESSION_THRESHOLD)


def sector_table(cells: dict[tuple[str, str], Totals]) -> tuple[list[ShownTotals], ShownTotals]:
    """Rows by sector (money, hours and value of time, in kind, total) and the all-sectors row, suppressed.

    The grid is sector x kind with its margins shown (each sector's total value, each kind's total over
    sectors, and the grand total), so a withheld cell always has another withheld in its row and column.
    """
    sectors = [s.value for s in Sector]
    grid = [[cells.get((s, k), Totals()).count for k in KINDS] for s in sectors]
    table = suppress_table(grid, threshold=_threshold(), row_totals=True, column_totals=True)
    rows = []
    for i, sector in enumerate(sectors):
        parts = [cells.get((sector, k), Totals()) for k in KINDS]
        total = parts[0] + parts[1] + parts[2]
        rows.append(_line(str(Sector(sector).label), parts, table.cells[i], total, table.row_totals[i]))
    columns = [sum((cells.get((s, k), Totals()) for s in sectors), Totals()) for k in KINDS]
    grand = columns[0] + columns[1] + columns[2]
    return rows, _line("", columns, table.column_totals, grand, table.total)


def _line(label: str, parts: list[Totals], shown: list[int | None], total: Totals, total_shown: int | None):
    money, time, in_kind = (part if count is not None else None for part, count in zip(parts, shown, strict=True))
    return ShownTotals(
        label=label,
        money_pence=money.money_pence if money else None,
        minutes=time.minutes if time else None,
        time_value_pence=time.time_value_pence if time else None,
        in_kind_pence=in_kind.in_kind_pence if in_kind else None,
        value_pence=total.value_pence if total_shown is not None else None,
    )


def month_table(months: list[tuple[date, Totals]], *, start: date, end: date) -> list[ShownMonth]:
    """Every month of the period (empty ones too: a zero discloses as much as a one) with its count,
    hours and value, or None for a month of fewer than the threshold and for enough others that it
    cannot be worked out from the period's total (shown in the sector table)."""
    found = dict(months)
    every = _months(start, end)
    totals = [found.get(month, Totals()) for month in every]
    shown = suppress_counts([t.count for t in totals], threshold=_threshold(), total_shown=True)
    return [
        ShownMonth(month, t.count, t.minutes, t.value_pence)
        if count is not None
        else ShownMonth(month, None, None, None)
        for month, t, count in zip(every, totals, shown, strict=True)
    ]


def _months(start: date, end: date) -> list[date]:
    """The first days of the months that meet `start <= day < end`."""
    month, found = start.replace(day=1), []
    while month < end:
        found.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return found
