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

import heapq
import math
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal, TypeVar

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
_T = TypeVar("_T", bound=np.generic)
NOBODY: npt.NDArray[np.intp] = np.zeros(0, dtype=np.intp)  # no supporter may pay all they have
# The add1 search's blocks (see _add1): a failed block this long is run through from the top down, a longer one
# halved; after one is run through, the next is this long. Chosen by instruction counts on Warsaw 2024.
SHORT_BLOCK = 3
RESTART = 3
DOT_SINGLE_THREAD = 10_000  # the longest vectors whose dot product OpenBLAS computes in one thread


def _dot(a: FloatArray, b: FloatArray) -> float:
    """``sum(a * b)``: by BLAS for short vectors (fast), by numpy's sum for long ones (BLAS may start threads).

    Either way the rounding error is below ``(n + 8) * EPS`` times the sum of the absolute terms, the
    bound used throughout. OpenBLAS computes a dot product of up to 10,000 terms in one thread.
    """
    if len(a) <= DOT_SINGLE_THREAD:
        return float(np.dot(a, b))
    return float((a * b).sum())


def _take(a: npt.NDArray[_T], indices: npt.NDArray[np.intp] | npt.NDArray[np.int64]) -> npt.NDArray[_T]:
    """``a[indices]``. The indices are always within ``a`` here, so numpy's bounds check is skipped (``"clip"``
    does nothing to valid indices): that makes the gather about twice as fast (numpy 2.x)."""
    return a.take(indices, mode="clip")


def _capped(a: FloatArray, cap: FloatArray | float) -> FloatArray:
    """``min(a, cap)`` elementwise. For a scalar cap numpy's ``clip`` does it about twice as fast as ``minimum``
    (numpy 2.x)."""
    capped: FloatArray = a.clip(-math.inf, cap) if isinstance(cap, float) else np.minimum(a, cap)
    return capped


def _masked_sum(a: FloatArray, mask: npt.NDArray[np.bool_]) -> float:
    """The sum of ``a`` where ``mask`` holds, by BLAS for short vectors as :func:`_dot` (exact for the
    integer weights, whose sums are below 2^53)."""
    if len(a) <= DOT_SINGLE_THREAD:
        return float(np.dot(a, mask.view(np.uint8)))  # as bytes: converted twice as fast as booleans
    return float((a * mask).sum())


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
class _Head:
    """Purchases every budget from ``start`` up begins with, each paid in full by every supporter."""

    start: Fraction
    projects: list[_Project]
    debits: FloatArray  # what each distinct ballot's voters paid for them (in floating point)
    counts: npt.NDArray[np.int64]  # how many of them each distinct ballot's voters paid for


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
    group_weights: FloatArray  # per distinct ballot
    group_starts: npt.NDArray[np.int64]  # incidences of ballot g: group_starts[g] to group_starts[g + 1]
    incidence_projects: npt.NDArray[np.int64]
    incidence_units: tuple[Number, ...]  # exact satisfaction per incidence
    incidence_unitsf: FloatArray
    uniform_units: bool  # every supporter of a project gets the same satisfaction from it
    integer_units: bool  # satisfactions are integers whose sums floats hold exactly
    float_search: bool = True  # the add1 search may use _FloatRun
    others_cache: dict[int, FloatArray] = field(default_factory=dict)  # see _others
    lowest_rho: dict[int, float] = field(default_factory=dict)  # below cost / total satisfaction, per project
    costs: FloatArray = field(default_factory=lambda: np.zeros(0))  # by project index (0 if not considered)
    weight_totals: FloatArray = field(default_factory=lambda: np.zeros(0))  # supporters, by project index
    head: _Head | None = None  # the first purchases of every budget from ``head.start`` up (see _find_head)

    @property
    def num_projects(self) -> int:
        return len(self.election.projects)


