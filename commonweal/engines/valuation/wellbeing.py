"""WELLBY: valuing changes in life satisfaction (HM Treasury Wellbeing Guidance, 2021).

One WELLBY is a one-point change in life satisfaction (0-10 scale) for one person for one
year, worth £13,000 in 2019 prices (central), with a range of £10,000 to £16,000 for
sensitivity analysis. Values are rebased to other price years with the GDP deflator.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from .distributions import Distribution, Triangular
from .errors import ValuationError
from .model import Outcome
from .prices import Deflator, FinancialYearConvention, PriceYear, rebase

WELLBY_PRICE_YEAR = 2019
WELLBY_VALUES: dict[str, float] = {"central": 13_000.0, "low": 10_000.0, "high": 16_000.0}
"""HM Treasury WELLBY values, £ per WELLBY in 2019 prices (OGL v3.0)."""
WELLBY_SOURCE = (
    "HM Treasury, Wellbeing Guidance for Appraisal: Supplementary Green Book Guidance (July 2021); "
    "Open Government Licence v3.0"
)

Variant = Literal["central", "low", "high"]


def _wellby(variant: str, price_year: PriceYear, deflator: Deflator | None, fy: FinancialYearConvention) -> float:
    if variant not in WELLBY_VALUES:
        raise ValuationError(f"WELLBY variant must be one of {', '.join(WELLBY_VALUES)}, not {variant!r}")
    base = WELLBY_VALUES[variant]
    if price_year == WELLBY_PRICE_YEAR:
        return base
    return rebase(base, WELLBY_PRICE_YEAR, price_year, deflator=deflator, financial_year=fy)


def wellby_value(
    life_satisfaction_change: float,
    *,
    people: float = 1,
    years: float = 1,
    variant: Variant = "central",
    price_year: PriceYear = WELLBY_PRICE_YEAR,
    deflator: Deflator | None = None,
    financial_year: FinancialYearConvention = "weighted",
) -> float:
    """Value of a change in life satisfaction, undiscounted.

    Parameters
    ----------
    life_satisfaction_change
        Change on the 0-10 life satisfaction scale (ONS4), per person; negative for a loss.
    people
        Number of people (default 1).
    years
        Person-years the change lasts (default 1); discount longer effects with :func:`evaluate`.
    variant
        ``"central"`` (£13,000), ``"low"`` (£10,000) or ``"high"`` (£16,000), 2019 prices.
    price_year
        Price year of the result (default 2019); other years are rebased with the deflator.
    deflator, financial_year
        As for :func:`rebase`.

    Returns
    -------
    float
        change x people x years x WELLBY value.

    Raises
    ------
    ValuationError
        For a change outside -10 to 10, negative people or years, or an unknown variant.

    Examples
    --------
    >>> wellby_value(0.2)
    2600.0
    >>> wellby_value(0.2, people=10, years=2, variant="low")
    40000.0
    """
    if not (math.isfinite(life_satisfaction_change) and -10 <= life_satisfaction_change <= 10):
        raise ValuationError(
            f"life satisfaction change must be between -10 and 10 points, not {life_satisfaction_change!r}"
        )
    if not (math.isfinite(people) and people >= 0):
        raise ValuationError(f"people must be zero or more, not {people!r}")
    if not (math.isfinite(years) and years >= 0):
        raise ValuationError(f"years must be zero or more, not {years!r}")
    value = _wellby(variant, price_year, deflator, financial_year)
    return life_satisfaction_change * people * years * value


def wellby_outcome(
    name: str,
    life_satisfaction_change: float,
    *,
    people: Any = 1.0,
    variant: Variant | Literal["range"] = "central",
    **kwargs: Any,
) -> Outcome:
    """An :class:`Outcome` valuing a life-satisfaction change per person per year in WELLBYs.

    ``variant="range"`` makes the WELLBY value uncertain: triangular from £10,000 through
    £13,000 to £16,000 (2019 prices), for Monte Carlo. Other keywords go to :class:`Outcome`.

    Examples
    --------
    >>> o = wellby_outcome("Less lonely", 0.2, people=80, duration=2)
    >>> o.value, o.price_year, o.category
    (2600.0, 2019, 'social')
    """
    if not (math.isfinite(life_satisfaction_change) and -10 <= life_satisfaction_change <= 10):
        raise ValuationError(
            f"life satisfaction change must be between -10 and 10 points, not {life_satisfaction_change!r}"
        )
    value: float | Distribution
    if variant == "range":
        value = Triangular(WELLBY_VALUES["low"], WELLBY_VALUES["central"], WELLBY_VALUES["high"])
        if life_satisfaction_change < 0:
            value = Triangular(
                life_satisfaction_change * WELLBY_VALUES["high"],
                life_satisfaction_change * WELLBY_VALUES["central"],
                life_satisfaction_change * WELLBY_VALUES["low"],
            )
        elif life_satisfaction_change == 0:
            value = 0.0
        else:
            value = value.scaled(life_satisfaction_change)
    elif variant in WELLBY_VALUES:
        value = life_satisfaction_change * WELLBY_VALUES[variant]
    else:
        raise ValuationError(f"WELLBY variant must be central, low, high or range, not {variant!r}")
    kwargs.setdefault("source", WELLBY_SOURCE)
    return Outcome(name=name, value=value, people=people, category="social", price_year=WELLBY_PRICE_YEAR, **kwargs)
