"""Proportions (Wilson), crude rates (exact Poisson / Byar) and means (Student's t)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from . import _frames
from ._checks import require_multiplier, require_nonnegative, require_positive
from ._output import confidence_label, format_number, limit_names
from .errors import IndicatorsError
from .limits import FloatArray, confidence_levels, poisson_limits, t_limits, wilson_limits

Limits = Callable[[float], tuple[FloatArray, FloatArray]]


def limit_columns(levels: Sequence[float], limits: Limits, scale: float | FloatArray = 1.0) -> dict[str, FloatArray]:
    """Lower and upper columns for each confidence level, named as PHEindicatormethods names them."""
    columns: dict[str, FloatArray] = {}
    for level, (lower_name, upper_name) in zip(levels, limit_names(levels), strict=True):
        lower, upper = limits(level)
        columns[lower_name] = lower * scale
        columns[upper_name] = upper * scale
    return columns


def _group_sums(groups: _frames.Groups, values: FloatArray) -> FloatArray:
    # np.add.at keeps NaN, so a group with a missing value has a missing total, as in R.
    sums = np.zeros(groups.count)
    np.add.at(sums, groups.codes, values)
    return sums


def _counts_frame(
    data: Any,
    numerator: str,
    denominator: str,
    by: str | Sequence[str] | None,
) -> tuple[Any, FloatArray, FloatArray, dict[str, Any]]:
    """Numerators and denominators per row (no ``by``) or summed per group, and the frame to extend."""
    kind = _frames.frame_kind(data)
    x = _frames.numeric_column(data, numerator, "numerator")
    n = _frames.numeric_column(data, denominator, "denominator")
    if _frames.row_count(data) == 0:
        raise IndicatorsError("data has no rows; there is nothing to calculate")
    if by is None:
        return data, x, n, {}
    groups = _frames.group_rows(data, by)
    x, n = _group_sums(groups, x), _group_sums(groups, n)
    base: dict[str, Any] = {**groups.keys, numerator: x, denominator: n}
    return kind, x, n, base


def _finish(target: Any, base: dict[str, Any], columns: dict[str, Any]) -> Any:
    if isinstance(target, str):
        return _frames.new_frame(target, {**base, **columns})
    return _frames.add_columns(target, columns)


def proportion(
    data: Any,
    numerator: str,
    denominator: str,
    *,
    by: str | Sequence[str] | None = None,
    confidence: float | Iterable[float] = 0.95,
    multiplier: float = 1,
) -> Any:
    """Proportions with Wilson score confidence limits (``phe_proportion``).

    Parameters
    ----------
    data : pandas or polars DataFrame
    numerator, denominator : str
        Columns of cases meeting the condition and of cases in the sample.
    by : str or list of str, optional
        Group columns: numerators and denominators are summed per group, one row per group.
        Without ``by`` each row gets its own proportion.
    confidence : float or list of float, default 0.95
        One or more levels (0.95 or 95). Several levels give ``lower95_0cl``-style columns.
    multiplier : float, default 1
        1 for a proportion, 100 for a percentage.

    Returns
    -------
    DataFrame of the same kind with ``value``, limits, ``confidence``, ``statistic``, ``method``.
    A missing numerator or denominator gives a missing value.
    """
    levels = confidence_levels(confidence)
    scale = require_multiplier(multiplier)
    target, x, n, base = _counts_frame(data, numerator, denominator, by)
    require_nonnegative(x, "numerators")
    require_positive(n, "denominators")
    if np.any(x > n):
        raise IndicatorsError(
            "numerators must be less than or equal to denominators for a proportion; "
            "use rate() where events can outnumber the population"
        )
    statistic = "percentage" if scale == 100 else f"proportion of {format_number(scale)}"
    columns: dict[str, Any] = {"value": x / n * scale}
    columns |= limit_columns(levels, lambda level: wilson_limits(x, n, confidence=level), scale)
    rows = len(x)
    columns |= {
        "confidence": [confidence_label(levels)] * rows,
        "statistic": [statistic] * rows,
        "method": ["Wilson"] * rows,
    }
    return _finish(target, base, columns)


def rate(
    data: Any,
    numerator: str,
    denominator: str,
    *,
    by: str | Sequence[str] | None = None,
    confidence: float | Iterable[float] = 0.95,
    multiplier: float = 100_000,
) -> Any:
    """Crude rates with exact Poisson limits below 10 events and Byar's limits from 10 (``phe_rate``).

    Parameters
    ----------
    data : pandas or polars DataFrame
    numerator, denominator : str
        Columns of events and of the population (person-years) at risk. Events may exceed the
        population (repeat events).
    by : str or list of str, optional
        Group columns: counts are summed per group.
    confidence : float or list of float, default 0.95
    multiplier : float, default 100000
        Rate per this many people.

    Returns
    -------
    DataFrame with ``value``, limits, ``confidence``, ``statistic``, and ``method`` ("Exact" or
    "Byars", missing where the numerator is missing).
    """
    levels = confidence_levels(confidence)
    scale = require_multiplier(multiplier)
    target, x, n, base = _counts_frame(data, numerator, denominator, by)
    require_nonnegative(x, "numerators")
    require_positive(n, "denominators")
    columns: dict[str, Any] = {"value": x / n * scale}
    columns |= limit_columns(levels, lambda level: _per(poisson_limits(x, confidence=level), n), scale)
    rows = len(x)
    method = [None if np.isnan(v) else ("Exact" if v < 10 else "Byars") for v in x]
    columns |= {
        "confidence": [confidence_label(levels)] * rows,
        "statistic": [f"rate per {format_number(scale)}"] * rows,
        "method": method,
    }
    return _finish(target, base, columns)


def _per(limits: tuple[FloatArray, FloatArray], n: FloatArray) -> tuple[FloatArray, FloatArray]:
    return limits[0] / n, limits[1] / n


def mean(
    data: Any,
    values: str,
    *,
    by: str | Sequence[str] | None = None,
    confidence: float | Iterable[float] = 0.95,
) -> Any:
    """Means with Student's t confidence limits (``phe_mean``), one row per group.

    Parameters
    ----------
    data : pandas or polars DataFrame
    values : str
        The column to average. A group with a missing value has a missing mean.
    by : str or list of str, optional
        Group columns; without ``by`` all rows make one mean.
    confidence : float or list of float, default 0.95

    Returns
    -------
    DataFrame with ``value_sum``, ``value_count``, ``stdev``, ``value``, limits, ``confidence``,
    ``statistic`` ("mean") and ``method`` ("Student's t-distribution").
    """
    levels = confidence_levels(confidence)
    kind = _frames.frame_kind(data)
    raw = _frames.numeric_column(data, values, "values")
    if raw.size == 0:
        raise IndicatorsError("data has no rows; there is nothing to average")
    groups = _frames.group_rows(data, by)
    members = groups.members()
    total = np.array([raw[rows].sum() for rows in members])
    count = np.array([float(len(rows)) for rows in members])
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.array([raw[rows].std(ddof=1) if len(rows) > 1 else np.nan for rows in members])
    average = total / count
    columns: dict[str, Any] = {**groups.keys, "value_sum": total, "value_count": count, "stdev": sd}
    columns["value"] = average
    columns |= limit_columns(levels, lambda level: t_limits(average, sd, count, confidence=level))
    columns |= {
        "confidence": [confidence_label(levels)] * groups.count,
        "statistic": ["mean"] * groups.count,
        "method": ["Student's t-distribution"] * groups.count,
    }
    return _frames.new_frame(kind, columns)
