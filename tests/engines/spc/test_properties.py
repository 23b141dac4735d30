"""Properties every XmR chart must have, whatever the data."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from commonweal.engines.spc import SpcRules, xmr, xmr_batch

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
series = arrays(np.float64, st.integers(min_value=2, max_value=60), elements=finite)
modes = st.sampled_from(["mdc", "nhsrplotthedots"])
improvements = st.sampled_from(["increase", "decrease", "neutral"])


@settings(max_examples=150, deadline=None)
@given(series, modes, improvements, st.booleans())
def test_limits_are_symmetric_about_the_mean_and_ordered(values, mode, improvement, screen):
    chart = xmr(values, mode=mode, improvement=improvement, screen_outliers=screen)
    for point in chart.points:
        assert point.lpl <= point.lower_two_sigma <= point.mean <= point.upper_two_sigma <= point.upl
        assert np.isclose(point.upl - point.mean, point.mean - point.lpl, rtol=1e-9, atol=1e-6)


@settings(max_examples=150, deadline=None)
@given(series, modes, improvements)
def test_a_point_is_flagged_exactly_when_some_rule_flags_it(values, mode, improvement):
    chart = xmr(values, mode=mode, improvement=improvement)
    for point in chart.points:
        any_rule = point.outside_limits or point.trend or point.two_in_three or point.shift
        assert point.special_cause_flag == any_rule
        assert (point.point_type == "common_cause") == (not point.special_cause_flag)


@settings(max_examples=100, deadline=None)
@given(series, modes)
def test_turning_the_series_upside_down_swaps_improvement_and_concern(values, mode):
    up = xmr(values, mode=mode, improvement="increase")
    down = xmr(-values, mode=mode, improvement="decrease")
    for a, b in zip(up.points, down.points, strict=True):
        assert a.point_type == b.point_type
    swap = {"improvement_high": "improvement_low", "concern_low": "concern_high", "common_cause": "common_cause"}
    assert swap[up.variation_icon or "common_cause"] == (down.variation_icon or "common_cause")


@settings(max_examples=100, deadline=None)
@given(series, modes, st.floats(min_value=-100, max_value=100), st.floats(min_value=0.5, max_value=100))
def test_signals_do_not_change_when_the_units_change(values, mode, shift, scale):
    values = np.round(values, 3)
    a = xmr(values, mode=mode)
    b = xmr(values * scale + shift, mode=mode)
    # points a rounding error away from a line may legitimately move; compare only clear cases
    clear = [
        min(
            abs(p.value - p.upl),
            abs(p.value - p.lpl),
            abs(p.value - p.mean),
            abs(p.value - p.upper_two_sigma),
            abs(p.value - p.lower_two_sigma),
        )
        > 1e-6 * (1 + abs(p.value))
        for p in a.points
    ]
    if all(clear) and len(set(values.tolist())) == len(values):
        assert [p.point_type for p in a.points] == [p.point_type for p in b.points]


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 8), st.integers(2, 40)), elements=finite), modes)
def test_a_batch_agrees_with_charting_each_series_alone(values, mode):
    batch = xmr_batch(values, mode=mode)
    for i in range(values.shape[0]):
        assert batch.chart(i) == xmr(values[i], mode=mode)


@settings(max_examples=100, deadline=None)
@given(series, st.integers(min_value=2, max_value=9))
def test_longer_rules_never_flag_more_points_than_shorter_ones(values, n):
    short = xmr(values, rules=SpcRules(shift_points=n, trend_points=n))
    long = xmr(values, rules=SpcRules(shift_points=n + 1, trend_points=n + 1))
    for a, b in zip(short.points, long.points, strict=True):
        assert a.shift or not b.shift
        assert a.trend or not b.trend


@settings(max_examples=100, deadline=None)
@given(series)
def test_mdc_two_in_three_flags_a_superset_of_nhsrplotthedots_counting(values):
    mdc = xmr(values, rules=SpcRules(two_in_three="beyond_two_sigma"))
    r = xmr(values, rules=SpcRules(two_in_three="two_to_three_sigma"))
    for a, b in zip(mdc.points, r.points, strict=True):
        assert a.two_in_three or not b.two_in_three
