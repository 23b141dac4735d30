"""Prices: price years, the GDP deflator and rebasing values to a common price year.

Price years come in two conventions. Calendar years are integers (``2019``); financial years
run April to March and are written ``"2013/14"`` (also ``"2013-14"`` or ``"2013/2014"``). The
bundled deflator is HM Treasury's calendar-year GDP deflator (December 2025 release,
2024 = 100). To price a financial year against a calendar-year series, ``financial_year``
chooses the convention:

* ``"weighted"`` (default): 3/4 of the first calendar year and 1/4 of the next, the months each
  contributes (April-December, January-March);
* ``"start"``: the calendar year in which the financial year starts;
* ``"end"``: the calendar year in which it ends.

A deflator published by financial year (``basis="financial"``) is read the other way round.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal, overload

import numpy as np
from numpy.typing import NDArray

from .errors import ValuationError

FloatArray = NDArray[np.float64]
PriceYear = int | str
FinancialYearConvention = Literal["weighted", "start", "end"]

_FINANCIAL = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*$")
_CALENDAR = re.compile(r"^\s*(\d{4})\s*$")


@dataclass(frozen=True)
class ParsedYear:
    """A price year: its first calendar year, and whether it is a financial year."""

    year: int
    financial: bool

    def __str__(self) -> str:
        if self.financial:
            return f"{self.year}/{(self.year + 1) % 100:02d}"
        return str(self.year)


def parse_price_year(value: PriceYear) -> ParsedYear:
    """Read a price year: ``2019``, ``"2019"``, or a financial year ``"2013/14"``.

    Examples
    --------
    >>> parse_price_year("2013/14")
    ParsedYear(year=2013, financial=True)
    >>> str(parse_price_year(2019))
    '2019'
    """
    if isinstance(value, bool):
        raise ValuationError(f"price year {value!r} is not a year")
    if isinstance(value, int):
        return ParsedYear(value, False)
    if isinstance(value, str):
        calendar = _CALENDAR.match(value)
        if calendar:
            return ParsedYear(int(calendar.group(1)), False)
        financial = _FINANCIAL.match(value)
        if financial:
            start, end = int(financial.group(1)), financial.group(2)
            expected = start + 1
            if int(end) not in (expected, expected % 100):
                raise ValuationError(f"financial year {value!r} should end the year after it starts")
            return ParsedYear(start, True)
    raise ValuationError(
        f"price year {value!r} is not a year: write a calendar year (2019) or a financial year ('2013/14')"
    )


@dataclass(frozen=True)
class Deflator:
    """A price index by year (the GDP deflator), used to rebase values between price years.

    Parameters
    ----------
    index
        Index level by year (the first calendar year of a financial year, for a financial series).
    basis
        ``"calendar"`` or ``"financial"``: the years the series is published for.
    source
        Where the series comes from.
    """

    index: Mapping[int, float]
    basis: Literal["calendar", "financial"] = "calendar"
    source: str = ""
    _years: tuple[int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.basis not in ("calendar", "financial"):
            raise ValuationError(f"deflator basis must be 'calendar' or 'financial', not {self.basis!r}")
        if not self.index:
            raise ValuationError("a deflator needs at least one year")
        for year, level in self.index.items():
            if not level > 0:
                raise ValuationError(f"deflator index for {year} must be positive, not {level}")
        object.__setattr__(self, "index", dict(sorted(self.index.items())))
        object.__setattr__(self, "_years", (min(self.index), max(self.index)))

    def _level(self, year: int, wanted: ParsedYear) -> float:
        try:
            return float(self.index[year])
        except KeyError:
            first, last = self._years
            raise ValuationError(
                f"the deflator ({self.basis} years {first}-{last}) has no {year}, needed for prices of "
                f"{wanted}: load a longer series with load_deflator(path), choose a price year it covers"
                + (", or pass financial_year='start'" if wanted.financial else "")
            ) from None

    def level(self, price_year: PriceYear, *, financial_year: FinancialYearConvention = "weighted") -> float:
        """Return the index level for a price year under the given financial-year convention.

        Examples
        --------
        >>> d = Deflator({2013: 80.0, 2014: 84.0})
        >>> d.level("2013/14"), d.level("2013/14", financial_year="start")
        (81.0, 80.0)
        """
        wanted = parse_price_year(price_year)
        if financial_year not in ("weighted", "start", "end"):
            raise ValuationError(f"financial_year must be 'weighted', 'start' or 'end', not {financial_year!r}")
        same = wanted.financial == (self.basis == "financial")
        if same:
            return self._level(wanted.year, wanted)
        # A financial year against a calendar series, or a calendar year against a financial series.
        first, second = (wanted.year, wanted.year + 1) if wanted.financial else (wanted.year - 1, wanted.year)
        if financial_year == "start":
            return self._level(first if wanted.financial else second, wanted)
        if financial_year == "end":
            return self._level(second if wanted.financial else first, wanted)
        # April-December of the first calendar year, January-March of the next; a calendar year
        # is January-March of the financial year before and April-December of its own.
        share_first = 0.75 if wanted.financial else 0.25
        return share_first * self._level(first, wanted) + (1 - share_first) * self._level(second, wanted)


def parse_deflator_from_string(
    text: str, *, basis: Literal["calendar", "financial"] = "calendar", source: str = ""
) -> Deflator:
    """Read a deflator from CSV text with a ``year`` column and an index column.

    The index column is ``index`` or the first column whose name starts with ``gdp_deflator``.
    For a financial-year series the year may be written ``2013/14``.

    Examples
    --------
    >>> parse_deflator_from_string("year,index\\n2019,81.1\\n2024,100\\n").index[2019]
    81.1
    """
    reader = csv.DictReader(io.StringIO(text))
    names = reader.fieldnames or []
    column = next((n for n in names if n == "index"), None) or next(
        (n for n in names if n.startswith("gdp_deflator")), None
    )
    if "year" not in names or column is None:
        raise ValuationError(
            f"a deflator file needs a 'year' column and an 'index' column; it has {', '.join(names) or 'none'}"
        )
    index: dict[int, float] = {}
    for number, row in enumerate(reader, start=2):
        try:
            year = parse_price_year(row["year"]).year
            index[year] = float(row[column])
        except (ValueError, TypeError) as error:
            raise ValuationError(f"deflator line {number}: {error}") from None
    return Deflator(index, basis=basis, source=source)


def load_deflator(path: str | Path, *, basis: Literal["calendar", "financial"] = "calendar") -> Deflator:
    """Read a deflator CSV file (see :func:`parse_deflator_from_string`)."""
    return parse_deflator_from_string(Path(path).read_text(encoding="utf-8"), basis=basis, source=str(path))


_DEFAULT: list[Deflator] = []


def default_deflator() -> Deflator:
    """The bundled HM Treasury GDP deflator, calendar years 1990-2024, 2024 = 100 (OGL v3.0).

    Examples
    --------
    >>> default_deflator().index[2024]
    100.0
    """
    if not _DEFAULT:
        text = resources.files(__package__).joinpath("data").joinpath("gdp_deflator.csv").read_text(encoding="utf-8")
        deflator = parse_deflator_from_string(
            text,
            source="HM Treasury GDP deflators at market prices, December 2025 (QNA), 2024 = 100; OGL v3.0",
        )
        _DEFAULT.append(deflator)
    return _DEFAULT[0]


@overload
def rebase(
    value: float,
    from_year: PriceYear,
    to_year: PriceYear,
    *,
    deflator: Deflator | None = ...,
    financial_year: FinancialYearConvention = ...,
) -> float: ...
@overload
def rebase(
    value: FloatArray,
    from_year: PriceYear,
    to_year: PriceYear,
    *,
    deflator: Deflator | None = ...,
    financial_year: FinancialYearConvention = ...,
) -> FloatArray: ...
def rebase(
    value: float | FloatArray,
    from_year: PriceYear,
    to_year: PriceYear,
    *,
    deflator: Deflator | None = None,
    financial_year: FinancialYearConvention = "weighted",
) -> float | FloatArray:
    """Restate a value in the prices of another year (real terms), with the GDP deflator.

    Parameters
    ----------
    value
        A value or array of values in ``from_year`` prices.
    from_year, to_year
        Price years: calendar (``2019``) or financial (``"2013/14"``).
    deflator
        The price index; default the bundled HM Treasury GDP deflator (calendar years).
    financial_year
        How a financial year is priced against a calendar series: ``"weighted"`` (default,
        3/4 first year + 1/4 second), ``"start"`` or ``"end"``.

    Returns
    -------
    float or numpy.ndarray
        ``value * index(to_year) / index(from_year)``.

    Raises
    ------
    ValuationError
        If the deflator lacks a year needed, or a year cannot be read.

    Examples
    --------
    >>> round(rebase(13_000, 2019, 2024), 2)
    16027.91
    >>> round(rebase(rebase(100.0, "2013/14", 2020), 2020, "2013/14"), 10)
    100.0
    """
    index = deflator if deflator is not None else default_deflator()
    factor = index.level(to_year, financial_year=financial_year) / index.level(from_year, financial_year=financial_year)
    if isinstance(value, np.ndarray):
        return np.asarray(value, dtype=np.float64) * factor
    return float(value) * factor