def _incidences(
    problem: _Problem, groups: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The positions in the incidence arrays of every project on the ballots ``groups``, ballot by ballot,
    and how many each ballot has."""
    starts = problem.group_starts[groups]
    lengths = problem.group_starts[groups + 1] - starts
    offsets = np.cumsum(lengths) - lengths
    positions = np.arange(int(lengths.sum())) - np.repeat(offsets, lengths) + np.repeat(starts, lengths)
    return positions, lengths


def _others(problem: _Problem, p: _Project) -> FloatArray:
    """For every project ``q``: at least the satisfaction with ``p`` of ``p``'s supporters who do not support ``q``.

    Computed once per project from the ballots of ``p``'s supporters and kept for every run of the
    search. Sums of integer products below 2^53 are exact; others are rounded up by more than their error.
    """
    cached = problem.others_cache.get(p.index)
    if cached is not None:
        return cached
    positions, lengths = _incidences(problem, p.groups)
    shared = np.bincount(
        problem.incidence_projects[positions],
        weights=np.repeat(p.weights * p.unitsf, lengths),
        minlength=problem.num_projects,
    )
    others: FloatArray = np.maximum(p.totalf - shared, 0.0) + p.totalf * (len(p.groups) + 8) * 4 * EPS
    problem.others_cache[p.index] = others
    return others


@dataclass
class _Run:
    selected: list[int] = field(default_factory=list)
    steps: list[SharesStep] = field(default_factory=list)
    spent: Number = 0
    over: bool = False  # stopped early because the outcome already costs more than allowed
    settled: bool = False  # stopped early because the outcome is proved to fit: ``selected`` is its beginning
    certified: bool = False  # proved to share its purchases with every budget down to ``against``'s (see _add1)
    certified_rounds: int = 0  # how many of its first purchases are proved the same down to ``against``'s budget
    bounds: list[dict[int, float]] = field(default_factory=list)  # lower bounds on every rho, before each purchase
    money_after: list[FloatArray] = field(default_factory=list)  # bounds on each project's supporters' money, after
    rhos: list[Fraction | float] = field(default_factory=list)  # the rho of each purchase, in order
    rho_hi: list[float] = field(default_factory=list)  # upper bounds on them (runs in floating point only)
    rho_exact: list[Fraction | None] = field(default_factory=list)  # exact where known (floating point runs)
    # Before each purchase (floating point runs): its supporters' float budgets and a bound on their errors.
    paid: list[tuple[FloatArray, float] | None] = field(default_factory=list)
    simple: list[tuple[int, ...]] = field(default_factory=list)  # the losers whose rho is cost / total, each round
    # The losers looked at each round: their supporters' float budgets, and a bound on the errors.
    looked: list[tuple[dict[int, FloatArray], float]] = field(default_factory=list)
    replayed: int = 0  # how many of its first purchases it made without looking at other projects (head, replay)
    per_voter: Fraction = Fraction(0)  # the starting budget of every voter
    runner: _FloatRun | None = field(default=None, repr=False)  # what can extend it, if it settled (floating point)


def _prepare(election: Election, satisfaction: str, rank: list[int], exact: bool) -> _Problem:
    profile = election.profile
    # Stable sorting of 16-bit keys is a radix sort: about 7x faster than on the int64 ids (Warsaw: 44 -> 7 ms).
    keys = profile.projects.astype(np.int16) if len(election.projects) < 2**15 else profile.projects
    order = np.argsort(keys, kind="stable")
    groups = profile.groups[order]
    projects = profile.projects[order]
    points = [profile.points[k] for k in order.tolist()] if satisfaction == "points" else []
    starts = np.searchsorted(projects, np.arange(len(election.projects) + 1))
    weightsf = profile.weights.astype(np.float64)
    considered: list[_Project] = []
    free: list[int] = []
    for j, project in enumerate(election.projects):
        lo, hi = int(starts[j]), int(starts[j + 1])
        if lo == hi:
            continue
        g = groups[lo:hi]
        w = weightsf[g]
        if satisfaction == "points":
            units: tuple[Number, ...] = tuple(points[lo:hi])
            total: Number = sum(int(profile.weights[gg]) * u for gg, u in zip(g.tolist(), units, strict=True))
            uniform = len(set(units)) == 1
            unitsf = np.asarray([float(u) for u in units], dtype=np.float64)
        else:
            unit: Number = project.cost if satisfaction == "cost" else 1
            units = (unit,)  # the same for every supporter
            total = int(profile.weights[g].sum()) * unit
            uniform = True
            unitsf = np.full(hi - lo, float(unit), dtype=np.float64)
        if total <= 0:
            continue
        if project.cost == 0:
            free.append(j)
            continue
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
    uniform_units = satisfaction != "points" or election.vote_type not in ("cumulative", "scoring")
    if uniform_units:
        units_all: tuple[Number, ...] = ()  # not needed: every supporter of a project gets the same
        unitsf_all: FloatArray = np.zeros(0, dtype=np.float64)
        integer_units = True
    else:
        units_all = profile.points
        unitsf_all = np.asarray([float(u) for u in units_all], dtype=np.float64)
        integer_units = all(isinstance(u, int) for u in units_all) and (
            float(unitsf_all.max(initial=0.0)) * max(profile.num_voters, 1) < 2.0**52
        )
    problem = _Problem(
        election,
        satisfaction,
        rank,
        exact,
        profile.num_groups,
        profile.weights.tolist(),
        considered,
        free,
        weightsf,
        np.searchsorted(profile.groups, np.arange(profile.num_groups + 1)).astype(np.int64),
        profile.projects,
        units_all,
        unitsf_all,
        uniform_units,
        integer_units,
    )
    problem.lowest_rho = {p.index: p.costf / p.totalf * (1 - 4 * EPS) for p in considered}
    problem.costs = np.zeros(len(election.projects), dtype=np.float64)
    problem.weight_totals = np.zeros(len(election.projects), dtype=np.float64)
    for p in considered:
        problem.costs[p.index] = p.costf
        problem.weight_totals[p.index] = p.weight_total
    return problem


def _solve_float(p: _Project, b: FloatArray, error: float) -> tuple[float, float, npt.NDArray[np.bool_]]:
    """Solve sum(w * min(b, rho * u)) = cost in floating point: (rho, its error bound, poor mask).

    ``b`` are the supporters' budgets, each within ``error`` of the exact budget. The bound follows from
    ``min`` being 1-Lipschitz: the float equation is within ``W * error`` of the exact one, and its slope
    is the rich supporters' satisfaction.
    """
    w = p.weights
    poor_money = 0.0
    if p.uniform:
        unit = float(p.unit)
        share = p.costf / p.weight_total
        poor = b < share
        count = int(poor.sum())
        rich_weight = p.weight_total
        while count:
            poor_money = float((w[poor] * b[poor]).sum())
            rich_weight = p.weight_total - float(w[poor].sum())
            if rich_weight <= 0:
                return float(b.max()) / unit, math.inf, poor
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
            poor_money = float((w[poor] * b[poor]).sum())
            rich = p.totalf - float((w[poor] * p.unitsf[poor]).sum())
            if rich <= 0:
                return float(ratio.max()), math.inf, poor
            rho = (p.costf - poor_money) / rich
            poor = ratio < rho
            new_count = int(poor.sum())
            if new_count == count:
                break
            count = new_count
    bound = (p.weight_total * error + SUM_ERROR * (p.costf + poor_money)) / rich + 8 * EPS * rho
    return rho, bound, poor


class _FastRun:
    """One MES run in floating point, anchored to exact arithmetic.

    Every bought project's ``rho`` is computed exactly, and a voter's exact budget is either 0 (they
    once paid all they had) or ``start - sum(rho_s * u_s)`` over the bought projects they support. So
    float budgets stay within a few ulps of the exact ones (errors do not compound), and any exact
    sum of budgets needs only integer counts per bought project.
    """

    def __init__(
        self,
        problem: _Problem,
        per_voter: Fraction,
        limit: Number | None,
        against: _Run | None = None,
        replay: tuple[int, ...] = (),
    ) -> None:
        self.problem = problem
        self.against = against
        self.replay = replay  # purchases known to be this budget's first: only their prices are computed
        self.start = per_voter
        self.startf = float(per_voter)
        self.limit = limit
        self.budgets: FloatArray = np.full(problem.num_groups, self.startf, dtype=np.float64)
        self.zeroed = np.zeros(problem.num_groups, dtype=np.bool_)
        self.error = 4 * EPS * self.startf
        self.bought: list[tuple[_Project, Fraction]] = []
        self.bought_mask = np.zeros(len(problem.election.projects), dtype=np.bool_)
        self.rho_of: dict[int, Fraction] = {}  # by bought project
        self.unit_of: dict[int, Number] = {}  # every supporter's satisfaction, by bought project (uniform units)

    def money(self, groups: npt.NDArray[np.int64]) -> Fraction:
        """The exact money the voters of ``groups`` have left together."""
        problem = self.problem
        groups = groups[~self.zeroed[groups]]
        if not len(groups):
            return Fraction(0)
        weights = problem.group_weights[groups]
        total = self.start * int(weights.sum())
        positions, lengths = _incidences(problem, groups)
        projects = problem.incidence_projects[positions]
        keep = self.bought_mask[projects]
        if not keep.any():
            return total
        projects = projects[keep]
        repeated = np.repeat(weights, lengths)[keep]
        if problem.uniform_units:
            counts = np.bincount(projects, weights=repeated, minlength=len(self.bought_mask))
            for p, rho in self.bought:
                if counts[p.index]:
                    total -= rho * p.unit * int(counts[p.index])
        elif problem.integer_units:
            sums = np.bincount(projects, weights=repeated * problem.incidence_unitsf[positions][keep])
            for p, rho in self.bought:
                if p.index < len(sums) and sums[p.index]:
                    total -= rho * int(sums[p.index])
        else:
            units = [problem.incidence_units[k] for k in positions[keep].tolist()]
            for project, weight, unit in zip(projects.tolist(), repeated.tolist(), units, strict=True):
                total -= self.rho_of[project] * int(weight) * unit
        return total

    def budget(self, group: int) -> Fraction:
        """The exact budget of one distinct ballot's voters: 0 if they once paid all they had, else the starting
        budget less the price of every bought project on their ballot (they paid each in full)."""
        if self.zeroed[group]:
            return Fraction(0)
        problem = self.problem
        budget = self.start
        for k in range(int(problem.group_starts[group]), int(problem.group_starts[group + 1])):
            j = int(problem.incidence_projects[k])
            if j in self.rho_of:
                unit = self.unit_of[j] if problem.uniform_units else problem.incidence_units[k]
                budget -= self.rho_of[j] * unit
        return budget

    def solve_exact(self, p: _Project, rho_f: float, bound: float) -> tuple[Fraction, npt.NDArray[np.bool_]]:
        """The exact rho of ``p`` and which supporters pay all they have (the float answer, checked and fixed)."""
        if not math.isfinite(bound):
            raise _Uncertain
        b = self.budgets[p.groups]
        diff = b - rho_f * p.unitsf
        margin = self.error + p.unitsf * bound + 4 * EPS * self.startf
        border = np.flatnonzero(np.abs(diff) <= margin)
        certain_poor = (diff < 0) & (np.abs(diff) > margin)
        if not len(border) and not certain_poor.any():
            return Fraction(p.cost) / p.total, certain_poor
        exact_budgets = {int(k): self.budget(int(p.groups[k])) for k in border}
        money_certain = self.money(p.groups[certain_poor])
        poor = certain_poor.copy()
        for k in border:
            poor[k] = diff[k] < 0
        for _ in range(len(border) + 1):
            money = money_certain + sum(
                (int(p.weights[k]) * exact_budgets[int(k)] for k in border if poor[k]), Fraction(0)
            )
            rich = p.total - self._satisfaction(p, poor)
            if rich <= 0:
                raise _Uncertain
            rho = (p.cost - money) / rich
            changed = False
            for k in border:
                should = exact_budgets[int(k)] < rho * (p.unit if p.uniform else p.units[int(k)])
                if should != poor[k]:
                    poor[k], changed = should, True
            if not changed:
                return rho, poor
        raise _Uncertain

    def _satisfaction(self, p: _Project, poor: npt.NDArray[np.bool_]) -> Number:
        """The exact total satisfaction of the supporters in ``poor``."""
        if p.uniform:
            return int(p.weights[poor].sum()) * p.unit
        if self.problem.integer_units:
            return int((p.weights[poor] * p.unitsf[poor]).sum())
        return sum((self.problem.weights[int(g)] * u for g, u, x in zip(p.groups, p.units, poor, strict=True) if x), 0)

    def affordable(self, p: _Project, b: FloatArray) -> bool:
        available = float((p.weights * b).sum())
        band = p.weight_total * self.error + SUM_ERROR * (available + p.costf)
        if available < p.costf - band:
            return False
        if available > p.costf + band:
            return True
        if self.problem.exact:
            return self.money(p.groups) >= p.cost
        return available >= p.costf * (1 - 1e-9)

    def pay(self, run: _Run, p: _Project, rho: Fraction | float, poor: npt.NDArray[np.bool_]) -> None:
        b = self.budgets[p.groups]
        rho_f = float(rho)
        self.budgets[p.groups] = np.where(poor, 0.0, np.maximum(b - rho_f * p.unitsf, 0.0))
        self.zeroed[p.groups[poor]] = True
        self.error += 4 * EPS * self.startf
        self.bought_mask[p.index] = True
        self.bought.append((p, Fraction(rho)))
        self.rho_of[p.index] = Fraction(rho)
        self.unit_of[p.index] = p.unit
        rest_weight = int(p.weights[poor].sum())
        supporters = int(p.weight_total)
        run.selected.append(p.index)
        run.spent += p.cost
        run.rhos.append(rho)
        run.steps.append(
            SharesStep(
                project_id=str(p.index),  # the id is filled in when the outcome is assembled
                cost=p.cost,
                rho=rho,
                price=rho * p.unit if p.uniform else rho,
                supporters=supporters,
                paid_share=supporters - rest_weight,
                paid_rest=rest_weight,
                paid_rest_total=float((p.weights[poor] * b[poor]).sum()),
            )
        )

    def run(self) -> _Run:
        problem = self.problem
        exact = problem.exact
        rank = problem.rank
        run = _Run(per_voter=self.start)
        run.selected.extend(problem.free)
        active = {p.index: p for p in problem.considered}
        lower = {p.index: p.costf / p.totalf * (1 - 8 * EPS) for p in problem.considered}
        # Certification against a run at a smaller budget (see _add1): in every round, the same project
        # must win here, and every other project must lose here even to that run's (larger) rho.
        against = self.against
        certified = against is not None
        for winner in self.replay:
            p = active.pop(winner)
            rho_f, bound, poor = _solve_float(p, self.budgets[p.groups], self.error)
            if exact:
                rho_known, poor = self.solve_exact(p, rho_f, bound)
                self.pay(run, p, rho_known, poor)
            else:
                self.pay(run, p, rho_f, poor)
        while active:
            theta: Fraction | float | None = None
            theta_f = -math.inf
            rounds = len(run.rhos)
            if certified and against is not None and rounds < _purchases(against):
                theta = against.rhos[rounds] if against.rhos else _theta_hi(against, rounds)
                theta_f = float(theta) * (1 + 4 * EPS)
            best: _Project | None = None
            best_rho, best_bound = math.inf, 0.0
            seen: dict[int, tuple[float, float, npt.NDArray[np.bool_]]] = {}
            for j in sorted(active, key=lambda j: (lower[j], rank[j])):
                if best is not None and lower[j] > max(best_rho + best_bound, theta_f):
                    break
                p = active[j]
                b = self.budgets[p.groups]
                if not self.affordable(p, b):
                    del active[j]
                    continue
                rho, bound, poor = _solve_float(p, b, self.error)
                lower[j] = rho - bound if exact else rho * (1 - 1e-9)
                seen[j] = (rho, bound, poor)
                if best is None or (rho, rank[j]) < (best_rho, rank[best.index]):
                    best, best_rho, best_bound = p, rho, bound
            if best is None:
                if certified and against is not None and rounds != _purchases(against):
                    certified = False
                break
            solved: dict[int, tuple[Fraction, npt.NDArray[np.bool_]]] = {}
            if exact:
                contenders = [j for j, (rho, bound, _) in seen.items() if rho - bound <= best_rho + best_bound]
                solved = {j: self.solve_exact(active[j], *seen[j][:2]) for j in contenders}
                winner = min(contenders, key=lambda j: (solved[j][0], rank[j]))
                for j in contenders:
                    lower[j] = float(solved[j][0]) * (1 - 8 * EPS)
                rho_exact, poor = solved[winner]
            else:
                near = [j for j, (rho, _, _) in seen.items() if rho <= best_rho * (1 + 1e-9)]
                winner = min(near, key=lambda j: rank[j])
            if certified and against is not None:  # a purchase beyond ``against``'s last differs from it
                certified = theta is not None and self.loses_everywhere(active, seen, solved, winner, against, theta)
            if exact:
                self.pay(run, active[winner], rho_exact, poor)
            else:
                self.pay(run, active[winner], seen[winner][0], seen[winner][2])
            del active[winner]
            if self.limit is not None and run.spent > self.limit:
                run.over = True
                certified = False
                break
        run.certified = certified
        return run

    def loses_everywhere(
        self,
        active: dict[int, _Project],
        seen: dict[int, tuple[float, float, npt.NDArray[np.bool_]]],
        solved: dict[int, tuple[Fraction, npt.NDArray[np.bool_]]],
        winner: int,
        against: _Run,
        theta: Fraction | float,
    ) -> bool:
        """Whether this round is the same as ``against``'s at every budget between the two runs.

        Along a fixed sequence of purchases every budget grows and every rho falls as the starting budget
        grows (by induction: rho falls as its supporters' budgets grow, and what is left, ``max(b - rho u,
        0)``, grows). So between the two runs the winner's rho is at most ``theta`` (its rho in
        ``against``), and another project's rho at least its rho here. Projects not in ``seen`` have a
        lower bound above ``theta`` or cannot be afforded here, so not at any smaller budget either.
        """
        rank = self.problem.rank
        winner_rank = rank[winner]
        if winner != against.selected[len(self.problem.free) + len(self.bought)]:
            return False
        theta_f = float(theta)
        for j, (rho, bound, _) in seen.items():
            if j == winner:
                continue
            if rho - bound > theta_f * (1 + 4 * EPS) + 4 * EPS * abs(rho):
                continue
            if not self.problem.exact or rho + bound < theta_f * (1 - 4 * EPS) - 4 * EPS * abs(rho):
                return False
            exact_rho = solved[j][0] if j in solved else self.solve_exact(active[j], rho, bound)[0]
            if (exact_rho, rank[j]) <= (theta, winner_rank):
                return False
        return True


def _theta_exact(run: _Run, round_: int) -> Fraction | None:
    """The exact rho of ``run``'s purchase number ``round_``, where the run knows it."""
    if run.rho_exact:
        return run.rho_exact[round_]
    if run.rhos and isinstance(run.rhos[round_], Fraction):
        return Fraction(run.rhos[round_])
    return None


