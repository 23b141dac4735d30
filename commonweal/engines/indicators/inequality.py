"""Slope and relative indices of inequality (SII, RII) and quantile assignment."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _frames
from ._output import confidence_label, limit_names
from .errors import IndicatorsError, IndicatorsWarning
from .limits import FloatArray, confidence_levels, z_value

#: Areas simulated together; bounds memory at about 2 x 16 x repetitions floats.
_CHUNK = 16


@dataclass(frozen=True)
class SlopeIndex:
    """SII, RII and intercept per area, with limits of shape (levels, areas)."""

    confidence: tuple[float, ...]
    sii: FloatArray
    sii_lower: FloatArray
    sii_upper: FloatArray
    rii: FloatArray
    rii_lower: FloatArray
    rii_upper: FloatArray
    intercept: FloatArray


def _table(values: ArrayLike | None) -> FloatArray | None:
    return None if values is None else np.atleast_2d(np.asarray(values, dtype=np.float64))


def _to_scale(values: FloatArray, value_type: int) -> FloatArray:
    """Log for rates, logit for proportions: the scale on which errors are normal."""
    with np.errstate(invalid="ignore", divide="ignore"):
        if value_type == 1:
            return np.log(values)
        if value_type == 2:
            return np.log(values / (1 - values))
    return values


def _from_scale(values: FloatArray, value_type: int) -> FloatArray:
    if value_type == 1:
        return np.exp(values)
    if value_type == 2:
        return 1 / (1 + np.exp(-values))
    return values


def _design(population: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Weights sqrt(a) and the least-squares operator M = (X'X)^-1 X' for X = [sqrt a, b sqrt a].

    a is each quantile's share of the population and b the midpoint of its cumulative share
    (its relative rank); weighting by sqrt(a) allows for unequal quantile sizes (Low and Low 2004).
    """
    share = population / population.sum(axis=1, keepdims=True)
    rank = np.cumsum(share, axis=1) - share / 2
    root = np.sqrt(share)
    design = np.stack([root, rank * root], axis=2)
    operator = np.linalg.solve(design.transpose(0, 2, 1) @ design, design.transpose(0, 2, 1))
    return root, operator


def _positions(repetitions: int, levels: tuple[float, ...]) -> list[tuple[int, int]]:
    """Order statistics PHEindicatormethods reads as limits: round(reps * tail), 1-based."""
    out = []
    for level in levels:
        upper_tail = level + (1 - level) / 2
        out.append((round(repetitions * (1 - upper_tail)) - 1, round(repetitions * upper_tail) - 1))
    return out


def _order_stats(samples: FloatArray, positions: list[tuple[int, int]]) -> list[tuple[FloatArray, FloatArray]]:
    return [(_select(samples, lo), _select(samples, hi)) for lo, hi in positions]


def _select(samples: FloatArray, k: int, pilot: int = 2000) -> FloatArray:
    """The k-th smallest value of each row, exactly, without partitioning whole rows.

    The draws are independent, so the first ``pilot`` of each row bracket the k-th value with
    a margin of 8 standard errors; only values inside the bracket are partitioned. A row whose
    bracket misses (vanishingly rare) falls back to a full partition, so the result is exact.
    """
    rows, size = samples.shape
    share = (k + 0.5) / size
    if size <= 4 * pilot:
        return np.asarray(np.partition(samples, k, axis=1)[:, k], dtype=np.float64)
    head = np.sort(samples[:, :pilot], axis=1)
    margin = 8 * np.sqrt(share * (1 - share) / pilot) + 2 / pilot
    low_at, high_at = int((share - margin) * pilot), int(np.ceil((share + margin) * pilot))
    low = head[:, low_at] if low_at >= 0 else np.full(rows, -np.inf)
    high = head[:, high_at] if high_at < pilot else np.full(rows, np.inf)
    below = np.count_nonzero(samples < low[:, None], axis=1)
    inside = (samples >= low[:, None]) & (samples <= high[:, None])
    counts = np.count_nonzero(inside, axis=1)
    values = samples[inside]
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    out = np.empty(rows)
    for row in range(rows):
        j = k - below[row]
        if 0 <= j < counts[row]:
            segment = values[starts[row] : starts[row] + counts[row]]
            out[row] = np.partition(segment, j)[j]
        else:
            out[row] = np.partition(samples[row], k)[k]
    return out


