"""Funnel plot control limits and significance for proportions, ratios and rates (Fingertips method)."""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import special, stats

from . import _frames
from ._checks import require_complete
from ._output import format_number
from .errors import IndicatorsError
from .limits import FloatArray

Statistic = Literal["proportion", "ratio", "rate"]

#: One-sided tail probabilities of the two funnels: about 2 and 3 standard deviations.
_TWO_SIGMA, _THREE_SIGMA = 0.025, 0.001


def proportion_funnel(
    p: float, population: ArrayLike, average: float, side: Literal["low", "high"], multiplier: float = 1
) -> FloatArray:
    """The proportion at which a Wilson limit for ``population`` touches ``average`` (Fingertips).

    >>> round(float(proportion_funnel(0.975, 100, 0.5, "low")), 6)
    0.402002
    """
    n = np.asarray(population, dtype=np.float64)
    z2 = stats.norm.ppf(p) ** 2
    first = average * (n / z2 + 1)
    with np.errstate(invalid="ignore"):
        adj = np.sqrt(
            (-8 * average * (n / z2 + 1)) ** 2
            - 64 * (1 / z2 + 1 / n) * average * (n * (average * (n / z2 + 2) - 1) + z2 * (average - 1))
        )
    last = 1 / z2 + 1 / n
    limit = (first - adj / 8) / last if side == "low" else (first + adj / 8) / last
    return np.asarray(limit / n * multiplier, dtype=np.float64)


def poisson_funnel(observed: ArrayLike, p: float, side: Literal["low", "high"]) -> FloatArray:
    """Expected count at which ``observed`` sits on the ``p`` Poisson tail, by bisection (Fingertips).

    The bisection (23 halvings of the transformed mean v / (1 - v)) is the one in PHE's funnel
    plot tool; the Poisson tails come from the regularised incomplete gamma function.

    >>> round(float(poisson_funnel(10, 0.025, "high")), 4)
    18.3904
    """
    obs = np.asarray(observed, dtype=np.float64)
    v, step = np.full(obs.shape, 0.5), 0.5
    while step > 1e-7:
        step /= 2
        mean = (1 + obs) * v / (1 - v)
        if side == "low":
            tail = np.where(obs <= 0, 1.0, special.pdtrc(obs - 1, mean))  # P(K >= obs)
            v = np.where(tail > p, v - step, v + step)
        else:
            tail = special.pdtr(obs, mean)  # P(K <= obs)
            v = np.where(tail < p, v - step, v + step)
    return np.asarray((1 + obs) * v / (1 - v), dtype=np.float64)


