"""Reading the resources ledger: totals that reconcile, for pages and for the social productivity account.

`resources_in` is the service the social productivity account calls for its "resources in". Every
figure comes from one grouped query over the same rows, so the totals by sector, by district, by
neighbourhood and by kind each add up exactly (in pence, minutes and counts) to the grand total.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from .models import Contribution, Sector

NOT_PLACED = None  # the key for contributions not placed in a neighbourhood (or district)


@dataclass(frozen=True)
class Totals:
    """What went in: its value in pence (money + time + in kind), minutes of time, and how many contributions."""

    value_pence: int = 0
    money_pence: int = 0
    time_value_pence: int = 0
    in_kind_pence: int = 0
    minutes: int = 0
    count: int = 0

    @property
    def value_pounds(self) -> Decimal:
        return Decimal(self.value_pence) / 100

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.01"))

    def __add__(self, other: "Totals") -> "Totals":
        return Totals(*(a + b for a, b in zip(self._values(), other._values(), strict=True)))

    def _values(self) -> tuple[int, ...]:
        return (
            self.value_pence,
            self.money_pence,
            self.time_value_pence,
            self.in_kind_pence,
            self.minutes,
            self.count,
        )


def _sum(parts: Iterable[Totals]) -> Totals:
    total = Totals()
    for part in parts:
        total = total + part
    return total


@dataclass(frozen=True)
class ResourcesIn:
    """The resources put into a place's social value in a period: the social productivity account's input.

    Attributes
    ----------
    place_code, start, end, district_code, neighbourhood_code:
        what was asked for; the period is ``start <= given_on < end`` (half-open, so months add up to years).
    total:
        everything, as `Totals` (value in pence and `value_pounds`, `minutes` and `hours`, `count`).
    by_sector:
        ``{"public" | "private" | "voluntary" | "residents": Totals}``; all four keys always present.
    by_kind:
        ``{"money" | "time" | "in_kind": Totals}``; all three keys always present.
    by_district:
        ``{district code | None: Totals}``; None holds place-wide contributions with no district.
    by_neighbourhood:
        ``{LSOA code | None: Totals}``; None holds contributions not placed in a neighbourhood.
    by_sector_and_neighbourhood:
        ``{(sector, LSOA code | None): Totals}`` for the cells that have any contribution.

    Voided contributions are left out. Values are those frozen when each contribution was recorded
    (time at the council's rate on its date), so re-running for a past period gives the same figures.
    """

    place_code: str
    start: date
    end: date
    district_code: str | None
    neighbourhood_code: str | None
    total: Totals
    by_sector: dict[str, Totals]
    by_kind: dict[str, Totals]
    by_district: dict[str | None, Totals]
    by_neighbourhood: dict[str | None, Totals]
    by_sector_and_neighbourhood: dict[tuple[str, str | None], Totals] = field(default_factory=dict)

    def reconciles(self) -> bool:
        """True when every breakdown adds up exactly to the total (always, by construction; tests check it)."""
        return all(
            _sum(part.values()) == self.total
            for part in (self.by_sector, self.by_kind, self.by_district, self.by_neighbourhood)
        )


def contributions_in(
    place: Any,
    *,
    start: date | None = None,
    end: date | None = None,
    district: Any = None,
    neighbourhood: Any = None,
    sector: str | None = None,
    kind: str | None = None,
    include_voided: bool = False,
) -> QuerySet[Contribution]:
    """The place's contributions filtered as the ledger pages and `resources_in` filter them."""
    rows = Contribution.objects.filter(place=place)
    if not include_voided:
        rows = rows.filter(voided_at__isnull=True)
    if start is not None:
        rows = rows.filter(given_on__gte=start)
    if end is not None:
        rows = rows.filter(given_on__lt=end)
    if district is not None:
        rows = rows.filter(district=district)
    if neighbourhood is not None:
        rows = rows.filter(neighbourhood=neighbourhood)
    if sector:
        rows = rows.filter(sector=sector)
    if kind:
        rows = rows.filter(kind=kind)
    return rows


def resources_in(place: Any, *, start: date, end: date, district: Any = None, neighbourhood: Any = None) -> ResourcesIn:
    """Resources in for a place (optionally one district or neighbourhood) from `start` to before `end`.

    Returns a `ResourcesIn` whose breakdowns by sector, kind, district and neighbourhood each reconcile
    to its total. Three database queries (one over the ledger), whatever its size.

    >>> # r = resources_in(place, start=date(2024, 4, 1), end=date(2025, 4, 1))
    >>> # r.by_sector["residents"].hours, r.total.value_pounds, r.reconciles()
    """
    if end <= start:
        raise ValueError("resources_in: end must be after start (the period is start <= date < end)")
    grouped = (
        contributions_in(place, start=start, end=end, district=district, neighbourhood=neighbourhood)
        .values("sector", "kind", "district_id", "neighbourhood_id")
        .annotate(value=Sum("value_pence"), minutes=Sum("minutes"), count=Count("pk"))
        .order_by()
    )
    # Grouped by ids (no joins over the ledger), then named from the place's few hundred codes.
    rows = list(grouped)
    districts, hoods = _codes(place, rows)
    cells: dict[tuple[str, str, str | None, str | None], Totals] = {}
    for r in rows:
        key = (r["sector"], r["kind"], districts.get(r["district_id"]), hoods.get(r["neighbourhood_id"]))
        cells[key] = cells.get(key, Totals()) + _cell(r["kind"], r)
    return _fold(place, start, end, district, neighbourhood, cells)


def _codes(place: Any, rows: list[dict[str, Any]]) -> tuple[dict[int, str], dict[int, str]]:
    if not rows:
        return {}, {}
    return dict(place.districts.values_list("pk", "code")), dict(place.neighbourhoods.values_list("pk", "code"))


def _cell(kind: str, row: dict[str, Any]) -> Totals:
    value = int(row["value"] or 0)
    return Totals(
        value_pence=value,
        money_pence=value if kind == Contribution.Kind.MONEY else 0,
        time_value_pence=value if kind == Contribution.Kind.TIME else 0,
        in_kind_pence=value if kind == Contribution.Kind.IN_KIND else 0,
        minutes=int(row["minutes"] or 0),
        count=int(row["count"]),
    )


def _fold(place: Any, start: date, end: date, district: Any, neighbourhood: Any, cells: dict) -> ResourcesIn:
    groups: dict[str, defaultdict[Any, Totals]] = {
        name: defaultdict(Totals) for name in ("sector", "kind", "district", "neighbourhood", "sector_lsoa")
    }
    for (sector, kind, district_code, lsoa), totals in cells.items():
        for name, key in (
            ("sector", sector),
            ("kind", kind),
            ("district", district_code),
            ("neighbourhood", lsoa),
            ("sector_lsoa", (sector, lsoa)),
        ):
            groups[name][key] = groups[name][key] + totals
    return ResourcesIn(
        place_code=place.code,
        start=start,
        end=end,
        district_code=getattr(district, "code", None),
        neighbourhood_code=getattr(neighbourhood, "code", None),
        total=_sum(cells.values()),
        by_sector={s.value: groups["sector"].get(s.value, Totals()) for s in Sector},
        by_kind={k.value: groups["kind"].get(k.value, Totals()) for k in Contribution.Kind},
        by_district=dict(groups["district"]),
        by_neighbourhood=dict(groups["neighbourhood"]),
        by_sector_and_neighbourhood=dict(groups["sector_lsoa"]),
    )


@dataclass(frozen=True)
class LedgerSummary:
    """The ledger page's totals for its filters: by sector and kind, and by calendar month (all reconcile)."""

    total: Totals
    by_sector_and_kind: dict[tuple[str, str], Totals]
    by_month: list[tuple[date, Totals]]

    @property
    def by_sector(self) -> dict[str, Totals]:
        return {s.value: _sum(t for (sector, _), t in self.by_sector_and_kind.items() if sector == s) for s in Sector}


def ledger_summary(place: Any, *, start: date, end: date, **filters: Any) -> LedgerSummary:
    """Totals of the filtered ledger by sector and kind and by month, from one grouped query.

    The query groups by (sector, kind, day): at most 12 x 366 rows, read from the covering index
    `contribution_totals_idx` alone. Days are folded into months here, because SQLite truncates dates
    in Python, one call per row.
    """
    rows = (
        contributions_in(place, start=start, end=end, **filters)
        .values("sector", "kind", "given_on")
        .annotate(value=Sum("value_pence"), minutes=Sum("minutes"), count=Count("pk"))
        .order_by()
    )
    cells: defaultdict[tuple[str, str], Totals] = defaultdict(Totals)
    months: defaultdict[date, Totals] = defaultdict(Totals)
    for row in rows:
        totals = _cell(row["kind"], row)
        key, month = (row["sector"], row["kind"]), row["given_on"].replace(day=1)
        cells[key] = cells[key] + totals
        months[month] = months[month] + totals
    return LedgerSummary(total=_sum(cells.values()), by_sector_and_kind=dict(cells), by_month=sorted(months.items()))


def monthly_totals(place: Any, *, start: date, end: date, **filters: Any) -> list[tuple[date, Totals]]:
    """Totals per calendar month in the period (for the ledger page); they add up to the period's total."""
    return ledger_summary(place, start=start, end=end, **filters).by_month


def sector_and_kind_totals(place: Any, *, start: date, end: date) -> dict[tuple[str, str], Totals]:
    """The place's totals by (sector, kind) in the period: twelve cells at most, for the public Deal page."""
    rows = (
        contributions_in(place, start=start, end=end)
        .values("sector", "kind")
        .annotate(value=Sum("value_pence"), minutes=Sum("minutes"), count=Count("pk"))
        .order_by()
    )
    return {(r["sector"], r["kind"]): _cell(r["kind"], r) for r in rows}


# --- A page of the ledger's list, by cursor ------------------------------------------------------


@dataclass(frozen=True)
class LedgerPage:
    """Up to `size` contributions, newest first, with cursors to the newer and older pages (None at an end).

    A cursor is the (date, id) of a row, written "2024-06-15.123"; each page is one indexed range read
    (`contribution_newest_idx`), however deep, and no count of the whole ledger is needed.
    """

    rows: list[Contribution]
    newer: str | None
    older: str | None

    def __iter__(self) -> Iterator[Contribution]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def _cursor(row: Contribution) -> str:
    return f"{row.given_on.isoformat()}.{row.pk}"


def parse_cursor(text: str | None) -> tuple[date, int] | None:
    """A (date, id) from "2024-06-15.123", or None for anything else (a tampered link shows the first page)."""
    day, _, pk = (text or "").partition(".")
    try:
        return date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def ledger_page(rows: QuerySet[Contribution], *, older_than: str | None = None, newer_than: str | None = None,
                size: int = 50) -> LedgerPage:  # fmt: skip
    """The page of `rows` just older than one cursor, or just newer than the other, or else the newest."""
    after = parse_cursor(newer_than)
    if after is not None:
        day, pk = after
        newer = rows.filter(given_on__gte=day).filter(Q(given_on__gt=day) | Q(pk__gt=pk))
        found = list(newer.order_by("given_on", "pk")[: size + 1])
        page = found[:size][::-1]
        more_newer = len(found) > size
        return LedgerPage(page, _cursor(page[0]) if page and more_newer else None, _cursor(page[-1]) if page else None)
    before = parse_cursor(older_than)
    if before is not None:
        day, pk = before
        rows = rows.filter(given_on__lte=day).filter(Q(given_on__lt=day) | Q(pk__lt=pk))
    found = list(rows.order_by("-given_on", "-pk")[: size + 1])
    page = found[:size]
    newer_cursor = _cursor(page[0]) if page and before is not None else None
    return LedgerPage(page, newer_cursor, _cursor(page[-1]) if len(found) > size else None)
