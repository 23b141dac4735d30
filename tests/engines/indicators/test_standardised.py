"""Directly and indirectly standardised rates against PHEindicatormethods' reference tables."""

import numpy as np
import pandas as pd
import pytest

from commonweal.engines.indicators import ESP2013, IndicatorsError, dsr, israte, isratio

RTOL = 1e-8


def compare(got, expected, pairs, rtol=RTOL):
    for ours, theirs in pairs:
        np.testing.assert_allclose(
            np.asarray(got[ours], dtype=float), np.asarray(expected[theirs], dtype=float), rtol=rtol, err_msg=ours
        )


BOTH = [
    ("total_count", "total_count"),
    ("total_pop", "total_pop"),
    ("value", "value"),
    ("lower95_0cl", "lower95_0cl"),
    ("upper95_0cl", "upper95_0cl"),
    ("lower99_8cl", "lower99_8cl"),
    ("upper99_8cl", "upper99_8cl"),
]


@pytest.mark.parametrize("multiplier", [10_000, 100_000])
def test_dsrs_for_three_areas_match_the_reference_with_the_standard_population_as_a_column(phe, multiplier):
    expected = phe("dsr_expected.csv").query("input_file == 'dsr_input_multiarea.csv' and multiplier == @multiplier")
    got = dsr(
        phe("dsr_input_multiarea.csv"),
        "count",
        "pop",
        stdpop="stdpop_esp2013",
        by="area",
        confidence=[0.95, 0.998],
        multiplier=multiplier,
    )
    compare(got, expected, BOTH)
    assert got["statistic"].tolist() == expected["statistic"].tolist()
    assert got["method"].tolist() == ["Dobson"] * 3


def test_the_default_standard_population_is_esp2013_laid_against_each_areas_bands(phe):
    data = phe("dsr_input_multiarea.csv")
    by_column = dsr(data, "count", "pop", stdpop="stdpop_esp2013", by="area")
    by_default = dsr(data, "count", "pop", by="area")
    np.testing.assert_allclose(by_default["value"], by_column["value"], rtol=1e-14)
    assert list(ESP2013) == phe("esp2013.csv")["esp2013"].tolist()


def test_a_dsr_from_fewer_than_ten_events_is_suppressed(phe):
    got = dsr(phe("dsr_input_multiarea.csv"), "count", "pop", by="area")
    tiny = got[got["area"] == "testdata_tiny"].iloc[0]
    assert tiny["total_count"] == 9
    assert np.isnan(tiny["value"])
    assert np.isnan(tiny["lowercl"])
    assert tiny["statistic"] == "dsr NA for total count < 10"


@pytest.mark.parametrize("multiplier", [10_000, 100_000])
def test_a_dsr_on_the_1976_standard_matches_value_and_95_percent_limits(phe, multiplier):
    # The 99.8% columns of this reference row are inconsistent in the R package's sheet (SOURCES.md).
    expected = phe("dsr_expected.csv").query("input_file == 'dsr_input_esp1976.csv' and multiplier == @multiplier")
    got = dsr(phe("dsr_input_esp1976.csv"), "count", "pop", stdpop="stdpop_esp1976", multiplier=multiplier)
    compare(
        got,
        expected,
        [
            ("total_count", "total_count"),
            ("total_pop", "total_pop"),
            ("value", "value"),
            ("lowercl", "lower95_0cl"),
            ("uppercl", "upper95_0cl"),
        ],
    )


def test_dsrs_for_non_independent_events_widen_the_limits_as_the_reference_does(phe):
    expected = phe("dsr_expected.csv").query("independent_events == False")
    got = dsr(
        phe("dsr_input_nonindependent_long.csv"),
        "individuals",
        "pop",
        stdpop="stdpop_esp2013",
        by="area",
        confidence=[0.95, 0.998],
        independent_events=False,
        event_frequency="event_frequency",
        ageband="ageband",
    )
    assert got["area"].tolist() == expected["area"].tolist()
    compare(got, expected, BOTH)
    assert set(got["method"]) == {"Dobson, with confidence adjusted for non-independent events"}


def test_non_independent_events_need_frequency_and_ageband_columns(phe):
    with pytest.raises(IndicatorsError, match="event_frequency and ageband"):
        dsr(phe("dsr_input_nonindependent_long.csv"), "individuals", "pop", independent_events=False)


def test_a_band_with_two_populations_is_an_error_for_non_independent_events():
    data = pd.DataFrame({"band": ["0-4", "0-4"], "f": [1, 2], "people": [5, 5], "pop": [100, 200], "std": [5, 5]})
    with pytest.raises(IndicatorsError, match="different population"):
        dsr(data, "people", "pop", stdpop="std", independent_events=False, event_frequency="f", ageband="band")


def test_a_missing_band_is_an_error_when_the_standard_population_is_a_vector(phe):
    data = phe("dsr_input_multiarea.csv").iloc[1:]
    with pytest.raises(IndicatorsError, match="missing bands are not allowed"):
        dsr(data, "count", "pop", by="area")