def _simulate(
    centre: FloatArray,
    se: FloatArray,
    root: FloatArray,
    operator: FloatArray,
    value_type: int,
    linear: bool,
    repetitions: int,
    rng: np.random.Generator,
) -> tuple[FloatArray, FloatArray]:
    """Simulated (intercept, slope) pairs, shape (areas, repetitions) each.

    R draws every quantile's value from N(value, se) and refits. When the draws enter the fit
    linearly the two coefficients are exactly bivariate normal, so we draw them from that
    distribution directly: the same Monte Carlo at 2 rather than q normal draws per repetition.
    """
    if linear:
        mean = np.einsum("akq,aq->ak", operator, root * centre)
        weighted = operator * (root * se)[:, None, :]
        cholesky = np.linalg.cholesky(weighted @ weighted.transpose(0, 2, 1))
        first = rng.standard_normal((centre.shape[0], repetitions))
        second = rng.standard_normal((centre.shape[0], repetitions))
        # b0 = m0 + L00 z0 and b1 = m1 + L10 z0 + L11 z1, written out to avoid a batched matmul.
        slope = second * cholesky[:, 1, 1, None]
        slope += first * cholesky[:, 1, 0, None]
        slope += mean[:, 1, None]
        first *= cholesky[:, 0, 0, None]
        first += mean[:, 0, None]
        return first, slope
    draws = centre[:, :, None] + se[:, :, None] * rng.standard_normal((*centre.shape, repetitions))
    coefficients = operator @ (root[:, :, None] * _from_scale(draws, value_type))
    return coefficients[:, 0], coefficients[:, 1]


def slope_index(
    value: ArrayLike,
    population: ArrayLike,
    *,
    se: ArrayLike | None = None,
    lower_cl: ArrayLike | None = None,
    upper_cl: ArrayLike | None = None,
    value_type: int = 0,
    transform: bool = False,
    multiplier: float = 1,
    repetitions: int = 100_000,
    confidence: float | Iterable[float] = 0.95,
    seed: int | np.random.Generator | None = None,
) -> SlopeIndex:
    """SII and RII with Monte Carlo limits, vectorised over areas (``phe_sii``).

    Parameters
    ----------
    value, population : array_like, shape (quantiles,) or (areas, quantiles)
        Indicator value and population of each quantile, ordered from the most to the least
        deprived. Every population must be positive.
    se : array_like, optional
        Standard errors (on the log scale for rates, logit for proportions). Otherwise give
        ``lower_cl`` and ``upper_cl``, the 95% limits of each value.
    value_type : {0, 1, 2}, default 0
        0 for a normally distributed value, 1 for a rate, 2 for a proportion (0 to 1).
    transform : bool, default False
        Fit the regression on the log (rates) or logit (proportions) scale and transform back.
    multiplier : float, default 1
        Scales the SII; a negative multiplier flips polarity and inverts the RII.
    repetitions : int, default 100000
        Monte Carlo repetitions (1000 or more).
    confidence : float or list of float, default 0.95
    seed : int or numpy Generator, optional
        Seed for reproducible limits.

    Returns
    -------
    SlopeIndex

    Examples
    --------
    >>> result = slope_index([70, 72, 74, 76, 78], [100] * 5, se=[1] * 5, repetitions=1000, seed=1)
    >>> round(float(result.sii[0]), 6), round(float(result.rii[0]), 6)
    (10.0, 1.144928)
    """
    levels = confidence_levels(confidence)
    values, pops = _table(value), _table(population)
    assert values is not None
    assert pops is not None
    _check_sii_arguments(value_type, transform, se, lower_cl, upper_cl, repetitions)
    if values.shape != pops.shape:
        raise IndicatorsError(f"value {values.shape} and population {pops.shape} must have the same shape")
    if not np.all(pops > 0):
        raise IndicatorsError("some quantiles have a zero, negative or missing population")
    centre = _to_scale(values, value_type)
    spread = _standard_errors(se, lower_cl, upper_cl, value_type, values.shape)
    root, operator = _design(pops)
    fitted = centre if transform else values
    intercept, slope = np.einsum("akq,aq->ak", operator, root * fitted).T
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    positions = _positions(repetitions, levels)
    linear = value_type == 0 or transform
    shape = (len(levels), values.shape[0])
    bounds = {name: np.full(shape, np.nan) for name in ("sl", "su", "rl", "ru")}
    for start in range(0, values.shape[0], _CHUNK):
        part = slice(start, start + _CHUNK)
        b0, b1 = _simulate(centre[part], spread[part], root[part], operator[part], value_type, linear, repetitions, rng)
        _fill_limits(bounds, part, b0, b1, positions, transform, multiplier, intercept[part], slope[part], value_type)
    return _point_estimates(levels, intercept, slope, bounds, transform, multiplier, value_type)