def _theta_hi(run: _Run, round_: int) -> float:
    """An upper bound on the exact rho of ``run``'s purchase number ``round_``."""
    if run.rho_hi:
        return run.rho_hi[round_]
    return float(run.rhos[round_]) * (1 + 4 * EPS)


def _loses(
    problem: _Problem,
    q: _Project,
    lo: float,
    simple: bool,
    budgets: FloatArray | None,
    error: float,
    start: Fraction,
    against: _Run,
    round_: int,
    winner: _Project,
) -> bool:
    """Whether ``q`` certainly loses to ``winner``, the winner of round ``round_`` in a run at budget ``start`` and in
    ``against``, at every budget between the two runs. ``lo`` is a lower bound on ``q``'s rho in that round of the
    run at ``start``, where ``budgets`` (if kept) were its supporters' float budgets, each within ``error``.

    Between the two runs ``winner``'s rho is at most its rho in ``against`` (theta) and ``q``'s at least its rho at
    ``start``, so ``lo`` above theta proves it. Otherwise the budgets in between are looked at (:func:`_loses_between`).
    """
    if lo > _theta_hi(against, round_):
        return True
    theta = _theta_exact(against, round_)
    rank = problem.rank
    if simple and theta is not None and (Fraction(q.cost) / q.total, rank[q.index]) > (theta, rank[winner.index]):
        return True
    return budgets is not None and _loses_between(q, budgets, error, start, against, round_, winner)


