"""Vectorised arithmetic behind :func:`evaluate`: discounted annuities, group sums, quantiles.

Arrays are two-dimensional, rows (outcome or cost lines) by draws; a deterministic input is a
single column that broadcasts across draws, so certain inputs cost nothing per draw.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .discounting import DiscountSchedule, factors_at

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


def annuity(start: FloatArray, duration: FloatArray, growth: FloatArray, schedule: DiscountSchedule) -> FloatArray:
    """Discounted sum of a flow of 1 in year ``start`` growing by ``growth`` a year for ``duration`` years.

    ``sum(DF(start + k) * growth**k for k < floor(duration)) + frac * DF(start + floor) * growth**floor``
    where ``frac`` is the fractional part of ``duration``: a part year counts pro rata. Each
    discount band is summed in closed form as a geometric series, so the cost does not grow
    with the number of years.

    Parameters
    ----------
    start
        First (already timing-shifted) year, whole numbers >= 0; shape (rows, 1).
    duration
        Years of effect >= 0; shape (rows, 1) or (rows, draws).
    growth
        ``1 - drop_off``, between 0 and 1; shape (rows, 1) or (rows, draws).
    schedule
        The discount schedule.
    """
    anchors, anchor_factors, steps = schedule.bands()
    full = np.floor(duration)
    frac = duration - full
    end = start + full  # first year not wholly counted
    shape = np.broadcast_shapes(start.shape, duration.shape, growth.shape)
    total = np.zeros(shape)
    last_full_year = float(np.max(end)) - 1 if end.size else -1.0
    for band in range(len(anchors)):
        low = 0.0 if band == 0 else anchors[band] + 1
        high = anchors[band + 1] if band + 1 < len(anchors) else np.inf
        if last_full_year < low or float(np.min(start)) > high:
            continue
        step = steps[band]
        q = step * growth
        k_low = np.clip(low - start, 0, full)
        k_high = np.clip(high - start + 1, 0, full) if np.isfinite(high) else full
        coefficient = anchor_factors[band] * step ** (start - anchors[band])
        head = 1.0 if band == 0 else q**k_low  # start >= 0, so the first band always starts at k = 0
        if step == 1.0:
            ones = q == 1.0
            with np.errstate(divide="ignore", invalid="ignore"):
                geometric = np.where(ones, k_high - k_low, (head - q**k_high) / np.where(ones, 2.0, 1 - q))
        else:
            geometric = (head - q**k_high) / (1 - q)
        total += coefficient * geometric
    if np.any(frac > 0):
        total += frac * factors_at(np.broadcast_to(end, shape).astype(np.float64), schedule) * growth**full
    return total


def group_sum(values: FloatArray, counts: IntArray, groups: int) -> FloatArray:
    """Sum consecutive rows of ``values`` in groups of ``counts`` (which may be zero)."""
    width = values.shape[1]
    if values.shape[0] == 0:
        return np.zeros((groups, width))
    if groups and bool(np.all(counts == counts[0])):
        # One shape for every group (the usual portfolio): a reshape, no Python loop.
        summed: FloatArray = values.reshape(groups, int(counts[0]), width).sum(axis=1)
        return summed
    out = np.zeros((groups, width))
    # np.add.reduceat along axis 0 is several times slower than summing slices.
    end = 0
    for group, count in enumerate(counts.tolist()):
        begin, end = end, end + count
        if count == 1:
            out[group] = values[begin]
        elif count:
            np.sum(values[begin:end], axis=0, out=out[group])
    return out


def quantiles(values: FloatArray, levels: tuple[float, ...], *, interpolate: bool = True) -> FloatArray:
    """Percentiles along axis 1 (``levels`` in 0-100), as numpy's "linear" method or, without
    interpolation, the empirical quantile (for whole-year results such as payback)."""
    ordered = np.sort(values, axis=1)
    n = ordered.shape[1]
    out = np.empty((ordered.shape[0], len(levels)))
    for column, level in enumerate(levels):
        if interpolate:
            position = level / 100 * (n - 1)
            below = int(np.floor(position))
            above = min(below + 1, n - 1)
            weight = position - below
            low, high = ordered[:, below], ordered[:, above]
            with np.errstate(invalid="ignore"):
                out[:, column] = np.where(high == low, low, low + weight * (high - low))
        else:
            index = min(max(int(np.ceil(level / 100 * n)) - 1, 0), n - 1)
            out[:, column] = ordered[:, index]
    has_nan = np.isnan(ordered[:, -1])
    out[has_nan] = np.nan
    return out
