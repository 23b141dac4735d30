"""Proportions, crude rates and means against PHEindicatormethods' reference tables."""

import numpy as np
import pandas as pd
import polars as pl
import pytest

from commonweal.engines.indicators import IndicatorsError, mean, proportion, rate

RTOL = 1e-8


def assert_columns_match(got, expected, pairs, rtol=RTOL):
    for ours, theirs in pairs:
        np.testing.assert_allclose(
            np.asarray(got[ours], dtype=float), np.asarray(expected[theirs], dtype=float), rtol=rtol, err_msg=ours
        )


LIMITS_BOTH = [
    ("value", "value"),
    ("lower95_0cl", "lower95_0cl"),
    ("upper95_0cl", "upper95_0cl"),
    ("lower99_8cl", "lower99_8cl"),
    ("upper99_8cl", "upper99_8cl"),
]
LIMITS_95 = [("value", "value"), ("lowercl", "lower95_0cl"), ("uppercl", "upper95_0cl")]


def test_proportions_match_every_reference_row_at_both_confidence_levels(phe):
    expected = phe("proportion_wilson.csv")
    for multiplier, rows in expected.groupby("multiplier", sort=False):
        got = proportion(rows, "numerator", "denominator", confidence=[0.95, 0.998], multiplier=multiplier)
        assert_columns_match(got, rows, LIMITS_BOTH)
        assert got["statistic"].tolist() == rows["statistic"].tolist()
        assert set(got["method"]) == {"Wilson"}
        assert set(got["confidence"]) == {"95%, 99.8%"}


def twice_the_complete_areas(rows):
    """The R test groups Area1 to Area8 twice over; the rows with missing inputs and Area12 appear once."""
    return pd.concat([rows, rows[rows["area"].isin([f"Area{i}" for i in range(1, 9)])]])


def test_grouped_proportions_sum_numerators_and_denominators_first(phe):
    rows = phe("proportion_wilson.csv").query("multiplier == 1")
    doubled = twice_the_complete_areas(rows)
    expected = phe("proportion_wilson_grouped.csv")
    got = proportion(doubled, "numerator", "denominator", by="area")
    assert got["area"].tolist() == expected["area"].tolist()
    assert_columns_match(got, expected, [("numerator", "numerator_sum"), ("denominator", "denominator_sum")])
    assert_columns_match(got, expected, LIMITS_95)
    assert got["confidence"].tolist() == expected["confidence"].tolist()


def test_rates_match_every_reference_row_with_exact_below_ten_and_byars_from_ten(phe):
    expected = phe("rate_byars_exact.csv")
    for multiplier, rows in expected.groupby("multiplier", sort=False):
        got = rate(rows, "numerator", "denominator", confidence=[95, 99.8], multiplier=multiplier)
        assert_columns_match(got, rows, LIMITS_BOTH)
        assert got["statistic"].tolist() == rows["statistic"].tolist()
        assert got["method"].fillna("").tolist() == rows["method"].fillna("").tolist()


def test_grouped_rates_match_the_reference(phe):
    rows = phe("rate_byars_exact.csv").query("multiplier == 100000")
    expected = phe("rate_byars_exact_grouped.csv")
    got = rate(twice_the_complete_areas(rows), "numerator", "denominator", by="area")
    assert_columns_match(got, expected, LIMITS_95)
    assert got["method"].fillna("").tolist() == expected["method"].fillna("").tolist()


def test_means_match_grouped_and_ungrouped_reference_results(phe):
    values = phe("mean_t_input.csv")
    expected = phe("mean_t_expected.csv").set_index("area")
    pairs = [
        ("value_sum", "value_sum"),
        ("value_count", "value_count"),
        ("stdev", "stdev"),
        *LIMITS_BOTH,
    ]
    grouped = mean(values, "values", by="area", confidence=[0.95, 0.998])
    assert_columns_match(grouped, expected.loc[["Area1", "Area2"]], pairs)
    whole = mean(values, "values", confidence=[0.95, 0.998])
    assert_columns_match(whole, expected.loc[["No grouping"]], pairs)
    assert whole["method"].iloc[0] == "Student's t-distribution"


def test_a_hand_checked_proportion_of_one_in_four():
    # Wilson, z = 1.959964: (2 + z^2 -/+ z sqrt(z^2 + 3)) / (2 (4 + z^2)).
    z = 1.959963984540054
    lower = (2 + z**2 - z * np.sqrt(z**2 + 3)) / (2 * (4 + z**2))
    got = proportion(pd.DataFrame({"x": [1], "n": [4]}), "x", "n")
    assert got["lowercl"].iloc[0] == pytest.approx(lower, rel=1e-12)
    assert got["value"].iloc[0] == 0.25


def test_polars_frames_give_the_same_answers_as_pandas(phe, reference):
    rows = phe("rate_byars_exact.csv")
    from_pandas = rate(rows, "numerator", "denominator", multiplier=100)
    from_polars = rate(
        pl.read_csv(reference("phe", "rate_byars_exact.csv")), "numerator", "denominator", multiplier=100
    )
    assert isinstance(from_polars, pl.DataFrame)
    np.testing.assert_allclose(from_polars["uppercl"].to_numpy(), from_pandas["uppercl"].to_numpy())
    assert from_polars["uppercl"].null_count() == 3, "missing results are polars nulls, not NaN"


def test_numerator_above_denominator_is_an_error_for_proportions_but_not_rates():
    data = pd.DataFrame({"x": [250], "n": [220]})
    with pytest.raises(IndicatorsError, match="less than or equal to denominators"):
        proportion(data, "x", "n")
    assert rate(data, "x", "n")["value"].iloc[0] == pytest.approx(113636.3636, rel=1e-9)


@pytest.mark.parametrize(
    ("x", "n", "message"),
    [(-1, 100, "numerators must all be zero or more"), (1, 0, "denominators must all be greater than zero")],
)
def test_negative_counts_and_empty_denominators_are_errors(x, n, message):
    data = pd.DataFrame({"x": [x], "n": [n]})
    for function in (proportion, rate):
        with pytest.raises(IndicatorsError, match=message):
            function(data, "x", "n")


def test_non_numeric_and_missing_columns_are_named_in_the_error(hostile):
    data = pd.DataFrame({"x": [hostile], "n": [10]})
    with pytest.raises(IndicatorsError, match="numerator column 'x' must be numeric"):
        proportion(data, "x", "n")
    with pytest.raises(IndicatorsError, match="'missing' is not in data"):
        proportion(data, "missing", "n")


def test_anything_but_a_data_frame_is_refused():
    with pytest.raises(IndicatorsError, match="pandas or polars DataFrame"):
        proportion({"x": [1], "n": [2]}, "x", "n")


def test_an_empty_frame_is_an_error():
    with pytest.raises(IndicatorsError, match="no rows"):
        rate(pd.DataFrame({"x": pd.Series([], dtype=float), "n": pd.Series([], dtype=float)}), "x", "n")


def test_a_multiplier_must_be_positive():
    with pytest.raises(IndicatorsError, match="multiplier"):
        rate(pd.DataFrame({"x": [1], "n": [2]}), "x", "n", multiplier=0)