def _loses_between(
    q: _Project, budgets: FloatArray, error: float, start: Fraction, against: _Run, round_: int, winner: _Project
) -> bool:
    """Whether ``q``'s rho is above ``winner``'s at every budget strictly between ``against``'s and ``start``, where
    ``q``'s supporters had the float ``budgets`` (each within ``error``) before the purchase of round ``round_``.

    Along the same purchases every voter's budget grows by at least as much as the starting budget: it is
    the start less the prices paid, and every rho falls as the start grows. So at ``t`` above ``against``'s
    budget, a voter who had something left there has at least ``t`` more, and at ``t`` below ``start``, each
    voter has at most ``t`` less (and at least 0). The first bound gives an upper bound on the winner's rho at a
    budget in between (from its supporters' budgets in ``against``, kept in ``paid``), the second the supporters'
    spending on ``q`` at that price there: if it is short of the cost, ``q`` loses. Both bounds are monotone in
    the budget, so one check covers a whole range of budgets; a range that fails is halved.
    """
    paid = against.paid[round_] if round_ < len(against.paid) else None
    span = int(start - against.per_voter)
    if span <= 1:
        return True  # no budget in between
    if paid is None:
        return False
    margin = 8 * EPS * float(start)
    top_q = budgets + (error + margin)  # at least each supporter's exact budget at ``start``
    gamma = (len(budgets) + 8) * EPS * 1.01
    uppers: dict[int, float] = {}

    def loses_in(low: int, high: int) -> bool:  # at every budget from ``low`` to ``high`` above against's
        if low not in uppers:
            uppers[low] = _rho_above(winner, paid, low, margin)
        x = uppers[low] * (1 + 4 * EPS)
        price: FloatArray | float = x * float(q.unitsf[0]) if q.uniform else x * q.unitsf
        most = top_q - (span - high)  # at most each supporter's budget there
        spent = _dot(q.weights, _capped(most.clip(0.0), price))
        if spent * (1 + gamma) < q.costf * (1 - 4 * EPS):
            return True
        if low == high:
            return False
        middle = (low + high) // 2
        return loses_in(low, middle) and loses_in(middle + 1, high)

    return loses_in(1, span - 1)


def _exact_rho(p: _Project) -> tuple[float, float, float]:
    """``(x, lo, hi)`` for a project every supporter of which pays ``rho * u`` in full: ``rho = cost / total``."""
    x = p.costf / p.totalf
    return x, x * (1 - 2 * EPS), x * (1 + 2 * EPS)


def _rho_above(p: _Project, paid: tuple[FloatArray, float], t: int, margin: float) -> float:
    """An upper bound on ``p``'s rho ``t`` above the budget of the run whose supporters' budgets before buying ``p``
    were ``paid`` (float budgets, and a bound on their errors), along the same purchases (see
    :func:`_loses_between`); infinity if none is found.

    Each supporter certainly left with something there has at least ``t`` more; the spending with those lower
    budgets is at most the exact one, so where it reaches the cost the exact one does too."""
    budgets, error = paid
    low = budgets - (error + margin)
    low = np.where(low > 0, (low + t) * (1 - 4 * EPS), 0.0)
    units: FloatArray | float = float(p.unitsf[0]) if p.uniform else p.unitsf
    gains = p.weights * units
    # Newton's steps on the concave spending from below (cost / total): the poor grow to the poor at the root. As
    # _solve_float, but with masked products (its sums must be pairwise for its error bound; here the root is only
    # a guess, checked below), which makes certification about 2% cheaper in all.
    x = p.costf / p.totalf
    count = -1
    for _ in range(len(low) + 2):
        poor = low < x * units
        new_count = int(poor.sum())
        if new_count == count:
            break
        count = new_count
        rich = p.totalf - _masked_sum(gains, poor)
        if rich <= 0:
            return math.inf  # even everything they have does not pay for it
        x = (p.costf - _masked_sum(p.weights * low, poor)) / rich
    gamma = (len(low) + 8) * EPS * 1.01
    widen = 4 * gamma + 16 * EPS
    for _ in range(4):  # above the root by more than the rounding of the spending, if the slope allows
        up = x * (1 + widen)
        price = up * units * (1 - 4 * EPS)
        spent = _dot(p.weights, _capped(low, price))
        if spent * (1 - gamma) >= p.costf * (1 + 4 * EPS):
            return up
        widen *= 16
    return math.inf


