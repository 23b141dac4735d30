"""Directly standardised rates (Dobson) and indirectly standardised ratios and rates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from . import _frames
from ._checks import require_complete, require_multiplier, require_nonnegative, require_positive
from ._output import confidence_label, format_number
from .basic import limit_columns
from .errors import IndicatorsError
from .limits import FloatArray, byars_limits, confidence_levels, poisson_limits

#: European Standard Population 2013, 19 bands: 0-4, 5-9, ..., 85-89, 90+.
ESP2013: tuple[int, ...] = (
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
    7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
)  # fmt: skip


def _sum_by(codes: Any, count: int, values: FloatArray) -> FloatArray:
    sums = np.zeros(count)
    np.add.at(sums, codes, values)
    return sums


def _per_group_reference(data: Any, groups: _frames.Groups, reference: str | ArrayLike, role: str) -> FloatArray:
    """A column, or a vector laid against each group's rows in order (one value per band)."""
    if isinstance(reference, str):
        return _frames.numeric_column(data, reference, role)
    vector = np.asarray(reference, dtype=np.float64)
    out = np.empty(len(groups.codes))
    for code, rows in enumerate(groups.members()):
        if len(rows) != len(vector):
            key = {name: values[code] for name, values in groups.keys.items()}
            where = f"group {key}" if key else "the data"
            raise IndicatorsError(
                f"{role} has {len(vector)} values but {where} has {len(rows)} rows; "
                "give one row per band in every group (missing bands are not allowed) or a column"
            )
        out[rows] = vector
    return out


def dobson_limits(
    value: ArrayLike, variance: ArrayLike, total_count: ArrayLike, *, confidence: float, multiplier: float
) -> tuple[FloatArray, FloatArray]:
    """Dobson et al. (1991) limits for a weighted sum of Poisson counts, via Byar's limits.

    ``value`` is already multiplied; ``variance`` is the unmultiplied variance of the rate.

    >>> lower, upper = dobson_limits(1000.0, 1e-6, 100, confidence=0.95, multiplier=1e5)
    >>> round(float(lower), 3), round(float(upper), 3)
    (813.621, 1216.279)
    """
    total = np.asarray(total_count, dtype=np.float64)
    lower, upper = byars_limits(total, confidence=confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        spread = np.sqrt(np.asarray(variance, dtype=np.float64) / total) * multiplier
    centre = np.asarray(value, dtype=np.float64)
    return centre + spread * (lower - total), centre + spread * (upper - total)


def dsr(
    data: Any,
    count: str,
    population: str,
    *,
    stdpop: str | ArrayLike = ESP2013,
    by: str | Sequence[str] | None = None,
    confidence: float | Iterable[float] = 0.95,
    multiplier: float = 100_000,
    independent_events: bool = True,
    event_frequency: str | None = None,
    ageband: str | None = None,
) -> Any:
    """Directly standardised rates with Dobson confidence limits (``calculate_dsr``).

    Parameters
    ----------
    data : pandas or polars DataFrame
        One row per standardisation band (e.g. age band) per group.
    count, population : str
        Events and population per band. A missing count counts as zero; populations must be
        present and positive.
    stdpop : str or sequence of float, default ESP2013
        A column of standard populations, or one value per band laid against each group's rows
        in order (the default is the European Standard Population 2013, 19 bands).
    by : str or list of str, optional
        Group columns; one rate per group.
    confidence : float or list of float, default 0.95
    multiplier : float, default 100000
    independent_events : bool, default True
        False when a person can have several events: then ``count`` is the number of people with
        ``event_frequency`` events each, and the variance is the sum over frequencies of
        frequency squared times the variance of the person-level rate (Fingertips guidance).
    event_frequency, ageband : str, optional
        Columns needed when ``independent_events`` is False.

    Returns
    -------
    DataFrame with ``total_count``, ``total_pop``, ``value``, limits, ``confidence``,
    ``statistic`` and ``method``. Rates from fewer than 10 events are suppressed to missing.
    """
    levels = confidence_levels(confidence)
    scale = require_multiplier(multiplier)
    kind = _frames.frame_kind(data)
    if _frames.row_count(data) == 0:
        raise IndicatorsError("data has no rows; there is nothing to standardise")
    if not independent_events and (event_frequency is None or ageband is None):
        raise IndicatorsError(
            "independent_events=False needs event_frequency and ageband columns: count is then the "
            "number of people with each event frequency in each age band"
        )
    groups = _frames.group_rows(data, by)
    x = _frames.numeric_column(data, count, "count")
    n = _frames.numeric_column(data, population, "population")
    standard = _per_group_reference(data, groups, stdpop, "stdpop")
    require_complete(n, "population")
    require_complete(standard, "stdpop")
    require_nonnegative(x, "counts")
    require_positive(n, "populations")
    require_nonnegative(standard, "standard populations")
    if independent_events:
        totals = _dsr_independent(groups, x, n, standard)
        method = "Dobson"
    else:
        assert event_frequency is not None
        assert ageband is not None
        frequency = _frames.numeric_column(data, event_frequency, "event_frequency")
        require_complete(frequency, "event_frequency")
        bands = _frames.value_list(data, ageband, "ageband")
        totals = _dsr_non_independent(groups, x, n, standard, frequency, bands)
        method = "Dobson, with confidence adjusted for non-independent events"
    total_count, total_pop, rate_sum, std_sum, variance = totals
    value = rate_sum / std_sum * scale
    small = total_count < 10
    columns: dict[str, Any] = {**groups.keys, "total_count": total_count, "total_pop": total_pop}
    columns["value"] = np.where(small, np.nan, value)
    limits = limit_columns(
        levels,
        lambda level: dobson_limits(value, variance, total_count, confidence=level, multiplier=scale),
    )
    columns |= {name: np.where(small, np.nan, values) for name, values in limits.items()}
    statistic = f"dsr per {format_number(scale)}"
    columns |= {
        "confidence": [confidence_label(levels)] * groups.count,
        "statistic": ["dsr NA for total count < 10" if s else statistic for s in small],
        "method": [method] * groups.count,
    }
    return _frames.new_frame(kind, columns)


DsrTotals = tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]


