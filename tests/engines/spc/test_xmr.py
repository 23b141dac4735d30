"""Hand-checked XmR charts, settings recorded with the chart, and bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from commonweal.engines.spc import SpcError, SpcRules, xmr, xmr_batch


def test_limits_are_the_mean_plus_or_minus_2_66_mean_moving_ranges_worked_by_hand():
    # moving ranges 2, 2, 2, 2, 2 -> mean MR 2; mean 11; limits 11 -/+ 5.32; 2-sigma 11 -/+ 3.5466...
    chart = xmr([10, 12, 10, 12, 10, 12])
    assert chart.mean == pytest.approx(11)
    assert chart.segments[0].mean_moving_range == pytest.approx(2)
    assert chart.lpl == pytest.approx(11 - 5.32)
    assert chart.upl == pytest.approx(11 + 5.32)
    assert chart.points[0].upper_two_sigma == pytest.approx(11 + 2 * 5.32 / 3)
    assert chart.points[0].moving_range is None
    assert chart.points[1].moving_range == pytest.approx(2)


def test_a_point_beyond_the_upper_limit_is_improvement_when_higher_is_better():
    chart = xmr([10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 10, 25])
    latest = chart.latest
    assert latest.outside_limits
    assert latest.special_cause_type == "Above UCL"
    assert latest.point_type == "special_cause_improvement"
    assert chart.variation_icon == "improvement_high"


def test_the_same_point_is_concern_when_lower_is_better_and_purple_when_neutral():
    values = [10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 10, 25]
    assert xmr(values, improvement="decrease").variation_icon == "concern_high"
    neutral = xmr(values, improvement="neutral", target=12)
    assert neutral.latest.point_type == "special_cause_neutral_high"
    assert neutral.variation_icon == "neutral_high"
    assert neutral.assurance_icon is None


def test_a_point_on_the_mean_breaks_a_run():
    # mean is exactly 10; seven points above the mean are broken by one on it
    values = [13, 13, 13, 10, 13, 13, 13, 7, 7, 7, 10, 7, 7, 7]
    chart = xmr(values)
    assert chart.mean == 10
    assert not any(p.shift for p in chart.points)


def test_a_repeated_value_breaks_a_trend():
    rising = [1, 2, 3, 4, 5, 6, 7]
    assert all(p.trend for p in xmr(rising).points)
    assert not any(p.trend for p in xmr([1, 2, 3, 3, 4, 5, 6]).points)


def test_a_trend_is_named_by_its_slope_not_its_side_of_the_mean():
    chart = xmr([5, 6, 4, 5, 6, 4, 5, 1, 2, 3, 4, 5, 6, 7])
    assert [p.special_cause_type for p in chart.points[-7:]] == ["7 Point Trend (Increasing)"] * 7
    assert chart.points[7].relative_to_mean == -1


def test_two_in_three_counting_differs_between_modes_only_for_points_beyond_the_limits():
    base = [10.0, 10.5, 9.5, 10.2, 9.8, 10.1, 9.9, 10.3, 9.7, 10.0, 10.4, 9.6, 10.0, 9.9, 10.1]
    values = [*base, 10.5, 11.5, 13.0, 9.9]
    chart = xmr(values)
    two_sigma, upl = chart.points[0].upper_two_sigma, chart.upl
    assert chart.mean < 10.5 < two_sigma < 11.5 < upl < 13.0
    mdc = chart.points[-3]
    r = xmr(values, mode="nhsrplotthedots", screen_outliers=False).points[-3]
    assert mdc.two_in_three
    assert mdc.point_type == "special_cause_improvement"
    assert not r.two_in_three
    assert r.point_type == "common_cause"


def test_conflicting_signals_follow_the_conflict_setting():
    # seven falling points above the mean: shift (improvement) and trend (concern)
    values = [10.0, 8.0, 11.0, 9.0, 10.0, 8.0, 11.0, 9.0, 10.0, 8.0, 9.0, 13.4, 13.0, 12.6, 12.2, 11.8, 11.4, 11.0]
    assert xmr(values).rules.conflict == "precedence"
    improvement_first = xmr(values, rules=SpcRules(conflict="improvement"))
    assert improvement_first.variation_icon == "improvement_high"
    assert improvement_first.latest.special_cause_rule == "shift"
    concern_first = xmr(values, rules=SpcRules(conflict="concern"))
    assert concern_first.variation_icon == "concern_low"
    by_precedence = xmr(values, rules=SpcRules(conflict="precedence"))
    assert by_precedence.latest.special_cause_type == "7 Point Trend (Decreasing)"


def test_assurance_is_pass_fail_or_hit_and_miss_against_the_latest_limits():
    values = [10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 10, 11]
    chart = xmr(values)
    assert chart.assurance_icon is None
    assert xmr(values, target=5).assurance_icon == "pass"
    assert xmr(values, target=15).assurance_icon == "fail"
    assert xmr(values, target=10).assurance_icon == "hit_and_miss"
    assert xmr(values, target=5, improvement="decrease").assurance_icon == "fail"
    assert xmr(values, target=15, improvement="decrease").assurance_type == "consistent_pass"


def test_a_target_exactly_on_the_limit_is_hit_and_miss():
    values = [10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 10, 11]
    upl = xmr(values).upl
    assert xmr(values, target=upl).assurance_icon == "hit_and_miss"


def test_rebasing_by_date_gives_each_segment_its_own_limits_and_icons_use_the_latest():
    dates = [dt.date(2024, 1, d) for d in range(1, 25)]
    values = [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9, 20, 21, 19, 20, 21, 19, 20, 21, 19, 20, 21, 19]
    one = xmr(values, dates=dates)
    assert one.variation_icon == "improvement_high"  # a long run above one mean
    chart = xmr(values, dates=dates, rebase=dt.date(2024, 1, 13), target=15)
    assert [s.mean for s in chart.segments] == [pytest.approx(10), pytest.approx(20)]
    assert chart.rebase == (12,)
    assert [p.segment for p in chart.points] == [0] * 12 + [1] * 12
    assert chart.variation_icon == "common_cause"
    assert chart.assurance_icon == "pass"
    assert chart.points[12].moving_range is None  # no moving range across a rebase
    assert chart.points[0].date == dt.date(2024, 1, 1)


def test_rebasing_by_position_without_dates():
    values = [1, 2, 1, 2, 1, 2, 5, 6, 5, 6, 5, 6]
    chart = xmr(values, rebase=[6])
    assert [s.start for s in chart.segments] == [0, 6]


def test_a_fixed_baseline_extends_its_limits_over_later_points():
    values = [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9, 14, 14, 14, 14, 14, 14, 14, 14]
    fixed = xmr(values, fix_after_n_points=12)
    assert fixed.mean == pytest.approx(10)
    assert fixed.segments[0].baseline_points == 12
    assert all(p.outside_limits for p in fixed.points[12:])
    assert fixed.fix_after_n_points == 12


def test_screening_leaves_out_large_moving_ranges():
    values = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    screened = xmr(values, screen_outliers=True)
    assert screened.segments[0].moving_ranges_screened == 2
    assert xmr(values).segments[0].moving_ranges_screened == 0


def test_a_flat_series_has_limits_on_the_mean_and_no_signals_even_when_screened():
    chart = xmr([5.0] * 12, screen_outliers=True)
    assert chart.lpl == chart.upl == chart.mean == 5
    assert chart.variation_icon == "common_cause"


def test_short_segments_get_no_limits_or_icons_below_the_minimum():
    values = [10, 11, 9, 10, 11, 9, 10, 11, 9, 30]
    chart = xmr(values, target=5, rules=SpcRules(min_points=13))
    assert np.isnan(chart.upl)
    assert chart.variation_icon is None
    assert chart.assurance_icon is None
    assert not any(p.special_cause_flag for p in chart.points)
    assert chart.warnings


def test_the_chart_records_every_setting_that_made_it():
    chart = xmr([1, 2, 3, 2, 1, 2, 3, 2], improvement="decrease", target=2.5, mode="nhsrplotthedots")
    assert chart.mode == "nhsrplotthedots"
    assert chart.improvement == "decrease"
    assert chart.target == 2.5
    assert chart.screen_outliers is True
    assert chart.rules == SpcRules.for_mode("nhsrplotthedots")
    columns = chart.to_columns()
    assert set(columns) >= {"mean", "lpl", "upl", "point_type", "shift", "trend", "two_in_three", "outside_limits"}
    assert len(columns["mean"]) == 8


def test_values_may_be_numpy_decimal_or_pandas():
    pd = pytest.importorskip("pandas")
    plain = xmr([1, 2, 3, 2, 1])
    assert xmr(np.array([1, 2, 3, 2, 1])).upl == plain.upl
    assert xmr([Decimal(1), 2, 3, 2, 1]).upl == plain.upl
    assert xmr(pd.Series([1, 2, 3, 2, 1])).upl == plain.upl
    assert xmr([1, 2, 3], dates=pd.date_range("2024-01-01", periods=3)).dates == (
        dt.date(2024, 1, 1),
        dt.date(2024, 1, 2),
        dt.date(2024, 1, 3),
    )


def test_the_batch_gives_the_same_answers_as_one_chart_at_a_time():
    rng = np.random.default_rng(6)
    values = rng.normal(10, 2, size=(40, 30)) + np.linspace(0, 3, 30) * rng.integers(0, 2, size=(40, 1))
    batch = xmr_batch(values, target=rng.normal(10, 3, size=40), rebase=[15], improvement="decrease")
    for i in range(values.shape[0]):
        single = xmr(values[i], target=float(batch.target[i]), rebase=[15], improvement="decrease")
        assert batch.chart(i) == single
        assert batch.variation_icon[i] == single.variation_icon
        assert batch.point_type_names()[i].tolist() == [p.point_type for p in single.points]


# Bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("values", [[], [3.0]])
def test_too_few_points_is_an_spc_error(values):
    with pytest.raises(SpcError, match="at least 2 values"):
        xmr(values)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["1", "2", "3"], "value at position 0 is .1., which is not a number"),
        ([1, "two", 3], r"value at position 1 is 'two', which is not a number"),
        ([1, None, 3], "value at position 1 is None"),
        ([1, float("nan"), 3], "value at position 1 is nan"),
        ([1, float("inf"), 3], "finite number"),
        ([True, False, True], "not a number"),
        ("123", "not a single piece of text"),
        ([[1, 2], [3, 4]], "flat sequence"),
    ],
)
def test_non_numeric_values_are_an_spc_error_naming_the_position(values, message):
    with pytest.raises(SpcError, match=message):
        xmr(values)


def test_unsorted_dates_are_an_spc_error():
    with pytest.raises(SpcError, match="not in order: 2024-01-02 at position 2 comes after 2024-01-03"):
        xmr([1, 2, 3], dates=["2024-01-01", "2024-01-03", "2024-01-02"])


def test_duplicate_dates_are_an_spc_error():
    with pytest.raises(SpcError, match="appears more than once"):
        xmr([1, 2, 3], dates=[dt.date(2024, 1, 1), dt.date(2024, 1, 2), dt.date(2024, 1, 2)])


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        (["2024-01-01", "2024-01-02"], "3 values but 2 dates"),
        (["2024-01-01", "not a date", "2024-01-03"], "date at position 1 is 'not a date'"),
        (["2024-01-01", None, "2024-01-03"], "not a date"),
    ],
)
def test_bad_dates_are_an_spc_error(dates, message):
    with pytest.raises(SpcError, match=message):
        xmr([1, 2, 3], dates=dates)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"improvement": "up"}, "improvement must be one of increase, decrease, neutral"),
        ({"mode": "excel"}, "mode must be one of mdc, nhsrplotthedots"),
        ({"fix_after_n_points": 1}, "fix_after_n_points must be a whole number of at least 2"),
        ({"fix_after_n_points": 5, "mode": "nhsrplotthedots"}, "at least 12 in nhsrplotthedots mode"),
        ({"screen_outliers": "yes"}, "screen_outliers must be True, False or None"),
        ({"target": "high"}, "target must be a number or None"),
        ({"rebase": [3]}, "segment from position 3 to 3 has 1 point"),
        ({"rebase": [9]}, "rebase position 9 is outside the series"),
        ({"rebase": ["2024-01-02"]}, "must be a 0-based position when no dates are given"),
        ({"rules": "strict"}, "rules must be an SpcRules"),
    ],
)
def test_bad_settings_are_an_spc_error_saying_what_to_change(kwargs, message):
    with pytest.raises(SpcError, match=message):
        xmr([1, 2, 3, 4], **kwargs)


def test_a_rebase_date_that_is_not_in_the_chart_is_an_spc_error():
    with pytest.raises(SpcError, match="rebase date 2024-02-01 is not one of the chart's dates"):
        xmr([1, 2, 3, 4], dates=["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"], rebase="2024-02-01")


def test_batch_input_must_be_a_table_with_one_target_or_one_per_series():
    with pytest.raises(SpcError, match="table of series x points"):
        xmr_batch([1, 2, 3])
    with pytest.raises(SpcError, match="2 series but 3 targets"):
        xmr_batch([[1, 2, 3], [3, 2, 1]], target=[1, 2, 3])
    with pytest.raises(SpcError, match="equal length"):
        xmr_batch([[1, 2, 3], [3, 2]])
    assert xmr_batch([[1, 2, 3], [3, 2, 1]], target=[None, 2.5]).assurance_icon.tolist() == [None, "hit_and_miss"]


def test_spc_error_is_a_value_error():
    assert issubclass(SpcError, ValueError)