def _check_sii_arguments(
    value_type: int,
    transform: bool,
    se: ArrayLike | None,
    lower_cl: ArrayLike | None,
    upper_cl: ArrayLike | None,
    repetitions: int,
) -> None:
    if value_type not in (0, 1, 2):
        raise IndicatorsError("value_type should be 0 (normal), 1 (rate) or 2 (proportion)")
    if se is None and (lower_cl is None or upper_cl is None):
        raise IndicatorsError("give either se, or both lower_cl and upper_cl (95% limits)")
    if transform and value_type == 0:
        raise IndicatorsError("transform=True needs value_type 1 (rate) or 2 (proportion)")
    if transform and se is not None:
        raise IndicatorsError("transform=True needs lower_cl and upper_cl rather than se")
    if not isinstance(repetitions, int) or repetitions < 1000:
        raise IndicatorsError("repetitions must be a whole number of 1000 or more (default 100,000)")


def _standard_errors(
    se: ArrayLike | None,
    lower_cl: ArrayLike | None,
    upper_cl: ArrayLike | None,
    value_type: int,
    shape: tuple[int, ...],
) -> FloatArray:
    table = _table(se)
    if table is None:
        lower, upper = _table(lower_cl), _table(upper_cl)
        assert lower is not None
        assert upper is not None
        if np.isnan(lower).any() or np.isnan(upper).any():
            raise IndicatorsError("missing lower or upper confidence limits in the input")
        # PHEindicatormethods assumes the supplied limits are 95% limits.
        table = (_to_scale(upper, value_type) - _to_scale(lower, value_type)) / (2 * z_value(0.95))
    if table.shape != shape:
        raise IndicatorsError(f"standard errors or limits must have shape {shape}, not {table.shape}")
    if np.isnan(table).any() or (table < 0).any():
        raise IndicatorsError("negative or missing standard errors in the input")
    return table


def _fill_limits(
    bounds: dict[str, FloatArray],
    part: slice,
    b0: FloatArray,
    b1: FloatArray,
    positions: list[tuple[int, int]],
    transform: bool,
    multiplier: float,
    intercept: FloatArray,
    slope: FloatArray,
    value_type: int,
) -> None:
    if transform:
        back = _back_transformed_limits(_order_stats(b1, positions), intercept, slope, multiplier, value_type)
        for level, (sl, su, rl, ru) in enumerate(back):
            bounds["sl"][level, part], bounds["su"][level, part] = sl, su
            bounds["rl"][level, part], bounds["ru"][level, part] = rl, ru
        return
    for level, (lo, hi) in enumerate(_order_stats(multiplier * b1, positions)):
        bounds["sl"][level, part], bounds["su"][level, part] = lo, hi
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = (b0 + b1) / b0
        ratio = 1 / ratio if multiplier < 0 else ratio
    for level, (lo, hi) in enumerate(_order_stats(ratio, positions)):
        bounds["rl"][level, part], bounds["ru"][level, part] = lo, hi


