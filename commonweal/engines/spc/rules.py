"""Special-cause rules: their settings and their vectorised detectors.

Every detector works on the last axis of an array, so one call tests one series (shape ``(n,)``)
or many series of equal length at once (shape ``(series, n)``). The detectors mirror the
functions of NHSRplotthedots 0.2.2 (``ptd_seven_point_one_side_mean``, ``ptd_seven_point_trend``,
``ptd_part_of_seven_trend``, ``ptd_two_in_three``), generalised from 7 to ``n`` points.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import numpy.typing as npt

from .errors import SpcError

Mode = Literal["mdc", "nhsrplotthedots"]
RuleName = Literal["outside_limits", "trend", "two_in_three", "shift"]
TwoInThreeCounting = Literal["beyond_two_sigma", "two_to_three_sigma"]
Conflict = Literal["improvement", "concern", "precedence"]

MODES: tuple[Mode, ...] = ("mdc", "nhsrplotthedots")
RULE_NAMES: tuple[RuleName, ...] = ("outside_limits", "trend", "two_in_three", "shift")

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int8]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SpcRules:
    """The special-cause rules and their parameters, recorded with every chart.

    Parameters
    ----------
    outside_limits : bool
        Flag a point beyond the process limits (mean +/- 2.66 x mean moving range). Default on.
    shift_points : int or None
        A run of this many points on one side of the mean is a shift (default 7; MDC tools allow 6).
        A point exactly on the mean breaks a run. ``None`` switches the rule off.
    trend_points : int or None
        This many points each strictly above (or below) the one before is a trend (default 7;
        MDC tools allow 6). A repeated value breaks a trend. ``None`` switches the rule off.
    two_in_three : {"beyond_two_sigma", "two_to_three_sigma"} or None
        Two of three consecutive points beyond the 2-sigma line, all three on the same side of
        the mean. ``"beyond_two_sigma"`` counts every point beyond 2 sigma, including points
        beyond the process limits (Making Data Count tools since November 2023);
        ``"two_to_three_sigma"`` counts only points between 2 and 3 sigma (NHSRplotthedots 0.2.2).
        Only the points beyond 2 sigma are flagged. ``None`` switches the rule off.
    precedence : tuple of rule names
        The order in which rules name a point (its ``special_cause_type``) when several flag it.
        Default outside limits, trend, two in three, shift (NHSRplotthedots 0.2.2).
    conflict : {"improvement", "concern", "precedence"}
        What a point flagged both for improvement and for concern becomes. ``"precedence"``
        (default, NHSRplotthedots) takes the side of the first rule in ``precedence``;
        ``"improvement"`` (the MDC Single Chart tool, per the MDC team's comment on
        NHSRplotthedots issue #194) or ``"concern"`` prefers that side. With a neutral
        improvement direction the precedence always decides.
    min_points : int
        A segment (rebase group) with fewer points gets no process limits, no signals and no icons.
        Default 2, the fewest that give a moving range; MDC's Excel tool shows limits from 13.
    short_group_threshold : int
        Segments with fewer points than this carry ``short_group_warning`` (default 13, the
        NHSRplotthedots option ``ptd_spc.warning_threshold``): their limits are trial limits.
    """

    outside_limits: bool = True
    shift_points: int | None = 7
    trend_points: int | None = 7
    two_in_three: TwoInThreeCounting | None = "beyond_two_sigma"
    precedence: tuple[RuleName, ...] = RULE_NAMES
    # Precedence by default: only the cases SOURCES.md marks as mode-dependent may differ between modes.
    conflict: Conflict = "precedence"
    min_points: int = 2
    short_group_threshold: int = 13

    def __post_init__(self) -> None:
        for name in ("shift_points", "trend_points"):
            n = getattr(self, name)
            if n is not None and (not isinstance(n, int) or isinstance(n, bool) or n < 2):
                raise SpcError(f"{name} must be a whole number of at least 2 (or None to switch it off); got {n!r}")
        if self.two_in_three not in ("beyond_two_sigma", "two_to_three_sigma", None):
            raise SpcError(
                f"two_in_three must be 'beyond_two_sigma', 'two_to_three_sigma' or None; got {self.two_in_three!r}"
            )
        if sorted(self.precedence) != sorted(RULE_NAMES):
            raise SpcError(f"precedence must name each of {', '.join(RULE_NAMES)} once; got {self.precedence!r}")
        if self.conflict not in ("improvement", "concern", "precedence"):
            raise SpcError(f"conflict must be 'improvement', 'concern' or 'precedence'; got {self.conflict!r}")
        for name in ("min_points", "short_group_threshold"):
            n = getattr(self, name)
            if not isinstance(n, int) or isinstance(n, bool) or n < 2:
                raise SpcError(f"{name} must be a whole number of at least 2; got {n!r}")

    @classmethod
    def for_mode(cls, mode: Mode) -> SpcRules:
        """Return the default rules of a mode.

        >>> SpcRules.for_mode("nhsrplotthedots").two_in_three
        'two_to_three_sigma'
        >>> SpcRules.for_mode("mdc").two_in_three
        'beyond_two_sigma'
        """
        if mode == "mdc":
            return cls()
        if mode == "nhsrplotthedots":
            return cls(two_in_three="two_to_three_sigma", conflict="precedence")
        raise SpcError(f"mode must be one of {', '.join(MODES)}; got {mode!r}")

    def with_changes(self, **changes: object) -> SpcRules:
        """Return a copy with some settings changed (validated again)."""
        return replace(self, **changes)  # type: ignore[arg-type]


def _padded_cumsum(flags: BoolArray) -> npt.NDArray[np.int32]:
    """Cumulative count along the last axis with a leading zero, so window sums are differences."""
    shape = (*flags.shape[:-1], flags.shape[-1] + 1)
    out = np.zeros(shape, dtype=np.int32)
    np.cumsum(flags, axis=-1, dtype=np.int32, out=out[..., 1:])
    return out


def window_all_ending(flags: BoolArray, width: int) -> BoolArray:
    """True at ``i`` when ``flags[i - width + 1 .. i]`` are all true (False for the first ``width - 1``)."""
    n = flags.shape[-1]
    out = np.zeros(flags.shape, dtype=bool)
    if width <= n:
        c = _padded_cumsum(flags)
        out[..., width - 1 :] = (c[..., width:] - c[..., : n - width + 1]) == width
    return out


def window_any_starting(flags: BoolArray, width: int) -> BoolArray:
    """True at ``i`` when any of ``flags[i .. i + width - 1]`` is true (the window is cut at the end)."""
    n = flags.shape[-1]
    c = _padded_cumsum(flags)
    ends = np.minimum(np.arange(n) + width, n)
    return (c[..., ends] - c[..., :n]) > 0


def shift_markers(relative_to_mean: npt.ArrayLike, points: int = 7) -> IntArray:
    """Mark the point that completes a run of ``points`` on one side of the mean.

    Parameters
    ----------
    relative_to_mean : array of -1, 0, 1
        The sign of each value minus the mean; 0 (a point on the mean) breaks a run.
    points : int
        The run length.

    Returns
    -------
    numpy.ndarray of int8
        1 where a run above completes, -1 below, else 0.

    >>> shift_markers([1, 1, 1, 1, 1, 1, 1, 1, -1]).tolist()
    [0, 0, 0, 0, 0, 0, 1, 1, 0]
    """
    rtm = np.asarray(relative_to_mean)
    up = window_all_ending(rtm > 0, points)
    down = window_all_ending(rtm < 0, points)
    return up.astype(np.int8) - down.astype(np.int8)


def step_signs(values: npt.ArrayLike) -> IntArray:
    """Sign of each step ``y[i] - y[i - 1]``, with 0 for the first point."""
    y = np.asarray(values, dtype=np.float64)
    out = np.zeros(y.shape, dtype=np.int8)
    out[..., 1:] = np.sign(np.diff(y, axis=-1)).astype(np.int8)
    return out


def trend_markers(values: npt.ArrayLike, points: int = 7) -> IntArray:
    """Mark the point that completes ``points`` strictly rising (1) or falling (-1) values.

    A repeated value (a step of 0) breaks a trend.

    >>> trend_markers([2, 1, 2, 3, 4, 5, 6, 7, 3]).tolist()
    [0, 0, 0, 0, 0, 0, 0, 1, 0]
    """
    steps = step_signs(values)
    up = window_all_ending(steps > 0, points - 1)
    down = window_all_ending(steps < 0, points - 1)
    return up.astype(np.int8) - down.astype(np.int8)


def part_of_pattern(markers: npt.ArrayLike, points: int = 7) -> BoolArray:
    """Expand end-of-pattern markers to every point of the pattern (``ptd_part_of_seven_trend``).

    >>> part_of_pattern([0, 0, 0, 0, 0, 0, 0, 1, 0]).astype(int).tolist()
    [0, 1, 1, 1, 1, 1, 1, 1, 0]
    """
    return window_any_starting(np.asarray(markers) != 0, points)


def two_in_three_windows(beyond: npt.ArrayLike, relative_to_mean: npt.ArrayLike) -> BoolArray:
    """True for every point in a window of three holding two or more counted points, all on one side.

    ``beyond`` marks the points the rule counts (beyond 2 sigma, or between 2 and 3 sigma).

    >>> two_in_three_windows([0, 0, 1, 0, 1, 0, 0], [1] * 7).astype(int).tolist()
    [0, 0, 1, 1, 1, 0, 0]
    """
    v = np.asarray(beyond).astype(bool)
    rtm = np.asarray(relative_to_mean).astype(np.int8)
    n = v.shape[-1]
    out = np.zeros(v.shape, dtype=bool)
    if n < 3:
        return out
    count = v[..., :-2].astype(np.int8) + v[..., 1:-1] + v[..., 2:]
    side = rtm[..., :-2] + rtm[..., 1:-1] + rtm[..., 2:]
    hit = (count >= 2) & (np.abs(side) == 3)
    out[..., :-2] |= hit
    out[..., 1:-1] |= hit
    out[..., 2:] |= hit
    return out


def part_of_two_in_three(beyond: npt.ArrayLike, relative_to_mean: npt.ArrayLike) -> BoolArray:
    """Flag the counted points of a two-in-three pattern (the third point is not flagged).

    >>> part_of_two_in_three([1, 0, 0, 1, 1], [1] * 5).astype(int).tolist()
    [0, 0, 0, 1, 1]
    """
    v = np.asarray(beyond).astype(bool)
    out: BoolArray = two_in_three_windows(v, relative_to_mean) & v
    return out


def trend_direction(values: npt.ArrayLike, part_of_trend: BoolArray) -> IntArray:
    """The direction (1 rising, -1 falling) of each point of a trend, as NHSRplotthedots labels it.

    A point inside a trend (its next point also in one) takes the step to its right; the last point
    of a trend takes the step to its left.
    """
    left = step_signs(values)
    right = np.zeros(left.shape, dtype=np.int8)
    right[..., :-1] = left[..., 1:]
    inside = np.zeros(part_of_trend.shape, dtype=bool)
    inside[..., :-1] = part_of_trend[..., :-1] & part_of_trend[..., 1:]
    chosen = np.where(inside, right, left)
    return np.where(chosen == 1, 1, -1).astype(np.int8)
