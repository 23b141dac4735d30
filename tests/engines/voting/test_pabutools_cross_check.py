"""Cross-check every rule against pabutools (the reference implementation) on hundreds of small random elections."""

import random
from collections.abc import Callable

import pytest

pabutools = pytest.importorskip("pabutools")

from pabutools.election import (  # noqa: E402
    Additive_Cardinal_Sat,
    Cardinality_Sat,
    Cost_Sat,
)
from pabutools.election.pabulib import parse_pabulib_from_string  # noqa: E402
from pabutools.rules import (  # noqa: E402
    greedy_utilitarian_welfare,
)
from pabutools.rules import method_of_equal_shares as pabutools_mes  # noqa: E402
from pabutools.rules import sequential_phragmen as pabutools_phragmen  # noqa: E402
from pabutools.rules.exhaustion import exhaustion_by_budget_increase  # noqa: E402

from commonweal.engines.voting import (  # noqa: E402
    Election,
    build_election,
    format_pabulib,
    method_of_equal_shares,
    sequential_phragmen,
    utilitarian_greedy,
)

ELECTIONS = 200  # per rule and satisfaction: enough to meet ties, partial payers and add1's stops
SAT = {"cost": Cost_Sat, "approval": Cardinality_Sat, "points": Additive_Cardinal_Sat}


def random_election(rng: random.Random, cumulative: bool) -> Election:
    projects = {f"p{i}": rng.choice([1, 2, 2, 3, 4, 5, 6, 8, 10]) for i in range(rng.randint(2, 6))}
    ballots: list[object] = []
    for _ in range(rng.randint(1, 8)):
        chosen = [p for p in projects if rng.random() < 0.45]
        if cumulative and not chosen:  # pabutools cannot read an empty points field
            chosen = [rng.choice(list(projects))]
        ballots.append({p: rng.randint(1, 3) for p in chosen} if cumulative else chosen)
    budget = rng.randint(3, 20)
    return build_election(budget, projects, ballots, vote_type="cumulative" if cumulative else "approval")


def elections(seed: int, cumulative: bool = False) -> list[Election]:
    rng = random.Random(seed)
    return [random_election(rng, cumulative) for _ in range(ELECTIONS)]


def names(allocation) -> list[str]:
    return sorted(p.name for p in allocation)


def check(cases: list[Election], ours: Callable[[Election], object], theirs: Callable[..., object]) -> None:
    for e in cases:
        instance, profile = parse_pabulib_from_string(format_pabulib(e))
        expected = names(theirs(instance, profile))
        assert sorted(ours(e).selected) == expected, format_pabulib(e)


@pytest.mark.parametrize(("sat", "cumulative"), [("cost", False), ("approval", False), ("points", True)])
def test_utilitarian_greedy_agrees_with_pabutools_on_random_elections(sat, cumulative):
    check(
        elections(1, cumulative),
        lambda e: utilitarian_greedy(e, satisfaction=sat),
        lambda i, p: greedy_utilitarian_welfare(i, p, sat_class=SAT[sat]),
    )


@pytest.mark.parametrize(("sat", "cumulative"), [("cost", False), ("approval", False), ("points", True)])
def test_mes_agrees_with_pabutools_on_random_elections(sat, cumulative):
    check(
        elections(2, cumulative),
        lambda e: method_of_equal_shares(e, satisfaction=sat),
        lambda i, p: pabutools_mes(i, p, sat_class=SAT[sat]),
    )


def official_add1(instance, profile, sat):
    sat_profile = profile.as_sat_profile(SAT[sat])
    return exhaustion_by_budget_increase(
        instance,
        profile,
        pabutools_mes,
        {"sat_profile": sat_profile},
        exhaustive_stop=False,
        budget_step=profile.num_ballots(),
    )


@pytest.mark.parametrize(("sat", "cumulative"), [("cost", False), ("points", True)])
def test_mes_add1_agrees_with_pabutools_budget_increase_on_random_elections(sat, cumulative):
    check(
        elections(3, cumulative),
        lambda e: method_of_equal_shares(e, satisfaction=sat, completion="add1"),
        lambda i, p: official_add1(i, p, sat),
    )


@pytest.mark.parametrize(("sat", "cumulative"), [("cost", False), ("points", True)])
def test_mes_add1_greedy_agrees_with_pabutools_on_random_elections(sat, cumulative):
    def theirs(instance, profile):
        first = official_add1(instance, profile, sat)
        return greedy_utilitarian_welfare(
            instance,
            profile,
            sat_profile=profile.as_sat_profile(SAT[sat]),
            is_sat_additive=True,
            initial_budget_allocation=first,
        )

    check(
        elections(4, cumulative),
        lambda e: method_of_equal_shares(e, satisfaction=sat, completion="add1-greedy"),
        theirs,
    )


def test_sequential_phragmen_agrees_with_pabutools_on_random_elections():
    check(elections(5), sequential_phragmen, pabutools_phragmen)


def test_float_mes_agrees_with_exact_mes_on_random_elections():
    for e in elections(6):
        assert method_of_equal_shares(e, exact=False).selected == method_of_equal_shares(e).selected