def _back_transformed_limits(
    slope_limits: list[tuple[FloatArray, FloatArray]],
    intercept: FloatArray,
    slope: FloatArray,
    multiplier: float,
    value_type: int,
) -> list[tuple[FloatArray, FloatArray, FloatArray, FloatArray]]:
    """Limits on the natural scale: the fitted line pivots about its midpoint (x = 1/2)."""
    middle = intercept + slope / 2
    out = []
    for lo, hi in slope_limits:
        start_lo, end_lo = _from_scale(middle - lo / 2, value_type), _from_scale(middle + lo / 2, value_type)
        start_hi, end_hi = _from_scale(middle - hi / 2, value_type), _from_scale(middle + hi / 2, value_type)
        sii_lo, sii_hi = (end_lo - start_lo) * multiplier, (end_hi - start_hi) * multiplier
        rii_lo, rii_hi = end_lo / start_lo, end_hi / start_hi
        # A negative multiplier reverses polarity: the limits swap and the RII inverts.
        if multiplier < 0:
            out.append((sii_hi, sii_lo, 1 / rii_hi, 1 / rii_lo))
        else:
            out.append((sii_lo, sii_hi, rii_lo, rii_hi))
    return out


def _point_estimates(
    levels: tuple[float, ...],
    intercept: FloatArray,
    slope: FloatArray,
    bounds: dict[str, FloatArray],
    transform: bool,
    multiplier: float,
    value_type: int,
) -> SlopeIndex:
    if transform:
        start, end = _from_scale(intercept, value_type), _from_scale(intercept + slope, value_type)
        sii, rii, base = (end - start) * multiplier, end / start, start * abs(multiplier)
    else:
        sii, rii, base = slope * multiplier, (intercept + slope) / intercept, intercept
    if multiplier < 0:
        rii = 1 / rii
    return SlopeIndex(levels, sii, bounds["sl"], bounds["su"], rii, bounds["rl"], bounds["ru"], base)


# --- DataFrame front end ----------------------------------------------------------------------


def sii(
    data: Any,
    quantile: str,
    population: str,
    *,
    value: str | None = None,
    x: str | None = None,
    value_type: int = 0,
    transform: bool = False,
    se: str | None = None,
    lower_cl: str | None = None,
    upper_cl: str | None = None,
    by: str | Sequence[str] | None = None,
    multiplier: float = 1,
    repetitions: int = 100_000,
    confidence: float | Iterable[float] = 0.95,
    rii: bool = False,
    intercept: bool = False,
    seed: int | np.random.Generator | None = None,
) -> Any:
    """Slope index of inequality per group, with RII and intercept on request (``phe_sii``).

    Parameters
    ----------
    data : pandas or polars DataFrame
        One row per quantile per group; quantiles sort from most to least deprived.
    quantile, population : str
        The quantile column (e.g. decile 1 to 10) and its population.
    value : str, optional
        Indicator value column; for proportions it may be left out and ``x`` given instead
        (value = x / population).
    value_type : {0, 1, 2}, default 0
        0 normal, 1 rate, 2 proportion.
    transform : bool, default False
        Regress on the log/logit scale (needs ``lower_cl`` and ``upper_cl``).
    se, lower_cl, upper_cl : str, optional
        Standard error column, or the 95% limit columns.
    by : str or list of str, optional
    multiplier, repetitions, confidence, seed
        See :func:`slope_index`.
    rii, intercept : bool, default False
        Add the RII with its limits, and the fitted value at the most deprived end (x = 0).

    Returns
    -------
    DataFrame with one row per group: ``value`` (the SII), limits, optionally ``rii`` with
    ``rii_`` limits and ``intercept``, then ``confidence``, ``statistic`` and ``method``. Groups
    missing a quantile are NA with an ``IndicatorsWarning``.
    """
    kind = _frames.frame_kind(data)
    if value is None and x is None:
        raise IndicatorsError("give the value column, or x (the numerator) when value_type is 2")
    if value is None and value_type != 2:
        raise IndicatorsError("x can stand in for value only for proportions (value_type=2)")
    groups = _frames.group_rows(data, by)
    if groups.count == 0:
        raise IndicatorsError("data has no rows; there is nothing to calculate")
    labels = _frames.value_list(data, quantile, "quantile")
    levels_q = sorted(set(labels))
    if not 5 <= len(levels_q) <= 100:
        raise IndicatorsError(f"the number of quantiles must be between 5 and 100, not {len(levels_q)}")
    if len(levels_q) > 10:
        warnings.warn(
            "small values can make the SII unstable when using a large number of quantiles",
            IndicatorsWarning,
            stacklevel=2,
        )
    pops = _frames.numeric_column(data, population, "population")
    if not np.all(pops > 0):
        raise IndicatorsError("some quantiles have a zero, negative or missing population")
    inputs = _sii_inputs(data, value, x, pops, se, lower_cl, upper_cl, value_type)
    position = np.array([levels_q.index(label) for label in labels])
    tables, complete = _quantile_tables(groups, position, len(levels_q), {"population": pops, **inputs})
    result = _slope_for_complete(tables, complete, value_type, transform, multiplier, repetitions, confidence, seed)
    return _frames.new_frame(kind, _sii_columns(groups, result, rii, intercept, repetitions))


