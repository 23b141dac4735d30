"""Life expectancy (Chiang II, Silcocks) against the R package, and Sullivan healthy life expectancy."""

import math
import warnings

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonweal.engines.indicators import (
    DF1_DEATHS,
    DF1_POPS,
    STANDARD_AGES,
    IndicatorsError,
    IndicatorsWarning,
    healthy_life_expectancy,
    healthy_life_table,
    life_expectancy,
    life_table,
)

Z95 = 1.959963984540054


def case(phe, name):
    data = phe("life_expectancy_input.csv")
    return data[data["case"] == name].reset_index(drop=True)


def test_life_expectancy_matches_r_at_full_precision_for_both_confidence_levels(phe):
    expected = phe("life_expectancy_df1_R_generated_95_998.csv")
    got = life_expectancy(case(phe, "df1"), "deaths", "pops", "startage", confidence=[0.95, 0.998])
    for column in ["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl", "pops_used", "dths_used"]:
        np.testing.assert_allclose(got[column], expected[column], rtol=1e-8, err_msg=column)
    for column in ["confidence", "statistic", "method"]:
        assert got[column].tolist() == expected[column].tolist()


def test_life_expectancy_matches_the_r_test_literals_to_four_decimal_places(phe):
    expected = phe("life_expectancy_expected.csv").query("case == 'df1'")
    got = life_expectancy(case(phe, "df1"), "deaths", "pops", "startage")
    for ours, theirs in [("value", "value"), ("lowercl", "lower95_0cl"), ("uppercl", "upper95_0cl")]:
        np.testing.assert_allclose(got[ours], expected[theirs], atol=1e-4, rtol=0, err_msg=ours)
    np.testing.assert_array_equal(got["pops_used"], expected["pops_used"])
    np.testing.assert_array_equal(got["dths_used"], expected["dths_used"])


def test_values_with_a_95_percent_interval_over_twenty_years_are_blanked_but_keep_their_limits(phe):
    data = case(phe, "df_widecis_plus")
    with pytest.warns(IndicatorsWarning) as caught:
        got = life_expectancy(data, "deaths", "pops", "startage", by="area", confidence=[0.95, 0.998])
    messages = " | ".join(str(w.message) for w in caught)
    assert "more deaths than population" in messages
    assert "95% confidence interval > 20 years" in messages
    expected = phe("life_expectancy_expected.csv").query("case == 'df_widecis_plus'")
    merged = expected.merge(got, on=["area", "startage"], suffixes=("_r", ""))
    for column in ["value", "lower95_0cl", "upper95_0cl"]:
        np.testing.assert_allclose(merged[column], merged[f"{column}_r"], atol=1e-4, rtol=0, err_msg=column)
    assert merged["value"].isna().sum() == 31  # Area 1 entirely, Area 2 from age 40


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("df_neg_deaths", "negative deaths"),
        ("df_zero_pop", "zero or less population"),
        ("df_deaths_greater_pops", "more deaths than population"),
        ("df_low_pops", "total population of less than 5,000"),
        ("df_missing_age", "different number of age bands than 20"),
    ],
)
def test_each_invalid_input_gives_only_missing_values_and_a_warning(phe, name, message):
    with pytest.warns(IndicatorsWarning, match=message):
        got = life_expectancy(case(phe, name), "deaths", "pops", "startage", by="area")
    assert got[["value", "lowercl", "uppercl"]].isna().all().all()


def test_grouped_data_keeps_good_groups_and_blanks_bad_ones(phe):
    data = case(phe, "df_grouped_with_warnings")
    with pytest.warns(IndicatorsWarning) as caught:
        got = life_expectancy(data, "deaths", "pops", "startage", by="area")
    assert len(got) == len(data)
    messages = " | ".join(str(w.message) for w in caught)
    assert "negative deaths" in messages
    assert "zero or less population" in messages
    good = got["area"] == "Good data"
    assert got.loc[good, "value"].notna().all()
    assert got.loc[~good, "value"].isna().all()


