"""Input checks shared by the indicators; each failure names the column and the fix."""

from __future__ import annotations

import numpy as np

from .errors import IndicatorsError
from .limits import FloatArray


def require_nonnegative(values: FloatArray, role: str) -> None:
    if np.any(values < 0):
        raise IndicatorsError(f"{role} must all be zero or more; found {np.nanmin(values):g}")


def require_positive(values: FloatArray, role: str) -> None:
    if np.any(values <= 0):
        raise IndicatorsError(f"{role} must all be greater than zero; found {np.nanmin(values):g}")


def require_complete(values: FloatArray, role: str) -> None:
    if np.any(np.isnan(values)):
        raise IndicatorsError(f"{role} has missing values; supply every value (zero where there were none)")


def require_multiplier(multiplier: float) -> float:
    if not isinstance(multiplier, int | float) or isinstance(multiplier, bool) or multiplier <= 0:
        raise IndicatorsError(f"multiplier must be a number greater than zero, not {multiplier!r}")
    return float(multiplier)