class _FloatRun:
    """One MES run in floating point with rigorous error bounds, for the ``add1`` search.

    Each distinct ballot's float budget ``b`` is within ``errors[g]`` of its exact budget. After a purchase
    the exact budget is ``max(b - rho * u, 0)``, which is 1-Lipschitz in ``b`` and in ``rho * u``: a
    supporter's bound grows by ``u`` times the error of ``rho`` (and one rounding), except that a supporter
    certainly paying all they have is left with exactly 0 in both. The error of ``rho`` comes from the
    supporters who may pay all they have (the others pay ``rho * u`` in both), so the weighted sum of the
    bounds, the money the float budgets may be off by, does not grow beyond rounding however many
    projects are bought. Every ``rho`` is enclosed in an interval proved by evaluating the spending
    ``sum(w * min(b, x * u))`` at its ends: the exact spending differs by at most the bounds of the
    supporters whose budget may be below ``x * u``. A decision the intervals cannot take raises
    :class:`_Uncertain` and the run is redone by :class:`_FastRun` (exact rhos), except that projects whose
    supporters are all certainly rich have the exact ``rho = cost / total``, compared exactly here.

    The run records the purchases and an upper bound on each ``rho`` (for certification, see
    :meth:`_FastRun.loses_everywhere`); the steps of the outcome are computed exactly, at the final
    budget only.
    """

    def __init__(
        self,
        problem: _Problem,
        per_voter: Fraction,
        limit: Number | None,
        against: _Run | None,
        settle: bool = False,
        replay: tuple[int, ...] = (),
        above: _Run | None = None,
    ) -> None:
        self.problem = problem
        self.replay = replay
        self.above = above
        self.following = above is not None  # this run has bought what ``above`` bought, so far
        self.resumed = False  # settled, and asked for more purchases (see extend)
        self.last: _Project | None = None  # its last purchase
        self.start = per_voter
        self.startf = float(per_voter)
        self.limit = limit
        self.against = against
        if problem.head is not None and per_voter >= problem.head.start:  # set by buy_head
            self.budgets: FloatArray = np.empty(problem.num_groups, dtype=np.float64)
            self.errors: FloatArray = np.empty(problem.num_groups, dtype=np.float64)
        else:
            self.budgets = np.full(problem.num_groups, self.startf, dtype=np.float64)
            self.errors = np.full(problem.num_groups, EPS * self.startf, dtype=np.float64)
        self.largest_error = EPS * self.startf  # at least every entry of ``errors``
        # To settle (stop as soon as the outcome is proved to fit ``limit``): an upper bound on the money
        # each project's supporters have left, and the projects' costs (both indexed by project).
        self.settle = settle and limit is not None
        if self.settle:
            self.money_hi = problem.weight_totals * self.startf * (1 + 8 * EPS)

    def simple(self, p: _Project, b: FloatArray) -> bool:
        """Whether every supporter certainly pays ``rho * u`` with ``rho = cost / total`` (so can afford it)."""
        return float(b.min()) - self.largest_error > p.costf / p.totalf * p.unit_max * (1 + 4 * EPS)

    def solve(
        self, p: _Project, b: FloatArray, hint: float, ceiling: float = math.inf
    ) -> tuple[float, float, float, npt.NDArray[np.intp]]:
        """``(x, lo, hi, near)``: the float rho, rigorous bounds on the exact one, and the supporters (positions in
        ``b``) who may pay all they have at any rho up to ``hi``; every other supporter certainly pays ``rho * u``.

        Only the supporters whose budget may be below ``cap * u`` are looked at: the others pay ``x * u``
        for every ``x`` up to ``cap``, exactly and in floating point. ``hint`` is at most the exact rho
        (a lower bound from an earlier round): Newton's steps on the concave spending start there. ``ceiling``, if
        given, is likely above the exact rho (its rho at a smaller budget): then fewer supporters are looked at.
        Neither needs to hold for the answer to be right: a cap the rho turns out to be above is doubled.
        """
        x0 = max(p.costf / p.totalf, hint)
        largest = self.largest_error
        cap = min(1.5 * x0, max(ceiling, x0) * (1 + 1e-3))
        gamma = (len(b) + 8) * EPS * 1.01  # relative error of a float sum of this many nonnegative terms
        uniform = p.uniform
        unit = float(p.unitsf[0])
        for _ in range(64):
            if uniform:
                near = np.flatnonzero(b < cap * unit * (1 + 4 * EPS) + largest)
                nb, nw = _take(b, near), _take(p.weights, near)
                nu: FloatArray | float = unit
                scaled = nb  # poor at x: nb < x * unit
            else:
                near = np.flatnonzero(b < cap * p.unitsf * (1 + 4 * EPS) + largest)
                nb, nw, nu = _take(b, near), _take(p.weights, near), _take(p.unitsf, near)
                scaled = nb / nu  # poor at x: nb / nu < x
            # What the poor pay (w * b) and their satisfaction (w * u), side by side for one product.
            both = np.empty((2, len(near)), dtype=np.float64)
            pays, gains = both[0], both[1]
            np.multiply(nw, nb, out=pays)
            np.multiply(nw, nu, out=gains)
            ne = _take(self.errors, _take(p.groups, near))
            outside = p.totalf - float(gains.sum())  # the satisfaction of supporters certainly rich up to cap
            # Newton's steps on the concave spending: from below the root they stay below it, and the
            # poor grow until they are the poor at the root (a first step from above lands below).
            x, slope, poor_money = x0, -1.0, -1.0
            one_thread = len(nb) <= DOT_SINGLE_THREAD
            for _ in range(len(nb) + 2):
                poor = scaled < (x * unit if uniform else x)
                if one_thread:  # both sums in one product (BLAS)
                    money, satisfaction = (both @ poor.astype(np.float64)).tolist()
                else:
                    money, satisfaction = _masked_sum(pays, poor), _masked_sum(gains, poor)
                rich = p.totalf - satisfaction
                if money == poor_money and rich == slope:
                    break
                if rich <= 0:
                    raise _Uncertain
                poor_money, slope = money, rich
                x = (p.costf - money) / rich
            else:
                raise _Uncertain
            # Enclose the exact rho: f(hi) >= cost proves rho <= hi and f(lo) < cost proves rho > lo, where f,
            # the exact spending, is within ``slack`` of the float one (bounds of supporters possibly below hi u).
            slack = _dot(nw, ne) * (1 + 1e-9)
            rounding = 2 * gamma * p.totalf  # of ``outside``, per unit of x
            widen = 1.0
            lo = hi = x
            for _ in range(6):
                step = widen * ((slack + 4 * gamma * p.costf + 2 * x * rounding) / slope + 16 * EPS * x)
                lo, hi = x - step, x + step
                if hi * (1 + 8 * EPS) >= cap:
                    break
                capped = np.empty((2, len(nb)), dtype=np.float64)
                if uniform:  # clip: several times faster than minimum with a scalar (numpy 2.x)
                    nb.clip(-math.inf, hi * unit, out=capped[0])
                    nb.clip(-math.inf, lo * unit, out=capped[1])
                else:
                    np.minimum(nb, hi * nu, out=capped[0])
                    np.minimum(nb, lo * nu, out=capped[1])
                paid = (capped @ nw if one_thread else (capped * nw).sum(axis=1)).tolist()
                spent_hi = paid[0] + hi * outside
                spent_lo = paid[1] + lo * outside
                proved_hi = spent_hi * (1 - gamma) - slack - hi * rounding >= p.costf * (1 + 4 * EPS)
                proved_lo = spent_lo * (1 + gamma) + slack + lo * rounding < p.costf * (1 - 4 * EPS)
                if proved_hi and proved_lo:
                    return x, max(lo, 0.0) * (1 - 4 * EPS), hi * (1 + 4 * EPS), near
                widen *= 4  # the spending bends between x and an end: widen
            else:
                raise _Uncertain
            cap = 2 * hi
        raise _Uncertain

    def rho(
        self, p: _Project, b: FloatArray, hint: float, ceiling: float = math.inf
    ) -> tuple[float, float, float, bool, npt.NDArray[np.intp]]:
        """``(x, lo, hi, simple, near)``: as :meth:`solve`, and whether every supporter certainly pays ``rho * u``
        (``simple``: then rho is exactly ``cost / total`` and nobody may pay all they have)."""
        if self.simple(p, b):
            return *_exact_rho(p), True, NOBODY
        x, lo, hi, near = self.solve(p, b, hint, ceiling)
        return x, lo, hi, False, near

    def bound_above(self, p: _Project, b: FloatArray, y: float) -> float:
        """A lower bound on the exact rho above ``y`` if the supporters certainly spend less than the cost at
        ``y``, else 0. The spending is concave, so it stays below its tangent at ``y`` (a Newton step)."""
        unit = float(p.unitsf[0])
        price: FloatArray | float = y * unit if p.uniform else y * p.unitsf
        spent = _dot(p.weights, _capped(b, price))
        gamma = (len(b) + 8) * EPS * 1.01
        largest = self.largest_error
        spent_up = spent * (1 + gamma) + p.weight_total * largest
        cost = p.costf * (1 - 4 * EPS)
        if spent_up >= cost:
            return 0.0
        # All supporters who may have more than y * u (their float budget is within ``largest``; the
        # threshold is lowered by more than its rounding).
        if p.uniform:
            rich = b >= y * unit * (1 - 8 * EPS) - largest * (1 + 4 * EPS)
            slope = _masked_sum(p.weights, rich) * unit * (1 + gamma)
        else:
            rich = b + largest >= price * (1 - 4 * EPS)
            slope = _dot(p.weights * p.unitsf, rich.astype(np.float64)) * (1 + gamma)
        if slope <= 0:
            return math.inf  # spending stays below the cost at every rho: never affordable again
        return max(y, (y + (cost - spent_up) / slope) * (1 - 4 * EPS))

    def money(self, p: _Project, b: FloatArray) -> tuple[float, float, float]:
        """The money ``p``'s supporters have in floating point, the rounding of that sum, and a band the exact
        money is within (kept as the bound on it when settling)."""
        available = _dot(p.weights, b)
        rounding = (len(b) + 8) * EPS * 1.01 * (available + p.costf)
        band = p.weight_total * self.largest_error + rounding
        if self.settle:
            self.money_hi[p.index] = min(self.money_hi[p.index], (available + band) * (1 + 4 * EPS))
        return available, rounding, band

    def affordable(self, p: _Project, b: FloatArray) -> bool:
        available, rounding, band = self.money(p, b)
        if abs(available - p.costf) <= band:
            band = float((p.weights * self.errors[p.groups]).sum()) * (1 + 1e-9) + rounding
            if abs(available - p.costf) <= band:
                raise _Uncertain
        return available > p.costf

    def pay(self, p: _Project, b: FloatArray, near: npt.NDArray[np.intp], x: float, lo: float, hi: float) -> None:
        """Buy ``p`` at ``x`` (the exact rho is within ``lo`` and ``hi``); ``b`` are its supporters' budgets, taken
        this round (left as they are: the run keeps them), and ``near`` those of them (positions in ``b``) who may pay all they have:
        only they can be left with nothing."""
        g = p.groups
        e = _take(self.errors, g)
        error = max(x - lo, hi - x) * (1 + 4 * EPS)
        rounding = 8 * EPS * self.startf
        # Each bound grows by the error of what was paid. The rounding of that sum is covered by adding a
        # little more than it can be for the largest bound (one pass fewer than scaling every bound).
        rounding += 4 * EPS * self.largest_error
        units: FloatArray | float = float(p.unitsf[0]) if p.uniform else p.unitsf
        e += (units * error + rounding) * (1 + 4 * EPS)
        if len(near):
            # Certainly paying all they have (every bound is at most ``largest_error``): 0 left, exactly and in
            # floating point.
            near_units = units if p.uniform else p.unitsf[near]
            poor = near[b[near] < lo * near_units * (1 - 4 * EPS) - self.largest_error * (1 + 4 * EPS)]
            e[poor] = 0.0
        self.errors[g] = e
        b = b - x * units
        if len(near):  # only they can be left below 0; one pass over all is faster than picking them out
            b.clip(0.0, math.inf, out=b)
        self.budgets[g] = b
        self.largest_error = max(self.largest_error, self.largest_error * (1 + 4 * EPS) + p.unit_max * error + rounding)
        self.money_paid(p, hi)

    def money_paid(self, p: _Project, hi: float) -> None:
        """Lower the bounds on each project's supporters' money by what ``p``'s purchase took from them at least."""
        if self.settle:
            # Every supporter of ``p`` pays at most ``rho * u``, so those who also support ``q`` paid at least the
            # cost less what the others can have paid. ``hi`` is above the exact rho; every rounding lowers
            # what is taken off.
            others = _others(self.problem, p)
            paid = (p.costf * (1 - 4 * EPS) - hi * (1 + 4 * EPS) * others * (1 + 4 * EPS)) * (1 - 4 * EPS)
            np.maximum(paid, 0.0, out=paid)
            np.subtract(self.money_hi, paid, out=self.money_hi)  # rounded to nearest, so never below 0 wrongly
            np.maximum(self.money_hi, 0.0, out=self.money_hi)
            self.money_hi *= 1 + 4 * EPS

    def fits(
        self,
        active: dict[int, _Project],
        lower: dict[int, float],
        spent: Number,
        winner: _Project,
        reach: float,
        work: float | None = None,
    ) -> bool:
        """Whether the outcome is proved to fit ``limit`` whatever is bought next: what was spent and the cost of
        every project its supporters may still afford, together, are at most ``limit``.

        Budgets only fall, so a project its supporters cannot afford now is never bought. The bounds on their
        money are tightened by computing it, for the projects most likely to be out of reach first, while the
        proof is short of at most half the winner's supporters' worth of work, and unless the projects that
        were within reach this round (``reach``, their cost together) already leave no room.
        """
        assert self.limit is not None
        if not active:
            return True
        room = float(self.limit) * (1 - 8 * EPS) - float(spent) * (1 + 8 * EPS)
        if room < 0:
            return False
        keys = np.fromiter(active, dtype=np.int64, count=len(active))
        costs = self.problem.costs[keys]
        money = self.money_hi[keys]
        open_ = money >= costs * (1 - 8 * EPS)
        slack = 1 + (len(keys) + 8) * EPS
        if float(costs[open_].sum()) * slack <= room:
            return True
        if work is None and reach > room * 2:
            return False  # far from a proof (checking would cost more than it can save)
        if work is None:
            work = len(winner.groups) // 2 if reach <= room else 0
        candidates = np.flatnonzero(open_)
        for k in candidates[np.argsort(money[candidates] / costs[candidates])].tolist():
            if work <= 0:
                return False
            j = int(keys[k])
            q = active[j]
            work -= len(q.groups)
            self.money(q, _take(self.budgets, q.groups))
            if self.money_hi[j] < q.costf * (1 - 8 * EPS):
                del active[j]  # never affordable again
                lower[j] = math.inf  # nor at any smaller budget along the same purchases
                open_[k] = False
                if float(costs[open_].sum()) * slack <= room:
                    return True
        return False

    def bought(self, run: _Run, p: _Project, hi: float, simple: bool) -> None:
        """Record the purchase of ``p`` (just paid for); while this run has bought what ``above`` bought, every
        voter has at most what they had there, so its bounds on the supporters' money hold here too."""
        run.selected.append(p.index)
        run.spent += p.cost
        run.rho_hi.append(hi)
        run.rho_exact.append(Fraction(p.cost) / p.total if simple else None)
        self.last = p
        above, rounds = self.above, len(run.rho_hi)
        self.following = (
            self.following
            and above is not None
            and len(run.selected) <= len(above.selected)
            and above.selected[len(run.selected) - 1] == p.index
        )
        if not self.settle:
            return
        if self.following and above is not None and rounds <= len(above.money_after):
            np.minimum(self.money_hi, above.money_after[rounds - 1], out=self.money_hi)
        run.money_after.append(self.money_hi.copy())

    def follows(self, run: _Run, winner: int, certified: bool) -> bool:
        """Whether a run certified so far stays certified when its next purchase, proved the same at every budget
        down to ``against``'s, is ``winner``: it does while ``against`` bought the same."""
        against, rounds = self.against, len(run.rho_hi)
        certified = (
            certified
            and against is not None
            and rounds < _purchases(against)
            and winner == against.selected[len(self.problem.free) + rounds]
        )
        if certified:
            run.certified_rounds = rounds + 1
        return certified

    def buy_head(
        self, run: _Run, head: _Head, active: dict[int, _Project], lower: dict[int, float], certified: bool
    ) -> bool:
        """Start after the purchases every budget from ``head.start`` up begins with: each voter has the starting
        budget less what they paid for them. Returns whether the run is still certified against ``against``."""
        np.subtract(self.startf, head.debits, out=self.budgets)
        # Each price is within a rounding of the exact one, and so is each sum and difference: the starting
        # budget bounds them all, since every supporter paid in full.
        np.multiply(head.counts * 4 + 4, EPS * self.startf, out=self.errors, casting="unsafe")
        self.largest_error = float(self.errors.max(initial=EPS * self.startf))
        for p in head.projects:
            x = p.costf / p.totalf
            certified = self.follows(run, p.index, certified)
            run.bounds.append(dict(lower))
            run.simple.append(())
            run.looked.append(({}, 0.0))
            del active[p.index]
            self.money_paid(p, x * (1 + 2 * EPS))
            run.paid.append(None)  # every budget pays it in full: never looked at again
            self.bought(run, p, x * (1 + 2 * EPS), True)
        return certified

    def expected(self, run: _Run, same: bool) -> int | None:
        """The project most likely to win this round: the one ``against`` bought in it, while it bought what this run
        bought, else the one ``above`` bought, while it did."""
        rounds, free = len(run.rho_hi), len(self.problem.free)
        against, above = self.against, self.above
        if same and against is not None and rounds < _purchases(against):
            return against.selected[free + rounds]
        if self.following and above is not None and rounds < _purchases(above):
            return above.selected[free + rounds]
        return None

    def guides(self, run: _Run, winner: int, certified: bool) -> tuple[float, float]:
        """For a purchase replayed (see replay_purchases): a lower bound on its rho from the run above, while this run
        has bought what that one bought (every voter has at most what they had there), and its rho in ``against``,
        while that run has bought the same, which is likely above it (a smaller budget)."""
        rounds = len(run.rho_hi)
        hint = self.problem.lowest_rho[winner]
        above, against = self.above, self.against
        if self.following and above is not None and rounds < len(above.bounds):
            hint = max(hint, above.bounds[rounds].get(winner, hint))
        ceiling = math.inf
        free = len(self.problem.free)
        if (
            certified
            and against is not None
            and rounds < _purchases(against)
            and against.selected[free + rounds] == winner
        ):
            ceiling = _theta_hi(against, rounds)
        return hint, ceiling

    def replay_purchases(
        self, run: _Run, active: dict[int, _Project], lower: dict[int, float], certified: bool
    ) -> bool:
        """Buy the projects of ``replay`` in order, without looking at any other project: they are proved to be
        this budget's first purchases (see _add1), so only their prices are computed. Returns whether the run is
        still certified against ``against``: it is, while ``against`` bought the same."""
        for winner in self.replay[len(run.rho_hi) :]:  # after those of the head
            if winner not in active:
                raise _Uncertain  # pragma: no cover - a proved purchase is always affordable
            p = active.pop(winner)
            b = _take(self.budgets, p.groups)
            x, lo, hi, simple, near = self.rho(p, b, *self.guides(run, winner, certified))
            certified = self.follows(run, winner, certified)
            run.bounds.append(dict(lower))
            run.simple.append(())
            run.looked.append(({}, 0.0))
            run.paid.append((b, self.largest_error))
            self.pay(p, b, near, x, lo, hi)
            self.bought(run, p, hi, simple)
            if self.limit is not None and run.spent > self.limit:
                run.over = True
                return False
        if self.settle and self.last is not None and active and self.fits(active, lower, run.spent, self.last, 0.0):
            run.settled = True
        return certified

    def run(self) -> _Run:
        """The run, until it ends or settles. A run that settled can be extended later (see :meth:`extend`)."""
        self.rounds = self._rounds()
        return next(self.rounds)

    def extend(self) -> bool:
        """Make one more purchase of a run that settled, as it would have made it (a run at a larger budget needs
        it to be certified against this one). Returns whether it made one."""
        run = self.record
        made = len(run.rho_hi)
        try:
            next(self.rounds, None)
        except _Uncertain:  # the run stays as it was: certification against it ends there
            self.rounds = iter(())
        return len(run.rho_hi) > made

    def _rounds(self) -> Iterator[_Run]:
        """The run's rounds: yields the run when it ends or settles, then after each purchase it is asked for."""
        problem = self.problem
        rank = problem.rank
        run = _Run(per_voter=self.start, runner=self)
        self.record = run
        run.selected.extend(problem.free)
        free = len(problem.free)
        # Projects whose supporters cannot pay for them even with their whole starting budget never can.
        startf = self.startf
        active = {
            p.index: p
            for p in problem.considered
            if (
                startf * p.weight_total >= p.costf * (1 + 1e-9)  # certainly (floats within a few ulps)
                or (startf * p.weight_total > p.costf * (1 - 1e-9) and self.start * round(p.weight_total) >= p.cost)
            )
        }
        lower = dict(problem.lowest_rho)
        for p in problem.considered:
            if p.index not in active:
                lower[p.index] = math.inf  # nor at any smaller budget
        against = self.against
        certified = against is not None
        budgets = self.budgets
        # Projects by lower bound on rho, kept from round to round (bounds only rise: an entry whose bound
        # rose is put back with the new one before it counts).
        queue = [(lower[j], rank[j], j) for j in active]
        heapq.heapify(queue)
        head = problem.head
        if head is not None and self.start >= head.start:
            certified = self.buy_head(run, head, active, lower, certified)
        if self.replay:
            certified = self.replay_purchases(run, active, lower, certified)
        run.replayed = len(run.rho_hi)
        same = certified  # bought what ``against`` bought, so far
        if self.replay:
            if run.over:
                yield run
                return
            if run.settled:
                run.certified = certified
                certified = yield from self.settled(run)
        above = self.above
        while active:
            rounds = len(run.rho_hi)
            if self.following and above is not None and rounds < len(above.bounds):
                # While this run has bought what ``above`` (a larger budget) bought, every voter has at most what they
                # had there, so every rho is at least ``above``'s bound on it (and stays so after any purchase).
                for j, bound in above.bounds[rounds].items():
                    if bound > lower[j]:
                        lower[j] = bound
            theta_hi = -math.inf
            if certified and against is not None and rounds == _purchases(against) and against.runner is not None:
                against.runner.extend()  # it settled: the purchase it would have made next
            if same and against is not None and rounds < _purchases(against):
                # Projects are looked at up to ``against``'s rho even when this run is no longer certified, while it
                # buys what ``against`` bought: a run at a budget between the two may certify it later from them
                # (see _recertify).
                theta_hi = _theta_hi(against, rounds)
            best: _Project | None = None
            best_x = best_hi = math.inf
            best_b: FloatArray = budgets
            seen: dict[int, tuple[float, float, float, bool]] = {}
            nears: dict[int, npt.NDArray[np.intp]] = {}  # who may pay all they have, by project solved
            taken: dict[int, FloatArray] = {}  # the supporters' budgets of every project seen
            raised: set[int] = set()
            looked: list[int] = []  # taken from the queue this round, put back at its end
            expected = self.expected(run, same)
            if expected is not None and expected in active:
                # The project the run below or above bought in this round most likely wins here too: solved first,
                # every other project is then compared with it at once.
                p = active[expected]
                b = _take(budgets, p.groups)
                if self.affordable(p, b):
                    ceiling = theta_hi if theta_hi > -math.inf else math.inf
                    x, lo, hi, simple, nears[expected] = self.rho(p, b, lower[expected], ceiling)
                    seen[expected] = (x, lo, hi, simple)
                    lower[expected] = max(lower[expected], lo)
                    taken[expected] = b
                    best, best_x, best_hi, best_b = p, x, hi, b
            while queue:
                key, _, j = queue[0]
                if j not in active:
                    heapq.heappop(queue)
                    continue
                if key < lower[j]:
                    heapq.heapreplace(queue, (lower[j], rank[j], j))
                    continue
                if best is not None and key > max(best_hi, theta_hi):
                    break
                heapq.heappop(queue)
                if j in seen:  # the expected winner, looked at already
                    looked.append(j)
                    continue
                p = active[j]
                b = _take(budgets, p.groups)
                simple = False
                if best is not None and (bound := self.bound_above(p, b, max(best_hi, theta_hi) * (1 + 8 * EPS))):
                    # Its rho is above the best one's: it loses, whether or not it can still be afforded. A
                    # second Newton step gives a closer bound, so it is looked at again only rounds later.
                    x, lo, hi = math.inf, max(bound, self.bound_above(p, b, bound)), math.inf
                elif simple := self.simple(p, b):
                    x, lo, hi = _exact_rho(p)
                elif (
                    best is None
                    and queue
                    and j not in raised
                    and (raise_to := self.bound_above(p, b, lower[j])) > queue[0][0]
                ):
                    # Its bound, raised by a Newton step, is above the next project's: look at that one first.
                    lower[j] = raise_to
                    raised.add(j)
                    heapq.heappush(queue, (lower[j], rank[j], j))
                    continue
                elif self.affordable(p, b):
                    ceiling = math.inf  # against's rho if against's winner: likely above its rho here
                    if theta_hi > -math.inf and against is not None and against.selected[free + rounds] == j:
                        ceiling = theta_hi
                    x, lo, hi, best_near = self.solve(p, b, lower[j], ceiling)
                    nears[j] = best_near
                else:
                    del active[j]  # budgets only fall: never affordable again
                    lower[j] = math.inf  # nor at any smaller budget along the same purchases
                    continue
                lower[j] = max(lower[j], lo)
                looked.append(j)
                seen[j] = (x, lo, hi, simple)
                taken[j] = b
                if best is None or (x, rank[j]) < (best_x, rank[best.index]):
                    best, best_x, best_hi, best_b = p, x, hi, b
            if best is None:
                if certified and against is not None and rounds != _purchases(against):
                    certified = False
                break
            winner = best.index
            _, w_lo, w_hi, w_simple = seen[winner]
            for j, (_, lo, _, simple) in seen.items():
                if j == winner or lo > w_hi:
                    continue
                q = active[j]  # too close to call in floating point: exact when both are cost / total
                if not (simple and w_simple) or (Fraction(q.cost) / q.total, rank[j]) < (
                    Fraction(best.cost) / best.total,
                    rank[winner],
                ):
                    raise _Uncertain
            same = (
                same
                and against is not None
                and rounds < _purchases(against)
                and winner == against.selected[free + rounds]
            )
            if certified and against is not None:
                certified = same and all(
                    _loses(
                        problem, active[j], lo, simple, taken[j], self.largest_error, self.start, against, rounds, best
                    )
                    for j, (_, lo, _, simple) in seen.items()
                    if j != winner
                )
                if certified:
                    run.certified_rounds = rounds + 1
            for j in looked:
                if j != winner and j in active:
                    heapq.heappush(queue, (lower[j], rank[j], j))
            run.bounds.append(dict(lower))
            run.simple.append(tuple(j for j, (_, _, _, simple) in seen.items() if simple and j != winner))
            del taken[winner]
            run.looked.append((taken, self.largest_error))
            run.paid.append((best_b, self.largest_error))
            self.pay(best, best_b, nears.get(winner, NOBODY), best_x, w_lo, w_hi)
            self.bought(run, best, w_hi, w_simple)
            del active[winner]
            if self.limit is not None and run.spent > self.limit:
                run.over = True
                certified = False
                break
            if self.resumed:
                yield run  # the purchase it was asked for
                continue
            if self.settle:
                # A longer step is proved only if this run settles by the time ``against`` did (or it loses the
                # thread of ``against``'s purchases), so then the proof is tried with all the work it needs.
                last_chance = (
                    certified and against is not None and against.settled and rounds + 1 >= _purchases(against)
                )
                reach = sum(active[j].costf for j, (x, _, _, _) in seen.items() if x < math.inf and j in active)
                if self.fits(active, lower, run.spent, best, reach, math.inf if last_chance else None):
                    # Certified so far, this proves every budget down to ``against``'s fits too: along the same
                    # purchases a smaller budget leaves every voter less, so no project out of reach here is in
                    # reach there.
                    run.settled = True
                    run.certified = certified
                    certified = yield from self.settled(run)
        if not self.resumed:
            run.certified = certified
            yield run

    def settled(self, run: _Run) -> Generator[_Run, None, bool]:
        """Hand over the settled run; if asked for more, go on buying without settling or certifying (returns the
        run's certification from then on: none)."""
        yield run
        self.settle = False  # its outcome is proved to fit: only the purchases are wanted now
        self.resumed = True
        return False


