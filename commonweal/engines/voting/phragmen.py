"""Sequential Phragmén for participatory budgeting (approval ballots).

Voters earn virtual money at the same steady rate. As soon as the supporters of a project have
earned its cost between them (counting what they already spent), it is bought and their money is
spent evenly on it, so afterwards every supporter carries the same *load*. The rule stops at the first
project it would buy that does not fit the budget. Phragmén (1894); Brill, Freeman, Janson and Lackner,
"Phragmén's voting methods and justified representation" (AAAI 2017); pabutools' ``sequential_phragmen``.

Loads are computed in floating point with numpy and decided exactly: every load is one of the
rounds' exact loads, so the exact value of any candidate is a short sum of ``Fraction`` s.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import numpy.typing as npt

from commonweal.engines.voting.election import Election, Number
from commonweal.engines.voting.errors import VotingError
from commonweal.engines.voting.outcome import Outcome, PhragmenStep, money, project_names
from commonweal.engines.voting.tie_breaking import TieBreaking, priorities

EPS = 2.0**-52


def sequential_phragmen(
    election: Election,
    *,
    tie_breaking: TieBreaking = "lexicographic",
    exact: bool = True,
) -> Outcome:
    """Sequential Phragmén: buy projects as their supporters earn enough; stop at the first that does not fit.

    Parameters
    ----------
    election : Election
        With approval or choose-1 ballots.
    tie_breaking : str or sequence of ids
        Order among projects reached at exactly the same load (see :func:`priorities`).
    exact : bool
        ``True`` (default): decisions as exact rational arithmetic takes them. ``False``: floating point,
        near ties (relative ``1e-9``) broken by ``tie_breaking``.

    Returns
    -------
    Outcome
        With one :class:`PhragmenStep` per project bought: the load every supporter carries after it.

    Raises
    ------
    VotingError
        For ballots other than approval and choose-1.

    >>> from commonweal.engines.voting import build_election
    >>> e = build_election(10, {"a": 4, "b": 4, "c": 6}, [["a", "b"], ["a", "b"], ["c"]])
    >>> sequential_phragmen(e).selected
    ('a', 'b')
    """
    if election.vote_type not in ("approval", "choose-1"):
        raise VotingError("sequential Phragmén needs approval or choose-1 ballots")
    rank = priorities(election, tie_breaking)
    profile = election.profile
    budget = election.budget
    costs = election.costs
    m = len(costs)
    weights = profile.weights.astype(np.float64)
    inc_groups, inc_projects = profile.groups, profile.projects
    inc_weights = weights[inc_groups]
    score = np.bincount(inc_projects, weights=inc_weights, minlength=m)
    order = np.argsort(inc_projects, kind="stable")
    starts = np.searchsorted(inc_projects[order], np.arange(m + 1))
    supporters = [inc_groups[order[starts[j] : starts[j + 1]]] for j in range(m)]
    costf = np.asarray([float(c) for c in costs])
    remaining = np.asarray([c <= budget for c in costs])
    loads = np.zeros(profile.num_groups)
    load_round = np.zeros(profile.num_groups, dtype=np.int64)  # 0: nothing bought yet; r: the r-th purchase
    load_values: list[Fraction] = [Fraction(0)]
    spent: Number = 0
    selected: list[str] = []
    steps: list[PhragmenStep] = []
    notes: list[str] = []
    with np.errstate(divide="ignore", invalid="ignore"):
        while remaining.any():
            earned = np.bincount(inc_projects, weights=inc_weights * loads[inc_groups], minlength=m)
            value = np.where(score > 0, (earned + costf) / score, np.inf)
            value[~remaining] = np.nan
            best = float(np.nanmin(value))
            if best == np.inf:
                tied = [int(j) for j in np.flatnonzero(remaining & (score == 0))]
                exact_best: Fraction | None = None
            else:
                band = best * 1e-9 if not exact else best * 1e-11 + 4 * EPS * float(load_values[-1])
                near = [int(j) for j in np.flatnonzero(remaining & (value <= best + band))]
                if exact:
                    values = {
                        j: _exact_value(j, supporters[j], load_round, load_values, profile.weights, costs[j])
                        for j in near
                    }
                    exact_best = min(values.values())
                    tied = [j for j in near if values[j] == exact_best]
                else:
                    exact_best = Fraction(best)
                    tied = near
            if any(spent + costs[j] > budget for j in tied):
                over = min(tied, key=lambda j: rank[j])
                notes.append(
                    f"Stopped: the next project, {election.project_ids[over]}, costs {money(costs[over])} "
                    f"but only {money(budget - spent)} was left."
                )
                break
            j = min(tied, key=lambda j: rank[j])
            remaining[j] = False
            spent += costs[j]
            selected.append(election.project_ids[j])
            if exact_best is not None:
                load_values.append(exact_best)
                load_round[supporters[j]] = len(load_values) - 1
                loads[supporters[j]] = float(exact_best)
            steps.append(PhragmenStep(election.project_ids[j], costs[j], exact_best or 0, int(score[j])))
    return Outcome(
        "sequential_phragmen", tuple(selected), spent, budget, tuple(steps), tuple(notes), project_names(election)
    )


def _exact_value(
    j: int,
    groups: npt.NDArray[np.int64],
    load_round: npt.NDArray[np.int64],
    load_values: list[Fraction],
    weights: npt.NDArray[np.int64],
    cost: Number,
) -> Fraction:
    counts = np.bincount(load_round[groups], weights=weights[groups], minlength=len(load_values))
    earned = sum((int(c) * v for c, v in zip(counts.tolist(), load_values, strict=True) if c), Fraction(0))
    return (earned + cost) / int(weights[groups].sum())
