"""The samplers behind Monte Carlo: right distribution, right bounds, reproducible."""

import numpy as np
import pytest

from commonweal.engines.valuation import Pert, Triangular


@pytest.mark.parametrize(
    ("low", "mode", "high"), [(80, 150, 260), (0, 0, 1), (0, 1, 1), (0.9, 1.0, 1.4), (10, 11, 100)]
)
def test_pert_draws_have_the_beta_mean_and_variance_and_stay_in_range(low, mode, high):
    pert = Pert(low, mode, high)
    width = high - low
    alpha = 1 + 4 * (mode - low) / width
    beta = 1 + 4 * (high - mode) / width
    mean = alpha / (alpha + beta)
    variance = alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1))
    x = (pert.sample(np.random.default_rng(4), 400_000) - low) / width
    assert x.size == 400_000
    assert x.min() >= 0
    assert x.max() <= 1
    standard_error = np.sqrt(variance / x.size)
    assert abs(x.mean() - mean) < 5 * standard_error
    assert x.var() == pytest.approx(variance, rel=0.02)
    # The distribution, not just its moments: deciles against a large numpy beta sample.
    reference = np.random.default_rng(5).beta(alpha, beta, 400_000)
    np.testing.assert_allclose(
        np.quantile(x, np.linspace(0.1, 0.9, 9)), np.quantile(reference, np.linspace(0.1, 0.9, 9)), atol=0.005
    )


def test_pert_draws_are_reproducible():
    pert = Pert(80, 150, 260)
    first = pert.sample(np.random.default_rng(1), 1_000)
    np.testing.assert_array_equal(first, pert.sample(np.random.default_rng(1), 1_000))


@pytest.mark.parametrize(("low", "mode", "high"), [(1_000, 1_300, 1_600), (0, 0, 1), (0, 1, 1), (1, 2, 4)])
def test_triangular_draws_are_numpys(low, mode, high):
    ours = Triangular(low, mode, high).sample(np.random.default_rng(2), 5_000)
    np.testing.assert_array_equal(ours, np.random.default_rng(2).triangular(low, mode, high, 5_000))