def _purchases(run: _Run) -> int:
    """How many projects ``run`` bought by MES (not counting free ones)."""
    return max(len(run.rhos), len(run.rho_hi))


def _run_exact(problem: _Problem, per_voter: Fraction, limit: Number | None) -> _Run:
    weights = problem.weights
    budgets: list[Fraction] = [per_voter] * problem.num_groups
    rank = problem.rank
    run = _Run(per_voter=per_voter)
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
        for g, unit in zip(best.groups.tolist(), _units(best), strict=True):
            price = best_rho * unit
            if budgets[g] < price:
                paid_rest += weights[g]
                paid_rest_total += weights[g] * budgets[g]
                budgets[g] = Fraction(0)
            else:
                budgets[g] -= price
        run.selected.append(best.index)
        run.spent += best.cost
        run.rhos.append(best_rho)
        supporters = round(best.weight_total)
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
    units = _units(p)
    items = sorted(zip((budgets[g] / u for g, u in zip(groups, units, strict=True)), groups, units, strict=True))
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


def _units(p: _Project) -> tuple[Number, ...]:
    """Each supporting ballot's exact satisfaction with ``p``."""
    return (p.unit,) * len(p.groups) if p.uniform and len(p.units) == 1 else p.units


def _run(
    problem: _Problem,
    per_voter: Fraction,
    limit: Number | None = None,
    against: _Run | None = None,
    replay: tuple[int, ...] = (),
) -> _Run:
    """One MES run with its steps (every bought project's rho exact); ``replay``: its first purchases, if known."""
    try:
        return _FastRun(problem, per_voter, limit, against, replay).run()
    except _Uncertain:
        return _run_exact(problem, per_voter, limit)


