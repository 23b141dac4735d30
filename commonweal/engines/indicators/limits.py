"""Confidence limits for counts and proportions: Wilson, Byar, exact Poisson and Student's t.

These are the vectorised numpy building blocks that every indicator uses. Each takes arrays
(or scalars) and returns ``(lower, upper)`` as float arrays; missing inputs (NaN) give NaN.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from .errors import IndicatorsError

FloatArray = NDArray[np.float64]

__all__ = [
    "byars_limits",
    "confidence_levels",
    "exact_poisson_limits",
    "poisson_limits",
    "t_limits",
    "wilson_limits",
    "z_value",
]


def confidence_levels(confidence: float | Iterable[float]) -> tuple[float, ...]:
    """Return confidence levels as fractions, accepting 0.95 or 95 (PHEindicatormethods' rule).

    Levels must lie between 0.9 and 1 or between 90 and 100.

    >>> confidence_levels(95)
    (0.95,)
    >>> confidence_levels([0.95, 99.8])
    (0.95, 0.998)
    """
    raw = [confidence] if isinstance(confidence, int | float) else list(confidence)
    if not raw:
        raise IndicatorsError("give at least one confidence level, e.g. confidence=0.95")
    levels = []
    for level in raw:
        level = float(level)
        if not (0.9 <= level <= 1 or 90 <= level <= 100):
            raise IndicatorsError(
                f"confidence level {level} is out of range: give a level between 0.9 and 1 "
                "(e.g. 0.95) or between 90 and 100 (e.g. 95)"
            )
        # Dividing 99.8 by 100 gives 0.9979999...; rounding keeps labels and column names exact.
        levels.append(round(level / 100, 10) if level >= 90 else level)
    return tuple(levels)


def z_value(confidence: float) -> float:
    """Two-sided standard normal critical value for a confidence level given as a fraction.

    >>> round(z_value(0.95), 6)
    1.959964
    """
    return float(stats.norm.ppf(confidence + (1 - confidence) / 2))


def _as_float(values: ArrayLike) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def wilson_limits(x: ArrayLike, n: ArrayLike, *, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Wilson score limits for the proportion ``x / n`` (Wilson 1927; Newcombe and Altman 2000).

    >>> lower, upper = wilson_limits(65, 100)
    >>> round(float(lower), 8), round(float(upper), 8)
    (0.55254443, 0.73635752)
    """
    x_, n_ = _as_float(x), _as_float(n)
    if confidence >= 1:
        return np.zeros_like(x_ + n_), np.ones_like(x_ + n_)
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = 2 * x_ + z**2
        spread = z * np.sqrt(z**2 + 4 * x_ * (1 - x_ / n_))
        denominator = 2 * (n_ + z**2)
        return (centre - spread) / denominator, (centre + spread) / denominator


def byars_limits(x: ArrayLike, *, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Byar's approximation to exact Poisson limits for an observed count (Breslow and Day 1987).

    A negative lower limit (tiny counts at high confidence) is NaN, as in PHEindicatormethods.

    >>> lower, upper = byars_limits(65)
    >>> round(float(lower), 6), round(float(upper), 6)
    (50.163188, 82.849139)
    """
    x_ = _as_float(x)
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = x_ * (1 - 1 / (9 * x_) - z / (3 * np.sqrt(x_))) ** 3
        upper = (x_ + 1) * (1 - 1 / (9 * (x_ + 1)) + z / (3 * np.sqrt(x_ + 1))) ** 3
    lower = np.where(lower < 0, np.nan, lower)
    return lower, upper


def exact_poisson_limits(x: ArrayLike, *, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Exact Poisson limits for an observed count from the chi-squared distribution (Garwood 1936).

    >>> lower, upper = exact_poisson_limits(1)
    >>> round(float(lower), 8), round(float(upper), 6)
    (0.02531781, 5.571643)
    """
    x_ = _as_float(x)
    tail = (1 - confidence) / 2
    with np.errstate(invalid="ignore"):
        lower = np.where(x_ == 0, 0.0, stats.chi2.ppf(tail, 2 * np.maximum(x_, 1e-300)) / 2)
        upper = stats.chi2.ppf(confidence + tail, 2 * x_ + 2) / 2
    lower = np.where(np.isnan(x_), np.nan, lower)
    return np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)


def poisson_limits(x: ArrayLike, *, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Limits for a count as PHE uses them: exact below 10 events, Byar's method from 10.

    >>> lower, upper = poisson_limits([5, 20])
    >>> [round(float(v), 4) for v in lower]
    [1.6235, 12.2114]
    """
    x_ = _as_float(x)
    exact = exact_poisson_limits(x_, confidence=confidence)
    byars = byars_limits(x_, confidence=confidence)
    small = x_ < 10
    return np.where(small, exact[0], byars[0]), np.where(small, exact[1], byars[1])


def t_limits(
    mean: ArrayLike, sd: ArrayLike, count: ArrayLike, *, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Student's t limits for a mean from its standard deviation and number of values.

    >>> lower, upper = t_limits(10.0, 2.0, 4)
    >>> round(float(lower), 4), round(float(upper), 4)
    (6.8176, 13.1824)
    """
    mean_, sd_, count_ = _as_float(mean), _as_float(sd), _as_float(count)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(confidence + (1 - confidence) / 2, count_ - 1) * sd_ / np.sqrt(count_)
    return mean_ - half, mean_ + half
