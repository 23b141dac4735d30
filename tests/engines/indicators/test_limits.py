"""The confidence-limit building blocks against PHEindicatormethods' own Byar and Wilson cases."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonweal.engines.indicators import (
    IndicatorsError,
    byars_limits,
    confidence_levels,
    exact_poisson_limits,
    poisson_limits,
    t_limits,
    wilson_limits,
)

RTOL = 1e-8


def test_byars_and_wilson_limits_match_every_reference_case(phe):
    cases = phe("ci_byars_wilson.csv")
    for row in cases.itertuples():
        if row.function.startswith("byars"):
            lower, upper = byars_limits(row.x, confidence=row.confidence)
        else:
            lower, upper = wilson_limits(row.x, row.n, confidence=row.confidence)
        if math.isnan(row.expected_lowercl):
            assert np.isnan(lower), "a negative Byar lower limit is reported as missing"
        else:
            assert lower == pytest.approx(row.expected_lowercl, rel=RTOL)
        assert upper == pytest.approx(row.expected_uppercl, rel=RTOL)


def test_exact_poisson_limits_for_zero_events_start_at_zero():
    lower, upper = exact_poisson_limits(0)
    assert lower == 0
    assert upper == pytest.approx(3.688879454, rel=1e-9)  # -ln(0.025), the classic "rule of 3.7"


def test_poisson_limits_switch_from_exact_to_byars_at_ten_events():
    lower, _ = poisson_limits([9, 10])
    assert lower[0] == pytest.approx(exact_poisson_limits(9)[0])
    assert lower[1] == pytest.approx(byars_limits(10)[0])


def test_t_limits_by_hand_for_four_values():
    # mean 10, sd 2, n 4: t(0.975, 3) = 3.182446305 and se = 1.
    lower, upper = t_limits(10.0, 2.0, 4)
    assert (lower, upper) == pytest.approx((10 - 3.182446305, 10 + 3.182446305), rel=1e-9)


def test_confidence_accepts_fractions_and_percentages():
    assert confidence_levels(0.95) == (0.95,)
    assert confidence_levels([95, 99.8]) == (0.95, 0.998)


@pytest.mark.parametrize("level", [0.8, 50, 101, -1])
def test_confidence_outside_ninety_to_hundred_is_refused(level):
    with pytest.raises(IndicatorsError, match=r"between 0\.9 and 1"):
        confidence_levels(level)


def test_confidence_needs_at_least_one_level():
    with pytest.raises(IndicatorsError, match="at least one"):
        confidence_levels([])


@given(
    n=st.integers(min_value=1, max_value=10**7),
    share=st.floats(min_value=0, max_value=1),
    level=st.sampled_from([0.9, 0.95, 0.99, 0.998]),
)
def test_wilson_limits_lie_in_zero_one_and_contain_the_proportion(n, share, level):
    x = round(n * share)
    lower, upper = wilson_limits(x, n, confidence=level)
    assert -1e-12 <= lower <= x / n + 1e-12
    assert x / n - 1e-12 <= upper <= 1 + 1e-12


@given(x=st.integers(min_value=1, max_value=10**6), level=st.sampled_from([0.95, 0.998]))
def test_poisson_limits_contain_the_count_and_widen_with_confidence(x, level):
    lower, upper = poisson_limits(x, confidence=level)
    _wide_lower, wide_upper = poisson_limits(x, confidence=0.999)
    assert np.isnan(lower) or lower <= x <= upper
    assert wide_upper >= upper - 1e-9