def _search_run(
    problem: _Problem,
    per_voter: Fraction,
    limit: Number | None,
    against: _Run | None,
    settle: bool = False,
    replay: tuple[int, ...] = (),
    above: _Run | None = None,
) -> _Run:
    """One MES run for the ``add1`` search: purchases only, in floating point where that decides exactly.

    ``settle``: the search only needs to know that the outcome fits ``limit``, so the run may stop as soon
    as that is proved (``settled``), before it has bought all it would.
    """
    if problem.exact and problem.float_search:
        try:
            return _FloatRun(problem, per_voter, limit, against, settle, replay, above).run()
        except _Uncertain:
            pass
    return _run(problem, per_voter, limit, against)


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
        try:
            run, notes = _add1(problem, per_voter, budget, voters)
        except _Uncertain:  # pragma: no cover - the search in floating point disagreed with the exact run
            problem.float_search = False
            run, notes = _add1(problem, per_voter, budget, voters)
    selected = [election.project_ids[j] for j in run.selected]
    steps: list[Step] = [_named(step, election) for step in run.steps]
    cost: Number = run.spent + sum(election.costs[j] for j in problem.free)
    if problem.free:
        notes.append(
            "Projects that cost nothing and have supporters are bought first: "
            + ", ".join(election.project_ids[j] for j in problem.free)
            + "."
        )
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
    # Stepping by 1 as the reference does, but in blocks. A block's top budget is run first, certified against
    # the last budget done (see _loses): if certified all the way, every budget in between buys the
    # same projects in the same order and fits too, and the next block is twice as long. A longer block that
    # fails is halved (its top is kept for when the search reaches it). A short one that fails has its budgets
    # run from the top down, each with the bounds of the run just above it: a larger budget leaves every
    # voter more, so every rho there is at most what it is here, and a project proved to lose there is not
    # looked at again here. A failed block still proves its first purchases for every budget it spans
    # (``proofs``: from, to, purchases): a run inside buys those without looking at other projects. Every run
    # only has to show that its outcome fits, so it stops as soon as that is proved (settles).
    previous = _search_run(problem, start, budget, None, settle=True)
    problem.head = _find_head(problem, previous)
    free = len(problem.free)
    k, step = 0, 2
    tops: dict[int, _Run] = {}  # runs above ``k`` whose block failed
    checked: dict[int, int] = {}  # the budget each of them was last certified against
    proofs: list[tuple[int, int, tuple[int, ...]]] = []

    def proved(at: int) -> tuple[int, ...]:
        return max((proof[2] for proof in proofs if proof[0] <= k and at <= proof[1]), key=len, default=())

    def nearest_above(at: int) -> _Run | None:
        return tops[min(t for t in tops if t > at)] if any(t > at for t in tops) else None

    while k < last:
        target = min(k + step, last, *tops)
        top = tops.get(target)
        if top is None:
            top = _search_run(problem, start + target, budget, previous, True, proved(target), nearest_above(target))
            if not (top.over or top.spent > budget) and top.certified:
                previous, k, step = top, target, step * 2
                proofs = [proof for proof in proofs if proof[1] > k]
                continue
            if top.certified_rounds:
                proofs.append((k, target, tuple(top.selected[free : free + top.certified_rounds])))
            tops[target], checked[target] = top, k
        elif checked[target] != k:  # certified against a smaller budget than ``k``'s: try again against ``k``'s
            checked[target] = k
            certified, rounds = _recertify(problem, top, previous)
            if certified:
                previous, k, step = top, target, step * 2
                del tops[target]
                proofs = [proof for proof in proofs if proof[1] > k]
                continue
            if rounds:
                proofs.append((k, target, tuple(top.selected[free : free + rounds])))
        if target - k > SHORT_BLOCK:
            step = (target - k) // 2
            continue
        block = [top]
        for extra in range(target - 1, k, -1):
            run = _search_run(problem, start + extra, budget, previous, True, proved(extra), block[-1])
            block.append(run)
            if run.certified and not (run.over or run.spent > budget):
                break  # every budget down to ``k`` buys alike and fits
        for run in reversed(block):
            if run.over or run.spent > budget:
                note = (
                    f"Completion add1: each voter's budget was raised from {money(start)} by 1 at a time to "
                    f"{money(previous.per_voter)}; at {money(run.per_voter)} the outcome would cost more than "
                    "the budget."
                )
                return _with_steps(problem, previous), [note]
            previous = run
        del tops[target]
        k, step = target, RESTART
        proofs = [proof for proof in proofs if proof[1] > k]
    return _with_steps(problem, previous), [
        f"Completion add1: each voter's budget was raised to {money(start + last)}."
    ]


