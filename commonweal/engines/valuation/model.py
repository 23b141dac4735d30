"""What is appraised: interventions made of outcomes, costs and resources put in.

The dataclasses hold plain values so that the Django apps can build them from database rows
(an outcome record, a cost line, a volunteer-hours contribution) and so that they validate on
construction: bad input fails where it is made, with a message saying what to change.

Conventions
-----------
* Years are appraisal years: 0 is the present (the base year for discounting), 1 the next.
* Money is in the prices of ``price_year`` (calendar ``2019`` or financial ``"2013/14"``), or of
  the appraisal's price year when ``price_year`` is None.
* Rates (deadweight, attribution, displacement, drop-off, engagement, success) are fractions
  between 0 and 1. An uncertain rate needs a bounded distribution inside 0-1.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from .distributions import Distribution, Quantity
from .errors import ValuationError
from .prices import PriceYear, parse_price_year

Category = Literal["fiscal", "economic", "social"]
CATEGORIES: tuple[str, ...] = ("fiscal", "economic", "social")
SECTORS: tuple[str, ...] = ("public", "private", "voluntary", "residents")
VALUATIONS: tuple[str, ...] = ("replacement", "opportunity", "market")


def _check_number(where: str, name: str, quantity: Quantity) -> None:
    if isinstance(quantity, Distribution):
        return
    if isinstance(quantity, bool) or not isinstance(quantity, int | float):
        raise ValuationError(f"{where}: {name} must be a number or a distribution, not {quantity!r}")
    if not math.isfinite(quantity):
        raise ValuationError(f"{where}: {name} must be finite, not {quantity!r}")


def check_rate(where: str, name: str, quantity: Quantity) -> None:
    """Raise unless ``quantity`` (or every draw of it) lies between 0 and 1."""
    _check_number(where, name, quantity)
    low, high = quantity.support() if isinstance(quantity, Distribution) else (quantity, quantity)
    if not (low >= 0 and high <= 1):
        if isinstance(quantity, Distribution) and math.isinf(high - low):
            raise ValuationError(
                f"{where}: {name} is a rate, so give a bounded distribution within 0-1 "
                f"(Uniform, Triangular or Pert), not {quantity!r}"
            )
        raise ValuationError(f"{where}: {name} is a rate and must be between 0 and 1, not {quantity!r}")


def check_non_negative(where: str, name: str, quantity: Quantity) -> None:
    """Raise unless ``quantity`` (or every draw of it) is zero or more."""
    _check_number(where, name, quantity)
    low = quantity.support()[0] if isinstance(quantity, Distribution) else quantity
    if not low >= 0:
        hint = " (use LogNormal or a bounded distribution)" if isinstance(quantity, Distribution) else ""
        raise ValuationError(f"{where}: {name} must be zero or more, not {quantity!r}{hint}")


def _check_year(where: str, name: str, year: int) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or year < 0:
        raise ValuationError(f"{where}: {name} must be a whole appraisal year, 0 or later, not {year!r}")


def _check_price_year(where: str, price_year: PriceYear | None) -> None:
    if price_year is not None:
        try:
            parse_price_year(price_year)
        except ValuationError as error:
            raise ValuationError(f"{where}: {error}") from None


@dataclass(frozen=True)
class Outcome:
    """A benefit: a number of people achieving an outcome, times its value per person per year.

    Net annual value = people x engagement_rate x success_rate x value x (1 - deadweight)
    x (1 - attribution) x (1 - displacement) x (1 - optimism_bias). It starts in ``start_year``,
    lasts ``duration`` years (a fractional last year counts pro rata) and falls by ``drop_off``
    each year after the first. With ``cohorts`` > 1, a new cohort of the same size starts each
    year (GMCA cohort flows).

    Parameters
    ----------
    name
        What the outcome is, for reports.
    value
        Value per person per year of effect, in ``price_year`` prices.
    people
        People in each cohort (GMCA: the cohort eligible or referred).
    category
        ``"fiscal"`` (a saving to a public agency), ``"economic"`` or ``"social"`` (wellbeing).
    agency
        For fiscal value, the agency that saves (e.g. ``"NHS"``).
    transfer
        True if the fiscal value is a transfer (benefit payments saved): a gain to the state
        but a loss to the claimant, so excluded from welfare (Green Book) measures.
    price_year
        Price year of ``value``; None means the appraisal's price year.
    start_year
        First appraisal year of effect (default 1).
    duration
        Years the effect lasts (default 1).
    cohorts
        Number of yearly cohorts (default 1).
    engagement_rate, success_rate
        GMCA cohort flow: share who engage, and share of those who achieve the outcome.
    deadweight, attribution, displacement
        Shares that would have happened anyway, are due to others, or displace value elsewhere.
    drop_off
        Share of the effect lost each year after the first.
    optimism_bias
        Share of the benefit removed for optimism (GMCA confidence grading), default 0.
    deciles
        Shares of the people by IMD decile (1 = most deprived), summing to 1; None if unknown.
    source
        Where the value comes from.

    Examples
    --------
    >>> Outcome("Fewer GP visits", value=76.0, people=120, category="fiscal", agency="NHS").category
    'fiscal'
    """

    name: str
    value: Quantity
    people: Quantity = 1.0
    category: Category = "social"
    agency: str = ""
    transfer: bool = False
    price_year: PriceYear | None = None
    start_year: int = 1
    duration: Quantity = 1.0
    cohorts: int = 1
    engagement_rate: Quantity = 1.0
    success_rate: Quantity = 1.0
    deadweight: Quantity = 0.0
    attribution: Quantity = 0.0
    displacement: Quantity = 0.0
    drop_off: Quantity = 0.0
    optimism_bias: Quantity = 0.0
    deciles: Mapping[int, float] | None = None
    source: str = ""

    def __post_init__(self) -> None:
        where = f"outcome {self.name!r}"
        _check_number(where, "value", self.value)
        check_non_negative(where, "people", self.people)
        check_non_negative(where, "duration", self.duration)
        for rate in RATE_FIELDS:
            check_rate(where, rate, getattr(self, rate))
        if self.category not in CATEGORIES:
            raise ValuationError(f"{where}: category must be one of {', '.join(CATEGORIES)}, not {self.category!r}")
        if self.transfer and self.category != "fiscal":
            raise ValuationError(f"{where}: only fiscal value can be a transfer")
        _check_year(where, "start_year", self.start_year)
        if isinstance(self.cohorts, bool) or not isinstance(self.cohorts, int) or self.cohorts < 1:
            raise ValuationError(f"{where}: cohorts must be a whole number, 1 or more, not {self.cohorts!r}")
        _check_price_year(where, self.price_year)
        if self.deciles is not None:
            object.__setattr__(self, "deciles", _check_deciles(where, self.deciles))


RATE_FIELDS: tuple[str, ...] = (
    "engagement_rate",
    "success_rate",
    "deadweight",
    "attribution",
    "displacement",
    "drop_off",
    "optimism_bias",
)


def _check_deciles(where: str, deciles: Mapping[int, float]) -> dict[int, float]:
    shares = {}
    for decile, share in deciles.items():
        if isinstance(decile, bool) or not isinstance(decile, int) or not 1 <= decile <= 10:
            raise ValuationError(f"{where}: IMD deciles run from 1 (most deprived) to 10, not {decile!r}")
        if not (math.isfinite(share) and share >= 0):
            raise ValuationError(f"{where}: decile shares must be zero or more, not {share!r}")
        shares[decile] = float(share)
    total = sum(shares.values())
    if abs(total - 1) > 1e-6:
        raise ValuationError(f"{where}: decile shares must sum to 1, they sum to {total:g}")
    return shares


@dataclass(frozen=True)
class Cost:
    """Cash spent on an intervention, by appraisal year, with optimism bias.

    Present value = sum over years of amount x discount factor x (1 + optimism_bias) x scale.

    Parameters
    ----------
    name
        What the money pays for.
    amounts
        Cash by year: a sequence starting at ``first_year``, or a mapping of year to amount.
    first_year
        Appraisal year of the first amount in a sequence (default 0).
    sector
        Who pays: ``"public"``, ``"private"``, ``"voluntary"`` or ``"residents"``.
    agency
        The paying body (e.g. ``"Council"``), for reports.
    price_year
        Price year of the amounts; None means the appraisal's price year.
    optimism_bias
        Uplift as a fraction (0.321 for 32.1%; see :func:`optimism_bias`), zero or more.
    scale
        Multiplier for uncertainty in the estimate as a whole (default 1).

    Examples
    --------
    >>> Cost("Connectors", [120_000, 120_000], optimism_bias=0.1).years
    (0, 1)
    """

    name: str
    amounts: Sequence[float] | Mapping[int, float]
    first_year: int = 0
    sector: str = "public"
    agency: str = ""
    price_year: PriceYear | None = None
    optimism_bias: Quantity = 0.0
    scale: Quantity = 1.0
    years: tuple[int, ...] = field(init=False)
    cash: tuple[float, ...] = field(init=False)

    def __post_init__(self) -> None:
        where = f"cost {self.name!r}"
        _check_year(where, "first_year", self.first_year)
        years, cash = _by_year(where, self.amounts, self.first_year)
        object.__setattr__(self, "years", years)
        object.__setattr__(self, "cash", cash)
        if any(amount < 0 for amount in cash):
            raise ValuationError(f"{where}: amounts must be zero or more (record income as an outcome)")
        _check_sector(where, self.sector)
        check_non_negative(where, "optimism_bias", self.optimism_bias)
        check_non_negative(where, "scale", self.scale)
        _check_price_year(where, self.price_year)


def _by_year(
    where: str, amounts: Sequence[float] | Mapping[int, float], first_year: int
) -> tuple[tuple[int, ...], tuple[float, ...]]:
    if isinstance(amounts, Mapping):
        items = sorted(amounts.items())
    elif isinstance(amounts, str) or not isinstance(amounts, Sequence):
        raise ValuationError(f"{where}: give amounts as a list by year or a mapping of year to amount")
    else:
        items = [(first_year + offset, amount) for offset, amount in enumerate(amounts)]
    for year, amount in items:
        _check_year(where, "each year", year)
        _check_number(where, "each amount", amount)
        if isinstance(amount, Distribution):
            raise ValuationError(f"{where}: amounts must be numbers; put uncertainty in scale")
    return tuple(int(y) for y, _ in items), tuple(float(a) for _, a in items)


def _check_sector(where: str, sector: str) -> None:
    if sector not in SECTORS:
        raise ValuationError(f"{where}: sector must be one of {', '.join(SECTORS)}, not {sector!r}")


@dataclass(frozen=True)
class Resource:
    """A resource put in without cash changing hands: volunteer or residents' time, goods, space.

    Present value per year = quantity x unit_value, discounted, for each year in ``years``.

    Parameters
    ----------
    name
        What is given.
    quantity
        Units given per year (hours, sessions, square metres).
    unit_value
        Value per unit, in ``price_year`` prices.
    valuation
        How the unit value was set, stated: ``"replacement"`` (what it would cost to buy),
        ``"opportunity"`` (what the giver forgoes) or ``"market"`` (market price of goods).
    years
        Appraisal years in which it is given (default ``(0,)``).
    sector
        Who gives it: ``"residents"`` (default), ``"voluntary"``, ``"private"`` or ``"public"``.
    unit
        The unit, for reports (default ``"hour"``).
    price_year
        Price year of ``unit_value``; None means the appraisal's price year.

    Examples
    --------
    >>> Resource("Volunteer befrienders", quantity=2_000, unit_value=12.21, valuation="replacement").sector
    'residents'
    """

    name: str
    quantity: Quantity
    unit_value: Quantity
    valuation: str
    years: Sequence[int] = (0,)
    sector: str = "residents"
    unit: str = "hour"
    price_year: PriceYear | None = None

    def __post_init__(self) -> None:
        where = f"resource {self.name!r}"
        check_non_negative(where, "quantity", self.quantity)
        check_non_negative(where, "unit_value", self.unit_value)
        if self.valuation not in VALUATIONS:
            raise ValuationError(
                f"{where}: state how it is valued, valuation one of {', '.join(VALUATIONS)}, not {self.valuation!r}"
            )
        years = tuple(self.years)
        for year in years:
            _check_year(where, "each year", year)
        if len(set(years)) != len(years):
            raise ValuationError(f"{where}: years must not repeat")
        object.__setattr__(self, "years", years)
        _check_sector(where, self.sector)
        _check_price_year(where, self.price_year)


@dataclass(frozen=True)
class Intervention:
    """One thing a place invests in: its costs, the resources put in and the outcomes.

    Parameters
    ----------
    name
        What it is called.
    outcomes, costs, resources
        Its :class:`Outcome`, :class:`Cost` and :class:`Resource` lines.
    key
        An identifier for the caller (e.g. a database primary key); not used in the sums.

    Examples
    --------
    >>> Intervention("Befriending", outcomes=[Outcome("Less lonely", value=2600.0, people=50)]).name
    'Befriending'
    """

    name: str
    outcomes: Sequence[Outcome] = ()
    costs: Sequence[Cost] = ()
    resources: Sequence[Resource] = ()
    key: str = ""

    def __post_init__(self) -> None:
        for attribute, kind in (("outcomes", Outcome), ("costs", Cost), ("resources", Resource)):
            items = tuple(getattr(self, attribute))
            for item in items:
                if not isinstance(item, kind):
                    raise ValuationError(
                        f"intervention {self.name!r}: {attribute} must be {kind.__name__} objects, not {item!r}"
                    )
            object.__setattr__(self, attribute, items)