def ratio_funnel_bound(observed: ArrayLike, expected: ArrayLike, p: float, side: Literal["low", "high"]) -> FloatArray:
    """Lower ("low") or upper ("high") limit of observed / expected: exact below 10 events, Byar's from 10.

    >>> round(float(ratio_funnel_bound(20, 10, 0.95, "low")), 6)
    1.221143
    """
    obs = np.asarray(observed, dtype=np.float64)
    exp = np.asarray(expected, dtype=np.float64)
    z = stats.norm.ppf(0.5 + p / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        if side == "low":
            exact = stats.chi2.isf(0.5 + p / 2, 2 * np.maximum(obs, 1e-300)) / 2
            byars = obs * (1 - 1 / (9 * obs) - z / 3 / np.sqrt(obs)) ** 3
            bound = np.where(obs == 0, 0.0, np.where(obs < 10, exact, byars))
        else:
            exact = stats.chi2.ppf(0.5 + p / 2, 2 * obs + 2) / 2
            byars = (obs + 1) * (1 - 1 / (9 * (obs + 1)) + z / 3 / np.sqrt(obs + 1)) ** 3
            bound = np.where(obs < 10, exact, byars)
        return np.asarray(bound / exp, dtype=np.float64)


def _r_nchar(number: float) -> int:
    """Characters R prints for a whole number: it switches to 1e+05 style when that is shorter."""
    fixed = str(int(number))
    digits = fixed.lstrip("-").rstrip("0") or "0"
    exponent = len(fixed.lstrip("-")) - 1
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    scientific = f"{'-' if number < 0 else ''}{mantissa}e+{exponent:02d}"
    return min(len(fixed), len(scientific)) if number != 0 else 1


def _signif_floor(x: float, share: float = 0.95) -> float:
    """Round down to a neat axis value (first significant digit), as the R package does."""
    if x == 0:
        return 0.0
    power = 10.0 ** (_r_nchar(math.floor(x * share)) - 1)
    return math.floor(x * share / power) * power


def _signif_ceiling(x: float, share: float = 1.05) -> float:
    """Round up to a neat axis value (two significant digits)."""
    if x == 0:
        return 0.0
    power = 10.0 ** (_r_nchar(math.ceil(x * share)) - 2)
    return math.ceil(x * share / power) * power


def _axis_points(minimum: float, maximum: float, offset: int) -> list[float]:
    """100 x-axis points spaced geometrically, closer together at small denominators."""
    points = [max(1.0, minimum)]
    for j in range(2, 101):
        previous = points[-1]
        step = (maximum / previous) ** (1 / (101 - (j - offset))) * previous
        points.append(max(float(round(step)), previous + 1))
    return points


def _derived_denominators(
    x: FloatArray, rates: FloatArray, denominators: FloatArray | None, rate_type: str, multiplier: float
) -> FloatArray:
    with np.errstate(invalid="ignore", divide="ignore"):
        from_rate = multiplier * x / rates
    if rate_type == "dsr":
        return np.where(x == 0, np.nan, from_rate)
    if denominators is None:
        return from_rate
    return np.where(x == 0, denominators, from_rate)


def _rate_inputs(
    data: Any,
    numerator: str,
    rate: str | None,
    denominator: str | None,
    rate_type: str | None,
    multiplier: float | None,
) -> tuple[FloatArray, FloatArray, str, float]:
    if rate is None or rate_type is None or multiplier is None:
        raise IndicatorsError("rates need numerator, rate, rate_type ('dsr' or 'crude') and multiplier")
    if rate_type not in ("dsr", "crude"):
        raise IndicatorsError(f"rate_type must be 'dsr' or 'crude', not {rate_type!r}")
    x = _frames.numeric_column(data, numerator, "numerator")
    require_complete(x, "numerator (give zero where there were no events)")
    rates = _frames.numeric_column(data, rate, "rate")
    denominators = None if denominator is None else _frames.numeric_column(data, denominator, "denominator")
    if np.any(np.isnan(rates) & (np.ones_like(x, dtype=bool) if denominators is None else np.isnan(denominators))):
        raise IndicatorsError("for rates, give a rate for every record, or a denominator where the rate is zero")
    if np.any(x == 0) and (denominators is None or np.any((x == 0) & ~(denominators > 0))):
        raise IndicatorsError("for rates, records with 0 events need a denominator greater than zero")
    if np.any(x < 0):
        raise IndicatorsError("numerators must be greater than or equal to zero")
    derived = _derived_denominators(x, rates, denominators, rate_type, float(multiplier))
    return x, derived, rate_type, float(multiplier)


def funnel_limits(
    data: Any,
    numerator: str,
    denominator: str | None = None,
    *,
    rate: str | None = None,
    statistic: Statistic,
    multiplier: float | None = None,
    ratio_type: Literal["count", "isr"] | None = None,
    rate_type: Literal["dsr", "crude"] | None = None,
    years_of_data: float | None = None,
) -> Any:
    """The 100 points of 95% (2s) and 99.8% (3s) funnel limits around the average (``calculate_funnel_limits``).

    Parameters
    ----------
    data : pandas or polars DataFrame
    numerator, denominator : str
        Observed counts and their denominators (expected counts for ratios). For rates the
        denominator is optional and used only where there are no events.
    rate : str, optional
        For rates: the column of rates (crude or directly standardised).
    statistic : {"proportion", "ratio", "rate"}
    multiplier : float
        Proportions: the scale (100 for percentages; limits are capped at 0 and the multiplier).
        Rates: the rate's multiplier. Ratios: required, as in R, but unused.
    ratio_type : {"count", "isr"}, optional
        Ratios: "count" shows limits as ratio - 1, "isr" as ratio x 100.
    rate_type : {"dsr", "crude"}, optional
    years_of_data : float, optional
        Rates: the years the data covers (populations are shown per year).

    Returns
    -------
    DataFrame of 100 rows: the x-axis column (``Population``, ``Observed_events`` or ``Events``),
    ``lower_2s_limit``, ``upper_2s_limit``, ``lower_3s_limit``, ``upper_3s_limit`` and the
    supporting columns, ``baseline`` (proportions and rates), ``statistic`` and ``method``.
    """
    kind = _frames.frame_kind(data)
    if statistic == "rate":
        if years_of_data is None:
            raise IndicatorsError("rates need years_of_data, the number of years the data covers")
        x, derived, kind_of_rate, scale = _rate_inputs(data, numerator, rate, denominator, rate_type, multiplier)
        columns = _rate_limits(x, derived, scale, float(years_of_data))
        label = f"rate ({kind_of_rate} per {format_number(scale, thousands=True)})"
        method = "Poisson"
    elif statistic in ("proportion", "ratio"):
        if denominator is None or multiplier is None:
            raise IndicatorsError(f"{statistic}s need numerator, denominator and multiplier")
        x = _frames.numeric_column(data, numerator, "numerator")
        n = _frames.numeric_column(data, denominator, "denominator")
        if statistic == "proportion":
            if np.isnan(x).any() or np.isnan(n).any():
                raise IndicatorsError("for proportions, give numerators and denominators for every record, even zeros")
            columns = _proportion_limits(x, n, float(multiplier))
            label, method = "proportion", "Wilson"
        else:
            if ratio_type not in ("count", "isr"):
                raise IndicatorsError("ratios need ratio_type 'count' or 'isr'")
            columns = _ratio_limits(n, ratio_type)
            label, method = f"ratio ({ratio_type})", "Poisson"
    else:
        raise IndicatorsError(f"statistic must be 'proportion', 'ratio' or 'rate', not {statistic!r}")
    columns["statistic"] = [label] * 100
    columns["method"] = [method] * 100
    return _frames.new_frame(kind, columns)


def _axis_range(derived: FloatArray, years: float = 1.0) -> tuple[float, float]:
    low, high = float(np.nanmin(derived)), float(np.nanmax(derived))
    minimum = 0.0 if high > 2 * low else _signif_floor(low / years) * years
    return minimum, _signif_ceiling(high / years) * years


def _proportion_limits(x: FloatArray, n: FloatArray, multiplier: float) -> dict[str, Any]:
    average = x.sum() / n.sum()
    points = np.array(_axis_points(*_axis_range(n), offset=0))
    limits: dict[str, Any] = {"Population": points}
    for tag, p in (("2s", 1 - _TWO_SIGMA), ("3s", 1 - _THREE_SIGMA)):
        limits[f"lower_{tag}_limit"] = np.maximum(0, proportion_funnel(p, points, average, "low", multiplier))
        limits[f"upper_{tag}_limit"] = np.minimum(multiplier, proportion_funnel(p, points, average, "high", multiplier))
    order = ["Population", "lower_2s_limit", "upper_2s_limit", "lower_3s_limit", "upper_3s_limit"]
    return {name: limits[name] for name in order} | {"baseline": np.full(100, average * multiplier)}


def _ratio_limits(expected: FloatArray, ratio_type: str) -> dict[str, Any]:
    points = np.array(_axis_points(*_axis_range(expected), offset=1))
    columns: dict[str, Any] = {"Observed_events": points}
    for tag, p in (("2s", _TWO_SIGMA), ("3s", _THREE_SIGMA)):
        for bound, side in (("lower", "high"), ("upper", "low")):
            events = poisson_funnel(points, p, side)  # type: ignore[arg-type]
            ratio = points / events
            columns[f"{bound}_{tag}_exp_events"] = events
            columns[f"{bound}_{tag}_limit"] = ratio - 1 if ratio_type == "count" else ratio * 100
    return columns


def _rate_limits(x: FloatArray, derived: FloatArray, multiplier: float, years: float) -> dict[str, Any]:
    average = x.sum() / np.nansum(derived)
    low, high = _axis_range(derived, years)
    points = np.array(_axis_points(math.floor(low * average), math.ceil(high * average), offset=0))
    columns: dict[str, Any] = {"Events": points}
    for tag, p in (("2s", _TWO_SIGMA), ("3s", _THREE_SIGMA)):
        for bound, side in (("lower", "high"), ("upper", "low")):
            population = poisson_funnel(points, p, side) / average  # type: ignore[arg-type]
            columns[f"{bound}_{tag}_population_1_year"] = population / years
            columns[f"{bound}_{tag}_limit"] = points / population * multiplier
    columns["baseline"] = np.full(100, average * multiplier)
    return columns


_HIGH_3S, _HIGH_2S, _LOW_3S, _LOW_2S = "High (0.001)", "High (0.025)", "Low (0.001)", "Low (0.025)"


def _classify(high_3s: Any, high_2s: Any, low_3s: Any, low_2s: Any) -> list[str]:
    labels = np.full(len(high_3s), "Not significant", dtype=object)
    # Later assignments win, so assign in reverse order of precedence.
    for mask, label in ((low_2s, _LOW_2S), (low_3s, _LOW_3S), (high_2s, _HIGH_2S), (high_3s, _HIGH_3S)):
        labels[np.asarray(mask, dtype=bool)] = label
    return [str(label) for label in labels]


def funnel_significance(
    data: Any,
    numerator: str,
    denominator: str | None = None,
    *,
    rate: str | None = None,
    statistic: Statistic,
    rate_type: Literal["dsr", "crude"] | None = None,
    multiplier: float | None = None,
) -> Any:
    """Whether each record lies outside the 95% or 99.8% funnel (``assign_funnel_significance``).

    Parameters are as for :func:`funnel_limits` (``multiplier`` is needed only for rates).

    Returns
    -------
    The input with a ``significance`` column: "High (0.001)", "High (0.025)", "Low (0.001)",
    "Low (0.025)" or "Not significant" (and, for DSRs from fewer than 10 events, "Not applicable
    for events less than 10 for dsrs").
    """
    if statistic == "rate":
        x, derived, kind_of_rate, _ = _rate_inputs(data, numerator, rate, denominator, rate_type, multiplier)
        average = x.sum() / np.nansum(derived)
        with np.errstate(invalid="ignore"):
            labels = _classify(
                average < ratio_funnel_bound(x, derived, 0.998, "low"),
                average < ratio_funnel_bound(x, derived, 0.95, "low"),
                average > ratio_funnel_bound(x, derived, 0.998, "high"),
                average > ratio_funnel_bound(x, derived, 0.95, "high"),
            )
        if kind_of_rate == "dsr":
            labels = [
                "Not applicable for events less than 10 for dsrs" if v < 10 else label
                for v, label in zip(x, labels, strict=True)
            ]
        return _frames.add_columns(data, {"significance": labels})
    if statistic not in ("proportion", "ratio") or denominator is None:
        raise IndicatorsError(
            "statistic must be 'proportion', 'ratio' or 'rate'; proportions and ratios need a denominator"
        )
    x = _frames.numeric_column(data, numerator, "numerator")
    n = _frames.numeric_column(data, denominator, "denominator")
    if np.any(x < 0):
        raise IndicatorsError("numerators must be greater than or equal to zero")
    if np.any(n <= 0):
        raise IndicatorsError("denominators must be greater than zero")
    if statistic == "proportion":
        labels = _proportion_significance(x, n)
    else:
        with np.errstate(invalid="ignore"):
            labels = _classify(
                ratio_funnel_bound(x, n, 0.998, "low") > 1,
                ratio_funnel_bound(x, n, 0.95, "low") > 1,
                ratio_funnel_bound(x, n, 0.998, "high") < 1,
                ratio_funnel_bound(x, n, 0.95, "high") < 1,
            )
    return _frames.add_columns(data, {"significance": labels})


def _proportion_significance(x: FloatArray, n: FloatArray) -> list[str]:
    if np.isnan(x).any() or np.isnan(n).any():
        raise IndicatorsError("for proportions, give numerators and denominators for every record, even zeros")
    if np.any(x > n):
        raise IndicatorsError("numerators must be less than or equal to denominators for a proportion")
    average = x.sum() / n.sum()
    share = x / n
    low_3s = share < proportion_funnel(1 - _THREE_SIGMA, n, average, "low")
    low_2s = share < proportion_funnel(1 - _TWO_SIGMA, n, average, "low")
    high_3s = share > proportion_funnel(1 - _THREE_SIGMA, n, average, "high")
    high_2s = share > proportion_funnel(1 - _TWO_SIGMA, n, average, "high")
    return _classify(high_3s, high_2s, low_3s, low_2s)


def funnel_points(
    data: Any,
    numerator: str,
    rate: str,
    denominator: str | None = None,
    *,
    rate_type: Literal["dsr", "crude"],
    years_of_data: float,
    multiplier: float,
) -> Any:
    """Rates and annual populations to plot against rate funnels (``calculate_funnel_points``).

    Returns
    -------
    The input with ``<rate>_chart`` (DSRs from fewer than 10 events removed) and
    ``denominator_derived`` (the population per year implied by events and rate).
    """
    x, derived, kind_of_rate, _ = _rate_inputs(data, numerator, rate, denominator, rate_type, multiplier)
    rates = _frames.numeric_column(data, rate, "rate")
    if kind_of_rate == "dsr":
        small = x < 10
        chart, derived = np.where(small, np.nan, rates), np.where(small, np.nan, derived)
    else:
        chart = rates
    return _frames.add_columns(data, {f"{rate}_chart": chart, "denominator_derived": derived / years_of_data})