def test_rows_in_any_order_with_text_band_labels_give_the_same_answer(phe):
    data = case(phe, "df1")
    labels = ["0", "1-4", *[f"{age} - {age + 4}" for age in range(5, 90, 5)], "90 +"]
    shuffled = data.assign(band=labels).sample(frac=1, random_state=3)
    got = life_expectancy(shuffled, "deaths", "pops", "band", age_contents=labels)
    straight = life_expectancy(data, "deaths", "pops", "startage")
    np.testing.assert_allclose(got.sort_index()["value"], straight["value"], rtol=1e-14)
    assert got.loc[got["band"] == "90 +", "statistic"].iloc[0] == "life expectancy at 90 +"


def test_le_age_keeps_only_the_requested_ages(phe):
    got = life_expectancy(case(phe, "df1"), "deaths", "pops", "startage", le_age=[5, 25])
    assert got["startage"].tolist() == [5, 25]
    assert got["value"].round(4).tolist() == [75.4419, 55.7884]


def test_unknown_band_labels_and_bad_age_contents_are_errors(phe):
    data = case(phe, "df1")
    with pytest.raises(IndicatorsError, match="do not match age_contents"):
        life_expectancy(data.assign(startage=data["startage"] + 1), "deaths", "pops", "startage")
    with pytest.raises(IndicatorsError, match="ascending order starting 0"):
        life_expectancy(data, "deaths", "pops", "startage", age_contents=list(reversed(STANDARD_AGES)))
    with pytest.raises(IndicatorsError, match="le_age"):
        life_expectancy(data, "deaths", "pops", "startage", le_age=[4])


def test_polars_life_expectancy_matches_pandas(phe):
    data = case(phe, "df1")
    polars_frame = pl.DataFrame({"startage": list(STANDARD_AGES), "deaths": DF1_DEATHS, "pops": DF1_POPS})
    got = life_expectancy(polars_frame, "deaths", "pops", "startage")
    np.testing.assert_allclose(got["value"].to_numpy(), life_expectancy(data, "deaths", "pops", "startage")["value"])


def test_the_numpy_core_handles_many_areas_at_once():
    table = life_table([DF1_DEATHS, DF1_DEATHS], [DF1_POPS, DF1_POPS], confidence=[0.95, 0.998])
    assert table.value.shape == (2, 20)
    assert table.lower.shape == (2, 2, 20)
    assert table.value[0, 0] == pytest.approx(80.1696081319484, rel=1e-12)
    with pytest.raises(IndicatorsError, match="20 age bands"):
        life_table(DF1_DEATHS[:19], DF1_POPS[:19])


def test_no_deaths_in_the_open_band_is_missing_with_a_warning():
    deaths = [*DF1_DEATHS[:19], 0]
    with pytest.warns(IndicatorsWarning, match="no deaths in the 90\\+ band"):
        table = life_table(deaths, DF1_POPS)
    assert np.isnan(table.value).all()


# --- healthy life expectancy ------------------------------------------------------------------

PREVALENCE = [0.8] * 18 + [0.6, 0.5]
SAMPLES = [500] * 18 + [200, 100]


def test_healthy_life_expectancy_at_90_and_85_by_hand():
    """The worked example in docs/methods/indicators.md, computed here with scalar arithmetic."""
    l85 = life_table(DF1_DEATHS, DF1_POPS).survivors[0, 18]
    m85, m90 = 1936 / 11936, 1937 / 11936
    q85 = 5 * m85 / (1 + 5 * m85 * 0.5)
    l90 = l85 * (1 - q85)
    big_l85, big_l90 = 5 * (l90 + 0.5 * (l85 - l90)), l90 / m90
    hle90 = 0.5 * big_l90 / l90
    hle85 = (0.6 * big_l85 + 0.5 * big_l90) / l85
    var90 = 0.5**2 / (1937 * m90**2) + (big_l90 / l90) ** 2 * 0.5 * 0.5 / 100
    mortality85 = l85**2 * (0.5 * 5 * 0.6 + hle90) ** 2 * q85**2 * (1 - q85) / 1936 + 0.5**2 * l90**2 / (1937 * m90**2)
    survey85 = big_l85**2 * 0.6 * 0.4 / 200 + big_l90**2 * 0.5 * 0.5 / 100
    var85 = (mortality85 + survey85) / l85**2

    table = healthy_life_table(DF1_DEATHS, DF1_POPS, PREVALENCE, SAMPLES)
    assert table.value[0, 19] == pytest.approx(hle90, rel=1e-12)
    assert table.value[0, 18] == pytest.approx(hle85, rel=1e-12)
    assert table.se[0, 19] == pytest.approx(math.sqrt(var90), rel=1e-12)
    assert table.se[0, 18] == pytest.approx(math.sqrt(var85), rel=1e-12)
    # The figures printed in the docs.
    assert round(hle90, 4) == 3.0811
    assert round(hle85, 4) == 3.4377
    assert round(table.lower[0, 0, 18], 4) == 3.0733
    assert round(table.upper[0, 0, 18], 4) == 3.8022


