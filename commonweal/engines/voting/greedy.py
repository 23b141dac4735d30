"""Greedy rules: the cities' rule (by votes or points) and utilitarian greedy (by satisfaction per cost)."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Literal

import numpy as np

from commonweal.engines.voting.election import Election, Number
from commonweal.engines.voting.errors import VotingError
from commonweal.engines.voting.outcome import GreedyStep, Outcome, money, project_names
from commonweal.engines.voting.tie_breaking import TieBreaking, priorities

Satisfaction = Literal["cost", "approval", "points"]
SATISFACTIONS = ("cost", "approval", "points")
INFINITY = Fraction(10**30)  # ranks free projects with supporters first, as pabutools does with inf


def resolve_satisfaction(election: Election, satisfaction: str | None) -> str:
    """The satisfaction a rule uses: the one asked for, or the reference's convention when ``None``.

    ``None`` means ``"cost"`` (a voter's satisfaction is the cost of the projects they approved) for
    approval and choose-1 ballots and ``"points"`` (the points given) for cumulative and scoring ones.
    """
    if election.vote_type == "ordinal":
        raise VotingError("this rule needs approval, choose-1, cumulative or scoring ballots, not ordinal ones")
    if satisfaction is None:
        return "points" if election.vote_type in ("cumulative", "scoring") else "cost"
    if satisfaction not in SATISFACTIONS:
        raise VotingError(f"satisfaction {satisfaction!r} is not one of {', '.join(SATISFACTIONS)}")
    return satisfaction


def total_satisfaction(election: Election, satisfaction: str) -> list[Number]:
    """Each project's total satisfaction over all voters, in file order.

    Summed by numpy (``bincount``) where floats hold every partial sum exactly: the weights of the
    supporters (fewer than 2**53 voters), times the cost afterwards in exact arithmetic; integer points
    when the voters times the largest point fit below 2**52. Other points are summed in exact arithmetic.
    """
    profile = election.profile
    if satisfaction != "points":
        supporters = election.supporters()
        if satisfaction == "approval":
            return list(supporters)
        return [n * cost for n, cost in zip(supporters, election.costs, strict=True)]
    points = profile.points
    integer = all(type(p) is int for p in points)
    if integer and profile.num_voters * max((abs(int(p)) for p in points), default=0) < 2**52:
        weights = profile.weights[profile.groups] * np.asarray(points, dtype=np.float64)
        counts = np.bincount(profile.projects, weights=weights, minlength=len(election.projects))
        return [int(t) for t in counts]
    weights_of = profile.weights.tolist()
    totals: list[Number] = [0] * len(election.projects)
    for g, p, pts in zip(profile.groups.tolist(), profile.projects.tolist(), points, strict=True):
        totals[p] += weights_of[g] * pts
    return totals


def greedy(
    election: Election,
    *,
    min_score: Number | None = None,
    no_skip: bool = False,
    tie_breaking: TieBreaking = "lexicographic",
) -> Outcome:
    """The cities' greedy rule: fund projects in order of votes (or points) while the money lasts.

    Parameters
    ----------
    election : Election
    min_score : number, optional
        ``greedy-threshold``: projects with fewer votes (points) than this are not funded.
    no_skip : bool
        ``greedy-no-skip``: stop at the first project that does not fit, instead of skipping it
        and trying cheaper ones further down.
    tie_breaking : str or sequence of ids
        Order among projects with equal scores (see :func:`priorities`).

    Returns
    -------
    Outcome
        With one :class:`GreedyStep` per project, saying why it was funded or skipped.

    >>> from commonweal.engines.voting import build_election
    >>> e = build_election(100, {"a": 60, "b": 50, "c": 30}, [["a", "b"], ["a"], ["a"], ["b", "c"]])
    >>> greedy(e).selected, greedy(e, no_skip=True).selected, greedy(e, min_score=2).selected
    (('a', 'c'), ('a',), ('a',))
    """
    scores = election.scores()
    rank = priorities(election, tie_breaking)
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], rank[i]))
    budget = election.budget
    left: Number = budget
    selected: list[str] = []
    steps: list[GreedyStep] = []
    stopped = False
    for i in order:
        project = election.projects[i]
        cost, score = project.cost, scores[i]
        if stopped:
            reason = "not considered: the rule stopped at the first project that did not fit"
        elif min_score is not None and score < min_score:
            reason = f"skipped: its score is below the threshold {money(min_score)}"
        elif cost > left:
            reason = f"skipped: it costs {money(cost)} but only {money(left)} was left"
            stopped = no_skip
        else:
            left -= cost
            selected.append(project.project_id)
            steps.append(GreedyStep(project.project_id, score, cost, True, f"selected, {money(left)} left"))
            continue
        steps.append(GreedyStep(project.project_id, score, cost, False, reason))
    variant = "greedy-no-skip" if no_skip else ("greedy-threshold" if min_score is not None else "greedy")
    options = f"(min_score={min_score})" if min_score is not None else ""
    return Outcome(
        f"{variant}{options}",
        tuple(selected),
        budget - left,
        budget,
        tuple(steps),
        names=project_names(election),
    )


def greedy_order(election: Election, satisfaction: str, rank: list[int]) -> list[tuple[int, Fraction]]:
    """Projects by total satisfaction per unit of cost (best first), ties by ``rank``; with their densities."""
    totals = total_satisfaction(election, satisfaction)
    density: list[Fraction] = []
    for total, cost in zip(totals, election.costs, strict=True):
        if total == 0:
            density.append(Fraction(0))
        elif cost == 0:
            density.append(INFINITY)
        else:
            density.append(Fraction(total) / cost)
    order = sorted(range(len(totals)), key=lambda i: (-density[i], rank[i]))
    return [(i, density[i]) for i in order]


def fill_greedily(
    election: Election,
    satisfaction: str,
    rank: list[int],
    already: Iterable[str] = (),
) -> tuple[list[str], list[GreedyStep], Number]:
    """Add projects to ``already`` by satisfaction per cost while they fit; return (added, steps, cost left)."""
    taken = set(already)
    left: Number = election.budget - sum(election.projects[election.index[p]].cost for p in taken)
    added: list[str] = []
    steps: list[GreedyStep] = []
    for i, density in greedy_order(election, satisfaction, rank):
        project = election.projects[i]
        if project.project_id in taken:
            continue
        shown: Number = density if density != INFINITY else 0
        if project.cost <= left:
            left -= project.cost
            added.append(project.project_id)
            steps.append(GreedyStep(project.project_id, shown, project.cost, True, f"selected, {money(left)} left"))
        else:
            reason = f"skipped: it costs {money(project.cost)} but only {money(left)} was left"
            steps.append(GreedyStep(project.project_id, shown, project.cost, False, reason))
    return added, steps, left


def utilitarian_greedy(
    election: Election,
    *,
    satisfaction: Satisfaction | None = None,
    tie_breaking: TieBreaking = "lexicographic",
) -> Outcome:
    """Utilitarian greedy: fund projects in order of total satisfaction per unit of cost, skipping what does not fit.

    With ``satisfaction="cost"`` on approval ballots this ranks by votes, like :func:`greedy`;
    with ``"points"`` on cumulative ballots it ranks by points per unit of cost (pabutools'
    ``greedy_utilitarian_welfare`` with ``Additive_Cardinal_Sat``).

    Parameters
    ----------
    election : Election
    satisfaction : {"cost", "approval", "points"}, optional
        Default: ``"cost"`` for approval and choose-1 ballots, ``"points"`` for cumulative and scoring.
    tie_breaking : str or sequence of ids

    Returns
    -------
    Outcome

    >>> from commonweal.engines.voting import build_election
    >>> e = build_election(10, {"a": 8, "b": 2, "c": 2}, [{"a": 3}, {"b": 1}, {"c": 2}])
    >>> utilitarian_greedy(e).selected, greedy(e).selected
    (('c', 'b'), ('a', 'c'))
    """
    sat = resolve_satisfaction(election, satisfaction)
    added, steps, left = fill_greedily(election, sat, priorities(election, tie_breaking))
    budget = election.budget
    return Outcome(
        f"utilitarian_greedy(satisfaction={sat!r})",
        tuple(added),
        budget - left,
        budget,
        tuple(steps),
        names=project_names(election),
    )
