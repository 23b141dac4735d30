"""evaluate: hand-checked appraisals, Monte Carlo properties and bad input."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonweal.engines.valuation import (
    Cost,
    Intervention,
    LogNormal,
    Normal,
    Outcome,
    Pert,
    Resource,
    Triangular,
    Uniform,
    ValuationError,
    default_value_set,
    discount_factors,
    evaluate,
    rebase,
)

DF = discount_factors


def one(intervention, **options):
    return evaluate(intervention, **options)[0]


def test_a_benefit_is_people_times_value_net_of_deadweight_attribution_and_displacement():
    outcome = Outcome("x", value=1_000.0, people=10, deadweight=0.2, attribution=0.25, displacement=0.1)
    result = one(Intervention("i", outcomes=[outcome]))
    assert result.pv_benefits == pytest.approx(10 * 1_000 * 0.8 * 0.75 * 0.9 * DF(1))


def test_gmca_cohort_flow_applies_engagement_and_success_rates():
    outcome = Outcome("x", value=100.0, people=200, engagement_rate=0.5, success_rate=0.4, start_year=0)
    assert one(Intervention("i", outcomes=[outcome])).pv_benefits == pytest.approx(200 * 0.5 * 0.4 * 100)


def test_drop_off_reduces_each_year_after_the_first():
    outcome = Outcome("x", value=100.0, duration=3, drop_off=0.5)
    expected = 100 * (DF(1) + 0.5 * DF(2) + 0.25 * DF(3))
    assert one(Intervention("i", outcomes=[outcome])).pv_benefits == pytest.approx(expected)


def test_a_fractional_last_year_of_effect_counts_pro_rata():
    outcome = Outcome("x", value=100.0, duration=2.5)
    expected = 100 * (DF(1) + DF(2) + 0.5 * DF(3))
    assert one(Intervention("i", outcomes=[outcome])).pv_benefits == pytest.approx(expected)


def test_yearly_cohorts_each_start_a_year_later():
    outcome = Outcome("x", value=100.0, duration=2, cohorts=3)
    expected = 100 * (DF(1) + 2 * DF(2) + 2 * DF(3) + DF(4))
    assert one(Intervention("i", outcomes=[outcome])).pv_benefits == pytest.approx(expected)


def test_long_effects_discount_across_the_year_30_band_boundary():
    outcome = Outcome("x", value=1.0, start_year=1, duration=40, drop_off=0.05)
    expected = sum(DF(t) * 0.95 ** (t - 1) for t in range(1, 41))
    assert one(Intervention("i", outcomes=[outcome])).pv_benefits == pytest.approx(expected, rel=1e-12)


def test_health_schedule_and_end_of_year_timing_are_explicit_choices():
    i = Intervention("i", outcomes=[Outcome("x", value=100.0, duration=2)])
    health = one(i, schedule="health").pv_benefits
    assert health == pytest.approx(100 * (DF(1, schedule="health") + DF(2, schedule="health")))
    assert one(i, timing="end").pv_benefits == pytest.approx(100 * (DF(2) + DF(3)))


def test_horizon_drops_later_benefits_and_costs():
    i = Intervention(
        "i",
        outcomes=[Outcome("x", value=100.0, duration=10)],
        costs=[Cost("c", {0: 50.0, 5: 50.0})],
        resources=[Resource("r", quantity=1, unit_value=10, valuation="opportunity", years=(0, 4))],
    )
    result = one(i, horizon=3)
    assert result.pv_benefits == pytest.approx(100 * (DF(1) + DF(2) + DF(3)))
    assert result.pv_costs == pytest.approx(50.0)
    assert result.pv_in_kind == pytest.approx(10.0)


def test_costs_carry_optimism_bias_and_discounting():
    cost = Cost("c", [100.0, 100.0], optimism_bias=0.321)
    assert one(Intervention("i", costs=[cost])).pv_costs == pytest.approx(1.321 * 100 * (1 + DF(1)))


def test_values_in_other_price_years_are_rebased_to_the_appraisal_year():
    i = Intervention(
        "i",
        outcomes=[Outcome("x", value=2_600.0, price_year=2019, start_year=0)],
        costs=[Cost("c", [1_000.0], price_year="2013/14")],
    )
    result = one(i, price_year=2024)
    assert result.pv_benefits == pytest.approx(rebase(2_600.0, 2019, 2024))
    assert result.pv_costs == pytest.approx(rebase(1_000.0, "2013/14", 2024))


def test_transfers_count_as_fiscal_value_but_not_as_welfare():
    i = Intervention(
        "i",
        outcomes=[
            Outcome("benefit saved", value=1_000.0, category="fiscal", agency="DWP", transfer=True, start_year=0),
            Outcome("GP visits", value=100.0, category="fiscal", agency="NHS", start_year=0),
            Outcome("wellbeing", value=500.0, category="social", start_year=0),
        ],
        costs=[Cost("c", [400.0])],
    )
    result = one(i)
    assert result.pv_fiscal == 1_100.0
    assert result.pv_transfers == 1_000.0
    assert result.pv_welfare == 600.0
    assert result.pv_benefits == 1_600.0
    assert result.bcr == 1.5
    assert result.sroi == 4.0
    assert result.financial_return == 2.75
    assert result.public_value_return == 4.0
    assert result.net_budget_impact == 700.0
    assert result.fiscal_by_agency == {"DWP": 1_000.0, "NHS": 100.0}
    assert result.financial_return_by_agency == {"DWP": 2.5, "NHS": 0.25}


def test_resources_from_every_sector_count_towards_social_productivity():
    i = Intervention(
        "i",
        outcomes=[Outcome("wellbeing", value=3_000.0, start_year=0)],
        costs=[Cost("council", [500.0]), Cost("charity", [250.0], sector="voluntary")],
        resources=[Resource("volunteers", quantity=25, unit_value=10.0, valuation="replacement")],
    )
    result = one(i)
    assert result.resources_by_sector == {"public": 500.0, "voluntary": 250.0, "residents": 250.0}
    assert result.pv_resources == 1_000.0
    assert result.social_productivity_ratio == 3.0
    assert result.npv == 2_000.0
    assert result.bcr == 6.0  # per pound of public money


def test_payback_is_the_first_year_cumulative_fiscal_value_covers_public_costs():
    i = Intervention(
        "i",
        outcomes=[Outcome("savings", value=400.0, category="fiscal", duration=10)],
        costs=[Cost("c", [1_000.0])],
    )
    cumulative = np.cumsum([400 * DF(t) for t in range(1, 11)])
    assert one(i).payback_year == 1 + int(np.argmax(cumulative >= 1_000))


def test_payback_is_none_when_fiscal_value_never_covers_costs():
    i = Intervention("i", outcomes=[Outcome("s", value=10.0, category="fiscal")], costs=[Cost("c", [1_000.0])])
    assert one(i).payback_year is None


def test_payback_steps_through_years_with_several_fiscal_outcomes_and_costs():
    i = Intervention(
        "i",
        outcomes=[
            Outcome("a", value=300.0, category="fiscal", duration=5),
            Outcome("b", value=200.0, category="fiscal", duration=5, start_year=2),
        ],
        costs=[Cost("c", [500.0]), Cost("d", [0.0, 0.0, 400.0])],
    )
    flows = {t: 300 * (1 <= t <= 5) + 200 * (2 <= t <= 6) for t in range(0, 8)}
    costs = {0: 500.0, 2: 400.0}
    cum_b = cum_c = 0.0
    expected = None
    for t in range(8):
        cum_b += flows[t] * DF(t)
        cum_c += costs.get(t, 0.0) * DF(t)
        if cum_c > 0 and cum_b >= cum_c:
            expected = t
            break
    assert one(i).payback_year == expected


def test_value_is_broken_down_by_the_imd_decile_of_the_people_who_receive_it():
    i = Intervention(
        "i",
        outcomes=[
            Outcome("a", value=100.0, start_year=0, deciles={1: 0.75, 10: 0.25}),
            Outcome("b", value=40.0, start_year=0),
        ],
    )
    assert one(i).value_by_decile == {0: 40.0, 1: 75.0, 10: 25.0}


def test_distributional_weights_by_decile_give_weighted_npv_and_bcr():
    i = Intervention(
        "i",
        outcomes=[Outcome("a", value=100.0, start_year=0, deciles={1: 0.5, 10: 0.5})],
        costs=[Cost("c", [50.0])],
    )
    result = one(i, decile_weights={1: 2.4, 10: 0.5})
    assert result.pv_welfare_weighted == pytest.approx(50 * 2.4 + 50 * 0.5)
    assert result.npv_weighted == pytest.approx(145 - 50)
    assert result.bcr_weighted == pytest.approx(145 / 50)
    assert one(i).npv_weighted is None


def test_ratios_with_no_costs_are_nan():
    result = one(Intervention("i", outcomes=[Outcome("a", value=1.0)]))
    assert math.isnan(result.bcr)
    assert math.isnan(result.social_productivity_ratio)


def test_a_portfolio_total_sums_every_intervention():
    a = Intervention("a", outcomes=[Outcome("x", value=100.0, start_year=0)], costs=[Cost("c", [40.0])])
    b = Intervention("b", outcomes=[Outcome("y", value=60.0, start_year=0)], costs=[Cost("c", [20.0])])
    evaluation = evaluate([a, b])
    assert [r.name for r in evaluation] == ["a", "b"]
    assert evaluation.total.pv_benefits == 160.0
    assert evaluation.total.bcr == pytest.approx(160 / 60)
    assert evaluation.total.resources_by_sector == {"public": 60.0}


def test_an_intervention_from_value_set_entries_is_valued_in_one_price_year():
    values = default_value_set()
    i = Intervention("i", outcomes=[values.outcome("GMCA-UCD-HE20.2", people=10, start_year=0)])
    assert one(i, price_year=2024).pv_benefits == pytest.approx(10 * rebase(38.0, "2013/14", 2024))


# --- Monte Carlo -------------------------------------------------------------------------


def uncertain_service(**overrides):
    fields = {
        "value": Triangular(2_000, 2_600, 3_200),
        "people": Pert(40, 50, 70),
        "deadweight": Uniform(0.1, 0.3),
        "drop_off": Uniform(0.1, 0.4),
        "duration": Triangular(1, 2, 4),
    }
    fields.update(overrides)
    return Intervention(
        "uncertain",
        outcomes=[
            Outcome("wellbeing", **fields),
            Outcome("savings", value=Normal(300, 40), people=50, category="fiscal", duration=3),
        ],
        costs=[Cost("c", [150_000.0, 60_000.0], optimism_bias=Uniform(0, 0.24), scale=LogNormal(1.0, 0.05))],
        resources=[Resource("v", quantity=Triangular(500, 800, 900), unit_value=11.44, valuation="replacement")],
    )


def test_monte_carlo_gives_percentiles_and_the_chance_value_exceeds_cost():
    result = one(uncertain_service(), draws=4_000, seed=3)
    npv = result.uncertainty["npv"]
    assert npv.percentiles[5] < npv.percentiles[50] < npv.percentiles[95]
    assert npv.low == npv.percentiles[5]
    assert 0 < result.probability_value_exceeds_cost < 1
    assert set(result.uncertainty) == {
        "npv",
        "bcr",
        "sroi",
        "social_productivity_ratio",
        "financial_return",
        "public_value_return",
        "payback_year",
    }


def test_monte_carlo_percentiles_agree_with_numpy():
    # A single uncertain input: NPV is linear in it, so its percentiles map through.
    i = Intervention("i", outcomes=[Outcome("x", value=Uniform(0, 1_000), start_year=0)], costs=[Cost("c", [100.0])])
    result = one(i, draws=20_001, seed=5, percentiles=(2.5, 50, 97.5))
    rng = np.random.default_rng(np.random.SeedSequence(5).spawn(1)[0])
    expected = np.percentile(rng.uniform(0, 1_000, 20_001) - 100, [2.5, 50, 97.5])
    np.testing.assert_allclose(list(result.uncertainty["npv"].percentiles.values()), expected)


def test_the_same_seed_gives_the_same_draws_and_another_seed_does_not():
    first = one(uncertain_service(), draws=500, seed=11).uncertainty["npv"]
    assert one(uncertain_service(), draws=500, seed=11).uncertainty["npv"] == first
    assert one(uncertain_service(), draws=500, seed=12).uncertainty["npv"] != first


def test_results_do_not_depend_on_threads_blocks_or_later_interventions():
    portfolio = [uncertain_service() for _ in range(6)]
    alone = evaluate(portfolio[:2], draws=3_000, seed=9, workers=1)
    together = evaluate(portfolio, draws=3_000, seed=9, workers=3)
    for a, b in zip(alone, together, strict=False):
        assert a.uncertainty == b.uncertainty


def test_uncertain_timing_of_fiscal_outcomes_gives_payback_draws():
    i = Intervention(
        "i",
        outcomes=[Outcome("s", value=400.0, category="fiscal", duration=Uniform(1, 6), drop_off=Uniform(0, 0.3))],
        costs=[Cost("c", [1_000.0])],
    )
    payback = one(i, draws=2_000, seed=1).uncertainty["payback_year"]
    assert payback.percentiles[5] == 3
    assert math.isinf(payback.percentiles[95])  # short effects never pay back


def test_portfolio_total_has_its_own_uncertainty():
    evaluation = evaluate([uncertain_service(), uncertain_service()], draws=1_000, seed=2)
    assert evaluation.total.uncertainty["npv"].mean == pytest.approx(
        sum(r.uncertainty["npv"].mean for r in evaluation), rel=1e-9
    )


def test_more_measures_can_be_summarised_on_request():
    result = one(uncertain_service(), draws=200, seed=1, summarise=["pv_costs", "pv_welfare"])
    assert set(result.uncertainty) == {"pv_costs", "pv_welfare"}


def degenerate(value):
    """Each family with no spread, chosen by hypothesis."""
    return st.sampled_from(
        [
            value,
            Uniform(value, value),
            Triangular(value, value, value),
            Pert(value, value, value),
            Normal(value, 0.0),
            *([LogNormal(value, 0.0)] if value > 0 else []),
        ]
    )


@st.composite
def degenerate_interventions(draw):
    rate = st.floats(0, 1)
    outcome = Outcome(
        "o",
        value=draw(st.floats(-1e4, 1e5).flatmap(degenerate)),
        people=draw(st.floats(0, 1e3).flatmap(degenerate)),
        category=draw(st.sampled_from(["fiscal", "economic", "social"])),
        deadweight=draw(rate.flatmap(degenerate)),
        attribution=draw(rate.flatmap(degenerate)),
        drop_off=draw(rate.flatmap(degenerate)),
        duration=draw(st.floats(0, 40).flatmap(degenerate)),
        start_year=draw(st.integers(0, 40)),
        cohorts=draw(st.integers(1, 3)),
    )
    cost = Cost(
        "c",
        draw(st.lists(st.floats(0, 1e5), min_size=1, max_size=4)),
        optimism_bias=draw(st.floats(0, 2).flatmap(degenerate)),
    )
    resource = Resource(
        "r", quantity=draw(st.floats(0, 1e3).flatmap(degenerate)), unit_value=12.0, valuation="opportunity"
    )
    return Intervention("i", outcomes=[outcome], costs=[cost], resources=[resource])


MEASURES = ("pv_benefits", "pv_welfare", "pv_costs", "pv_resources", "npv", "bcr", "sroi")


@settings(max_examples=60, deadline=None)
@given(degenerate_interventions())
def test_monte_carlo_with_degenerate_distributions_equals_the_deterministic_result(intervention):
    point = one(intervention)
    result = one(intervention, draws=8, seed=0, summarise=[*MEASURES[4:], "payback_year"])
    for name in MEASURES[4:]:
        summary = result.uncertainty[name]
        expected = getattr(point, name)
        if math.isnan(expected):
            assert math.isnan(summary.mean)
            continue
        for value in (summary.mean, *summary.percentiles.values()):
            assert value == pytest.approx(expected, rel=1e-9, abs=1e-6)
    payback = result.uncertainty["payback_year"].percentiles[50]
    assert payback == (math.inf if point.payback_year is None else point.payback_year)


def test_monte_carlo_mean_of_ratios_near_the_largest_float_does_not_overflow():
    # Found by the property above: a cost of 1e-308 makes the benefit-cost ratio ~9e307, and the sum of eight
    # such draws overflowed, so the mean read infinity while every draw was finite.
    intervention = Intervention(
        "i",
        outcomes=[Outcome("o", value=1.0, people=1.0, category="fiscal", duration=1.0)],
        costs=[Cost("c", [1.1125369292536007e-308])],
    )
    point = one(intervention)
    result = one(intervention, draws=8, seed=0, summarise=["bcr"])
    assert math.isfinite(point.bcr)
    assert result.uncertainty["bcr"].mean == pytest.approx(point.bcr, rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(-1e5, 1e5),
    st.floats(0, 1e3),
    st.floats(0, 1),
    st.floats(0, 30),
    st.integers(0, 50),
)
def test_zero_deadweight_attribution_and_displacement_leave_benefits_unchanged(
    value, people, drop_off, duration, start
):
    plain = Outcome("o", value=value, people=people, drop_off=drop_off, duration=duration, start_year=start)
    explicit = Outcome(
        "o",
        value=value,
        people=people,
        drop_off=drop_off,
        duration=duration,
        start_year=start,
        deadweight=0.0,
        attribution=0.0,
        displacement=0.0,
    )
    gross = value * people * sum(DF(start + k) * (1 - drop_off) ** k for k in range(int(duration))) + value * people * (
        duration - int(duration)
    ) * DF(start + int(duration)) * (1 - drop_off) ** int(duration)
    result = one(Intervention("i", outcomes=[explicit]))
    assert result.pv_benefits == one(Intervention("i", outcomes=[plain])).pv_benefits
    assert result.pv_benefits == pytest.approx(gross, rel=1e-9, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1))
def test_more_deadweight_never_raises_the_benefit(low, high):
    low, high = sorted((low, high))
    benefit = [
        one(Intervention("i", outcomes=[Outcome("o", value=100.0, deadweight=d)])).pv_benefits for d in (low, high)
    ]
    assert benefit[1] <= benefit[0] + 1e-12


# --- Bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Outcome("o", value=1.0, people=-5), "people must be zero or more"),
        (lambda: Outcome("o", value=1.0, deadweight=1.5), "deadweight is a rate.*between 0 and 1"),
        (lambda: Outcome("o", value=1.0, attribution=-0.1), "attribution is a rate"),
        (lambda: Outcome("o", value=1.0, drop_off=Uniform(0.5, 1.2)), "drop_off is a rate"),
        (lambda: Outcome("o", value=1.0, success_rate=Normal(0.5, 0.1)), "bounded distribution"),
        (lambda: Outcome("o", value=1.0, people=Normal(10, 2)), "LogNormal or a bounded"),
        (lambda: Outcome("o", value=1.0, category="moral"), "category must be one of"),
        (lambda: Outcome("o", value=1.0, transfer=True), "only fiscal value can be a transfer"),
        (lambda: Outcome("o", value=1.0, start_year=-1), "start_year"),
        (lambda: Outcome("o", value=1.0, cohorts=0), "cohorts"),
        (lambda: Outcome("o", value=1.0, deciles={11: 1.0}), "deciles run from 1"),
        (lambda: Outcome("o", value=1.0, deciles={1: 0.5}), "sum to 1"),
        (lambda: Outcome("o", value=1.0, price_year="last year"), "not a year"),
        (lambda: Outcome("o", value=float("nan")), "finite"),
        (lambda: Cost("c", [-100.0]), "zero or more"),
        (lambda: Cost("c", [100.0], sector="council"), "sector must be one of"),
        (lambda: Cost("c", [100.0], optimism_bias=-0.1), "optimism_bias must be zero or more"),
        (lambda: Cost("c", "100"), "list by year"),
        (lambda: Resource("r", quantity=-1, unit_value=10, valuation="replacement"), "quantity"),
        (lambda: Resource("r", quantity=1, unit_value=10, valuation="guess"), "state how it is valued"),
        (lambda: Intervention("i", outcomes=[Cost("c", [1.0])]), "must be Outcome objects"),
        (lambda: Triangular(3, 1, 2), "low <= mode <= high"),
        (lambda: Uniform(2, 1), "low <= high"),
        (lambda: LogNormal(-1, 0.2), "median must be positive"),
    ],
)
def test_bad_inputs_are_refused_with_a_message_saying_what_to_change(build, message):
    with pytest.raises(ValuationError, match=message):
        build()


def test_a_price_year_without_an_appraisal_price_year_is_refused():
    i = Intervention("i", outcomes=[Outcome("o", value=1.0, price_year=2019)])
    with pytest.raises(ValuationError, match=r"give evaluate\(price_year=...\)"):
        evaluate(i)


def test_a_price_year_the_deflator_lacks_names_the_outcome():
    i = Intervention("i", outcomes=[Outcome("o", value=1.0, price_year=1985)])
    with pytest.raises(ValuationError, match=r"outcome 'o' of 'i'.*no 1985"):
        evaluate(i, price_year=2024)


def test_a_decile_without_a_weight_is_refused():
    i = Intervention("i", outcomes=[Outcome("o", value=1.0, deciles={3: 1.0})])
    with pytest.raises(ValuationError, match=r"no weight for decile\(s\) \[3\]"):
        evaluate(i, decile_weights={1: 2.0})


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"draws": -1}, "draws"),
        ({"draws": 1.5}, "draws"),
        ({"seed": -3}, "seed"),
        ({"horizon": -1}, "horizon"),
        ({"percentiles": (5, 150)}, "percentiles"),
        ({"summarise": ["happiness"]}, "cannot summarise"),
        ({"summarise": ["npv_weighted"]}, "need decile_weights"),
        ({"draws": 10, "workers": 0}, "workers"),
    ],
)
def test_bad_evaluate_options_are_refused(options, message):
    with pytest.raises(ValuationError, match=message):
        evaluate(Intervention("i", outcomes=[Outcome("o", value=1.0)], costs=[Cost("c", [1.0])]), **options)


def test_evaluate_refuses_things_that_are_not_interventions():
    with pytest.raises(ValuationError, match="Intervention objects"):
        evaluate([{"name": "not an intervention"}])  # type: ignore[list-item]
