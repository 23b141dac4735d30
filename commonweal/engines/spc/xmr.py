"""XmR charts the Making Data Count way: limits, special-cause rules, point types and icons.

The core (``_compute``) works on a table of equally long series at once, one column slice per
segment (rebase group), so a single chart and ten thousand charts run the same vectorised code.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from ._inputs import DateArray, as_date, as_dates, as_values, to_python_dates
from .errors import SpcError
from .rules import (
    MODES,
    RULE_NAMES,
    BoolArray,
    FloatArray,
    IntArray,
    Mode,
    RuleName,
    SpcRules,
    part_of_pattern,
    part_of_two_in_three,
    shift_markers,
    trend_direction,
    trend_markers,
)

Improvement = Literal["increase", "decrease", "neutral"]
IMPROVEMENTS: tuple[Improvement, ...] = ("increase", "decrease", "neutral")
_DIRECTION = {"increase": 1, "decrease": -1, "neutral": 0}

#: Process limits sit this many mean moving ranges from the mean (3 sigma; 2.66 = 3 / 1.128).
LIMIT = 2.66
#: The 2-sigma lines, written as NHSRplotthedots writes them so results match to the bit.
LIMIT_CLOSE = 2 * (LIMIT / 3)
#: Moving ranges at or above this many mean moving ranges are screened out when screening is on.
SCREEN_LIMIT = 3.267

POINT_TYPES: tuple[str, ...] = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)
VARIATION_ICONS: tuple[str, ...] = (
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
)
ASSURANCE_ICONS: tuple[str, ...] = ("pass", "fail", "hit_and_miss")
ASSURANCE_TYPES: tuple[str, ...] = ("consistent_pass", "consistent_fail", "inconsistent")
_SCREEN_DEFAULT: dict[str, bool] = {"mdc": False, "nhsrplotthedots": True}
_FIX_MINIMUM: dict[str, int] = {"mdc": 2, "nhsrplotthedots": 12}


def rule_label(rule: RuleName | None, sign: int, rules: SpcRules) -> str:
    """Name a flagged point as NHSRplotthedots does (``special_cause_type``).

    >>> rule_label("trend", -1, SpcRules())
    '7 Point Trend (Decreasing)'
    >>> rule_label(None, 0, SpcRules())
    'Common Cause'
    """
    side = "Above" if sign > 0 else "Below"
    if rule == "outside_limits":
        return "Above UCL" if sign > 0 else "Below LCL"
    if rule == "trend":
        return f"{rules.trend_points} Point Trend ({'Increasing' if sign > 0 else 'Decreasing'})"
    if rule == "two_in_three":
        return f"2 in 3 {side} CL"
    if rule == "shift":
        return f"{rules.shift_points} Points {side} CL"
    return "Common Cause"


@dataclass(frozen=True)
class SpcPoint:
    """One point of an XmR chart.

    ``outside_limits``, ``trend``, ``two_in_three`` and ``shift`` are the rule flags, each
    independent of the others; ``special_cause_rule`` is the one that names the point.
    """

    index: int
    date: dt.date | None
    value: float
    segment: int
    mean: float
    lpl: float
    upl: float
    lower_two_sigma: float
    upper_two_sigma: float
    moving_range: float | None
    relative_to_mean: int
    outside_limits: bool
    close_to_limits: bool
    beyond_two_sigma: bool
    trend: bool
    two_in_three: bool
    shift: bool
    special_cause_flag: bool
    special_cause_rule: RuleName | None
    special_cause_type: str
    point_type: str
    short_group_warning: bool


@dataclass(frozen=True)
class SpcSegment:
    """A run of points sharing one mean and one pair of limits (a rebase group)."""

    index: int
    start: int
    stop: int
    n: int
    baseline_points: int
    mean: float
    lpl: float
    upl: float
    lower_two_sigma: float
    upper_two_sigma: float
    mean_moving_range: float
    moving_ranges_used: int
    moving_ranges_screened: int
    short_group_warning: bool
    common_cause: int
    special_cause_improvement: int
    special_cause_concern: int
    special_cause_neutral: int


@dataclass(frozen=True)
class XmrChart:
    """An XmR chart: its points, segments, icons and every setting that made it."""

    values: tuple[float, ...]
    dates: tuple[dt.date, ...] | None
    points: tuple[SpcPoint, ...]
    segments: tuple[SpcSegment, ...]
    improvement: Improvement
    target: float | None
    mode: Mode
    rules: SpcRules
    screen_outliers: bool
    fix_after_n_points: int | None
    rebase: tuple[int, ...]
    variation_icon: str | None
    assurance_icon: str | None
    assurance_type: str | None
    warnings: tuple[str, ...] = field(default=())

    @property
    def latest(self) -> SpcPoint:
        """The latest point, which the variation icon describes."""
        return self.points[-1]

    @property
    def mean(self) -> float:
        """The mean of the latest segment."""
        return self.segments[-1].mean

    @property
    def lpl(self) -> float:
        """The lower process limit of the latest segment."""
        return self.segments[-1].lpl

    @property
    def upl(self) -> float:
        """The upper process limit of the latest segment."""
        return self.segments[-1].upl

    def to_columns(self) -> dict[str, list[Any]]:
        """Return the points as columns (ready for ``pandas.DataFrame`` or ``polars.DataFrame``)."""
        names = list(SpcPoint.__dataclass_fields__)
        return {name: [getattr(p, name) for p in self.points] for name in names}


@dataclass(frozen=True, eq=False)
class XmrBatch:
    """XmR results for many series of equal length, as arrays (series x points).

    ``rule`` holds the naming rule per point as an index into ``RULE_NAMES`` plus one (0 = none);
    ``point_type`` indexes ``POINT_TYPES``; ``variation_icon`` and ``assurance_icon`` hold icon
    names (``None`` where there is none). ``chart(i)`` gives series ``i`` as an :class:`XmrChart`.
    """

    values: FloatArray
    segment: npt.NDArray[np.int32]
    segment_starts: tuple[int, ...]
    mean: FloatArray
    lpl: FloatArray
    upl: FloatArray
    lower_two_sigma: FloatArray
    upper_two_sigma: FloatArray
    mean_moving_range: FloatArray
    moving_range: FloatArray
    moving_range_used: BoolArray
    relative_to_mean: IntArray
    outside_limits: BoolArray
    close_to_limits: BoolArray
    beyond_two_sigma: BoolArray
    trend: BoolArray
    two_in_three: BoolArray
    shift: BoolArray
    rule: IntArray
    sign: IntArray
    point_type: IntArray
    short_group_warning: BoolArray
    variation_icon: npt.NDArray[np.object_]
    assurance_icon: npt.NDArray[np.object_]
    assurance_type: npt.NDArray[np.object_]
    target: FloatArray
    improvement: Improvement
    mode: Mode
    rules: SpcRules
    screen_outliers: bool
    fix_after_n_points: int | None

    @property
    def special_cause_flag(self) -> BoolArray:
        """True where any rule flags the point."""
        return self.rule > 0

    def point_type_names(self) -> npt.NDArray[np.str_]:
        """The point types as names (series x points)."""
        return np.asarray(POINT_TYPES)[self.point_type]

    def chart(self, i: int, *, dates: Sequence[Any] | None = None) -> XmrChart:
        """Return series ``i`` as an :class:`XmrChart`."""
        n = self.values.shape[1]
        parsed = to_python_dates(as_dates(dates, n)) if dates is not None else None
        return _chart_from_batch(self, i, parsed)


def _mean(x: FloatArray, weights: BoolArray | None = None) -> FloatArray:
    """Mean along the last axis as R's ``mean`` takes it: in extended precision, refined by a second pass.

    Matching R to the last bit keeps points that sit exactly on a limit or the mean on the same side.
    """
    wide = x.astype(np.longdouble)
    if weights is None:
        count = np.longdouble(x.shape[-1])
        first = wide.sum(axis=-1) / count
        refined = first + (wide - first[..., None]).sum(axis=-1) / count
        plain: FloatArray = refined.astype(np.float64)
        return plain
    counts = weights.sum(axis=-1).astype(np.longdouble)
    with np.errstate(invalid="ignore", divide="ignore"):
        first = np.where(weights, wide, 0).sum(axis=-1) / counts
        refined = first + np.where(weights, wide - first[..., None], 0).sum(axis=-1) / counts
    weighted: FloatArray = refined.astype(np.float64)
    return weighted


def _compute_segment(
    y: FloatArray,
    *,
    fix_after_n_points: int | None,
    screen_outliers: bool,
    rules: SpcRules,
    direction: int,
) -> dict[str, npt.NDArray[Any]]:
    m, n = y.shape
    k = n if fix_after_n_points is None else min(fix_after_n_points, n)
    base = y[:, :k]
    mean = _mean(base)
    mr = np.abs(np.diff(base, axis=-1))
    amr = _mean(mr)
    used = np.ones(mr.shape, dtype=bool)
    if screen_outliers:
        # A flat baseline has every moving range at 0 = 3.267 x 0; keep them rather than divide 0 by 0.
        used = (mr < SCREEN_LIMIT * amr[:, None]) | (amr[:, None] == 0)
        amr = _mean(mr, used)
    if n < rules.min_points:
        amr = np.full(m, np.nan)
    lpl = mean - LIMIT * amr
    upl = mean + LIMIT * amr
    nlpl = mean - LIMIT_CLOSE * amr
    nupl = mean + LIMIT_CLOSE * amr
    col = (slice(None), None)
    outside = (y > upl[col]) | (y < lpl[col])
    rtm = np.sign(y - mean[col]).astype(np.int8)
    beyond = (y < nlpl[col]) | (y > nupl[col])
    close = beyond & ~outside
    active = n >= rules.min_points

    zeros = np.zeros(y.shape, dtype=bool)
    side = np.where(rtm > 0, 1, -1).astype(np.int8)
    flags: dict[str, BoolArray] = {}
    signs: dict[str, IntArray] = {}
    flags["outside_limits"] = outside if (rules.outside_limits and active) else zeros
    signs["outside_limits"] = np.where(rtm == 1, 1, -1).astype(np.int8)
    if rules.trend_points is not None and active:
        part = part_of_pattern(trend_markers(y, rules.trend_points), rules.trend_points)
        flags["trend"] = part
        signs["trend"] = trend_direction(y, part)
    else:
        flags["trend"] = zeros
        signs["trend"] = side
    if rules.two_in_three is not None and active:
        counted = beyond if rules.two_in_three == "beyond_two_sigma" else close
        flags["two_in_three"] = part_of_two_in_three(counted, rtm)
    else:
        flags["two_in_three"] = zeros
    signs["two_in_three"] = side
    if rules.shift_points is not None and active:
        flags["shift"] = part_of_pattern(shift_markers(rtm, rules.shift_points), rules.shift_points)
    else:
        flags["shift"] = zeros
    signs["shift"] = side

    rule, sign = _choose_rule(flags, signs, rules, direction)
    point_type = _point_type(rule, sign, direction)
    moving_range = np.full(y.shape, np.nan)
    moving_range[:, 1:] = np.abs(np.diff(y, axis=-1))
    mr_used = np.zeros(y.shape, dtype=bool)
    mr_used[:, 1:k] = used
    if n < rules.min_points:
        mr_used[:] = False
    return {
        "mean": np.broadcast_to(mean[col], y.shape),
        "lpl": np.broadcast_to(lpl[col], y.shape),
        "upl": np.broadcast_to(upl[col], y.shape),
        "lower_two_sigma": np.broadcast_to(nlpl[col], y.shape),
        "upper_two_sigma": np.broadcast_to(nupl[col], y.shape),
        "mean_moving_range": np.broadcast_to(amr[col], y.shape),
        "moving_range": moving_range,
        "moving_range_used": mr_used,
        "relative_to_mean": rtm,
        "outside_limits": outside,
        "close_to_limits": close,
        "beyond_two_sigma": beyond,
        "trend": flags["trend"],
        "two_in_three": flags["two_in_three"],
        "shift": flags["shift"],
        "rule": rule,
        "sign": sign,
        "point_type": point_type,
        "short_group_warning": np.full(y.shape, n < rules.short_group_threshold),
    }


def _choose_rule(
    flags: dict[str, BoolArray], signs: dict[str, IntArray], rules: SpcRules, direction: int
) -> tuple[IntArray, IntArray]:
    """Pick the rule that names each point and the side (1 high, -1 low) it signals."""
    code = {name: np.int8(RULE_NAMES.index(name) + 1) for name in RULE_NAMES}
    shape = flags["shift"].shape
    order = list(reversed(rules.precedence))

    def first_of(allowed: dict[str, BoolArray]) -> IntArray:
        chosen = np.zeros(shape, dtype=np.int8)
        for name in order:
            chosen = np.where(allowed[name], code[name], chosen)
        return chosen

    if direction == 0 or rules.conflict == "precedence":
        rule = first_of(flags)
    else:
        preferred = direction if rules.conflict == "improvement" else -direction
        first = first_of({k: flags[k] & (signs[k] == preferred) for k in flags})
        second = first_of({k: flags[k] & (signs[k] == -preferred) for k in flags})
        rule = np.where(first > 0, first, second).astype(np.int8)
    sign = np.zeros(shape, dtype=np.int8)
    for name in RULE_NAMES:
        sign = np.where(rule == code[name], signs[name], sign)
    return rule, sign


def _point_type(rule: IntArray, sign: IntArray, direction: int) -> IntArray:
    flagged = np.where(sign > 0, 3, 4) if direction == 0 else np.where(sign * direction > 0, 1, 2)
    return np.where(rule > 0, flagged, 0).astype(np.int8)


def _variation_icon(point_type: IntArray, sign: IntArray) -> npt.NDArray[np.int8]:
    """Icon index into VARIATION_ICONS for each point (callers take the latest)."""
    high = sign > 0
    out = np.zeros(point_type.shape, dtype=np.int8)
    out = np.where(point_type == 1, np.where(high, 1, 2), out)
    out = np.where(point_type == 2, np.where(high, 3, 4), out)
    out = np.where(point_type == 3, 5, out)
    out = np.where(point_type == 4, 6, out)
    return out.astype(np.int8)


def _assurance(target: FloatArray, lpl: FloatArray, upl: FloatArray, direction: int) -> npt.NDArray[np.int8]:
    """Assurance index into ASSURANCE_ICONS (-1 for none) from the latest limits."""
    if direction == 0:
        return np.full(target.shape, -1, dtype=np.int8)
    above = target > upl
    below = target < lpl
    out = np.full(target.shape, 2, dtype=np.int8)
    out = np.where(above, 1 if direction > 0 else 0, out)
    out = np.where(below, 0 if direction > 0 else 1, out)
    unknown = np.isnan(target) | np.isnan(upl) | np.isnan(lpl)
    return np.where(unknown, -1, out).astype(np.int8)


def _names(codes: npt.NDArray[np.int8], names: tuple[str, ...]) -> npt.NDArray[np.object_]:
    table = np.asarray([*names, None], dtype=object)
    return table[np.where(codes < 0, len(names), codes)]


def _check_settings(improvement: str, mode: str, fix_after_n_points: int | None, screen_outliers: bool | None) -> None:
    if mode not in MODES:
        raise SpcError(f"mode must be one of {', '.join(MODES)}; got {mode!r}")
    if improvement not in IMPROVEMENTS:
        raise SpcError(f"improvement must be one of {', '.join(IMPROVEMENTS)}; got {improvement!r}")
    if fix_after_n_points is not None:
        minimum = _FIX_MINIMUM[mode]
        if (
            not isinstance(fix_after_n_points, int | np.integer)
            or isinstance(fix_after_n_points, bool)
            or fix_after_n_points < minimum
        ):
            raise SpcError(
                f"fix_after_n_points must be a whole number of at least {minimum} in {mode} mode "
                f"(or None to use every point); got {fix_after_n_points!r}"
            )
    if screen_outliers is not None and not isinstance(screen_outliers, bool | np.bool_):
        raise SpcError(f"screen_outliers must be True, False or None (the mode's default); got {screen_outliers!r}")


def _segment_starts(rebase: Sequence[int], n: int, min_length: int = 2) -> tuple[int, ...]:
    starts = sorted({int(p) for p in rebase} | {0})
    for p in starts:
        if p < 0 or p >= n:
            raise SpcError(f"rebase position {p} is outside the series (positions 0 to {n - 1})")
    bounds = [*starts, n]
    for a, b in itertools.pairwise(bounds):
        if b - a < min_length:
            raise SpcError(
                f"the segment from position {a} to {b - 1} has {b - a} point(s); each segment needs at "
                f"least {min_length} to give a moving range (move or remove a rebase)"
            )
    return tuple(starts)


def compute_batch(
    values: FloatArray,
    *,
    improvement: Improvement,
    target: FloatArray,
    segment_starts: tuple[int, ...],
    fix_after_n_points: int | None,
    screen_outliers: bool,
    mode: Mode,
    rules: SpcRules,
) -> XmrBatch:
    """Run the XmR calculation on checked input (series x points)."""
    direction = _DIRECTION[improvement]
    m, n = values.shape
    bounds = [*segment_starts, n]
    parts = [
        _compute_segment(
            values[:, a:b],
            fix_after_n_points=fix_after_n_points,
            screen_outliers=screen_outliers,
            rules=rules,
            direction=direction,
        )
        for a, b in itertools.pairwise(bounds)
    ]
    if len(parts) == 1:
        columns = {k: np.ascontiguousarray(v) for k, v in parts[0].items()}
    else:
        columns = {k: np.concatenate([p[k] for p in parts], axis=1) for k in parts[0]}
    segment = np.zeros(n, dtype=np.int32)
    for s in segment_starts[1:]:
        segment[s:] += 1
    icon = _variation_icon(columns["point_type"][:, -1], columns["sign"][:, -1])
    icon = np.where(np.isnan(columns["upl"][:, -1]), -1, icon).astype(np.int8)
    assurance = _assurance(target, columns["lpl"][:, -1], columns["upl"][:, -1], direction)
    return XmrBatch(
        values=values,
        segment=np.broadcast_to(segment, (m, n)),
        segment_starts=segment_starts,
        variation_icon=_names(icon, VARIATION_ICONS),
        assurance_icon=_names(assurance, ASSURANCE_ICONS),
        assurance_type=_names(assurance, ASSURANCE_TYPES),
        target=target,
        improvement=improvement,
        mode=mode,
        rules=rules,
        screen_outliers=screen_outliers,
        fix_after_n_points=fix_after_n_points,
        **columns,
    )


def _chart_from_batch(batch: XmrBatch, i: int, dates: tuple[dt.date, ...] | None) -> XmrChart:
    n = batch.values.shape[1]
    rows = {
        name: getattr(batch, name)[i].tolist()
        for name in (
            "values",
            "segment",
            "mean",
            "lpl",
            "upl",
            "lower_two_sigma",
            "upper_two_sigma",
            "moving_range",
            "relative_to_mean",
            "outside_limits",
            "close_to_limits",
            "beyond_two_sigma",
            "trend",
            "two_in_three",
            "shift",
            "rule",
            "sign",
            "point_type",
            "short_group_warning",
        )
    }
    points = []
    for j in range(n):
        rule: RuleName | None = RULE_NAMES[rows["rule"][j] - 1] if rows["rule"][j] else None
        mr = rows["moving_range"][j]
        points.append(
            SpcPoint(
                index=j,
                date=dates[j] if dates is not None else None,
                value=rows["values"][j],
                segment=rows["segment"][j],
                mean=rows["mean"][j],
                lpl=rows["lpl"][j],
                upl=rows["upl"][j],
                lower_two_sigma=rows["lower_two_sigma"][j],
                upper_two_sigma=rows["upper_two_sigma"][j],
                moving_range=None if (mr != mr or j in batch.segment_starts) else mr,
                relative_to_mean=rows["relative_to_mean"][j],
                outside_limits=rows["outside_limits"][j],
                close_to_limits=rows["close_to_limits"][j],
                beyond_two_sigma=rows["beyond_two_sigma"][j],
                trend=rows["trend"][j],
                two_in_three=rows["two_in_three"][j],
                shift=rows["shift"][j],
                special_cause_flag=rule is not None,
                special_cause_rule=rule,
                special_cause_type=rule_label(rule, rows["sign"][j], batch.rules),
                point_type=POINT_TYPES[rows["point_type"][j]],
                short_group_warning=rows["short_group_warning"][j],
            )
        )
    segments = _segments(batch, i, points)
    warnings = tuple(
        f"segment {s.index} has only {s.n} points (fewer than {batch.rules.short_group_threshold}): "
        "its limits are trial limits; rebase later or add points"
        for s in segments
        if s.short_group_warning
    )
    target = float(batch.target[i])
    return XmrChart(
        values=tuple(rows["values"]),
        dates=dates,
        points=tuple(points),
        segments=segments,
        improvement=batch.improvement,
        target=None if target != target else target,
        mode=batch.mode,
        rules=batch.rules,
        screen_outliers=batch.screen_outliers,
        fix_after_n_points=batch.fix_after_n_points,
        rebase=batch.segment_starts[1:],
        variation_icon=batch.variation_icon[i],
        assurance_icon=batch.assurance_icon[i],
        assurance_type=batch.assurance_type[i],
        warnings=warnings,
    )


def _segments(batch: XmrBatch, i: int, points: list[SpcPoint]) -> tuple[SpcSegment, ...]:
    n = batch.values.shape[1]
    bounds = [*batch.segment_starts, n]
    out = []
    for index, (a, b) in enumerate(itertools.pairwise(bounds)):
        types = [p.point_type for p in points[a:b]]
        k = b - a if batch.fix_after_n_points is None else min(batch.fix_after_n_points, b - a)
        used = int(batch.moving_range_used[i, a:b].sum())
        out.append(
            SpcSegment(
                index=index,
                start=a,
                stop=b,
                n=b - a,
                baseline_points=k,
                mean=float(batch.mean[i, a]),
                lpl=float(batch.lpl[i, a]),
                upl=float(batch.upl[i, a]),
                lower_two_sigma=float(batch.lower_two_sigma[i, a]),
                upper_two_sigma=float(batch.upper_two_sigma[i, a]),
                mean_moving_range=float(batch.mean_moving_range[i, a]),
                moving_ranges_used=used,
                moving_ranges_screened=(k - 1 - used) if b - a >= batch.rules.min_points else 0,
                short_group_warning=bool(batch.short_group_warning[i, a]),
                common_cause=types.count("common_cause"),
                special_cause_improvement=types.count("special_cause_improvement"),
                special_cause_concern=types.count("special_cause_concern"),
                special_cause_neutral=sum(t.startswith("special_cause_neutral") for t in types),
            )
        )
    return tuple(out)


def _resolve(mode: Mode, rules: SpcRules | None, screen_outliers: bool | None) -> tuple[SpcRules, bool]:
    chosen = SpcRules.for_mode(mode) if rules is None else rules
    if not isinstance(chosen, SpcRules):
        raise SpcError(f"rules must be an SpcRules (see SpcRules.for_mode); got {type(chosen).__name__}")
    return chosen, _SCREEN_DEFAULT[mode] if screen_outliers is None else bool(screen_outliers)


def _as_target(target: object, what: str = "target") -> float:
    if target is None:
        return float("nan")
    if isinstance(target, bool) or not isinstance(target, int | float | np.integer | np.floating):
        raise SpcError(f"{what} must be a number or None; got {target!r}")
    value = float(target)
    if not np.isfinite(value):
        raise SpcError(f"{what} must be a finite number or None; got {target!r}")
    return value


def xmr(
    values: Sequence[float] | npt.ArrayLike,
    *,
    dates: Sequence[Any] | npt.ArrayLike | None = None,
    improvement: Improvement = "increase",
    target: float | None = None,
    rebase: Sequence[Any] | Any | None = None,
    fix_after_n_points: int | None = None,
    screen_outliers: bool | None = None,
    mode: Mode = "mdc",
    rules: SpcRules | None = None,
) -> XmrChart:
    """Make an XmR chart with Making Data Count special-cause rules and icons.

    Parameters
    ----------
    values : sequence of numbers
        One value per period, oldest first (at least two per segment).
    dates : sequence of dates, optional
        One date per value (``datetime.date``, ``datetime64`` or ISO 8601 text), strictly increasing.
    improvement : {"increase", "decrease", "neutral"}
        Which way is better. Default ``"increase"``. ``"neutral"`` gives purple (neutral) signals
        and no assurance icon.
    target : float, optional
        The target for the assurance icon.
    rebase : date, position or a sequence of them, optional
        Where new segments (with their own mean and limits) start: dates when ``dates`` is given,
        else 0-based positions.
    fix_after_n_points : int, optional
        Fix each segment's mean and limits on its first ``n`` points (a baseline) and extend them.
        NHSRplotthedots needs at least 12.
    screen_outliers : bool, optional
        Leave out moving ranges at or above 3.267 x the mean moving range before computing the
        limits. Default by mode: off for ``"mdc"`` (the MDC Excel tool), on for ``"nhsrplotthedots"``.
    mode : {"mdc", "nhsrplotthedots"}
        ``"mdc"`` (default) follows the current NHS England Making Data Count tools;
        ``"nhsrplotthedots"`` reproduces the R package NHSRplotthedots 0.2.2 exactly.
    rules : SpcRules, optional
        Rules and their parameters; default ``SpcRules.for_mode(mode)``.

    Returns
    -------
    XmrChart
        Points with ``mean``, ``lpl``, ``upl``, rule flags and ``point_type``; segments;
        ``variation_icon`` and ``assurance_icon``; and the settings used.

    Raises
    ------
    SpcError
        For too few points, non-numeric or missing values, unsorted or repeated dates, or a bad setting.

    Examples
    --------
    >>> chart = xmr([10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 10, 25], target=8)
    >>> round(chart.upl, 2), chart.latest.special_cause_type, chart.variation_icon, chart.assurance_icon
    (18.51, 'Above UCL', 'improvement_high', 'hit_and_miss')
    """
    _check_settings(improvement, mode, fix_after_n_points, screen_outliers)
    chosen, screen = _resolve(mode, rules, screen_outliers)
    y = as_values(values)
    n = y.shape[0]
    if n < 2:
        raise SpcError(f"an XmR chart needs at least 2 values to give a moving range; got {n}")
    parsed = as_dates(dates, n) if dates is not None else None
    starts = _segment_starts(_rebase_positions(rebase, parsed), n)
    batch = compute_batch(
        y[None, :],
        improvement=improvement,
        target=np.asarray([_as_target(target)]),
        segment_starts=starts,
        fix_after_n_points=fix_after_n_points,
        screen_outliers=screen,
        mode=mode,
        rules=chosen,
    )
    return _chart_from_batch(batch, 0, to_python_dates(parsed) if parsed is not None else None)


def _rebase_positions(rebase: Any, dates: DateArray | None) -> list[int]:
    if rebase is None:
        return []
    items = list(rebase) if isinstance(rebase, Sequence | np.ndarray) and not isinstance(rebase, str) else [rebase]
    if dates is None:
        positions = []
        for item in items:
            if isinstance(item, bool) or not isinstance(item, int | np.integer):
                raise SpcError(f"rebase {item!r} must be a 0-based position when no dates are given (or pass dates=)")
            positions.append(int(item))
        return positions
    positions = []
    for item in items:
        when = as_date(item, f"rebase {item!r}")
        found = np.flatnonzero(dates == when)
        if found.size == 0:
            raise SpcError(
                f"rebase date {item!s} is not one of the chart's dates; rebase at the first date of the new period"
            )
        positions.append(int(found[0]))
    return positions


def xmr_batch(
    values: npt.ArrayLike,
    *,
    improvement: Improvement = "increase",
    target: float | Sequence[float | None] | npt.ArrayLike | None = None,
    rebase: Sequence[int] | None = None,
    fix_after_n_points: int | None = None,
    screen_outliers: bool | None = None,
    mode: Mode = "mdc",
    rules: SpcRules | None = None,
) -> XmrBatch:
    """XmR charts for many series of equal length at once (vectorised).

    Parameters
    ----------
    values : 2-D array-like
        One row per series, one column per period (oldest first).
    target : float or sequence of float or None, optional
        One target for every series, or one per series (``None`` or NaN for none).
    rebase : sequence of int, optional
        0-based positions where new segments start, the same for every series.
    improvement, fix_after_n_points, screen_outliers, mode, rules
        As for :func:`xmr`.

    Returns
    -------
    XmrBatch
        Arrays (series x points) of limits, flags and point types, and icons per series.

    Examples
    --------
    >>> batch = xmr_batch([[1, 2, 1, 2, 1, 2, 1, 9], [5, 5, 6, 5, 6, 5, 6, 5]])
    >>> batch.variation_icon.tolist()
    ['improvement_high', 'common_cause']
    """
    _check_settings(improvement, mode, fix_after_n_points, screen_outliers)
    chosen, screen = _resolve(mode, rules, screen_outliers)
    y = as_values(values, ndim=2)
    m, n = y.shape
    if n < 2:
        raise SpcError(f"an XmR chart needs at least 2 values per series to give a moving range; got {n}")
    if target is None or isinstance(target, int | float | np.integer | np.floating):
        targets = np.full(m, _as_target(target))
    else:
        items = list(target)  # type: ignore[arg-type]
        if len(items) != m:
            raise SpcError(f"there are {m} series but {len(items)} targets; give one target or one per series")
        targets = np.asarray(
            [
                np.nan if t is None or (isinstance(t, float) and t != t) else _as_target(t, f"target {k}")
                for k, t in enumerate(items)
            ],
            dtype=np.float64,
        )
    starts = _segment_starts(_rebase_positions(rebase, None), n)
    return compute_batch(
        y,
        improvement=improvement,
        target=targets,
        segment_starts=starts,
        fix_after_n_points=fix_after_n_points,
        screen_outliers=screen,
        mode=mode,
        rules=chosen,
    )
