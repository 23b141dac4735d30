"""Green Book discounting: the reference factors, the schedule file, conventions and properties."""

import csv

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonweal.engines.valuation import (
    HEALTH,
    REDUCED,
    STANDARD,
    DiscountSchedule,
    ValuationError,
    discount_factors,
    present_value,
)


def test_standard_factor_for_year_30_is_0_356278():
    assert discount_factors(30) == pytest.approx(0.356278, abs=5e-7)


def test_standard_factor_for_year_31_compounds_the_3_percent_band_on_year_30():
    assert discount_factors(31) == pytest.approx(0.345901, abs=5e-7)
    assert discount_factors(31) == pytest.approx(discount_factors(30) / 1.03, rel=1e-12)


def test_health_factor_for_year_30_is_0_639762():
    assert discount_factors(30, schedule="health") == pytest.approx(0.639762, abs=5e-7)


def test_present_value_of_100_a_year_for_years_1_to_10_is_831_66():
    assert present_value([100.0] * 10, first_year=1) == pytest.approx(831.66, abs=0.005)


def test_year_zero_is_undiscounted_by_default_and_discounted_a_year_at_end_timing():
    assert discount_factors(0) == 1.0
    assert discount_factors(0, timing="end") == pytest.approx(1 / 1.035)
    assert discount_factors(29, timing="end") == pytest.approx(discount_factors(30))


def test_every_band_boundary_compounds_band_by_band():
    years = np.arange(0, 400)
    factors = discount_factors(years)
    rates = 1 / (factors[1:] / factors[:-1]) - 1
    expected = np.select(
        [years[1:] <= 30, years[1:] <= 75, years[1:] <= 125, years[1:] <= 200, years[1:] <= 300],
        [0.035, 0.03, 0.025, 0.02, 0.015],
        0.01,
    )
    np.testing.assert_allclose(rates, expected, rtol=1e-9)


@pytest.mark.parametrize(("column", "schedule"), [("standard", STANDARD), ("health", HEALTH)])
def test_bundled_schedules_match_the_reference_discount_rate_table(reference, column, schedule):
    path = reference("value", "discount_rates.csv")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert schedule.starts == tuple(int(r["year_from"]) for r in rows)
    assert schedule.rates == tuple(float(r[column]) for r in rows)


def test_reduced_schedule_matches_the_reference_table(reference):
    path = reference("value", "discount_rates.csv")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert REDUCED.rates == tuple(float(r["reduced_excl_pure_time_preference"]) for r in rows)


def test_a_custom_schedule_discounts_at_its_own_rates():
    flat = DiscountSchedule("flat", starts=(0,), rates=(0.05,))
    assert discount_factors(10, schedule=flat) == pytest.approx(1.05**-10)


def test_present_value_keeps_leading_axes_for_draws():
    flows = np.array([[100.0, 100.0], [0.0, 50.0]])
    np.testing.assert_allclose(present_value(flows), [100 + 100 / 1.035, 50 / 1.035])


@given(st.floats(0, 500), st.floats(0, 500), st.sampled_from(["standard", "health", "reduced"]))
def test_discount_factors_fall_as_years_pass(earlier, later, schedule):
    low, high = sorted((earlier, later))
    assert discount_factors(high, schedule=schedule) <= discount_factors(low, schedule=schedule)


@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=40))
def test_present_value_never_exceeds_the_undiscounted_sum(flows):
    assert present_value(flows) <= sum(flows) * (1 + 1e-12) + 1e-9


@pytest.mark.parametrize("years", [-1, float("nan"), float("inf")])
def test_negative_or_non_finite_years_are_refused(years):
    with pytest.raises(ValuationError, match="discount years"):
        discount_factors(years)


def test_unknown_schedule_names_the_choices():
    with pytest.raises(ValuationError, match="standard, health, reduced"):
        discount_factors(1, schedule="treasury")  # type: ignore[arg-type]


def test_unknown_timing_is_refused():
    with pytest.raises(ValuationError, match="timing"):
        discount_factors(1, timing="middle")  # type: ignore[arg-type]


def test_a_schedule_must_start_at_year_zero_with_increasing_bands():
    with pytest.raises(ValuationError, match="start at year 0"):
        DiscountSchedule("bad", starts=(1,), rates=(0.03,))
    with pytest.raises(ValuationError, match="increase"):
        DiscountSchedule("bad", starts=(0, 10, 5), rates=(0.03, 0.02, 0.01))