def _dsr_independent(groups: _frames.Groups, x: FloatArray, n: FloatArray, standard: FloatArray) -> DsrTotals:
    events = np.nan_to_num(x)
    codes, size = groups.codes, groups.count
    std_sum = _sum_by(codes, size, standard)
    variance = _sum_by(codes, size, events * (standard / n) ** 2) / std_sum**2
    return (
        _sum_by(codes, size, events),
        _sum_by(codes, size, n),
        _sum_by(codes, size, events * standard / n),
        std_sum,
        variance,
    )


def _dsr_non_independent(
    groups: _frames.Groups,
    people: FloatArray,
    n: FloatArray,
    standard: FloatArray,
    frequency: FloatArray,
    bands: list[Any],
) -> DsrTotals:
    people = np.nan_to_num(people)
    # Variance of the person-level rate for each (group, frequency), weighted by frequency squared.
    variance = np.zeros(groups.count)
    for code, rows in enumerate(groups.members()):
        for f in np.unique(frequency[rows]):
            chosen = rows[frequency[rows] == f]
            weights = (standard[chosen] / n[chosen]) ** 2
            variance[code] += f**2 * np.sum(people[chosen] * weights) / np.sum(standard[chosen]) ** 2
    # Then total events per (group, band) make the rate itself.
    band_codes: dict[tuple[int, Any], int] = {}
    band_of_row = np.array(
        [band_codes.setdefault((int(c), b), len(band_codes)) for c, b in zip(groups.codes, bands, strict=True)]
    )
    size = len(band_codes)
    band_group = np.empty(size, dtype=np.intp)
    band_group[band_of_row] = groups.codes
    band_n = _constant_within(band_of_row, size, n, "population")
    band_std = _constant_within(band_of_row, size, standard, "stdpop")
    band_events = _sum_by(band_of_row, size, people * frequency)
    return (
        _sum_by(band_group, groups.count, band_events),
        _sum_by(band_group, groups.count, band_n),
        _sum_by(band_group, groups.count, band_events * band_std / band_n),
        _sum_by(band_group, groups.count, band_std),
        variance,
    )


def _constant_within(codes: Any, size: int, values: FloatArray, role: str) -> FloatArray:
    first = np.full(size, np.nan)
    first[codes[::-1]] = values[::-1]
    if np.any(first[codes] != values):
        raise IndicatorsError(
            f"rows with the same group and ageband have different {role} values; "
            "each age band must have one population and one standard population"
        )
    return first


def _isr_parts(
    data: Any,
    observed: str | None,
    population: str,
    refcount: str | ArrayLike,
    refpop: str | ArrayLike,
    by: str | Sequence[str] | None,
    observed_totals: Mapping[Any, float] | None,
) -> tuple[_frames.Groups, FloatArray, FloatArray, FloatArray]:
    """Observed and expected counts per group, and the reference rate (per person)."""
    if _frames.row_count(data) == 0:
        raise IndicatorsError("data has no rows; there is nothing to standardise")
    groups = _frames.group_rows(data, by)
    n = _frames.numeric_column(data, population, "population")
    ref_x = _per_group_reference(data, groups, refcount, "refcount")
    ref_n = _per_group_reference(data, groups, refpop, "refpop")
    require_nonnegative(n, "populations")
    require_nonnegative(ref_x, "reference counts")
    require_positive(ref_n, "reference populations")
    # Missing bands contribute nothing, as in PHEindicatormethods (sums drop missing values).
    expected = _sum_by(groups.codes, groups.count, np.nan_to_num(n * ref_x / ref_n))
    ref_rate = _sum_by(groups.codes, groups.count, np.nan_to_num(ref_x)) / _sum_by(
        groups.codes, groups.count, np.nan_to_num(ref_n)
    )
    if observed_totals is not None:
        obs = _observed_from_totals(groups, observed_totals)
    elif observed is None:
        raise IndicatorsError("give the observed column, or observed_totals when counts are only known in total")
    else:
        x = _frames.numeric_column(data, observed, "observed")
        require_nonnegative(x, "observed counts")
        obs = _sum_by(groups.codes, groups.count, np.nan_to_num(x))
    return groups, obs, expected, ref_rate