def _sii_inputs(
    data: Any,
    value: str | None,
    x: str | None,
    pops: FloatArray,
    se: str | None,
    lower_cl: str | None,
    upper_cl: str | None,
    value_type: int,
) -> dict[str, FloatArray]:
    columns: dict[str, FloatArray] = {}
    if value is not None:
        columns["value"] = _frames.numeric_column(data, value, "value")
    else:
        assert x is not None
        counts = _frames.numeric_column(data, x, "x")
        if np.any(counts <= 0):
            raise IndicatorsError("some groups have a zero or negative count x")
        columns["value"] = counts / pops
    if se is not None:
        columns["se"] = _frames.numeric_column(data, se, "se")
    elif lower_cl is not None and upper_cl is not None:
        columns["lower_cl"] = _frames.numeric_column(data, lower_cl, "lower_cl")
        columns["upper_cl"] = _frames.numeric_column(data, upper_cl, "upper_cl")
    if value_type == 2:
        for name in ("value", "lower_cl", "upper_cl"):
            if name in columns and np.any((columns[name] < 0) | (columns[name] > 1)):
                raise IndicatorsError(f"{name} proportions must all be between 0 and 1 for value_type 2")
    return columns


def _quantile_tables(
    groups: _frames.Groups, position: NDArray[np.intp], size: int, columns: dict[str, FloatArray]
) -> tuple[dict[str, FloatArray], NDArray[np.bool_]]:
    tables = {name: np.full((groups.count, size), np.nan) for name in columns}
    complete = np.ones(groups.count, dtype=bool)
    for code, rows in enumerate(groups.members()):
        places = position[rows]
        if len(rows) != size or len(np.unique(places)) != size:
            complete[code] = False
            continue
        for name, values in columns.items():
            tables[name][code, places] = values[rows]
    if not complete.all():
        warnings.warn(
            "some groups do not have exactly one row for every quantile; their SII is NA",
            IndicatorsWarning,
            stacklevel=3,
        )
    return tables, complete


def _slope_for_complete(
    tables: dict[str, FloatArray],
    complete: NDArray[np.bool_],
    value_type: int,
    transform: bool,
    multiplier: float,
    repetitions: int,
    confidence: float | Iterable[float],
    seed: int | np.random.Generator | None,
) -> SlopeIndex:
    levels = confidence_levels(confidence)
    count = len(complete)
    if not complete.any():
        line, grid = np.full(count, np.nan), np.full((len(levels), count), np.nan)
        return SlopeIndex(levels, line, grid, grid, line, grid, grid, line)
    pick = {name: table[complete] for name, table in tables.items()}
    inner = slope_index(
        pick["value"],
        pick["population"],
        se=pick.get("se"),
        lower_cl=pick.get("lower_cl"),
        upper_cl=pick.get("upper_cl"),
        value_type=value_type,
        transform=transform,
        multiplier=multiplier,
        repetitions=repetitions,
        confidence=levels,
        seed=seed,
    )
    spread = {}
    for name in ("sii", "rii", "intercept"):
        full = np.full(count, np.nan)
        full[complete] = getattr(inner, name)
        spread[name] = full
    for name in ("sii_lower", "sii_upper", "rii_lower", "rii_upper"):
        full = np.full((len(levels), count), np.nan)
        full[:, complete] = getattr(inner, name)
        spread[name] = full
    return SlopeIndex(levels, **spread)


