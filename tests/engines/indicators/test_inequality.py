"""SII/RII against PHEindicatormethods' Monte Carlo reference cases, and quantile assignment."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonweal.engines.indicators import IndicatorsError, IndicatorsWarning, quantiles, sii, slope_index

GROUPS = ["Area", "Grouping1", "Grouping2"]


def sii_cases(phe):
    return [row._asdict() for row in phe("sii_test_cases.csv").itertuples(index=False)]


def _levels(text):
    return [float(level) for level in str(text).split(";")]


def _tag(level):
    return f"{level if level > 1 else level * 100:.1f}".replace(".", "_")


def run_case(phe, case, seed=1):
    data = phe("sii_testdata.csv")
    first, last = map(int, case["input_recordno"].split("-"))
    rows = data[data["RecordNo"].between(first, last)]
    options = {
        "value_type": int(case["value_type"]),
        "transform": bool(case["transform"]),
        "multiplier": float(case["multiplier"]),
        "repetitions": int(case["repetitions_in_test"]),
        "confidence": _levels(case["confidence"]),
        "rii": bool(case["rii"]),
        "intercept": bool(case["intercept"]),
        "seed": seed,
    }
    options |= {"value": "Value"} if case["value_arg"] == "Value" else {"x": "Count"}
    if case["uncertainty_input"] == "se":
        options["se"] = "StandardError"
    else:
        options |= {"lower_cl": "LowerCL", "upper_cl": "UpperCL"}
    got = sii(rows, "Quantile", "Population", by=GROUPS, **options)
    expected = data[data["RecordNo"].isin([int(n) for n in case["expected_recordno"].split(";")])]
    return expected.merge(got, on=GROUPS, suffixes=("_r", "")), options["confidence"]


def our_column(name, levels):
    """Map the R sheet's column names to ours."""
    fixed = {"sii": "value", "rii": "rii", "Intercept": "intercept"}
    if name in fixed:
        return fixed[name]
    stat, bound, number = name.split("_")  # e.g. sii_lowercl_1
    tag = "cl" if len(levels) == 1 else f"{_tag(levels[int(number) - 1])}cl"
    side = bound.replace("cl", "")
    prefix = "" if stat == "sii" else "rii_"
    return f"{prefix}{side}{tag}"


def test_every_sii_reference_case_matches_within_the_r_tests_tolerance(phe):
    # R's testthat tolerance 0.05: mean |ours - R| / mean |R| per column. Point estimates are exact.
    for case in sii_cases(phe):
        merged, levels = run_case(phe, case)
        assert len(merged) == len(case["expected_recordno"].split(";")), case["case"]
        for name in case["expected_columns_compared"].split(","):
            theirs = merged[f"{name}_r" if f"{name}_r" in merged else name].to_numpy(float)
            ours = merged[our_column(name, levels)].to_numpy(float)
            if name in ("sii", "rii", "Intercept"):
                np.testing.assert_allclose(ours, theirs, rtol=1e-8, err_msg=f"{case['case']}: {name}")
            else:
                difference = np.mean(np.abs(ours - theirs)) / np.mean(np.abs(theirs))
                assert difference < 0.05, f"{case['case']}: {name} differs by {difference:.3f}"


def test_the_same_seed_gives_the_same_limits_and_another_seed_nearly_the_same(phe):
    case = sii_cases(phe)[0]
    first, _ = run_case(phe, case, seed=7)
    again, _ = run_case(phe, case, seed=7)
    other, _ = run_case(phe, case, seed=8)
    assert first["lowercl"].tolist() == again["lowercl"].tolist()
    np.testing.assert_allclose(other["lowercl"], first["lowercl"], rtol=0.05)


def test_a_straight_line_by_hand():
    # Equal populations: ranks 0.1, 0.3, ..., 0.9; values 70 + 10 x rank give SII 10 and intercept 70.
    ranks = np.arange(0.1, 1.0, 0.2)
    result = slope_index(70 + 10 * ranks, [500] * 5, se=[0.5] * 5, repetitions=2000, seed=3)
    assert result.sii[0] == pytest.approx(10, rel=1e-12)
    assert result.intercept[0] == pytest.approx(70, rel=1e-12)
    assert result.rii[0] == pytest.approx(80 / 70, rel=1e-12)
    assert result.sii_lower[0, 0] < 10 < result.sii_upper[0, 0]


@settings(max_examples=25, deadline=None)
@given(
    values=st.lists(st.floats(min_value=1, max_value=100), min_size=5, max_size=12),
    multiplier=st.sampled_from([1.0, 100.0, -1.0]),
)
def test_limits_bracket_the_sii_and_a_negative_multiplier_flips_it(values, multiplier):
    pops = [1000.0] * len(values)
    plain = slope_index(values, pops, se=[1.0] * len(values), repetitions=4000, seed=1)
    scaled = slope_index(values, pops, se=[1.0] * len(values), repetitions=4000, seed=1, multiplier=multiplier)
    assert scaled.sii[0] == pytest.approx(multiplier * plain.sii[0], rel=1e-9, abs=1e-9)
    assert scaled.sii_lower[0, 0] <= scaled.sii_upper[0, 0]
    if multiplier < 0:
        assert scaled.rii[0] == pytest.approx(1 / plain.rii[0], rel=1e-9)


