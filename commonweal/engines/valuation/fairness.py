"""Distributional weights: the Green Book's adjustment for who receives value.

A pound is worth more to a poorer household. With isoelastic utility and elasticity of marginal
utility of income ``e`` (1.3 in the Green Book, Annex A3), the weight on value received by a group
is ``(reference income / group income) ** e``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import ValuationError

FloatArray = NDArray[np.float64]
GREEN_BOOK_ELASTICITY = 1.3


@overload
def distributional_weight(income_ratio: float, *, elasticity: float = ...) -> float: ...
@overload
def distributional_weight(income_ratio: FloatArray, *, elasticity: float = ...) -> FloatArray: ...
def distributional_weight(
    income_ratio: float | FloatArray, *, elasticity: float = GREEN_BOOK_ELASTICITY
) -> float | FloatArray:
    """Green Book distributional weight for a group.

    Parameters
    ----------
    income_ratio
        Reference (e.g. median) income divided by the group's income; above 1 for poorer groups.
    elasticity
        Elasticity of marginal utility of income (default 1.3, Green Book Annex A3).

    Returns
    -------
    float or numpy.ndarray
        ``income_ratio ** elasticity``.

    Raises
    ------
    ValuationError
        If a ratio is not positive or the elasticity is negative.

    Examples
    --------
    >>> round(distributional_weight(1.961), 2)
    2.4
    """
    if not (math.isfinite(elasticity) and elasticity >= 0):
        raise ValuationError(f"elasticity must be zero or more, not {elasticity}")
    ratios = np.asarray(income_ratio, dtype=np.float64)
    if not np.all(np.isfinite(ratios)) or np.any(ratios <= 0):
        raise ValuationError("income ratios must be positive numbers (reference income / group income)")
    weights = ratios**elasticity
    if weights.ndim == 0:
        return float(weights)
    return weights


def income_weights(
    incomes: Mapping[int, float] | ArrayLike,
    *,
    reference: float | None = None,
    elasticity: float = GREEN_BOOK_ELASTICITY,
) -> dict[int, float]:
    """Distributional weights for groups (e.g. IMD deciles) from their incomes.

    Parameters
    ----------
    incomes
        Mean equivalised income by group: a mapping (decile -> income) or a sequence for
        groups 1, 2, ...
    reference
        Reference income; default the median of the group incomes.
    elasticity
        As for :func:`distributional_weight`.

    Returns
    -------
    dict
        Weight by group.

    Examples
    --------
    >>> income_weights({1: 20_000, 2: 40_000}, reference=40_000)
    {1: 2.4622888266898326, 2: 1.0}
    """
    if isinstance(incomes, Mapping):
        groups = {int(k): float(v) for k, v in incomes.items()}
    else:
        groups = {i: float(v) for i, v in enumerate(np.asarray(incomes, dtype=np.float64).ravel(), start=1)}
    if not groups:
        raise ValuationError("income_weights needs at least one group income")
    if any(not (math.isfinite(v) and v > 0) for v in groups.values()):
        raise ValuationError("group incomes must be positive numbers")
    ref = float(np.median(list(groups.values()))) if reference is None else float(reference)
    if not (math.isfinite(ref) and ref > 0):
        raise ValuationError(f"reference income must be positive, not {reference}")
    return {group: distributional_weight(ref / income, elasticity=elasticity) for group, income in groups.items()}
