"""The Method of Equal Shares (MES) with its completions.

Every voter gets an equal share of the budget. A project is bought when its supporters can pay for
it together; each pays in proportion to their satisfaction with it (the same amount for every
supporter when satisfaction is the project's cost), and those who have less than that pay all they
have left. Each round buys the project whose supporters pay least per unit of satisfaction
(the smallest ``rho``). Peters and Skowron, "Proportionality and the limits of welfarism" (EC 2020);
Peters, Pierczyński and Skowron, "Proportional participatory budgeting with additive utilities"
(NeurIPS 2021); https://equalshares.net.

Speed and exactness. Identical ballots are merged and each round is computed with numpy in
floating point, keeping a bound on the rounding error of every budget and every ``rho``. A decision
(which project is cheapest, whether a project is still affordable) is taken in floating point only
when the bound proves it is the same decision exact arithmetic would take; otherwise (near ties,
exact ties) the run is redone with ``fractions.Fraction``. With ``exact=False`` decisions are taken in
floating point, with differences below a relative ``1e-9`` treated as ties.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

import numpy as np
import numpy.typing as npt

from commonweal.engines.voting.election import Election, Number
from commonweal.engines.voting.errors import VotingError
from commonweal.engines.voting.greedy import Satisfaction, fill_greedily, resolve_satisfaction
from commonweal.engines.voting.outcome import Outcome, SharesStep, Step, money, project_names
from commonweal.engines.voting.tie_breaking import TieBreaking, priorities

Completion = Literal["add1", "add1-greedy"] | None
COMPLETIONS = (None, "add1", "add1-greedy")
EPS = 2.0**-52
SUM_ERROR = 1e-12  # relative error bound of a float sum of up to ~10^6 terms (pairwise summation)
FloatArray = npt.NDArray[np.float64]


class _Uncertain(Exception):
    """A float decision was too close to call; the run is redone exactly."""


@dataclass
class _Project:
    index: int
    cost: Number
    costf: float
    groups: npt.NDArray[np.int64]
    weights: FloatArray
    weight_total: float
    uniform: bool
    unit: Number  # the satisfaction of every supporter, when uniform
    units: tuple[Number, ...]  # exact satisfaction per supporting group
    unitsf: FloatArray
    total: Number  # exact total satisfaction
    totalf: float
    unit_max: float


@dataclass
class _Problem:
    """What MES needs from an election, computed once and reused for every budget of a completion."""

    election: Election
    satisfaction: str
    rank: list[int]
    exact: bool
    num_groups: int
    weights: list[int]
    considered: list[_Project]
    free: list[int]  # supported projects costing nothing: bought first, as pabutools does


@dataclass
class _Run:
    selected: list[int] = field(default_factory=list)
    steps: list[SharesStep] = field(default_factory=list)
    spent: Number = 0
    over: bool = False  # stopped early because the outcome already costs more than allowed


def _prepare(election: Election, satisfaction: str, rank: list[int], exact: bool) -> _Problem:
    profile = election.profile
    order = np.argsort(profile.projects, kind="stable")
    groups = profile.groups[order]
    projects = profile.projects[order]
    points = [profile.points[k] for k in order.tolist()]
    starts = np.searchsorted(projects, np.arange(len(election.projects) + 1))
    weightsf = profile.weights.astype(np.float64)
    considered: list[_Project] = []
    free: list[int] = []
    for j, project in enumerate(election.projects):
        lo, hi = int(starts[j]), int(starts[j + 1])
        if lo == hi:
            continue
        g = groups[lo:hi]
        if satisfaction == "cost":
            units: tuple[Number, ...] = (project.cost,) * (hi - lo)
        elif satisfaction == "approval":
            units = (1,) * (hi - lo)
        else:
            units = tuple(points[lo:hi])
        w = weightsf[g]
        total = sum(int(profile.weights[gg]) * u for gg, u in zip(g.tolist(), units, strict=True))
        if total <= 0:
            continue
        if project.cost == 0:
            free.append(j)
            continue
        uniform = len(set(units)) == 1
        unitsf = np.asarray([float(u) for u in units], dtype=np.float64)
        considered.append(
            _Project(
                index=j,
                cost=project.cost,
                costf=float(project.cost),
                groups=g,
                weights=w,
                weight_total=float(w.sum()),
                uniform=uniform,
                unit=units[0],
                units=units,
                unitsf=unitsf,
                total=total,
                totalf=float(total),
                unit_max=float(unitsf.max()),
            )
        )
    return _Problem(election, satisfaction, rank, exact, profile.num_groups, profile.weights.tolist(), considered, free)


def _solve_float(p: _Project, budgets: FloatArray, error: float, exact: bool) -> tuple[float, float, float] | None:
    """Return (rho, its error bound, money of the poor) for one project, or None when unaffordable."""
    b = budgets[p.groups]
    w = p.weights
    available = float(w @ b)
    band = p.weight_total * error + SUM_ERROR * (available + p.costf)
    if available < p.costf - band:
        return None
    if available <= p.costf + band:
        if exact:
            raise _Uncertain
        if available < p.costf * (1 - 1e-9):
            return None
    poor_money = 0.0
    if p.uniform:
        unit = float(p.unit)
        share = p.costf / p.weight_total
        poor = b < share
        count = int(poor.sum())
        rich_weight = p.weight_total
        while count:
            poor_money = float(w[poor] @ b[poor])
            rich_weight = p.weight_total - float(w[poor].sum())
            if rich_weight <= 0:
                if exact:
                    raise _Uncertain
                share = float(b.max())
                break
            share = (p.costf - poor_money) / rich_weight
            poor = b < share
            new_count = int(poor.sum())
            if new_count == count:
                break
            count = new_count
        rho = share / unit
        rich = rich_weight * unit
    else:
        ratio = b / p.unitsf
        rho = p.costf / p.totalf
        poor = ratio < rho
        count = int(poor.sum())
        rich = p.totalf
        while count:
            poor_money = float(w[poor] @ b[poor])
            rich = p.totalf - float((w[poor] * p.unitsf[poor]).sum())
            if rich <= 0:
                if exact:
                    raise _Uncertain
                rho = float(ratio.max())
                break
            rho = (p.costf - poor_money) / rich
            poor = ratio < rho
            new_count = int(poor.sum())
            if new_count == count:
                break
            count = new_count
    bound = (p.weight_total * error + SUM_ERROR * (p.costf + poor_money)) / max(rich, 1e-300) + 8 * EPS * rho
    return rho, bound, poor_money


def _run_float(problem: _Problem, per_voter: Fraction, limit: Number | None) -> _Run:
    start = float(per_voter)
    budgets: FloatArray = np.full(problem.num_groups, start, dtype=np.float64)
    error = 4 * EPS * start
    exact = problem.exact
    rank = problem.rank
    run = _Run()
    for j in problem.free:
        run.selected.append(j)
    active = {p.index: p for p in problem.considered}
    lower = {p.index: p.costf / p.totalf * (1 - 8 * EPS) for p in problem.considered}
    while active:
        best: _Project | None = None
        best_rho, best_bound = math.inf, 0.0
        seen: list[tuple[float, float, _Project]] = []
        for j in sorted(active, key=lambda j: (lower[j], rank[j])):
            if best is not None and lower[j] > best_rho + best_bound:
                break
            p = active[j]
            solved = _solve_float(p, budgets, error, exact)
            if solved is None:
                del active[j]
                continue
            rho, bound, _ = solved
            lower[j] = rho - bound if exact else rho * (1 - 1e-9)
            seen.append((rho, bound, p))
            if best is None or (rho, rank[j]) < (best_rho, rank[best.index]):
                best, best_rho, best_bound = p, rho, bound
        if best is None:
            break
        for rho, bound, p in seen:
            if p is best:
                continue
            if exact and rho - bound <= best_rho + best_bound:
                raise _Uncertain
            if not exact and rho <= best_rho * (1 + 1e-9) and rank[p.index] < rank[best.index]:
                best, best_rho, best_bound = p, rho, bound
        _pay_float(run, best, best_rho, budgets)
        del active[best.index]
        error += best.unit_max * best_bound + 4 * EPS * start
        if limit is not None and run.spent > limit:
            run.over = True
            break
    return run


def _pay_float(run: _Run, p: _Project, rho: float, budgets: FloatArray) -> None:
    b = budgets[p.groups]
    price = rho * p.unitsf
    short = b < price
    budgets[p.groups] = np.where(short, 0.0, b - price)
    rest_weight = int(p.weights[short].sum())
    run.selected.append(p.index)
    run.spent += p.cost
    run.steps.append(
        SharesStep(
            project_id=str(p.index),  # the id is filled in when the outcome is assembled
            cost=p.cost,
            rho=rho,
            price=rho * float(p.unit) if p.uniform else rho,
            supporters=int(round(p.weight_total)),
            paid_share=int(round(p.weight_total)) - rest_weight,
            paid_rest=rest_weight,
            paid_rest_total=float(p.weights[short] @ b[short]),
        )
    )


def _run_exact(problem: _Problem, per_voter: Fraction, limit: Number | None) -> _Run:
    weights = problem.weights
    budgets: list[Fraction] = [per_voter] * problem.num_groups
    rank = problem.rank
    run = _Run()
    run.selected.extend(problem.free)
    active = {p.index: p for p in problem.considered}
    lower: dict[int, Fraction] = {p.index: Fraction(p.cost) / p.total for p in problem.considered}
    while active:
        best: _Project | None = None
        best_rho = Fraction(0)
        for j in sorted(active, key=lambda j: (lower[j], rank[j])):
            if best is not None and lower[j] > best_rho:
                break
            p = active[j]
            rho = _solve_exact(p, budgets, weights)
            if rho is None:
                del active[j]
                continue
            lower[j] = rho
            if best is None or (rho, rank[j]) < (best_rho, rank[best.index]):
                best, best_rho = p, rho
        if best is None:
            break
        paid_rest = 0
        paid_rest_total = Fraction(0)
        for g, unit in zip(best.groups.tolist(), best.units, strict=True):
            price = best_rho * unit
            if budgets[g] < price:
                paid_rest += weights[g]
                paid_rest_total += weights[g] * budgets[g]
                budgets[g] = Fraction(0)
            else:
                budgets[g] -= price
        run.selected.append(best.index)
        run.spent += best.cost
        supporters = int(round(best.weight_total))
        run.steps.append(
            SharesStep(
                str(best.index),
                best.cost,
                best_rho,
                best_rho * best.unit if best.uniform else best_rho,
                supporters,
                supporters - paid_rest,
                paid_rest,
                float(paid_rest_total),
            )
        )
        del active[best.index]
        if limit is not None and run.spent > limit:
            run.over = True
            break
    return run


def _solve_exact(p: _Project, budgets: list[Fraction], weights: list[int]) -> Fraction | None:
    groups = p.groups.tolist()
    available = sum((weights[g] * budgets[g] for g in groups), Fraction(0))
    if available < p.cost:
        return None
    items = sorted(zip((budgets[g] / u for g, u in zip(groups, p.units, strict=True)), groups, p.units, strict=True))
    left = Fraction(p.cost)
    rich = Fraction(p.total)
    rho = left / rich
    for ratio, g, unit in items:
        rho = left / rich
        if rho <= ratio:
            return rho
        left -= weights[g] * budgets[g]
        rich -= weights[g] * unit
    return rho


def _run(problem: _Problem, per_voter: Fraction, limit: Number | None = None) -> _Run:
    if problem.exact:
        try:
            return _run_float(problem, per_voter, limit)
        except _Uncertain:
            return _run_exact(problem, per_voter, limit)
    return _run_float(problem, per_voter, limit)


def method_of_equal_shares(
    election: Election,
    *,
    satisfaction: Satisfaction | None = None,
    completion: Completion = None,
    tie_breaking: TieBreaking = "lexicographic",
    exact: bool = True,
) -> Outcome:
    """The Method of Equal Shares, optionally completed as the cities run it.

    Parameters
    ----------
    election : Election
    satisfaction : {"cost", "approval", "points"}, optional
        How much a voter gains from a project they voted for: its cost, 1, or the points they gave.
        Default: ``"cost"`` for approval and choose-1 ballots, ``"points"`` for cumulative and scoring.
    completion : {None, "add1", "add1-greedy"}
        ``None``: plain MES (usually leaves money unspent). ``"add1"``: as the cities run it, raise every
        voter's budget by 1 (currency unit) at a time while the outcome still fits the real budget, and
        keep the last outcome that fits (equalshares.net; pabutools' ``exhaustion_by_budget_increase``
        with ``exhaustive_stop=False``; this reproduces the official outcomes of Assen 2024, Świecie
        2023 and Wieliczka 2023). ``"add1-greedy"``: then spend what is left by utilitarian greedy
        with the same satisfaction.
    tie_breaking : str or sequence of ids
        Order among projects with exactly equal ``rho`` (see :func:`priorities`).
    exact : bool
        ``True`` (default): every decision is the one exact rational arithmetic takes.
        ``False``: floating point only, near ties (relative ``1e-9``) broken by ``tie_breaking``.

    Returns
    -------
    Outcome
        With one :class:`SharesStep` per project bought: the price each supporter paid and how many
        paid all they had left.

    >>> from commonweal.engines.voting import build_election
    >>> e = build_election(100, {"a": 60, "b": 40, "c": 30}, [["a"], ["a"], ["a", "c"], ["b"]])
    >>> method_of_equal_shares(e).selected, method_of_equal_shares(e, completion="add1").selected
    (('a',), ('a', 'b'))
    """
    if completion not in COMPLETIONS:
        raise VotingError(f"completion {completion!r} is not one of None, 'add1', 'add1-greedy'")
    sat = resolve_satisfaction(election, satisfaction)
    rank = priorities(election, tie_breaking)
    problem = _prepare(election, sat, rank, exact)
    budget = election.budget
    voters = election.profile.num_voters
    notes: list[str] = []
    per_voter = Fraction(budget) / voters if voters else Fraction(0)
    if voters == 0:
        run = _Run()
    elif completion is None:
        run = _run(problem, per_voter)
        notes.append(f"Each of the {voters:,} voters had {money(per_voter)} to spend.")
    else:
        run, notes = _add1(problem, per_voter, budget, voters)
    selected = [election.project_ids[j] for j in run.selected]
    steps: list[Step] = [_named(step, election) for step in run.steps]
    cost: Number = run.spent + sum(election.costs[j] for j in problem.free)
    if problem.free:
        notes.append("Projects that cost nothing and have supporters are bought first: " + ", ".join(
            election.project_ids[j] for j in problem.free
        ) + ".")
    if completion == "add1-greedy":
        added, greedy_steps, left = fill_greedily(election, sat, rank, selected)
        if added:
            notes.append(f"Then utilitarian greedy spent the rest: {', '.join(added)}.")
        selected += added
        steps += [s for s in greedy_steps if s.selected]
        cost = budget - left
    options = f"completion={completion!r}, " if completion else ""
    return Outcome(
        f"method_of_equal_shares({options}satisfaction={sat!r})",
        tuple(selected),
        cost,
        budget,
        tuple(steps),
        tuple(notes),
        names=project_names(election),
    )


def _named(step: SharesStep, election: Election) -> SharesStep:
    return SharesStep(
        election.project_ids[int(step.project_id)],
        step.cost,
        step.rho,
        step.price,
        step.supporters,
        step.paid_share,
        step.paid_rest,
        step.paid_rest_total,
    )


def _add1(problem: _Problem, start: Fraction, budget: Number, voters: int) -> tuple[_Run, list[str]]:
    """Raise the voter budget by 1 while the outcome fits; keep the last outcome that fits."""
    last = math.floor(budget)  # the reference stops once the total budget passes budget * (voters + 1)
    reachable = sum(p.cost for p in problem.considered)
    if reachable <= budget:
        # Every outcome fits, so the reference raises the budget to its bound: run there directly.
        run = _run(problem, start + last)
        return run, [
            f"Completion add1: all supported projects together fit the budget, so each voter's budget "
            f"was raised from {money(start)} to {money(start + last)}."
        ]
    previous = _run(problem, start)
    for k in range(1, last + 1):
        run = _run(problem, start + k, limit=budget)
        if run.over or run.spent > budget:
            note = (
                f"Completion add1: each voter's budget was raised from {money(start)} by 1 at a time to "
                f"{money(start + k - 1)}; at {money(start + k)} the outcome would cost more than the budget."
            )
            return previous, [note]
        previous = run
    return previous, [f"Completion add1: each voter's budget was raised to {money(start + last)}."]