def _observed_from_totals(groups: _frames.Groups, totals: Mapping[Any, float]) -> FloatArray:
    names = list(groups.keys)
    obs = np.empty(groups.count)
    for code in range(groups.count):
        key = tuple(groups.keys[name][code] for name in names)
        lookup = key[0] if len(key) == 1 else key
        if lookup not in totals:
            raise IndicatorsError(f"observed_totals has no total for group {lookup!r}; give one for every group")
        obs[code] = float(totals[lookup])
    require_nonnegative(obs, "observed totals")
    return obs


def _isr_frame(
    data: Any,
    groups: _frames.Groups,
    obs: FloatArray,
    expected: FloatArray,
    levels: tuple[float, ...],
    scale: float | FloatArray,
    extra: dict[str, Any],
    statistic: str,
) -> Any:
    columns: dict[str, Any] = {**groups.keys, "observed": obs, "expected": expected, **extra}
    with np.errstate(invalid="ignore", divide="ignore"):
        columns["value"] = obs / expected * scale
        columns |= limit_columns(levels, lambda level: _over(poisson_limits(obs, confidence=level), expected), scale)
    columns |= {
        "confidence": [confidence_label(levels)] * groups.count,
        "statistic": [statistic] * groups.count,
        "method": ["Exact" if o < 10 else "Byars" for o in obs],
    }
    return _frames.new_frame(_frames.frame_kind(data), columns)


def _over(limits: tuple[FloatArray, FloatArray], expected: FloatArray) -> tuple[FloatArray, FloatArray]:
    return limits[0] / expected, limits[1] / expected


def isratio(
    data: Any,
    observed: str | None,
    population: str,
    *,
    refcount: str | ArrayLike,
    refpop: str | ArrayLike,
    by: str | Sequence[str] | None = None,
    confidence: float | Iterable[float] = 0.95,
    refvalue: float = 1,
    observed_totals: Mapping[Any, float] | None = None,
) -> Any:
    """Indirectly standardised ratios, observed over expected (``calculate_ISRatio``).

    Parameters
    ----------
    data : pandas or polars DataFrame
        One row per band per group.
    observed, population : str
        Observed events and population per band (``observed`` may be None with ``observed_totals``).
    refcount, refpop : str or sequence of float
        Reference events and population per band: columns, or vectors laid against each group's rows.
    by : str or list of str, optional
    confidence : float or list of float, default 0.95
    refvalue : float, default 1
        1 for a ratio, 100 for the usual SMR scale.
    observed_totals : mapping, optional
        Observed events per group (key: the ``by`` value, or a tuple for several columns) when
        they are known only in total.

    Returns
    -------
    DataFrame with ``observed``, ``expected``, ``value``, limits (exact below 10 events, Byar's
    from 10, on the observed count), ``confidence``, ``statistic`` and ``method``.
    """
    levels = confidence_levels(confidence)
    scale = require_multiplier(refvalue)
    groups, obs, expected, _ = _isr_parts(data, observed, population, refcount, refpop, by, observed_totals)
    statistic = f"indirectly standardised ratio x {format_number(scale)}"
    return _isr_frame(data, groups, obs, expected, levels, scale, {}, statistic)


def israte(
    data: Any,
    observed: str | None,
    population: str,
    *,
    refcount: str | ArrayLike,
    refpop: str | ArrayLike,
    by: str | Sequence[str] | None = None,
    confidence: float | Iterable[float] = 0.95,
    multiplier: float = 100_000,
    observed_totals: Mapping[Any, float] | None = None,
) -> Any:
    """Indirectly standardised rates: the ratio times the reference rate (``calculate_ISRate``).

    Parameters are those of :func:`isratio`, with ``multiplier`` (default 100000) in place of
    ``refvalue``. The output adds ``ref_rate`` (reference events over reference population,
    multiplied).
    """
    levels = confidence_levels(confidence)
    scale = require_multiplier(multiplier)
    groups, obs, expected, ref_rate = _isr_parts(data, observed, population, refcount, refpop, by, observed_totals)
    statistic = f"indirectly standardised rate per {format_number(scale)}"
    # The rate is the ratio times the reference rate, so value and limits scale together.
    factor = ref_rate * scale
    return _isr_frame(data, groups, obs, expected, levels, factor, {"ref_rate": factor}, statistic)
