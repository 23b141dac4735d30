"""Funnel plot limits, significance and points against PHEindicatormethods' reference tables."""

import numpy as np
import pandas as pd
import pytest

from commonweal.engines.indicators import (
    IndicatorsError,
    funnel_limits,
    funnel_points,
    funnel_significance,
    poisson_funnel,
)

# The reference tables print 7 to 10 significant figures and the Poisson bisection stops at 1e-7.
RTOL, ATOL = 1e-6, 1e-6


def assert_frame_matches(got, expected):
    for column in expected.columns:
        assert column in got, column
        if pd.api.types.is_numeric_dtype(expected[column]):
            np.testing.assert_allclose(got[column], expected[column], rtol=RTOL, atol=ATOL, err_msg=column)
        else:
            assert got[column].tolist() == expected[column].tolist(), column


def test_proportion_funnel_limits_match_the_reference(phe):
    data = phe("funnel_proportion_input.csv")
    got = funnel_limits(data, "numerator", "denominator", statistic="proportion", multiplier=100)
    assert_frame_matches(got, phe("funnel_proportion_limits_expected.csv"))


def test_proportion_funnels_start_the_axis_above_zero_when_denominators_are_alike(phe):
    data = phe("funnel_proportion_input.csv").query("denominator < 31000")
    got = funnel_limits(data, "numerator", "denominator", statistic="proportion", multiplier=100)
    assert_frame_matches(got, phe("funnel_proportion_limits_axis_variation_expected.csv"))


@pytest.mark.parametrize("ratio_type", ["count", "isr"])
def test_ratio_funnel_limits_match_the_reference(phe, ratio_type):
    expected = phe("funnel_ratio_limits_expected.csv")
    other = "isr" if ratio_type == "count" else "count"
    expected = expected.drop(columns=[c for c in expected.columns if c.endswith(f"_{other}")])
    expected = expected.rename(columns={c: c.replace(f"_{ratio_type}", "_limit") for c in expected.columns})
    got = funnel_limits(
        phe("funnel_ratio_input.csv"), "obs", "expected", statistic="ratio", ratio_type=ratio_type, multiplier=100
    )
    assert_frame_matches(got, expected)
    assert got["statistic"].iloc[0] == f"ratio ({ratio_type})"
    assert got["method"].iloc[0] == "Poisson"


def rate_inputs(phe, variant):
    data = phe("funnel_rate_limits_input.csv")
    top = data["ev"].idxmax()
    if variant == "lt10":
        data.loc[top, "ev"] = 5
    elif variant == "zero":
        data["pop"] = 1e5 * data["ev"] / data["rate"]
        data.loc[top, ["ev", "rate"]] = 0
        data = data[data["pop"] > data["pop"].max() / 2]
    return data


@pytest.mark.parametrize(
    ("variant", "rate_type", "denominator", "expected"),
    [
        ("plain", "dsr", None, "funnel_rate_limits_expected_dsr.csv"),
        ("lt10", "crude", None, "funnel_rate_limits_expected_crude_lt10.csv"),
        ("zero", "crude", "pop", "funnel_rate_limits_expected_crude_zero_with_denominator.csv"),
    ],
)
def test_rate_funnel_limits_match_the_reference(phe, variant, rate_type, denominator, expected):
    got = funnel_limits(
        rate_inputs(phe, variant),
        "ev",
        denominator,
        rate="rate",
        statistic="rate",
        rate_type=rate_type,
        multiplier=1e5,
        years_of_data=3,
    )
    assert_frame_matches(got, phe(expected))


def test_proportion_and_ratio_significance_match_the_reference(phe):
    proportions = phe("funnel_proportion_input.csv")
    got = funnel_significance(proportions, "numerator", "denominator", statistic="proportion")
    assert got["significance"].tolist() == proportions["expected_significance"].tolist()
    ratios = phe("funnel_ratio_input.csv")
    got = funnel_significance(ratios, "obs", "expected", statistic="ratio")
    assert got["significance"].tolist() == ratios["expected_significance"].tolist()