def _sii_columns(
    groups: _frames.Groups, result: SlopeIndex, rii: bool, intercept: bool, repetitions: int
) -> dict[str, Any]:
    columns: dict[str, Any] = {**groups.keys, "value": result.sii}
    for i, (lower, upper) in enumerate(limit_names(result.confidence)):
        columns[lower], columns[upper] = result.sii_lower[i], result.sii_upper[i]
    if rii:
        columns["rii"] = result.rii
        for i, (lower, upper) in enumerate(limit_names(result.confidence, prefix="rii_")):
            columns[lower], columns[upper] = result.rii_lower[i], result.rii_upper[i]
    if intercept:
        columns["intercept"] = result.intercept
    columns["confidence"] = [confidence_label(result.confidence)] * groups.count
    columns["statistic"] = ["slope index of inequality"] * groups.count
    columns["method"] = [f"Monte Carlo simulation, {repetitions:,} repetitions"] * groups.count
    return columns


def quantiles(
    data: Any,
    values: str,
    *,
    by: str | Sequence[str] | None = None,
    nquantiles: int = 10,
    invert: bool | str = True,
) -> Any:
    """Assign each row to a quantile of ``values`` within its group (``phe_quantile``).

    Parameters
    ----------
    data : pandas or polars DataFrame
    values : str
        Numeric column to rank; missing values get no quantile.
    by : str or list of str, optional
        Group columns; quantiles are assigned within each group.
    nquantiles : int, default 10
    invert : bool or str, default True
        True puts the highest values in quantile 1 (as with deprivation scores where 1 is most
        deprived); a column name gives the choice per group (it must be constant within a group).

    Returns
    -------
    The input with ``quantile``, ``nquantiles``, ``groupvars`` and ``qinverted`` added. Groups with
    fewer values than quantiles get NA with an ``IndicatorsWarning``.
    """
    if not isinstance(nquantiles, int) or nquantiles < 1:
        raise IndicatorsError(f"nquantiles must be a whole number of 1 or more, not {nquantiles!r}")
    raw = _frames.numeric_column(data, values, "values")
    if raw.size == 0:
        raise IndicatorsError("data has no rows; there is nothing to assign to quantiles")
    groups = _frames.group_rows(data, by)
    flags = _invert_flags(data, groups, invert)
    result = np.full(len(raw), np.nan)
    too_few = False
    for code, rows in enumerate(groups.members()):
        ranked = _quantile_of(raw[rows], nquantiles, bool(flags[code]))
        too_few |= bool(np.isnan(ranked).all())
        result[rows] = ranked
    if too_few:
        warnings.warn(
            "one or more groups had too few small areas with values to allow quantiles to be assigned",
            IndicatorsWarning,
            stacklevel=2,
        )
    size = len(raw)
    described = [
        "lowest quantile represents highest values" if flags[c] else "lowest quantile represents lowest values"
        for c in groups.codes
    ]
    return _frames.add_columns(
        data,
        {
            "quantile": result,
            "nquantiles": [nquantiles] * size,
            "groupvars": [", ".join(_frames.by_columns(by))] * size,
            "qinverted": described,
        },
    )


def _invert_flags(data: Any, groups: _frames.Groups, invert: bool | str) -> NDArray[np.bool_]:
    if isinstance(invert, bool):
        return np.full(groups.count, invert)
    if not isinstance(invert, str):
        raise IndicatorsError("invert must be True, False or the name of a column of True/False values")
    flags = _frames.value_list(data, invert, "invert")
    out = np.zeros(groups.count, dtype=bool)
    for code, rows in enumerate(groups.members()):
        seen = {flags[row] for row in rows}
        if len(seen) != 1 or not seen <= {True, False}:
            raise IndicatorsError(
                "invert field values must take the same logical value (True or False) for each data grouping set"
            )
        out[code] = bool(seen.pop())
    return out


def _quantile_of(values: FloatArray, nquantiles: int, invert: bool) -> FloatArray:
    """PHE's rule: q = floor(n_q + 1 - ceil((n + 1 - rank) / (n / n_q))), with ties ranked low."""
    present = ~np.isnan(values)
    count = int(present.sum())
    out = np.full(len(values), np.nan)
    if count < nquantiles:
        return out
    keyed = -values if invert else values
    ordered = np.sort(keyed[present])
    rank = np.searchsorted(ordered, keyed[present], side="left") + 1.0
    quantile = np.floor(nquantiles + 1 - np.ceil((count + 1 - rank) / (count / nquantiles)))
    out[present] = np.where(quantile == 0, 1, quantile)
    return out
