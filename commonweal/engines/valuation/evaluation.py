"""Appraise a portfolio of interventions: present values, ratios, payback, and their uncertainty.

Measures (all present values, in the appraisal's price year)
-----------------------------------------------------------
=============================  ===================================================================
``pv_benefits``                fiscal + economic + social value, net of deadweight, attribution,
                               displacement, drop-off and benefit optimism bias
``pv_welfare``                 ``pv_benefits`` less transfers (benefit payments saved move value,
                               they do not create it: Green Book)
``pv_costs``                   cash costs from every sector, after optimism bias
``pv_public_costs``            the part of ``pv_costs`` paid by the public sector
``pv_in_kind``                 resources put in without cash: volunteer and residents' time, goods
``pv_resources``               ``pv_costs + pv_in_kind``: everything every sector puts in
``npv``                        ``pv_welfare - pv_resources`` (Green Book net present social value)
``bcr``                        ``pv_welfare / pv_public_costs`` (benefit per £ of public money)
``sroi``                       ``pv_benefits / pv_resources`` (SROI: value per £ of all inputs)
``social_productivity_ratio``  ``pv_welfare / pv_resources``: value created per £ of resources
                               from every sector (see ``resources_by_sector``)
``financial_return``           ``pv_fiscal / pv_public_costs`` (GMCA financial return on investment)
``public_value_return``        ``pv_benefits / pv_public_costs`` (GMCA public value return)
``net_budget_impact``          ``pv_fiscal - pv_public_costs``
``payback_year``               first appraisal year in which cumulative discounted fiscal value
                               covers cumulative discounted public costs (GMCA); None if never
=============================  ===================================================================

A ratio whose denominator is zero is ``nan``.

Monte Carlo
-----------
With ``draws`` > 0 every input given as a distribution is drawn ``draws`` times. Each
intervention has its own random stream, spawned from ``seed`` by its position in the portfolio,
so its results do not depend on how the portfolio is split into blocks or threads, and adding
interventions at the end leaves earlier ones unchanged. Draws are independent between
interventions, so the portfolio total treats them as independent. Summaries give the mean and
percentiles; payback percentiles are empirical (whole years, ``inf`` = not within the horizon).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import overload

import numpy as np
from numpy.typing import NDArray

from ._kernel import annuity, group_sum, quantiles
from .discounting import DiscountSchedule, ScheduleName, Timing, _timing_shift, factors_at, resolve_schedule
from .distributions import Distribution, point_of, upper_of
from .errors import ValuationError
from .model import Cost, Intervention, Outcome, Resource
from .prices import Deflator, FinancialYearConvention, PriceYear, parse_price_year, rebase

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

OUTCOME_FIELDS = (
    "people",
    "value",
    "engagement_rate",
    "success_rate",
    "deadweight",
    "attribution",
    "displacement",
    "optimism_bias",
    "drop_off",
    "duration",
)
COST_FIELDS = ("scale", "optimism_bias")
RESOURCE_FIELDS = ("quantity", "unit_value")
_KEEP = ("people", "value", "engagement_rate", "success_rate")  # multiply as they are
_LOSE = ("deadweight", "attribution", "displacement", "optimism_bias")  # multiply as (1 - x)

HEADLINE = (
    "npv",
    "bcr",
    "sroi",
    "social_productivity_ratio",
    "financial_return",
    "public_value_return",
    "payback_year",
)
"""Measures summarised over draws by default."""
SUMMARISABLE = (
    "pv_benefits",
    "pv_welfare",
    "pv_fiscal",
    "pv_costs",
    "pv_public_costs",
    "pv_resources",
    "npv",
    "bcr",
    "sroi",
    "social_productivity_ratio",
    "financial_return",
    "public_value_return",
    "net_budget_impact",
    "payback_year",
    "npv_weighted",
    "bcr_weighted",
)
"""Every measure that can be summarised over draws (``evaluate(summarise=...)``)."""
_ADDITIVE = ("pv_benefits", "pv_fiscal", "pv_transfers", "pv_costs", "pv_public_costs", "pv_in_kind", "pv_weighted")
MAX_PAYBACK_YEARS = 300
_BLOCK_ELEMENTS = 1 << 18  # rows x draws per block: small enough to stay in cache
_SETTLE_BYTES = 31 << 20  # under glibc's 32 MB cap on its dynamic mmap threshold


@dataclass(frozen=True)
class Summary:
    """The spread of one measure over Monte Carlo draws.

    Attributes
    ----------
    mean
        Mean over draws (``inf`` for payback if any draw never pays back).
    percentiles
        Percentile level (0-100) to value.
    """

    mean: float
    percentiles: Mapping[float, float]

    @property
    def low(self) -> float:
        """The lowest percentile asked for (default the 5th)."""
        return self.percentiles[min(self.percentiles)]

    @property
    def high(self) -> float:
        """The highest percentile asked for (default the 95th)."""
        return self.percentiles[max(self.percentiles)]


@dataclass(frozen=True)
class InterventionResult:
    """The appraisal of one intervention (or of the portfolio total); see the module table."""

    name: str
    key: str
    pv_benefits: float
    pv_fiscal: float
    pv_economic: float
    pv_social: float
    pv_transfers: float
    pv_welfare: float
    pv_costs: float
    pv_public_costs: float
    pv_in_kind: float
    pv_resources: float
    npv: float
    bcr: float
    sroi: float
    social_productivity_ratio: float
    financial_return: float
    public_value_return: float
    net_budget_impact: float
    payback_year: int | None
    fiscal_by_agency: Mapping[str, float]
    financial_return_by_agency: Mapping[str, float]
    resources_by_sector: Mapping[str, float]
    value_by_decile: Mapping[int, float]
    pv_welfare_weighted: float | None = None
    npv_weighted: float | None = None
    bcr_weighted: float | None = None
    draws: int = 0
    uncertainty: Mapping[str, Summary] = field(default_factory=dict)
    probability_value_exceeds_cost: float | None = None


@dataclass(frozen=True)
class Evaluation(Sequence[InterventionResult]):
    """Results for each intervention, in order, and for the portfolio as a whole."""

    results: tuple[InterventionResult, ...]
    total: InterventionResult
    schedule: str
    timing: str
    price_year: str | None
    draws: int
    seed: int | None

    @overload
    def __getitem__(self, index: int) -> InterventionResult: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[InterventionResult, ...]: ...
    def __getitem__(self, index: int | slice) -> InterventionResult | tuple[InterventionResult, ...]:
        return self.results[index]

    def __len__(self) -> int:
        return len(self.results)

    def __iter__(self) -> Iterator[InterventionResult]:
        return iter(self.results)


@dataclass
class _Plan:
    """The portfolio flattened into arrays (structure of arrays), ready for blocks of draws."""

    n: int
    schedule: DiscountSchedule
    horizon_years: int
    # outcomes: one row per Outcome
    o_offsets: IntArray
    o_points: dict[str, FloatArray]
    o_price: FloatArray
    o_fiscal: NDArray[np.bool_]
    o_transfer: NDArray[np.bool_]
    o_weight: FloatArray
    o_cum: FloatArray  # (outcomes, years + 1) cumulative factor, for payback with certain timing
    o_timing_random: NDArray[np.bool_]
    # cohort lines: one row per cohort of an outcome
    l_offsets: IntArray  # by outcome
    l_start: FloatArray  # discounting start (timing-shifted)
    l_first: FloatArray  # appraisal year the cohort starts
    # costs
    c_offsets: IntArray
    c_points: dict[str, FloatArray]
    c_base: FloatArray
    c_public: NDArray[np.bool_]
    c_cum: FloatArray  # (costs, years + 1) cumulative discounted cash
    # resources
    r_offsets: IntArray
    r_points: dict[str, FloatArray]
    r_base: FloatArray
    # what is uncertain: per intervention, (table, field, row, distribution)
    specs: list[list[tuple[str, str, int, Distribution]]]
    horizon: int | None


def _offsets(counts: list[int]) -> IntArray:
    return np.concatenate(([0], np.cumsum(counts, dtype=np.intp))).astype(np.intp)


def _price_factor(
    where: str,
    price_year: PriceYear | None,
    target: PriceYear | None,
    deflator: Deflator | None,
    financial_year: FinancialYearConvention,
) -> float:
    if price_year is None:
        return 1.0
    if target is None:
        raise ValuationError(
            f"{where} is in {price_year} prices: give evaluate(price_year=...) to rebase every value to one year"
        )
    if parse_price_year(price_year) == parse_price_year(target):
        return 1.0
    try:
        return rebase(1.0, price_year, target, deflator=deflator, financial_year=financial_year)
    except ValuationError as error:
        raise ValuationError(f"{where}: {error}") from None


def _plan(
    interventions: Sequence[Intervention],
    *,
    schedule: DiscountSchedule,
    timing: Timing,
    price_year: PriceYear | None,
    deflator: Deflator | None,
    financial_year: FinancialYearConvention,
    horizon: int | None,
    decile_weights: Mapping[int, float] | None,
) -> _Plan:
    shift = _timing_shift(timing)
    outcomes: list[tuple[int, Outcome]] = [(i, o) for i, iv in enumerate(interventions) for o in iv.outcomes]
    costs: list[tuple[int, Cost]] = [(i, c) for i, iv in enumerate(interventions) for c in iv.costs]
    resources: list[tuple[int, Resource]] = [(i, r) for i, iv in enumerate(interventions) for r in iv.resources]
    specs: list[list[tuple[str, str, int, Distribution]]] = [[] for _ in interventions]

    # The payback search runs to the last year any fiscal value or public cost can fall in.
    extent = 0
    for _, o in outcomes:
        if o.category == "fiscal":
            extent = max(extent, o.start_year + o.cohorts - 1 + math.ceil(upper_of(o.duration)))
    for _, c in costs:
        if c.years:
            extent = max(extent, c.years[-1])
    years = min(extent if horizon is None else horizon, MAX_PAYBACK_YEARS)
    calendar = np.arange(years + 1, dtype=np.float64)

    o_points = {name: np.empty(len(outcomes)) for name in OUTCOME_FIELDS}
    o_price = np.empty(len(outcomes))
    o_weight = np.ones(len(outcomes))
    o_timing_random = np.zeros(len(outcomes), dtype=bool)
    line_counts: list[int] = []
    l_first: list[float] = []
    for row, (owner, o) in enumerate(outcomes):
        where = f"outcome {o.name!r} of {interventions[owner].name!r}"
        for name in OUTCOME_FIELDS:
            quantity = getattr(o, name)
            o_points[name][row] = point_of(quantity)
            if isinstance(quantity, Distribution):
                specs[owner].append(("o", name, row, quantity))
        o_timing_random[row] = isinstance(o.duration, Distribution) or isinstance(o.drop_off, Distribution)
        o_price[row] = _price_factor(where, o.price_year, price_year, deflator, financial_year)
        if decile_weights is not None and o.deciles is not None:
            missing = sorted(set(o.deciles) - set(decile_weights))
            if missing:
                raise ValuationError(f"{where}: decile_weights has no weight for decile(s) {missing}")
            o_weight[row] = sum(share * decile_weights[d] for d, share in o.deciles.items())
        line_counts.append(o.cohorts)
        l_first.extend(float(o.start_year + k) for k in range(o.cohorts))
    first = np.array(l_first).reshape(-1, 1)
    line_offsets = _offsets(line_counts)
    line_outcome = np.repeat(np.arange(len(outcomes)), line_counts)

    # Cumulative discounted factor of each outcome by year, for payback when its timing is certain.
    o_cum = np.zeros((len(outcomes), years + 1))
    if len(outcomes) and years >= 0:
        duration = o_points["duration"][line_outcome].reshape(-1, 1)
        growth = 1 - o_points["drop_off"][line_outcome].reshape(-1, 1)
        upto = np.clip(np.minimum(duration, calendar - first + 1), 0, None)
        if horizon is not None:
            upto = np.minimum(upto, np.clip(horizon - first + 1, 0, None))
        per_line = annuity(first + shift, upto, growth, schedule)
        o_cum = group_sum(per_line, np.diff(line_offsets), len(outcomes))

    c_points = {name: np.empty(len(costs)) for name in COST_FIELDS}
    c_base = np.empty(len(costs))
    c_cum = np.zeros((len(costs), years + 1))
    for row, (owner, c) in enumerate(costs):
        where = f"cost {c.name!r} of {interventions[owner].name!r}"
        for name in COST_FIELDS:
            quantity = getattr(c, name)
            c_points[name][row] = point_of(quantity)
            if isinstance(quantity, Distribution):
                specs[owner].append(("c", name, row, quantity))
        factor = _price_factor(where, c.price_year, price_year, deflator, financial_year)
        cost_years = np.array(c.years, dtype=np.float64)
        cash = np.array(c.cash) * factor
        if horizon is not None:
            cash = np.where(cost_years <= horizon, cash, 0.0)
        discounted = cash * factors_at(cost_years + shift, schedule)
        c_base[row] = discounted.sum()
        for year, amount in zip(c.years, discounted, strict=True):
            if year <= years:
                c_cum[row, year:] += amount

    r_points = {name: np.empty(len(resources)) for name in RESOURCE_FIELDS}
    r_base = np.empty(len(resources))
    for row, (owner, r) in enumerate(resources):
        where = f"resource {r.name!r} of {interventions[owner].name!r}"
        for name in RESOURCE_FIELDS:
            quantity = getattr(r, name)
            r_points[name][row] = point_of(quantity)
            if isinstance(quantity, Distribution):
                specs[owner].append(("r", name, row, quantity))
        factor = _price_factor(where, r.price_year, price_year, deflator, financial_year)
        given = np.array([y for y in r.years if horizon is None or y <= horizon], dtype=np.float64)
        r_base[row] = factor * float(factors_at(given + shift, schedule).sum())

    counts = [len(iv.outcomes) for iv in interventions]
    return _Plan(
        n=len(interventions),
        schedule=schedule,
        horizon_years=years,
        o_offsets=_offsets(counts),
        o_points=o_points,
        o_price=o_price,
        o_fiscal=np.array([o.category == "fiscal" for _, o in outcomes], dtype=bool),
        o_transfer=np.array([o.transfer for _, o in outcomes], dtype=bool),
        o_weight=o_weight,
        o_cum=o_cum,
        o_timing_random=o_timing_random,
        l_offsets=line_offsets,
        l_start=first + shift,
        l_first=first,
        c_offsets=_offsets([len(iv.costs) for iv in interventions]),
        c_points=c_points,
        c_base=c_base,
        c_public=np.array([c.sector == "public" for _, c in costs], dtype=bool),
        c_cum=c_cum,
        r_offsets=_offsets([len(iv.resources) for iv in interventions]),
        r_points=r_points,
        r_base=r_base,
        specs=specs,
        horizon=horizon,
    )


def _columns(
    points: dict[str, FloatArray], lo: int, hi: int, names: Sequence[str], uncertain: set[str], draws: int
) -> dict[str, FloatArray]:
    """Each field as a (rows, 1) column, or a writable (rows, draws) array where something is uncertain."""
    out = {}
    for name in names:
        column = points[name][lo:hi].reshape(-1, 1)
        out[name] = np.repeat(column, draws, axis=1) if name in uncertain else column
    return out


def _product(factors: list[FloatArray], *, spare: Sequence[FloatArray] = ()) -> FloatArray:
    """Multiply the (rows, 1) columns first (cheap), then the per-draw arrays, in place where
    an array is a scratch copy listed in ``spare``."""
    certain = [f for f in factors if f.shape[1] == 1]
    varying = [f for f in factors if f.shape[1] != 1]
    column = certain[0].copy() if certain else np.ones((factors[0].shape[0], 1))
    for f in certain[1:]:
        column *= f
    if not varying:
        return column
    first = varying[0]
    result = np.multiply(first, column, out=first) if any(first is x for x in spare) else first * column
    for f in varying[1:]:
        result *= f
    return result


def _complement(array: FloatArray) -> FloatArray:
    """``1 - array``, in place for a per-draw scratch array."""
    if array.shape[1] == 1:
        return 1 - array
    return np.subtract(1.0, array, out=array)


def _run_block(
    plan: _Plan, first: int, last: int, draws: int, streams: Sequence[np.random.Generator] | None
) -> dict[str, FloatArray]:
    """Present values for interventions ``first`` to ``last - 1``: arrays (interventions, draws)."""
    groups = last - first
    o_lo, o_hi = int(plan.o_offsets[first]), int(plan.o_offsets[last])
    c_lo, c_hi = int(plan.c_offsets[first]), int(plan.c_offsets[last])
    r_lo, r_hi = int(plan.r_offsets[first]), int(plan.r_offsets[last])
    todo = [spec for i in range(first, last) for spec in plan.specs[i]] if streams is not None else []
    uncertain = {(table, name) for table, name, _, _ in todo}
    width = draws if streams is not None else 1

    o = _columns(plan.o_points, o_lo, o_hi, OUTCOME_FIELDS, {n for t, n in uncertain if t == "o"}, width)
    c = _columns(plan.c_points, c_lo, c_hi, COST_FIELDS, {n for t, n in uncertain if t == "c"}, width)
    r = _columns(plan.r_points, r_lo, r_hi, RESOURCE_FIELDS, {n for t, n in uncertain if t == "r"}, width)
    if streams is not None:
        tables = {"o": (o, o_lo), "c": (c, c_lo), "r": (r, r_lo)}
        for i in range(first, last):
            stream = streams[i - first]
            for table, name, row, distribution in plan.specs[i]:
                arrays, base = tables[table]
                arrays[name][row - base] = distribution.sample(stream, width)

    # Outcomes: net annual value x discounted (cohort) annuity.
    n_o = o_hi - o_lo
    losses = [_complement(o[n]) for n in _LOSE]  # the sampled arrays are scratch copies
    amount = _product([o[n] for n in _KEEP] + losses + [plan.o_price[o_lo:o_hi].reshape(-1, 1)], spare=losses)
    l_lo, l_hi = int(plan.l_offsets[o_lo]), int(plan.l_offsets[o_hi])
    line_counts = np.diff(plan.l_offsets[o_lo : o_hi + 1])
    start = plan.l_start[l_lo:l_hi]
    duration, growth = o["duration"], 1 - o["drop_off"]
    if l_hi - l_lo != n_o:  # cohorts: one line per cohort
        duration = np.repeat(duration, line_counts, axis=0)
        growth = np.repeat(growth, line_counts, axis=0)
    if plan.horizon is not None:
        duration = np.minimum(duration, np.clip(plan.horizon - plan.l_first[l_lo:l_hi] + 1, 0, None))
    factor = annuity(start, duration, growth, plan.schedule)
    if l_hi - l_lo != n_o:
        factor = group_sum(factor, line_counts, n_o)
    pv_o = amount * factor
    o_counts = np.diff(plan.o_offsets[first : last + 1])
    fiscal = plan.o_fiscal[o_lo:o_hi]
    transfer = plan.o_transfer[o_lo:o_hi]

    def by_group(values: FloatArray, counts: IntArray) -> FloatArray:
        return np.broadcast_to(group_sum(values, counts, groups), (groups, draws))

    def masked(values: FloatArray, mask: NDArray[np.bool_]) -> FloatArray:
        # A float column: multiplying by a bool one casts element by element, several times slower.
        return values * mask.astype(np.float64).reshape(-1, 1)

    pv_c = _product([c["scale"], 1 + c["optimism_bias"], plan.c_base[c_lo:c_hi].reshape(-1, 1)])
    multiplier = _product([c["scale"], 1 + c["optimism_bias"]])  # for payback
    pv_r = _product([r["quantity"], r["unit_value"], plan.r_base[r_lo:r_hi].reshape(-1, 1)])
    c_counts = np.diff(plan.c_offsets[first : last + 1])
    r_counts = np.diff(plan.r_offsets[first : last + 1])
    public = plan.c_public[c_lo:c_hi]
    out = {
        "pv_benefits": by_group(pv_o, o_counts),
        "pv_fiscal": by_group(masked(pv_o, fiscal), o_counts),
        "pv_transfers": by_group(masked(pv_o, transfer), o_counts),
        "pv_weighted": by_group(pv_o * (plan.o_weight[o_lo:o_hi] * ~transfer).reshape(-1, 1), o_counts),
        "pv_costs": by_group(pv_c, c_counts),
        "pv_public_costs": by_group(masked(pv_c, public), c_counts),
        "pv_in_kind": by_group(pv_r, r_counts),
    }
    out["payback_year"] = _payback(plan, first, last, draws, amount, o, multiplier, fiscal, public)
    if streams is None:
        out["_pv_o"] = pv_o
        out["_pv_c"] = pv_c
        out["_pv_r"] = pv_r
        out["_amount"] = np.broadcast_to(amount, (amount.shape[0], 1))
        out["_multiplier"] = multiplier
    return out


def _payback(
    plan: _Plan,
    first: int,
    last: int,
    draws: int,
    amount: FloatArray,
    o: dict[str, FloatArray],
    multiplier: FloatArray,
    fiscal: NDArray[np.bool_],
    public: NDArray[np.bool_],
) -> FloatArray:
    """First year in which cumulative fiscal value covers cumulative public costs (``inf`` if none).

    Where an intervention has one fiscal outcome and one public cost, both with certain timing,
    the test ``a * K(t) >= m * C(t)`` is ``a / m >= C(t) / K(t)``: a binary search of each
    draw's ratio in the running minimum of ``C / K``. Otherwise the years are stepped through.
    """
    groups = last - first
    o_lo = int(plan.o_offsets[first])
    c_lo = int(plan.c_offsets[first])
    f_rows = np.flatnonzero(fiscal)
    p_rows = np.flatnonzero(public)
    paid = np.full((groups, draws), np.inf)
    if p_rows.size == 0 or f_rows.size == 0:
        return paid
    f_owner = np.searchsorted(plan.o_offsets, o_lo + f_rows, side="right") - 1 - first
    p_owner = np.searchsorted(plan.c_offsets, c_lo + p_rows, side="right") - 1 - first
    f_counts = np.bincount(f_owner, minlength=groups).astype(np.intp)
    p_counts = np.bincount(p_owner, minlength=groups).astype(np.intp)
    c_cum = plan.c_cum[c_lo + p_rows]
    o_cum = plan.o_cum[o_lo + f_rows]
    varying = o["duration"].shape[1] > 1 or o["drop_off"].shape[1] > 1
    random_timing = plan.o_timing_random[o_lo + f_rows] & varying
    simple = (f_counts == 1) & (p_counts == 1)
    simple[f_owner[random_timing]] = False
    easy = np.flatnonzero(simple)
    if easy.size:
        # One row per simple group, all of them at once; only the search is per group.
        fi = (np.cumsum(f_counts) - 1)[easy]
        pj = (np.cumsum(p_counts) - 1)[easy]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            threshold = np.where((c_cum[pj] > 0) & (o_cum[fi] > 0), c_cum[pj] / o_cum[fi], np.inf)
            a, m = amount[f_rows[fi]], multiplier[p_rows[pj]]
            ratio = np.where(m > 0, a / m, -np.inf)
        ratio = np.broadcast_to(ratio, (easy.size, draws))
        # Paid in year t when ratio >= running[t]; running never rises, so the year is the number
        # of years whose running threshold exceeds the ratio (a nan ratio never pays back).
        ascending = np.minimum.accumulate(threshold, axis=1)[:, ::-1]
        years = ascending.shape[1]
        below = np.empty((easy.size, draws), dtype=np.intp)
        for row in range(easy.size):
            below[row] = np.searchsorted(ascending[row], ratio[row], side="right")
        below[np.isnan(ratio)] = 0
        year = np.subtract(years, below, dtype=np.float64)
        year[below == 0] = np.inf
        if easy.size == groups:
            paid = year
        else:
            paid[easy] = year
    rest = np.flatnonzero(~simple & (f_counts > 0) & (p_counts > 0))
    if rest.size == 0:
        return paid
    rows_f = np.isin(f_owner, rest)
    rows_p = np.isin(p_owner, rest)
    f_which = f_rows[rows_f]
    f_amount = np.broadcast_to(amount[f_which], (f_which.size, draws))
    o_cum = o_cum[rows_f]
    p_multiplier = np.broadcast_to(multiplier[p_rows[rows_p]], (int(rows_p.sum()), draws))
    c_cum = c_cum[rows_p]
    f_counts, p_counts = f_counts[rest], p_counts[rest]
    slow = bool(np.any(random_timing[rows_f]))
    pending = np.ones((rest.size, draws), dtype=bool)
    found = np.full((rest.size, draws), np.inf)
    for step in range(plan.horizon_years + 1):
        costs = group_sum(p_multiplier * c_cum[:, step : step + 1], p_counts, rest.size)
        if slow:
            value = np.empty((f_which.size, draws))
            for k, row in enumerate(f_which.tolist()):
                lines = slice(int(plan.l_offsets[o_lo + row]), int(plan.l_offsets[o_lo + row + 1]))
                begin = plan.l_first[lines]
                upto = np.clip(np.minimum(o["duration"][row : row + 1], step - begin + 1), 0, None)
                if plan.horizon is not None:
                    upto = np.minimum(upto, np.clip(plan.horizon - begin + 1, 0, None))
                growth = 1 - o["drop_off"][row : row + 1]
                value[k] = annuity(plan.l_start[lines], upto, growth, plan.schedule).sum(axis=0)
            benefits = group_sum(f_amount * value, f_counts, rest.size)
        else:
            benefits = group_sum(f_amount * o_cum[:, step : step + 1], f_counts, rest.size)
        hit = pending & (benefits >= costs) & (costs > 0)
        if hit.any():
            found[hit] = step
            pending &= ~hit
            if not pending.any():
                break
    paid[rest] = found
    return paid


def _ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    # A ratio beyond the largest float (benefits over a cost near zero) is infinite, as it should be: no warning.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(denominator != 0, numerator / np.where(denominator != 0, denominator, 1.0), np.nan)


_DERIVED: dict[str, Callable[[Mapping[str, FloatArray]], FloatArray]] = {
    "pv_welfare": lambda pv: pv["pv_benefits"] - pv["pv_transfers"],
    "pv_resources": lambda pv: pv["pv_costs"] + pv["pv_in_kind"],
    "npv": lambda pv: pv["pv_benefits"] - pv["pv_transfers"] - pv["pv_costs"] - pv["pv_in_kind"],
    "bcr": lambda pv: _ratio(pv["pv_benefits"] - pv["pv_transfers"], pv["pv_public_costs"]),
    "sroi": lambda pv: _ratio(pv["pv_benefits"], pv["pv_costs"] + pv["pv_in_kind"]),
    "social_productivity_ratio": lambda pv: _ratio(
        pv["pv_benefits"] - pv["pv_transfers"], pv["pv_costs"] + pv["pv_in_kind"]
    ),
    "financial_return": lambda pv: _ratio(pv["pv_fiscal"], pv["pv_public_costs"]),
    "public_value_return": lambda pv: _ratio(pv["pv_benefits"], pv["pv_public_costs"]),
    "net_budget_impact": lambda pv: pv["pv_fiscal"] - pv["pv_public_costs"],
    "npv_weighted": lambda pv: pv["pv_weighted"] - pv["pv_costs"] - pv["pv_in_kind"],
    "bcr_weighted": lambda pv: _ratio(pv["pv_weighted"], pv["pv_public_costs"]),
}


def _measures(pv: Mapping[str, FloatArray], wanted: Sequence[str] | None = None) -> dict[str, FloatArray]:
    """The measures (all, or those ``wanted``) from the additive present values."""
    names = _DERIVED if wanted is None else [n for n in wanted if n in _DERIVED]
    return {**pv, **{name: _DERIVED[name](pv) for name in names}}


def _summaries(
    measures: Mapping[str, FloatArray], names: Sequence[str], levels: tuple[float, ...]
) -> list[dict[str, Summary]]:
    rows = next(iter(measures.values())).shape[0]
    out: list[dict[str, Summary]] = [{} for _ in range(rows)]
    for name in names:
        values = measures[name]
        whole_years = name == "payback_year"
        table = quantiles(values, levels, interpolate=not whole_years)
        with np.errstate(invalid="ignore", over="ignore"):
            means = values.mean(axis=1)
            # Draws near the largest float (a ratio over a tiny cost) overflow their sum; averaging the shares does not.
            overflowed = np.isinf(means) & np.isfinite(values).all(axis=1)
            if overflowed.any():
                means[overflowed] = (values[overflowed] / values.shape[1]).sum(axis=1)
        for i in range(rows):
            out[i][name] = Summary(float(means[i]), {level: float(table[i, k]) for k, level in enumerate(levels)})
    return out


def _check_levels(percentiles: Sequence[float]) -> tuple[float, ...]:
    levels = tuple(float(p) for p in percentiles)
    if not levels or any(not 0 <= p <= 100 for p in levels):
        raise ValuationError(f"percentiles must be between 0 and 100, not {percentiles!r}")
    return levels


def evaluate(
    interventions: Intervention | Sequence[Intervention],
    *,
    draws: int = 0,
    seed: int | None = None,
    schedule: ScheduleName | DiscountSchedule = "standard",
    timing: Timing = "start",
    price_year: PriceYear | None = None,
    deflator: Deflator | None = None,
    financial_year: FinancialYearConvention = "weighted",
    horizon: int | None = None,
    decile_weights: Mapping[int, float] | None = None,
    percentiles: Sequence[float] = (5, 50, 95),
    summarise: Sequence[str] = HEADLINE,
    workers: int | None = None,
) -> Evaluation:
    """Appraise interventions: NPV, BCR, SROI, returns, payback and social productivity.

    Parameters
    ----------
    interventions
        One :class:`Intervention` or a sequence (a portfolio).
    draws
        Monte Carlo draws (default 0: the deterministic appraisal only, from point values).
    seed
        Seed for the random streams (default None: fresh entropy, not reproducible).
    schedule
        Discount schedule: ``"standard"`` (default), ``"health"``, ``"reduced"`` or a
        :class:`DiscountSchedule`.
    timing
        Year-0 convention: ``"start"`` (default, year 0 undiscounted) or ``"end"``.
    price_year
        Price year to state results in; needed when any input carries its own price year.
    deflator
        Price index for rebasing (default the bundled HM Treasury GDP deflator).
    financial_year
        How a financial price year is read against a calendar deflator (see :func:`rebase`).
    horizon
        Last appraisal year counted (default None: every year any flow falls in); later
        benefits, costs and resources are dropped.
    decile_weights
        Distributional weight by IMD decile (see :func:`income_weights`); outcomes without
        deciles get weight 1. Gives ``pv_welfare_weighted``, ``npv_weighted``, ``bcr_weighted``.
    percentiles
        Percentile levels reported when ``draws`` > 0 (default 5, 50, 95).
    summarise
        Measures summarised over draws (default :data:`HEADLINE`: NPV, BCR, SROI, social
        productivity ratio, financial and public value returns, payback); any of
        :data:`SUMMARISABLE`. The weighted measures need ``decile_weights``.
    workers
        Threads for Monte Carlo blocks (default: the CPU count, at most 4). Results do not
        depend on it.

    Returns
    -------
    Evaluation
        A sequence of :class:`InterventionResult`, one per intervention, with ``total``.

    Raises
    ------
    ValuationError
        For inputs that cannot be valued (see the message).

    Examples
    --------
    >>> service = Intervention(
    ...     "Befriending",
    ...     costs=[Cost("Coordinator", [30_000])],
    ...     outcomes=[Outcome("Less lonely", value=2_600.0, people=20, deadweight=0.25)],
    ... )
    >>> result = evaluate(service)[0]
    >>> round(result.pv_benefits, 2), round(result.bcr, 3)
    (37681.16, 1.256)
    """
    portfolio = [interventions] if isinstance(interventions, Intervention) else list(interventions)
    for item in portfolio:
        if not isinstance(item, Intervention):
            raise ValuationError(f"evaluate takes Intervention objects, not {type(item).__name__}")
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 0:
        raise ValuationError(f"draws must be a whole number, 0 or more, not {draws!r}")
    if horizon is not None and (isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 0):
        raise ValuationError(f"horizon must be a whole number of years, 0 or more, not {horizon!r}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        raise ValuationError(f"seed must be a whole number, 0 or more, or None, not {seed!r}")
    if decile_weights is not None:
        for decile, weight in decile_weights.items():
            if not (math.isfinite(weight) and weight >= 0):
                raise ValuationError(f"decile weight for {decile} must be zero or more, not {weight!r}")
    if price_year is not None:
        parse_price_year(price_year)
    levels = _check_levels(percentiles)
    names = list(dict.fromkeys(summarise))
    unknown = [n for n in names if n not in SUMMARISABLE]
    if unknown:
        raise ValuationError(f"cannot summarise {unknown}: choose from {', '.join(SUMMARISABLE)}")
    if decile_weights is None and any(n.endswith("_weighted") for n in names):
        raise ValuationError("weighted measures need decile_weights")
    sched = resolve_schedule(schedule)
    plan = _plan(
        portfolio,
        schedule=sched,
        timing=timing,
        price_year=price_year,
        deflator=deflator,
        financial_year=financial_year,
        horizon=horizon,
        decile_weights=decile_weights,
    )
    point = _run_block(plan, 0, plan.n, 1, None)
    point_measures = _measures({k: point[k][:, 0] for k in _ADDITIVE})
    uncertainty: list[dict[str, Summary]] = [{} for _ in portfolio]
    exceed: list[float | None] = [None] * plan.n
    total_uncertainty: dict[str, Summary] = {}
    total_exceed: float | None = None
    if draws > 0 and plan.n > 0:
        uncertainty, exceed, total_uncertainty, total_exceed = _monte_carlo(plan, draws, seed, levels, workers, names)
    results = tuple(
        _result(plan, portfolio, i, point, point_measures, draws, uncertainty[i], exceed[i], decile_weights)
        for i in range(plan.n)
    )
    total = _total(plan, results, point, draws, total_uncertainty, total_exceed, decile_weights)
    return Evaluation(
        results=results,
        total=total,
        schedule=sched.name,
        timing=timing,
        price_year=None if price_year is None else str(parse_price_year(price_year)),
        draws=draws,
        seed=seed,
    )


def _settle_allocator() -> None:
    """Let glibc's malloc keep freed memory for reuse instead of handing it back to the system.

    Each block allocates and frees a few MB of temporaries. glibc returns free memory at the top
    of the heap to the system once it exceeds its trim threshold (256 KB at first), so every
    block faulted its memory in afresh: page faults were a quarter of the run time. Freeing one
    large mmapped array raises the threshold to twice its size (glibc's own dynamic threshold,
    as after any such array is freed), so blocks reuse the memory. Elsewhere it costs nothing.
    """
    np.empty(_SETTLE_BYTES, dtype=np.uint8)


def _monte_carlo(
    plan: _Plan, draws: int, seed: int | None, levels: tuple[float, ...], workers: int | None, names: list[str]
) -> tuple[list[dict[str, Summary]], list[float | None], dict[str, Summary], float | None]:
    seeds = np.random.SeedSequence(seed).spawn(plan.n)
    _settle_allocator()
    rows = np.diff(plan.o_offsets) + np.diff(plan.c_offsets) + np.diff(plan.r_offsets) + 1
    blocks: list[tuple[int, int]] = []
    first = 0
    budget = max(1, _BLOCK_ELEMENTS // draws)
    while first < plan.n:
        last, used = first, 0
        while last < plan.n and (last == first or used + rows[last] <= budget):
            used += int(rows[last])
            last += 1
        blocks.append((first, last))
        first = last
    totals = {k: np.zeros(draws) for k in _ADDITIVE}

    def work(block: tuple[int, int]) -> tuple[list[dict[str, Summary]], list[float], dict[str, FloatArray]]:
        lo, hi = block
        streams = [np.random.default_rng(s) for s in seeds[lo:hi]]
        pv = _run_block(plan, lo, hi, draws, streams)
        measures = _measures({k: pv[k] for k in _ADDITIVE}, wanted=[*names, "npv"])
        measures["payback_year"] = pv["payback_year"]
        summary = _summaries(measures, names, levels)
        chance = [float(x) for x in (measures["npv"] > 0).mean(axis=1)]
        return summary, chance, {k: pv[k].sum(axis=0) for k in _ADDITIVE}

    threads = workers if workers is not None else min(4, os.cpu_count() or 1)
    if threads < 1:
        raise ValuationError(f"workers must be 1 or more, not {threads}")
    summaries: list[dict[str, Summary]] = []
    chances: list[float | None] = []
    if threads == 1 or len(blocks) == 1:
        outputs = [work(block) for block in blocks]
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            outputs = list(pool.map(work, blocks))
    for summary, chance, sums in outputs:
        summaries.extend(summary)
        chances.extend(chance)
        for k in _ADDITIVE:
            totals[k] += sums[k]
    total_measures = _measures({k: v.reshape(1, -1) for k, v in totals.items()})
    total_names = [n for n in names if n != "payback_year"]
    total_summary = _summaries(total_measures, total_names, levels)[0]
    total_exceed = float((total_measures["npv"] > 0).mean())
    return summaries, chances, total_summary, total_exceed


def _nan_to_none(value: float) -> int | None:
    return None if not math.isfinite(value) else int(value)


def _result(
    plan: _Plan,
    portfolio: Sequence[Intervention],
    i: int,
    point: Mapping[str, FloatArray],
    measures: Mapping[str, FloatArray],
    draws: int,
    uncertainty: dict[str, Summary],
    exceed: float | None,
    decile_weights: Mapping[int, float] | None,
) -> InterventionResult:
    intervention = portfolio[i]
    o_lo = int(plan.o_offsets[i])
    c_lo = int(plan.c_offsets[i])
    r_lo = int(plan.r_offsets[i])
    pv_o = point["_pv_o"][:, 0]
    pv_c = point["_pv_c"][:, 0]
    pv_r = point["_pv_r"][:, 0]
    lines = [(o, float(pv_o[o_lo + k])) for k, o in enumerate(intervention.outcomes)]
    spend = [(c, float(pv_c[c_lo + k])) for k, c in enumerate(intervention.costs)]
    given = [(r, float(pv_r[r_lo + k])) for k, r in enumerate(intervention.resources)]
    return _assemble(
        name=intervention.name,
        key=intervention.key,
        lines=lines,
        spend=spend,
        given=given,
        measures={k: float(v[i]) for k, v in measures.items()},
        payback=float(point["payback_year"][i, 0]),
        draws=draws,
        uncertainty=uncertainty,
        exceed=exceed,
        weighted=decile_weights is not None,
    )


def _assemble(
    *,
    name: str,
    key: str,
    lines: Sequence[tuple[Outcome, float]],
    spend: Sequence[tuple[Cost, float]],
    given: Sequence[tuple[Resource, float]],
    measures: Mapping[str, float],
    payback: float,
    draws: int,
    uncertainty: Mapping[str, Summary],
    exceed: float | None,
    weighted: bool,
) -> InterventionResult:
    by_category = {"fiscal": 0.0, "economic": 0.0, "social": 0.0}
    by_agency: dict[str, float] = {}
    by_decile: dict[int, float] = {}
    for outcome, pv in lines:
        by_category[outcome.category] += pv
        if outcome.category == "fiscal":
            agency = outcome.agency or "unspecified"
            by_agency[agency] = by_agency.get(agency, 0.0) + pv
        if not outcome.transfer:
            for decile, share in (outcome.deciles or {0: 1.0}).items():
                by_decile[decile] = by_decile.get(decile, 0.0) + share * pv
    by_sector: dict[str, float] = {}
    for cost, pv in spend:
        by_sector[cost.sector] = by_sector.get(cost.sector, 0.0) + pv
    for resource, pv in given:
        by_sector[resource.sector] = by_sector.get(resource.sector, 0.0) + pv
    public = measures["pv_public_costs"]
    return InterventionResult(
        name=name,
        key=key,
        pv_benefits=measures["pv_benefits"],
        pv_fiscal=measures["pv_fiscal"],
        pv_economic=by_category["economic"],
        pv_social=by_category["social"],
        pv_transfers=measures["pv_transfers"],
        pv_welfare=measures["pv_welfare"],
        pv_costs=measures["pv_costs"],
        pv_public_costs=public,
        pv_in_kind=measures["pv_in_kind"],
        pv_resources=measures["pv_resources"],
        npv=measures["npv"],
        bcr=measures["bcr"],
        sroi=measures["sroi"],
        social_productivity_ratio=measures["social_productivity_ratio"],
        financial_return=measures["financial_return"],
        public_value_return=measures["public_value_return"],
        net_budget_impact=measures["net_budget_impact"],
        payback_year=_nan_to_none(payback),
        fiscal_by_agency=by_agency,
        financial_return_by_agency={a: (v / public if public else math.nan) for a, v in by_agency.items()},
        resources_by_sector=by_sector,
        value_by_decile=dict(sorted(by_decile.items())),
        pv_welfare_weighted=measures["pv_weighted"] if weighted else None,
        npv_weighted=measures["npv_weighted"] if weighted else None,
        bcr_weighted=measures["bcr_weighted"] if weighted else None,
        draws=draws,
        uncertainty=uncertainty,
        probability_value_exceeds_cost=exceed,
    )


def _total(
    plan: _Plan,
    results: Sequence[InterventionResult],
    point: Mapping[str, FloatArray],
    draws: int,
    uncertainty: dict[str, Summary],
    exceed: float | None,
    decile_weights: Mapping[int, float] | None,
) -> InterventionResult:
    sums = {k: np.array(float(point[k][:, 0].sum())) for k in _ADDITIVE}
    measures = {k: float(v) for k, v in _measures(sums).items()}
    # Portfolio payback from the summed cumulative flows.
    fiscal_cum = (point["_amount"][:, 0] * plan.o_fiscal) @ plan.o_cum
    public_cum = (point["_multiplier"][:, 0] * plan.c_public) @ plan.c_cum
    paid = np.flatnonzero((fiscal_cum >= public_cum) & (public_cum > 0))
    payback = float(paid[0]) if paid.size else math.inf

    def merge(attribute: str) -> dict[object, float]:
        merged: dict[object, float] = {}
        for result in results:
            for k, v in getattr(result, attribute).items():
                merged[k] = merged.get(k, 0.0) + v
        return merged

    by_agency = {str(k): v for k, v in merge("fiscal_by_agency").items()}
    public = measures["pv_public_costs"]
    return InterventionResult(
        name="portfolio total",
        key="",
        pv_benefits=measures["pv_benefits"],
        pv_fiscal=measures["pv_fiscal"],
        pv_economic=sum(r.pv_economic for r in results),
        pv_social=sum(r.pv_social for r in results),
        pv_transfers=measures["pv_transfers"],
        pv_welfare=measures["pv_welfare"],
        pv_costs=measures["pv_costs"],
        pv_public_costs=public,
        pv_in_kind=measures["pv_in_kind"],
        pv_resources=measures["pv_resources"],
        npv=measures["npv"],
        bcr=measures["bcr"],
        sroi=measures["sroi"],
        social_productivity_ratio=measures["social_productivity_ratio"],
        financial_return=measures["financial_return"],
        public_value_return=measures["public_value_return"],
        net_budget_impact=measures["net_budget_impact"],
        payback_year=_nan_to_none(payback),
        fiscal_by_agency=by_agency,
        financial_return_by_agency={a: (v / public if public else math.nan) for a, v in by_agency.items()},
        resources_by_sector={str(k): v for k, v in merge("resources_by_sector").items()},
        value_by_decile={int(str(k)): v for k, v in sorted(merge("value_by_decile").items(), key=str)},
        pv_welfare_weighted=measures["pv_weighted"] if decile_weights is not None else None,
        npv_weighted=measures["npv_weighted"] if decile_weights is not None else None,
        bcr_weighted=measures["bcr_weighted"] if decile_weights is not None else None,
        draws=draws,
        uncertainty=uncertainty,
        probability_value_exceeds_cost=exceed,
    )