def test_a_group_missing_a_quantile_is_missing_with_a_warning(phe):
    data = phe("sii_testdata.csv").query("RecordNo <= 20 and RecordNo != 5")
    with pytest.warns(IndicatorsWarning, match="exactly one row for every quantile"):
        got = sii(data, "Quantile", "Population", value="Value", se="StandardError", by="Area", repetitions=1000)
    assert got["value"].isna().tolist() == [True, False]


@pytest.mark.parametrize(
    ("change", "options", "message"),
    [
        ({"Population": 0}, {}, "zero, negative or missing population"),
        ({"StandardError": -1}, {}, "negative or missing standard errors"),
        ({}, {"value_type": 3}, "value_type should be 0"),
        ({}, {"transform": True}, "needs value_type 1"),
        ({}, {"repetitions": 10}, "1000 or more"),
        ({"Value": 2.0}, {"value_type": 2}, "between 0 and 1"),
    ],
)
def test_bad_sii_inputs_are_errors(phe, change, options, message):
    data = phe("sii_testdata.csv").query("RecordNo <= 10").copy()
    for column, bad in change.items():
        data.loc[data.index[0], column] = bad
    with pytest.raises(IndicatorsError, match=message):
        sii(data, "Quantile", "Population", value="Value", se="StandardError", **options)


def test_sii_needs_between_five_and_a_hundred_quantiles_and_a_value(phe):
    data = phe("sii_testdata.csv").query("RecordNo <= 4")
    with pytest.raises(IndicatorsError, match="between 5 and 100"):
        sii(data, "Quantile", "Population", value="Value", se="StandardError")
    with pytest.raises(IndicatorsError, match="give the value column"):
        sii(data, "Quantile", "Population", se="StandardError")
    with pytest.raises(IndicatorsError, match="se, or both lower_cl and upper_cl"):
        sii(phe("sii_testdata.csv").query("RecordNo <= 10"), "Quantile", "Population", value="Value")


# --- quantiles --------------------------------------------------------------------------------


@pytest.fixture
def quantile_data(phe):
    blank = [""]
    data = phe("quantiles_testdata.csv", keep_default_na=False, na_values={"Value": blank, "QuantileInGrp": blank})
    flags = {"RAG - Low is good": True, "True": True, "RAG - High is good": False, "False": False}
    return data.assign(invert=data["Polarity"].map(flags))


@pytest.mark.parametrize(
    ("query", "by", "invert", "nquantiles"),
    [
        ("GroupSet == 'IndSexReg'", ["IndSexRef", "ParentCode"], "invert", 10),
        ("IndSexRef == '90366Female' and GroupSet == 'IndSexReg'", ["IndSexRef", "ParentCode"], False, 10),
        ("GroupSet == 'IndSex'", "IndSexRef", "invert", 7),
        ("GroupSet == '' and Test.str.startswith('Good')", None, True, 4),  # 'None' is a blank cell
        ("GroupSet == '' and Test.str.startswith('Good')", "GroupSet", True, 4),
    ],
)
def test_quantiles_match_every_reference_case(quantile_data, query, by, invert, nquantiles):
    rows = quantile_data.query(f"({query}) and Test.str.startswith('Good')", engine="python")
    with warnings.catch_warnings():
        # Small regions have fewer areas than deciles; the reference expects NA there too.
        warnings.simplefilter("ignore", IndicatorsWarning)
        got = quantiles(rows, "Value", by=by, nquantiles=nquantiles, invert=invert)
    np.testing.assert_array_equal(got["quantile"].to_numpy(float), rows["QuantileInGrp"].to_numpy(float))


def test_groups_with_too_few_values_get_no_quantiles_and_a_warning(quantile_data):
    rows = quantile_data.query("IndSexRef == '90366Female' and GroupSet == 'IndSexReg'")
    rows = rows[~rows["AreaCode"].isin(["E06000053", "E09000001"])].copy()
    rows.loc[rows["ParentCode"] == "E12000006", "Value"] = np.nan
    with pytest.warns(IndicatorsWarning, match="too few small areas"):
        got = quantiles(rows, "Value", by=["IndSexRef", "ParentCode"], invert=False)
    east = got["ParentCode"] == "E12000006"
    assert got.loc[east, "quantile"].isna().all()
    assert got.loc[~east & got["Value"].notna(), "quantile"].notna().any()


def test_invert_must_be_constant_within_a_group(quantile_data):
    rows = quantile_data.query("Test == 'BadPolarity'")
    with pytest.raises(IndicatorsError, match="same logical value"):
        quantiles(rows, "Value", by="IndSexRef", invert="invert")


def test_quantiles_by_hand_for_ten_values():
    data = pd.DataFrame({"score": list(range(1, 11))})
    assert quantiles(data, "score", nquantiles=5)["quantile"].tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    described = quantiles(data, "score", nquantiles=5, invert=False)
    assert described["quantile"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert described["qinverted"].iloc[0] == "lowest quantile represents lowest values"
