"""Optimism bias, distributional weights and WELLBY values: the research figures."""

import csv

import numpy as np
import pytest

from commonweal.engines.valuation import (
    GREEN_BOOK_OPTIMISM_BIAS,
    WELLBY_VALUES,
    ValuationError,
    distributional_weight,
    income_weights,
    optimism_bias,
    rebase,
    wellby_outcome,
    wellby_value,
)

BLEND = {"non-standard buildings": 0.3, "standard buildings": 0.7}


def test_capex_optimism_bias_for_a_30_70_blend_is_32_1_percent():
    assert optimism_bias(BLEND) == pytest.approx(0.321)


def test_works_duration_optimism_bias_for_the_same_blend_is_14_5_percent():
    assert optimism_bias(BLEND, measure="works_duration") == pytest.approx(0.145)


def test_optimism_bias_from_share_and_bound_pairs_matches_the_lookup():
    assert optimism_bias([(0.3, 0.51), (0.7, 0.24)]) == pytest.approx(0.321)


def test_mitigation_reduces_the_blended_bias_proportionally():
    assert optimism_bias({"outsourcing": 1.0}, mitigation=0.75) == pytest.approx(0.1025)


def test_bundled_optimism_bias_table_matches_the_reference_file(reference):
    path = reference("value", "optimism_bias.csv")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(GREEN_BOOK_OPTIMISM_BIAS)

    def number(text):
        return float(text) if text else None

    for row in rows:
        expected = tuple(
            number(row[c])
            for c in ("works_duration_upper_pct", "works_duration_lower_pct", "capex_upper_pct", "capex_lower_pct")
        )
        assert GREEN_BOOK_OPTIMISM_BIAS[row["project_type"].lower()] == expected


def test_shares_that_do_not_sum_to_one_are_refused():
    with pytest.raises(ValuationError, match="sum to 1"):
        optimism_bias({"standard buildings": 0.5})


def test_an_unknown_project_type_lists_the_known_ones():
    with pytest.raises(ValuationError, match="standard buildings"):
        optimism_bias({"bridges": 1.0})


def test_outsourcing_has_no_works_duration_bias():
    with pytest.raises(ValuationError, match="no works_duration"):
        optimism_bias({"outsourcing": 1.0}, measure="works_duration")


@pytest.mark.parametrize("pairs", [[(1.2, 0.1), (-0.2, 0.1)], [(1.0, -0.1)]])
def test_negative_shares_or_bounds_are_refused(pairs):
    with pytest.raises(ValuationError, match="zero or more"):
        optimism_bias(pairs)


def test_distributional_weight_for_income_ratio_1_961_is_2_40():
    assert distributional_weight(1.961) == pytest.approx(2.40, abs=0.005)


def test_distributional_weight_uses_the_green_book_elasticity_1_3_by_default():
    assert distributional_weight(2.0) == pytest.approx(2**1.3)
    assert distributional_weight(2.0, elasticity=1.0) == pytest.approx(2.0)


def test_distributional_weights_vectorise():
    np.testing.assert_allclose(distributional_weight(np.array([1.0, 1.961])), [1.0, 1.961**1.3])


def test_income_weights_default_to_the_median_income_as_reference():
    weights = income_weights([10_000, 20_000, 40_000])
    assert weights[2] == 1.0
    assert weights[1] == pytest.approx(2**1.3)


@pytest.mark.parametrize("ratio", [0.0, -1.0, float("nan")])
def test_non_positive_income_ratios_are_refused(ratio):
    with pytest.raises(ValuationError, match="positive"):
        distributional_weight(ratio)


def test_a_0_2_life_satisfaction_gain_is_worth_2600_pounds_per_person_year():
    assert wellby_value(0.2) == 2_600.0


def test_wellby_low_and_high_values_are_10000_and_16000():
    assert wellby_value(1, variant="low") == 10_000
    assert wellby_value(1, variant="high") == 16_000


def test_wellby_values_match_the_reference_file(reference):
    path = reference("value", "wellbeing_values.csv")
    with path.open(encoding="utf-8") as handle:
        rows = {r["id"]: r for r in csv.DictReader(handle)}
    for variant in ("central", "low", "high"):
        row = rows[f"HMT-WELLBY-{variant.upper()}"]
        assert WELLBY_VALUES[variant] == float(row["value_gbp"])
        assert row["price_year"] == "2019"


def test_wellby_value_in_later_prices_is_rebased_with_the_deflator():
    assert wellby_value(0.2, price_year=2024) == pytest.approx(rebase(2_600.0, 2019, 2024))


def test_wellby_value_scales_with_people_and_years():
    assert wellby_value(0.2, people=10, years=3) == 78_000.0


def test_wellby_range_outcome_is_triangular_between_low_and_high():
    outcome = wellby_outcome("Happier", 0.2, variant="range")
    assert (outcome.value.low, outcome.value.mode, outcome.value.high) == (2_000.0, 2_600.0, 3_200.0)


def test_a_life_satisfaction_loss_has_negative_value_and_a_valid_range():
    assert wellby_value(-0.1) == -1_300.0
    outcome = wellby_outcome("Worse", -0.1, variant="range")
    assert outcome.value.low == -1_600.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"life_satisfaction_change": 11}, "between -10 and 10"),
        ({"life_satisfaction_change": 0.2, "people": -1}, "people"),
        ({"life_satisfaction_change": 0.2, "variant": "median"}, "variant"),
    ],
)
def test_bad_wellby_inputs_are_refused(kwargs, message):
    with pytest.raises(ValuationError, match=message):
        wellby_value(**kwargs)