def _recertify(problem: _Problem, top: _Run, against: _Run) -> tuple[bool, int]:
    """Whether ``top``, a run whose certification against a smaller budget failed, is certified against ``against``,
    a run at a budget between the two, from what ``top`` kept; and how many of its first purchases are proved the
    same at every budget between ``against``'s and ``top``'s.

    A round is proved as :func:`_loses` proves it: ``against`` bought the same, and every project ``top``
    had not bought has a lower bound on its rho there (kept in ``bounds``) above ``against``'s rho, or its rho is
    exactly ``cost / total`` there and above it, or the budgets in between prove it loses (from its supporters'
    budgets there, kept in ``looked``). The purchases ``top`` made without looking are proved for every
    budget down to the start of the block it was run for, which ``against`` is inside.
    """
    if top.over or not top.rho_hi:
        return False, 0
    free = len(problem.free)
    projects = {p.index: p for p in problem.considered}
    rounds = _purchases(top)
    bought = set(top.selected[:free])
    for r in range(rounds):
        if r == _purchases(against) and against.runner is not None:
            against.runner.extend()  # it settled: the purchase it would have made next
        winner = top.selected[free + r]
        if r >= _purchases(against) or against.selected[free + r] != winner:
            return False, r
        if r >= top.replayed:
            theta_hi = _theta_hi(against, r)
            budgets, error = top.looked[r]
            for j, bound in top.bounds[r].items():
                if bound > theta_hi or j == winner or j in bought:
                    continue
                q, simple, at = projects[j], j in top.simple[r], top.per_voter
                if not _loses(problem, q, bound, simple, budgets.get(j), error, at, against, r, projects[winner]):
                    return False, r
        bought.add(winner)
    if not top.settled and _purchases(against) == rounds and against.runner is not None:
        against.runner.extend()  # it must end there too
    return top.settled or _purchases(against) == rounds, rounds


def _find_head(problem: _Problem, run: _Run) -> _Head | None:
    """The purchases every budget from ``run``'s up begins with: as long as ``run``'s next purchase has the
    lowest ``cost / total satisfaction`` of all projects left and every supporter pays it in full, it is the next
    purchase at every larger budget too (each voter has more there, so still pays in full, and no other project's
    rho can be below its ``cost / total``)."""
    free = len(problem.free)
    left = {p.index: p for p in problem.considered}
    order = {p.index: (Fraction(p.cost) / p.total, problem.rank[p.index]) for p in problem.considered}
    projects: list[_Project] = []
    for i, j in enumerate(run.selected[free:]):
        if i >= len(run.rho_exact) or run.rho_exact[i] is None or order[j] != min(order[q] for q in left):
            break
        projects.append(left.pop(j))
    if not projects:
        return None
    debits = np.zeros(problem.num_groups, dtype=np.float64)
    counts = np.zeros(problem.num_groups, dtype=np.int64)
    for p in projects:
        debits[p.groups] += p.costf / p.totalf * p.unitsf
        counts[p.groups] += 1
    return _Head(run.per_voter, projects, debits, counts)


def _with_steps(problem: _Problem, run: _Run) -> _Run:
    """``run`` with its steps: the exact rho and payers of each of its purchases (and, if it settled, of everything
    it would have bought), computed along those purchases without looking at other projects."""
    if run.steps or (len(run.selected) == len(problem.free) and not run.settled):
        return run
    free = len(problem.free)
    if run.settled and run.runner is not None:  # the rest of its purchases (in floating point where that decides)
        while run.runner.extend():
            pass
    known = tuple(run.selected[free:])  # if a decision was too close to call, the exact run finds the rest itself
    # The purchases are known: only their exact prices and payers are computed.
    final = _run(problem, run.per_voter, replay=known)
    if final.selected[: len(run.selected)] != run.selected:
        raise _Uncertain  # pragma: no cover - the float search decides exactly; never guess
    return final