@pytest.mark.parametrize(
    ("rate_type", "rate_column", "multiplier", "expected", "zeros"),
    [
        ("dsr", "rate_dsr", 1e5, "dsr_per_100000_with_0", True),
        ("dsr", "rate_dsr", 1e5, "dsr_per_100000_without_0", False),
        ("dsr", "rate_dsr", 100, "dsr_per_100_without_0", False),
        ("crude", "rate_crude_per_100000", 1e5, "crude_per_100000_with_0", True),
        ("crude", "rate_crude_per_100000", 1e5, "crude_per_100000_without_0", False),
        ("crude", "rate_crude_per_100", 100, "crude_per_100_with_0", True),
        ("crude", "rate_crude_per_100", 100, "crude_per_100_without_0", False),
    ],
)
def test_rate_significance_matches_every_reference_column(phe, rate_type, rate_column, multiplier, expected, zeros):
    data = phe("funnel_rate_significance_input.csv")
    if not zeros:
        data = data[data["count"] != 0]
    got = funnel_significance(
        data, "count", "pop", rate=rate_column, statistic="rate", rate_type=rate_type, multiplier=multiplier
    )
    assert got["significance"].tolist() == data[expected].tolist()


@pytest.mark.parametrize(
    ("variant", "rate_type", "years", "denominator", "suffix"),
    [
        ("lt10", "dsr", 3, None, ""),
        ("plain", "crude", 3, None, "_crude"),
        ("zero_pop", "crude", 5, "pop", "_crude_with_denom"),
    ],
)
def test_funnel_points_match_the_reference(phe, variant, rate_type, years, denominator, suffix):
    data = phe("funnel_rate_limits_input.csv")
    top = data["ev"].idxmax()
    if variant == "lt10":
        data.loc[top, "ev"] = 5
    elif variant == "zero_pop":
        data.loc[top, "ev"] = 0
    got = funnel_points(data, "ev", "rate", denominator, rate_type=rate_type, years_of_data=years, multiplier=1e5)
    np.testing.assert_allclose(got["rate_chart"], data[f"rate_chart{suffix}"], rtol=RTOL)
    np.testing.assert_allclose(got["denominator_derived"], data[f"denominator_derived{suffix}"], rtol=RTOL)


def test_a_poisson_funnel_point_is_the_exact_limit_by_bisection():
    # P(K <= 10) = 0.025 at the exact upper 95% limit for 10 events, 18.3904 (chi-squared, 22 df / 2).
    assert poisson_funnel(10, 0.025, "high") == pytest.approx(18.39036, rel=1e-6)


def test_funnel_inputs_that_cannot_make_an_average_are_errors(phe):
    data = phe("funnel_proportion_input.csv")
    data.loc[0, "numerator"] = np.nan
    with pytest.raises(IndicatorsError, match="numerators and denominators for every record"):
        funnel_limits(data, "numerator", "denominator", statistic="proportion", multiplier=100)
    with pytest.raises(IndicatorsError, match="numerators and denominators for every record"):
        funnel_significance(data, "numerator", "denominator", statistic="proportion")
    rates = phe("funnel_rate_limits_input.csv")
    rates.loc[0, "ev"] = 0
    with pytest.raises(IndicatorsError, match="0 events need a denominator"):
        funnel_limits(rates, "ev", rate="rate", statistic="rate", rate_type="dsr", multiplier=1e5, years_of_data=3)
    with pytest.raises(IndicatorsError, match="years_of_data"):
        funnel_limits(rates, "ev", rate="rate", statistic="rate", rate_type="dsr", multiplier=1e5)
    with pytest.raises(IndicatorsError, match="statistic must be"):
        funnel_limits(rates, "ev", "rate", statistic="mean", multiplier=1)
