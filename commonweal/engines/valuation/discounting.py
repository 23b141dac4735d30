"""Green Book discounting: the declining STPR schedules, compounded band by band.

HM Treasury's social time preference rate (Green Book 2022, Annex A6) is 3.5% a year for
years 0-30, then 3.0% (31-75), 2.5% (76-125), 2.0% (126-200), 1.5% (201-300) and 1.0%
beyond. The health schedule (for effects on health and life) is 1.5% falling likewise, and the
reduced schedule (pure time preference removed, for catastrophic-risk appraisals) 3.0%.
Each band's rate applies to the years *within* it, so the factor for year 31 is the factor for
year 30 divided by 1.03, not ``1 / 1.03 ** 31``.

Year-0 convention (``timing``): Green Book appraisals count the present year as year 0 and
leave it undiscounted, so a flow in year ``t`` is discounted ``t`` years (``timing="start"``,
the default). Some spreadsheets place every year's flow at the end of the year, so year 0 is
discounted one year (``timing="end"``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import ValuationError

FloatArray = NDArray[np.float64]
Timing = Literal["start", "end"]

_GREEN_BOOK_STARTS = (0, 31, 76, 126, 201, 301)


@dataclass(frozen=True)
class DiscountSchedule:
    """A declining discount rate schedule: ``rates[i]`` applies from year ``starts[i]``.

    Parameters
    ----------
    name
        A label for reports.
    starts
        First year of each band, beginning at 0 and increasing.
    rates
        Annual discount rate in each band, as a fraction (0.035 for 3.5%).
    source
        Where the schedule comes from.

    Examples
    --------
    >>> flat = DiscountSchedule("flat 5%", starts=(0,), rates=(0.05,))
    >>> round(float(discount_factors(2, schedule=flat)), 6)
    0.907029
    """

    name: str
    starts: tuple[int, ...]
    rates: tuple[float, ...]
    source: str = ""

    def __post_init__(self) -> None:
        starts, rates = tuple(self.starts), tuple(float(r) for r in self.rates)
        if not starts or starts[0] != 0:
            raise ValuationError(f"discount schedule {self.name!r} must start at year 0, not {starts[:1]}")
        if len(starts) != len(rates):
            raise ValuationError(f"discount schedule {self.name!r} needs one rate per band start")
        if any(b <= a for a, b in itertools.pairwise(starts)):
            raise ValuationError(f"discount schedule {self.name!r} band starts must increase: {starts}")
        if any(not math.isfinite(r) or r <= -1 for r in rates):
            raise ValuationError(f"discount schedule {self.name!r} rates must be finite and above -100%")
        object.__setattr__(self, "starts", starts)
        object.__setattr__(self, "rates", rates)

    def bands(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Return each band's anchor year, the factor at that anchor, and its one-year factor.

        Within band ``b`` the factor for year ``t`` is ``anchor_factor[b] * step[b] ** (t - anchor[b])``,
        where the anchor is the last year of the previous band (year 0 for the first band).
        """
        anchors = np.array([0.0] + [s - 1.0 for s in self.starts[1:]])
        steps = 1.0 / (1.0 + np.array(self.rates))
        factors = np.ones(len(anchors))
        for b in range(1, len(anchors)):
            factors[b] = factors[b - 1] * steps[b - 1] ** (anchors[b] - anchors[b - 1])
        return anchors, factors, steps


_OGL = "HM Treasury, The Green Book (2022), Annex A6: discount rates; Open Government Licence v3.0"
STANDARD = DiscountSchedule("standard", _GREEN_BOOK_STARTS, (0.035, 0.03, 0.025, 0.02, 0.015, 0.01), _OGL)
HEALTH = DiscountSchedule("health", _GREEN_BOOK_STARTS, (0.015, 0.0129, 0.0107, 0.0086, 0.0064, 0.0043), _OGL)
REDUCED = DiscountSchedule("reduced", _GREEN_BOOK_STARTS, (0.03, 0.0257, 0.0214, 0.0171, 0.0129, 0.0086), _OGL)
SCHEDULES = {"standard": STANDARD, "health": HEALTH, "reduced": REDUCED}

ScheduleName = Literal["standard", "health", "reduced"]


