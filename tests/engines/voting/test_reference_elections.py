"""Every rule gives the reference outcome on eight real elections; MES+add1 gives the official one where a city used it."""

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from commonweal.engines.voting import (
    Election,
    Outcome,
    greedy,
    method_of_equal_shares,
    read_pabulib,
    sequential_phragmen,
    utilitarian_greedy,
)
from commonweal.engines.voting.greedy import fill_greedily
from commonweal.engines.voting.tie_breaking import priorities

FILES = [
    "Netherlands_Assen_2024.pb",
    "France_Toulouse_2019.pb",
    "Poland_Swiecie_2023.pb",
    "Poland_Wieliczka_2023_Green_Budget.pb",
    "Poland_Katowice_2023.pb",
    "poland_warszawa_2024_.pb",
    "Poland_Lodz_2022.pb",
    "Poland_Wroclaw_2015_150_-_500.pb",
]
CITIES_USING_MES = ["Netherlands_Assen_2024.pb", "Poland_Swiecie_2023.pb", "Poland_Wieliczka_2023_Green_Budget.pb"]

# Our rule -> the reference key in expected_outcomes.json (cumulative files rank greedy by points: greedy_score).
RULES: dict[str, Callable[[Election], Outcome]] = {
    "greedy": greedy,
    "utilitarian_greedy": utilitarian_greedy,
    "mes": method_of_equal_shares,
    "mes_add1": lambda e: method_of_equal_shares(e, completion="add1"),  # via mes_add1() in the test
    "mes_add1_greedy": lambda e: method_of_equal_shares(e, completion="add1-greedy"),
    "phragmen": sequential_phragmen,
}
REFERENCE_KEY = {
    "greedy": "greedy",
    "utilitarian_greedy": "greedy",
    "mes": "mes",
    "mes_add1": "mes_add1_official",
    "mes_add1_greedy": "mes_add1_official_greedy",
    "phragmen": "phragmen",
}


@cache
def election(path: Path) -> Election:
    """Each file is read (and its ballots merged) once per session."""
    return read_pabulib(path)


@cache
def mes_add1(path: Path) -> Outcome:
    """MES+add1 on a file, computed once per session (several tests look at it)."""
    return method_of_equal_shares(election(path), completion="add1")


# The largest MES+add1 run: its add1-greedy outcome is add1's outcome completed by utilitarian greedy, as the
# rule itself does (the composition is checked against the rule on every other file).
COMPOSED = {"poland_warszawa_2024_.pb"}


def mes_add1_greedy_composed(path: Path) -> tuple[str, ...]:
    e = election(path)
    first = mes_add1(path)
    sat = "points" if e.vote_type in ("cumulative", "scoring") else "cost"
    added, _, _ = fill_greedily(e, sat, priorities(e, "lexicographic"), first.selected)
    return first.selected + tuple(added)


@pytest.fixture
def expected(reference: Callable[..., Path]) -> dict[str, dict[str, dict[str, object]]]:
    return json.loads(reference("pb", "expected_outcomes.json").read_text())  # type: ignore[no-any-return]


@pytest.mark.parametrize("rule", list(RULES))
@pytest.mark.parametrize("name", FILES)
def test_rule_selects_the_reference_projects_on_a_real_election(reference, expected, name, rule):
    e = election(reference("pb", name))
    key = REFERENCE_KEY[rule]
    if rule == "greedy" and e.vote_type == "cumulative":
        key = "greedy_score"
    if key not in expected[name]:
        pytest.skip(f"no reference for {key} on {name} (phragmen needs approval ballots)")
    if rule == "mes_add1_greedy":
        composed = mes_add1_greedy_composed(reference("pb", name))
        assert sorted(composed) == sorted(expected[name][key]["selected"])
        assert sum(e.costs[e.index[p]] for p in composed) == expected[name][key]["cost"]
        if name in COMPOSED:
            return
    outcome = mes_add1(reference("pb", name)) if rule == "mes_add1" else RULES[rule](e)
    if rule == "mes_add1_greedy":
        assert outcome.selected == mes_add1_greedy_composed(reference("pb", name))
    assert sorted(outcome.selected) == sorted(expected[name][key]["selected"])
    assert outcome.cost == expected[name][key]["cost"]
    assert outcome.cost <= e.budget


@pytest.mark.parametrize("name", CITIES_USING_MES)
def test_mes_with_add1_gives_the_official_outcome_where_the_city_used_it(reference, expected, name):
    e = election(reference("pb", name))
    assert e.meta["rule"].startswith("equalshares/add1")
    outcome = mes_add1(reference("pb", name))
    official = sorted(p.project_id for p in e.projects if p.fields.get("selected") == "1")
    assert sorted(outcome.selected) == official == sorted(expected[name]["official"]["selected"])


def test_cities_greedy_gives_the_official_outcome_where_the_city_used_greedy(reference):
    lodz = election(reference("pb", "Poland_Lodz_2022.pb"))
    wroclaw = election(reference("pb", "Poland_Wroclaw_2015_150_-_500.pb"))
    katowice = election(reference("pb", "Poland_Katowice_2023.pb"))
    for e, outcome in [
        (lodz, greedy(lodz, min_score=int(lodz.meta["min_project_score_threshold"]))),
        (wroclaw, greedy(wroclaw, no_skip=True)),
        (katowice, greedy(katowice, min_score=int(katowice.meta["min_project_score_threshold"]))),
    ]:
        assert sorted(outcome.selected) == sorted(p.project_id for p in e.projects if p.fields.get("selected") == "1")


def test_mes_explanation_names_each_price_and_who_paid_on_swiecie(reference):
    outcome = mes_add1(reference("pb", "Poland_Swiecie_2023.pb"))
    text = outcome.explain()
    assert "Completion add1" in text
    assert "supporters paid" in text
    assert "Sterylizacja suk" in text  # projects are named for residents, not only by id
    assert len(outcome.steps) == len(outcome.selected)


@pytest.mark.parametrize("name", ["Poland_Katowice_2023.pb", "Poland_Wieliczka_2023_Green_Budget.pb"])
def test_real_ballots_merge_as_one_by_one(reference, name):
    from tests.engines.voting.test_rules import _merged_one_by_one

    e = election(reference("pb", name))
    profile = e.profile
    starts = profile.groups.searchsorted(range(profile.num_groups + 1))
    projects, points = profile.projects.tolist(), profile.points
    ours = [
        (tuple(zip(projects[a:b], points[a:b], strict=True)), w)
        for a, b, w in zip(starts[:-1].tolist(), starts[1:].tolist(), profile.weights.tolist(), strict=True)
    ]
    assert ours == _merged_one_by_one(e)