@pytest.mark.parametrize(
    ("column", "bad", "message"),
    [
        ("pop", 0, "populations must all be greater than zero"),
        ("count", -1, "counts must all be zero or more"),
        ("pop", np.nan, "population has missing values"),
    ],
)
def test_bad_dsr_inputs_are_errors(phe, column, bad, message):
    data = phe("dsr_input_multiarea.csv")
    data.loc[0, column] = bad
    with pytest.raises(IndicatorsError, match=message):
        dsr(data, "count", "pop", by="area")


def isr_expected(phe, function, input_file):
    return phe("isr_expected.csv").query("function == @function and input_file == @input_file")


ISR_BOTH = [
    ("observed", "observed"),
    ("expected", "expected"),
    ("value", "value"),
    ("lower95_0cl", "lower95_0cl"),
    ("upper95_0cl", "upper95_0cl"),
    ("lower99_8cl", "lower99_8cl"),
    ("upper99_8cl", "upper99_8cl"),
]


@pytest.mark.parametrize("reference_as", ["columns", "vectors", "observed totals"])
def test_indirectly_standardised_ratios_match_the_reference(phe, reference_as):
    data = phe("isr_input_multiarea.csv")
    refs = phe("isr_refdata.csv")
    options = {"refcount": "refcount", "refpop": "refpop"}
    if reference_as != "columns":
        options = {"refcount": refs["refcount"].to_numpy(), "refpop": refs["refpop"].to_numpy()}
    observed = "count"
    if reference_as == "observed totals":
        totals = phe("isr_observed_totals.csv")
        options["observed_totals"] = dict(zip(totals["area"], totals["total_count"], strict=True))
        observed = None
    expected = isr_expected(phe, "calculate_ISRatio", "isr_input_multiarea.csv")
    for refvalue, rows in expected.groupby("multiplier_or_refvalue"):
        got = isratio(data, observed, "pop", by="area", confidence=[95, 99.8], refvalue=refvalue, **options)
        compare(got, rows, ISR_BOTH)
        assert got["statistic"].tolist() == rows["statistic"].tolist()
        assert got["method"].tolist() == rows["method"].tolist()


def test_indirectly_standardised_rates_match_the_reference(phe):
    data = phe("isr_input_multiarea.csv")
    expected = isr_expected(phe, "calculate_ISRate", "isr_input_multiarea.csv")
    for multiplier, rows in expected.groupby("multiplier_or_refvalue"):
        got = israte(
            data,
            "count",
            "pop",
            refcount="refcount",
            refpop="refpop",
            by="area",
            confidence=[0.95, 0.998],
            multiplier=multiplier,
        )
        compare(got, rows, [*ISR_BOTH, ("ref_rate", "ref_rate")])
        assert got["statistic"].tolist() == rows["statistic"].tolist()


def test_a_zero_population_band_contributes_nothing_to_the_expected_count(phe):
    data = phe("isr_input_zero_population.csv")
    refs = phe("isr_refdata.csv")
    vectors = {"refcount": refs["refcount"].tolist(), "refpop": refs["refpop"].tolist()}
    pairs = [
        ("observed", "observed"),
        ("expected", "expected"),
        ("value", "value"),
        ("lowercl", "lower95_0cl"),
        ("uppercl", "upper95_0cl"),
    ]
    ratio = isratio(data, "count", "pop", by="area", refvalue=100, **vectors)
    compare(ratio, isr_expected(phe, "calculate_ISRatio", "isr_input_zero_population.csv"), pairs)
    per_100k = israte(data, "count", "pop", by="area", **vectors)
    compare(per_100k, isr_expected(phe, "calculate_ISRate", "isr_input_zero_population.csv"), pairs)


def test_an_isr_by_hand():
    # Expected = 1000 * 20/1000 + 500 * 10/1000 = 25; observed 50 -> ratio 2, Byar's limits on 50.
    data = pd.DataFrame({"x": [30, 20], "n": [1000, 500]})
    got = isratio(data, "x", "n", refcount=[20, 10], refpop=[1000, 1000])
    assert got["expected"].iloc[0] == pytest.approx(25)
    assert got["value"].iloc[0] == pytest.approx(2)
    assert got["lowercl"].iloc[0] == pytest.approx(50 * (1 - 1 / 450 - 1.959963984540054 / (3 * 50**0.5)) ** 3 / 25)


def test_isr_needs_observed_counts_or_totals_for_every_group(phe):
    data = phe("isr_input_multiarea.csv")
    with pytest.raises(IndicatorsError, match="observed column"):
        isratio(data, None, "pop", refcount="refcount", refpop="refpop", by="area")
    with pytest.raises(IndicatorsError, match="no total for group 'testdata_tiny'"):
        isratio(
            data,
            None,
            "pop",
            refcount="refcount",
            refpop="refpop",
            by="area",
            observed_totals={"testdata_big": 895, "testdata_small": 91},
        )


def test_isr_refuses_reference_populations_of_zero():
    data = pd.DataFrame({"x": [3], "n": [100]})
    with pytest.raises(IndicatorsError, match="reference populations must all be greater than zero"):
        isratio(data, "x", "n", refcount=[1], refpop=[0])