def resolve_schedule(schedule: ScheduleName | DiscountSchedule) -> DiscountSchedule:
    """Return the schedule object for a name (``standard``, ``health``, ``reduced``) or schedule."""
    if isinstance(schedule, DiscountSchedule):
        return schedule
    try:
        return SCHEDULES[schedule]
    except (KeyError, TypeError):
        raise ValuationError(
            f"unknown discount schedule {schedule!r}: use one of {', '.join(SCHEDULES)} or pass a DiscountSchedule"
        ) from None


def _timing_shift(timing: str) -> float:
    if timing == "start":
        return 0.0
    if timing == "end":
        return 1.0
    raise ValuationError(f"timing must be 'start' (year 0 undiscounted) or 'end', not {timing!r}")


def factors_at(years: FloatArray, schedule: DiscountSchedule) -> FloatArray:
    """Discount factors for (already shifted) non-negative years; the vectorised core."""
    anchors, anchor_factors, steps = schedule.bands()
    band = np.clip(np.searchsorted(anchors, years, side="left") - 1, 0, len(anchors) - 1)
    result: FloatArray = anchor_factors[band] * steps[band] ** (years - anchors[band])
    return result


@overload
def discount_factors(
    years: int | float, *, schedule: ScheduleName | DiscountSchedule = ..., timing: Timing = ...
) -> float: ...
@overload
def discount_factors(
    years: Sequence[int] | Sequence[float] | FloatArray | NDArray[np.int_],
    *,
    schedule: ScheduleName | DiscountSchedule = ...,
    timing: Timing = ...,
) -> FloatArray: ...
def discount_factors(
    years: ArrayLike,
    *,
    schedule: ScheduleName | DiscountSchedule = "standard",
    timing: Timing = "start",
) -> float | FloatArray:
    """Green Book discount factors for appraisal years.

    Parameters
    ----------
    years
        A year or array of years counted from the present (year 0); may be fractional.
    schedule
        ``"standard"`` (3.5% declining), ``"health"`` (1.5% declining), ``"reduced"``
        (pure time preference removed) or a :class:`DiscountSchedule`. Default ``"standard"``.
    timing
        ``"start"`` (default, Green Book): year 0 is undiscounted. ``"end"``: each year's flow
        sits at the end of the year, so year ``t`` is discounted ``t + 1`` years.

    Returns
    -------
    float or numpy.ndarray
        A float for a single year, else an array of the same shape.

    Raises
    ------
    ValuationError
        For negative or non-finite years, or an unknown schedule.

    Examples
    --------
    >>> round(discount_factors(30), 6), round(discount_factors(31), 6)
    (0.356278, 0.345901)
    >>> round(discount_factors(30, schedule="health"), 6)
    0.639762
    """
    sched = resolve_schedule(schedule)
    shift = _timing_shift(timing)
    array = np.asarray(years, dtype=np.float64)
    if not np.all(np.isfinite(array)) or np.any(array < 0):
        raise ValuationError("discount years must be finite and zero or more (year 0 is the present)")
    result = factors_at(array + shift, sched)
    if result.ndim == 0:
        return float(result)
    return result


def present_value(
    flows: ArrayLike,
    *,
    first_year: int = 0,
    schedule: ScheduleName | DiscountSchedule = "standard",
    timing: Timing = "start",
) -> float | FloatArray:
    """Present value of a stream of yearly flows.

    Parameters
    ----------
    flows
        Flows by year, along the last axis; leading axes (draws, interventions) are kept.
    first_year
        The appraisal year of the first flow (default 0, the present).
    schedule, timing
        As for :func:`discount_factors`.

    Returns
    -------
    float or numpy.ndarray
        The discounted sum over the last axis.

    Examples
    --------
    >>> round(present_value([100.0] * 10, first_year=1), 2)
    831.66
    """
    array = np.asarray(flows, dtype=np.float64)
    if array.ndim == 0:
        array = array.reshape(1)
    if first_year < 0:
        raise ValuationError(f"first_year must be zero or more, not {first_year}")
    factors = discount_factors(
        np.arange(first_year, first_year + array.shape[-1], dtype=np.float64),
        schedule=schedule,
        timing=timing,
    )
    total = array @ factors
    if np.ndim(total) == 0:
        return float(total)
    return np.asarray(total, dtype=np.float64)