def test_healthy_life_expectancy_from_a_frame_matches_the_numpy_core():
    frame = pd.DataFrame(
        {"age": STANDARD_AGES, "deaths": DF1_DEATHS, "pops": DF1_POPS, "good": PREVALENCE, "asked": SAMPLES}
    )
    got = healthy_life_expectancy(frame, "deaths", "pops", "age", "good", "asked", confidence=[95, 99.8])
    table = healthy_life_table(DF1_DEATHS, DF1_POPS, PREVALENCE, SAMPLES, confidence=[95, 99.8])
    np.testing.assert_allclose(got["value"], table.value[0])
    np.testing.assert_allclose(got["upper99_8cl"], table.upper[1, 0])
    assert got["statistic"].iloc[0] == "healthy life expectancy at 0"


def test_prevalence_of_one_gives_life_expectancy_and_its_limits():
    le = life_table(DF1_DEATHS, DF1_POPS)
    hle = healthy_life_table(DF1_DEATHS, DF1_POPS, [1.0] * 20, [50] * 20)
    np.testing.assert_allclose(hle.value, le.value, rtol=1e-12)
    np.testing.assert_allclose(hle.lower, le.lower, rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    prevalence=st.lists(st.floats(min_value=0, max_value=1), min_size=20, max_size=20),
    samples=st.lists(st.integers(min_value=1, max_value=5000), min_size=20, max_size=20),
)
def test_healthy_life_expectancy_never_exceeds_life_expectancy_and_sits_inside_its_limits(prevalence, samples):
    le = life_table(DF1_DEATHS, DF1_POPS, suppress_wide=False)
    hle = healthy_life_table(DF1_DEATHS, DF1_POPS, prevalence, samples)
    assert np.all(hle.value <= le.value + 1e-9)
    assert np.all(hle.lower <= hle.value + 1e-12)
    assert np.all(hle.value <= hle.upper + 1e-12)
    survey_only = healthy_life_table(DF1_DEATHS, DF1_POPS, prevalence, samples, variance="prevalence")
    assert np.all(survey_only.se <= hle.se + 1e-12)


@pytest.mark.parametrize(
    ("prevalence", "samples", "message"),
    [
        ([80.0] * 20, SAMPLES, "between 0 and 1"),
        (PREVALENCE, [0] * 20, "sample_size must be greater than zero"),
        ([np.nan] * 20, SAMPLES, "need a value for every age band"),
    ],
)
def test_bad_survey_inputs_are_errors(prevalence, samples, message):
    with pytest.raises(IndicatorsError, match=message):
        healthy_life_table(DF1_DEATHS, DF1_POPS, prevalence, samples)


def test_healthy_life_expectancy_with_a_missing_band_is_missing_with_a_warning():
    frame = pd.DataFrame(
        {"age": STANDARD_AGES, "deaths": DF1_DEATHS, "pops": DF1_POPS, "good": PREVALENCE, "asked": SAMPLES}
    ).iloc[:19]
    with pytest.warns(IndicatorsWarning, match="different number of age bands"):
        got = healthy_life_expectancy(frame, "deaths", "pops", "age", "good", "asked")
    assert got["value"].isna().all()


def test_no_warning_for_good_data():
    frame = pd.DataFrame({"age": STANDARD_AGES, "deaths": DF1_DEATHS, "pops": DF1_POPS})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        life_expectancy(frame, "deaths", "pops", "age")
