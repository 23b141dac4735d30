"""The social productivity account of a place, a district or a neighbourhood over a period.

It joins what the other apps record: resources put in by every sector (the Deal ledger), activity
(conversations, connections, hours exchanged), outcomes (ONS4 life satisfaction change of the people
supported, against a stated counterfactual, and outcome events valued by rules), and values them
with `commonweal.engines.valuation` (Green Book discounting, Monte Carlo uncertainty) into fiscal,
economic and social value, and the social productivity ratio: value created per pound of resources.

Fairness: resources and value per head by IMD decile, the share reaching the most deprived fifth
against its share of the population, value weighted by the Green Book's distributional weights,
and the slope index of inequality of the wellbeing gain across deprivation.

The result is plain data (JSON-ready dicts and lists) so it can be kept as a snapshot and shown
fast. Every figure carries how it was worked out (`trace`) and the assumptions it rests on.
"""

import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from commonweal.accounts.models import Organisation
from commonweal.deal.ledger import resources_in
from commonweal.deal.models import Sector
from commonweal.deal.models.sectors import sector_of_organisation
from commonweal.engines import valuation
from commonweal.investment.models import Award, Payment, PBProject
from commonweal.investment.models import Contribution as FundContribution
from commonweal.people.models import Connection, Conversation, WellbeingResponse

from .models import AccountAssumptions, OutcomeRule
from .outcomes import slope_index_summary
from .scope import Scope

LIFE_SATISFACTION = "life_satisfaction"


def assumptions_for(place: Any) -> AccountAssumptions:
    found = AccountAssumptions.objects.filter(place=place).first()
    return found or AccountAssumptions(place=place)


def build_account(scope: Scope) -> dict[str, Any]:
    """Build the account of a scope: resources, activity, outcomes, value, fairness, and the trace."""
    assumptions = assumptions_for(scope.place)
    threshold = settings.COMMONWEAL_SUPPRESSION_THRESHOLD
    areas = list(scope.neighbourhoods().values("id", "code", "name", "imd_decile", "population"))
    decile_of = {a["id"]: a["imd_decile"] for a in areas}
    population = sum(a["population"] for a in areas)

    resources = resources_in(
        scope.place, start=scope.start, end=scope.end, district=scope.district, neighbourhood=scope.neighbourhood
    )
    activity, activity_by_decile = _activity(scope, decile_of)
    activity["hours_given"] = float(resources.total.minutes) / 60
    activity_by_decile["hours_given"] = _hours_by_decile(resources, areas)
    investment = _investment(scope)
    activity.update({k: v for k, v in investment.items() if k != "grants_paid_pounds"})
    wellbeing = _wellbeing(scope, decile_of, assumptions)
    funds = _pooled_funds(scope)
    rules = list(OutcomeRule.objects.filter(place=scope.place))
    evaluation, weighted, lines = _value(
        scope, assumptions, resources, funds, activity, activity_by_decile, wellbeing, rules
    )
    result = evaluation.total
    account = {
        "scope": _scope_json(scope, population),
        "resources": _resources_json(resources, funds),
        "activity": _activity_json(activity, threshold),
        "wellbeing": _wellbeing_json(wellbeing, assumptions, threshold),
        "value": _value_json(result, weighted, assumptions),
        "fairness": _fairness_json(areas, resources, result, wellbeing, threshold),
        "neighbourhoods": _map_json(areas, resources, result, decile_of),
        "assumptions": _assumptions_json(assumptions, rules),
        "trace": lines,
        "connections_by_month": _connections_by_month(scope),
    }
    return account


def _hours_by_decile(resources: Any, areas: list[dict[str, Any]]) -> Counter[int]:
    hours: Counter[int] = Counter()
    for area in areas:
        hours[area["imd_decile"] or 0] += resources.by_neighbourhood.get(area["code"], _ZERO).minutes / 60
    return hours


def _connections_by_month(scope: Scope) -> list[list[Any]]:
    """Connections made each month of the period, for the SPC chart that tracks them."""
    rows = (
        Connection.objects.filter(
            Q(place=scope.place) & scope.people_filter(), referred_on__gte=scope.start, referred_on__lt=scope.end
        )
        .annotate(month=TruncMonth("referred_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    counts = {row["month"].isoformat()[:7]: row["n"] for row in rows}
    months, day = [], scope.start.replace(day=1)
    while day < scope.end:
        months.append([day.isoformat()[:7], counts.get(day.isoformat()[:7], 0)])
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


# --- activity ---------------------------------------------------------------------------------

ACTIVITY_LABELS = {
    "conversations": _("Conversations held"),
    "people_supported": _("People supported (with a conversation in the period)"),
    "connections_made": _("Connections made (referred in the period)"),
    "connections_sustained": _("Connections sustained (in the period)"),
    "hours_given": _("Hours given (the Deal ledger)"),
    "grants_awarded": _("Grants awarded on trust"),
    "pb_projects_delivered": _("Participatory budgeting projects delivered"),
}


def _investment(scope: Scope) -> dict[str, float]:
    """Grants awarded and paid in the period, and residents' PB projects delivered.

    Grants go to organisations, not neighbourhoods, so they count only in the account of the whole place;
    PB projects count where they were placed.
    """
    projects = PBProject.objects.filter(
        place=scope.place,
        selected=True,
        delivery=PBProject.Delivery.DONE,
        milestones__done_on__gte=scope.start,
        milestones__done_on__lt=scope.end,
    )
    if scope.level != "place":
        projects = projects.filter(neighbourhood__in=scope.neighbourhoods())
    figures = {"pb_projects_delivered": float(projects.distinct().count())}
    if scope.level == "place":
        awards = Award.objects.filter(place=scope.place, award_date__gte=scope.start, award_date__lt=scope.end)
        paid = Payment.objects.filter(award__place=scope.place, paid_on__gte=scope.start, paid_on__lt=scope.end)
        figures["grants_awarded"] = float(awards.count())
        figures["grants_paid_pounds"] = (paid.aggregate(total=Sum("amount_pence"))["total"] or 0) / 100
    return figures


def _activity(scope: Scope, decile_of: dict[int, int | None]) -> tuple[dict[str, float], dict[str, Counter[int]]]:
    where = Q(place=scope.place) & scope.people_filter()
    conversations = Conversation.objects.filter(where, held_on__gte=scope.start, held_on__lt=scope.end)
    made = Connection.objects.filter(where, referred_on__gte=scope.start, referred_on__lt=scope.end)
    sustained = Connection.objects.filter(where, sustained_on__gte=scope.start, sustained_on__lt=scope.end)
    by_decile: dict[str, Counter[int]] = {}
    counts: dict[str, float] = {}
    for key, rows, distinct in (
        ("conversations", conversations, False),
        ("people_supported", conversations, True),
        ("connections_made", made, False),
        ("connections_sustained", sustained, False),
    ):
        grouped = rows.values("person__neighbourhood").annotate(
            n=Count("person", distinct=True) if distinct else Count("pk")
        )
        tally: Counter[int] = Counter()
        for row in grouped:
            tally[decile_of.get(row["person__neighbourhood"]) or 0] += row["n"]
        by_decile[key] = tally
        counts[key] = float(sum(tally.values()))
    if counts["people_supported"]:
        # Distinct people across neighbourhoods: a person who moved counts once for the scope.
        counts["people_supported"] = float(conversations.values("person").distinct().count())
    return counts, by_decile


def _activity_json(activity: dict[str, float], threshold: int) -> list[dict[str, Any]]:
    return [
        {"key": key, "label": str(ACTIVITY_LABELS[key]), "count": None if value < threshold else value}
        for key, value in activity.items()
    ]


# --- wellbeing --------------------------------------------------------------------------------


@dataclass
class Wellbeing:
    people: int
    mean_change: float | None
    net_change: float | None
    by_decile: dict[int, list[float]]  # decile -> each person's change


def _wellbeing(scope: Scope, decile_of: dict[int, int | None], assumptions: AccountAssumptions) -> Wellbeing:
    """Life satisfaction change from the first answer to the latest follow-up in the period."""
    rows = (
        WellbeingResponse.objects.filter(
            Q(place=scope.place) & scope.people_filter(), taken_on__lt=scope.end, instrument__code="ons4"
        )
        .annotate(score=KT(f"scores__{LIFE_SATISFACTION}"))
        .values_list("person_id", "person__neighbourhood_id", "taken_on", "occasion", "score")
        .order_by("person_id", "taken_on", "id")
    )
    first: dict[int, float] = {}
    latest: dict[int, tuple[datetime.date, float, int | None]] = {}
    for person, hood, taken_on, occasion, score in rows:
        if score is None:
            continue
        value = float(score)
        if person not in first:
            first[person] = value
        elif occasion == WellbeingResponse.Occasion.FOLLOW_UP and taken_on >= scope.start:
            latest[person] = (taken_on, value, hood)
    by_decile: dict[int, list[float]] = defaultdict(list)
    changes = []
    for person, (_day, value, hood) in latest.items():
        change = value - first[person]
        changes.append(change)
        by_decile[decile_of.get(hood) or 0].append(change)
    mean = sum(changes) / len(changes) if changes else None
    net = None if mean is None else mean - assumptions.counterfactual_change
    return Wellbeing(len(changes), mean, net, dict(by_decile))


def _wellbeing_json(w: Wellbeing, assumptions: AccountAssumptions, threshold: int) -> dict[str, Any]:
    shown = w.people >= threshold
    return {
        "people": w.people if shown else None,
        "mean_change": w.mean_change if shown else None,
        "counterfactual_change": assumptions.counterfactual_change,
        "net_change": w.net_change if shown else None,
    }


# --- value ------------------------------------------------------------------------------------


def _decile_shares(tally: Counter[int] | dict[int, float]) -> dict[int, float] | None:
    total = sum(v for d, v in tally.items() if d)
    if not total:
        return None
    return {int(d): v / total for d, v in tally.items() if d}


def _value(
    scope: Scope,
    assumptions: AccountAssumptions,
    resources: Any,
    funds: dict[str, float],
    activity: dict[str, float],
    activity_by_decile: dict[str, Counter[int]],
    wellbeing: Wellbeing,
    rules: list[OutcomeRule],
) -> tuple[Any, Any, list[dict[str, Any]]]:
    trace: list[dict[str, Any]] = []
    outcomes = []
    if wellbeing.people and wellbeing.net_change is not None:
        net = wellbeing.net_change
        wellby = valuation.default_value_set()
        low, central, high = (wellby[f"HMT-WELLBY-{v}"].value for v in ("LOW", "CENTRAL", "HIGH"))
        values = sorted((net * low, net * central, net * high))
        outcomes.append(
            valuation.Outcome(
                name=str(_("Life satisfaction gain (WELLBYs)")),
                value=valuation.Triangular(*values) if values[0] != values[2] else values[1],
                people=wellbeing.people,
                category="social",
                price_year=2019,
                duration=assumptions.duration_years,
                drop_off=assumptions.drop_off,
                deadweight=assumptions.deadweight,
                attribution=assumptions.attribution,
                deciles=_decile_shares({d: len(v) for d, v in wellbeing.by_decile.items()}),
                source="HM Treasury Green Book supplementary guidance: wellbeing (2021), £13,000 per WELLBY (2019 prices)",
            )
        )
        trace.append(
            {
                "figure": str(_("Life satisfaction gain")),
                "how": str(
                    _(
                        "%(people)s people with a first and a follow-up ONS4 answer; mean change %(mean).2f points, minus "
                        "%(cf).2f points they would have gained anyway = %(net).2f WELLBYs each, valued at £10,000 / "
                        "£13,000 / £16,000 (2019 prices), for %(years)s year(s) with %(drop).0f%% drop-off, %(att).0f%% "
                        "attributed to others"
                    )
                    % {
                        "people": wellbeing.people,
                        "mean": wellbeing.mean_change or 0,
                        "cf": assumptions.counterfactual_change,
                        "net": net,
                        "years": assumptions.duration_years,
                        "drop": assumptions.drop_off * 100,
                        "att": assumptions.attribution * 100,
                    }
                ),
                "records": "people.WellbeingResponse",
            }
        )
    value_set = valuation.default_value_set()
    for rule in rules:
        units = activity.get(rule.activity, 0.0)
        if not units:
            continue
        try:
            unit = value_set[rule.value_id]
        except (KeyError, valuation.ValuationError):
            trace.append(
                {
                    "figure": rule.name,
                    "how": str(_("not valued: unknown value id %(id)s") % {"id": rule.value_id}),
                    "records": "",
                }
            )
            continue
        # The quantity per unit of activity is uncertain; it scales the unit value.
        spread = sorted((unit.value * rule.quantity_low, unit.value * rule.quantity, unit.value * rule.quantity_high))
        outcomes.append(
            valuation.Outcome(
                name=rule.name,
                value=valuation.Triangular(*spread) if spread[0] < spread[2] else spread[1],
                people=units,
                category=rule.category,
                agency=unit.agency or "",
                price_year=unit.price_year,
                deadweight=rule.deadweight,
                attribution=rule.attribution,
                deciles=_decile_shares(activity_by_decile.get(rule.activity, Counter())),
                source=rule.source,
            )
        )
        trace.append(
            {
                "figure": rule.name,
                "how": str(
                    _(
                        "%(units)s %(activity)s x %(q)s (between %(lo)s and %(hi)s) x £%(value)s (%(id)s, %(year)s prices), "
                        "less %(dw).0f%% deadweight and %(att).0f%% attribution; evidence: %(source)s"
                    )
                    % {
                        "units": f"{units:,.0f}",
                        "activity": rule.get_activity_display().lower(),
                        "q": rule.quantity,
                        "lo": rule.quantity_low,
                        "hi": rule.quantity_high,
                        "value": f"{unit.value:,.2f}",
                        "id": rule.value_id,
                        "year": unit.price_year,
                        "dw": rule.deadweight * 100,
                        "att": rule.attribution * 100,
                        "source": rule.source,
                    }
                ),
                "records": f"people / deal: {rule.activity}",
            }
        )
    resource_lines = _resource_lines(resources, assumptions) + [
        valuation.Resource(
            name=f"{Sector(sector).label}: {_('pooled funds')}",
            quantity=1.0,
            unit_value=pounds,
            valuation="market",
            sector=sector,
            unit="£",
            price_year=assumptions.price_year,
        )
        for sector, pounds in funds.items()
        if pounds > 0
    ]
    if funds:
        trace.append(
            {
                "figure": str(_("Money put into pooled funds")),
                "how": str(
                    _(
                        "Partners' contributions received by the place's funds in the period, by the partner's sector "
                        "(recorded in the funds, not again in the Deal ledger)"
                    )
                ),
                "records": "investment.Contribution",
            }
        )
    trace.append(
        {
            "figure": str(_("Resources put in")),
            "how": str(
                _(
                    "%(count)s contributions in the Deal ledger from %(start)s to before %(end)s: money, time valued at the "
                    "rate recorded with each entry, and in-kind gifts at their stated value"
                )
                % {"count": f"{resources.total.count:,}", "start": scope.start, "end": scope.end}
            ),
            "records": "deal.Contribution",
        }
    )
    intervention = valuation.Intervention(
        name=scope.label, outcomes=outcomes, resources=resource_lines, key=scope.area_code or scope.place.code
    )
    weights = _decile_weights(assumptions)
    evaluation = valuation.evaluate(
        intervention, draws=assumptions.draws, seed=2019, price_year=assumptions.price_year, decile_weights=weights
    )
    weighted = evaluation.total.pv_welfare_weighted
    return evaluation, weighted, trace


def _resource_lines(resources: Any, assumptions: AccountAssumptions) -> list[Any]:
    """Each sector's money, time and in-kind gifts, as the ledger valued them (in the account's price year)."""
    lines = []
    for sector in Sector:
        totals = resources.by_sector[sector.value]
        for pence, how, what in (
            (totals.money_pence, "market", _("money")),
            (totals.time_value_pence, "replacement", _("time")),
            (totals.in_kind_pence, "market", _("in kind")),
        ):
            if pence > 0:
                lines.append(
                    valuation.Resource(
                        name=f"{sector.label}: {what}",
                        quantity=1.0,
                        unit_value=pence / 100,
                        valuation=how,
                        sector=sector.value,
                        unit="£",
                        price_year=assumptions.price_year,
                    )
                )
    return lines


def _decile_weights(assumptions: AccountAssumptions) -> dict[int, float]:
    ratios = {int(d): float(r) for d, r in assumptions.relative_income.items()}
    return {d: valuation.distributional_weight(1 / r) for d, r in ratios.items() if r > 0}


def _summary(result: Any, name: str) -> tuple[float | None, float | None]:
    summary = result.uncertainty.get(name)
    if summary is None:
        return None, None
    return summary.percentiles.get(5.0, summary.percentiles.get(5)), summary.percentiles.get(
        95.0, summary.percentiles.get(95)
    )


def _finite(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def _value_json(result: Any, weighted: float | None, assumptions: AccountAssumptions) -> dict[str, Any]:
    low, high = _summary(result, "social_productivity_ratio")
    value = result.pv_fiscal + result.pv_economic + result.pv_social
    return {
        "fiscal": result.pv_fiscal,
        "economic": result.pv_economic,
        "social": result.pv_social,
        "total": value,
        "resources": result.pv_resources,
        "resources_by_sector": dict(result.resources_by_sector),
        "fiscal_by_agency": dict(result.fiscal_by_agency),
        "ratio": _finite(result.social_productivity_ratio),
        "ratio_low": _finite(low),
        "ratio_high": _finite(high),
        "probability_value_exceeds_cost": result.probability_value_exceeds_cost,
        "equity_weighted": weighted,
        "draws": assumptions.draws,
        "price_year": assumptions.price_year,
    }


# --- fairness ---------------------------------------------------------------------------------


def _fairness_json(
    areas: list[dict[str, Any]], resources: Any, result: Any, wellbeing: Wellbeing, threshold: int
) -> dict[str, Any]:
    population: Counter[int] = Counter()
    spent: Counter[int] = Counter()
    for area in areas:
        decile = area["imd_decile"] or 0
        population[decile] += area["population"]
        spent[decile] += resources.by_neighbourhood.get(area["code"], _ZERO).value_pence / 100
    value = {int(d): v for d, v in result.value_by_decile.items()}
    total_pop, total_spent, total_value = sum(population.values()), sum(spent.values()), sum(value.values())
    rows = []
    for decile in range(1, 11):
        pop = population.get(decile, 0)
        rows.append(
            {
                "decile": decile,
                "population": pop,
                "population_share": pop / total_pop if total_pop else None,
                "resources": spent.get(decile, 0.0),
                "resources_share": spent.get(decile, 0.0) / total_spent if total_spent else None,
                "value": value.get(decile, 0.0),
                "value_share": value.get(decile, 0.0) / total_value if total_value else None,
                "resources_per_head": spent.get(decile, 0.0) / pop if pop else None,
                "value_per_head": value.get(decile, 0.0) / pop if pop else None,
            }
        )
    fifth = [r for r in rows if r["decile"] <= 2]

    def share(key: str) -> float | None:
        parts = [r[key] for r in fifth if r[key] is not None]
        return sum(parts) if parts else None

    return {
        "deciles": rows,
        "not_placed_resources": resources.by_neighbourhood.get(None, _ZERO).value_pence / 100,
        "most_deprived_fifth": {
            "population_share": share("population_share"),
            "resources_share": share("resources_share"),
            "value_share": share("value_share"),
        },
        "sii": _wellbeing_sii(wellbeing, population, threshold),
    }


_ZERO = type("Zero", (), {"value_pence": 0, "minutes": 0})()


def _wellbeing_sii(wellbeing: Wellbeing, population: Counter[int], threshold: int) -> dict[str, Any] | None:
    """The slope index of inequality of the life satisfaction gain across deprivation quintiles."""
    quintiles: dict[int, list[float]] = defaultdict(list)
    pops: Counter[int] = Counter()
    for decile, changes in wellbeing.by_decile.items():
        if decile:
            quintiles[(decile + 1) // 2].extend(changes)
    for decile, pop in population.items():
        if decile:
            pops[(decile + 1) // 2] += pop
    rows = []
    for q in range(1, 6):
        changes = quintiles.get(q, [])
        if len(changes) < max(threshold, 2):
            return None  # every quintile needs enough people, or the slope would rest on a few
        mean = sum(changes) / len(changes)
        sd = math.sqrt(sum((c - mean) ** 2 for c in changes) / (len(changes) - 1))
        rows.append(
            {"quantile": q, "population": pops.get(q, 0) or 1, "value": mean, "se": sd / math.sqrt(len(changes))}
        )
    summary = slope_index_summary(pd.DataFrame(rows), se="se")
    if summary is None:
        return None
    return {
        **summary,
        "by_quintile": [
            {"quintile": r["quantile"], "mean_change": r["value"], "people": len(quintiles[r["quantile"]])}
            for r in rows
        ],
    }


def _map_json(
    areas: list[dict[str, Any]], resources: Any, result: Any, decile_of: dict[int, int | None]
) -> list[dict[str, Any]]:
    # Value reaches a neighbourhood in proportion to its decile's value and its share of the decile's people.
    decile_pop: Counter[int] = Counter()
    for area in areas:
        decile_pop[area["imd_decile"] or 0] += area["population"]
    value = {int(d): v for d, v in result.value_by_decile.items()}
    rows = []
    for area in areas:
        pop = area["population"]
        decile = area["imd_decile"] or 0
        share = pop / decile_pop[decile] if decile_pop[decile] else 0
        spent = resources.by_neighbourhood.get(area["code"], _ZERO).value_pence / 100
        rows.append(
            {
                "code": area["code"],
                "name": area["name"],
                "imd_decile": area["imd_decile"],
                "population": pop,
                "resources_per_head": spent / pop if pop else None,
                "value_per_head": value.get(decile, 0.0) * share / pop if pop else None,
            }
        )
    return rows


# --- the rest ---------------------------------------------------------------------------------


def _scope_json(scope: Scope, population: int) -> dict[str, Any]:
    return {
        "level": scope.level,
        "place_code": scope.place.code,
        "place_name": scope.place.name,
        "area_code": scope.area_code,
        "label": scope.label,
        "start": scope.start.isoformat(),
        "end": scope.end.isoformat(),
        "population": population,
    }


def _pooled_funds(scope: Scope) -> dict[str, float]:
    """Money partners put into the place's pooled funds in the period, by sector (whole place only)."""
    if scope.level != "place":
        return {}
    rows = (
        FundContribution.objects.filter(
            fund__place=scope.place, received_on__gte=scope.start, received_on__lt=scope.end
        )
        .values("organisation__kind")
        .annotate(pence=Sum("amount_pence"))
        .order_by()
    )
    funds: dict[str, float] = defaultdict(float)
    for row in rows:
        sector = sector_of_organisation(Organisation(kind=row["organisation__kind"])).value
        funds[sector] += row["pence"] / 100
    return dict(funds)


def _resources_json(resources: Any, funds: dict[str, float]) -> dict[str, Any]:
    return {
        "by_sector": [
            {
                "sector": sector.value,
                "label": str(sector.label),
                "pounds": float(resources.by_sector[sector.value].value_pounds) + funds.get(sector.value, 0.0),
                "ledger_pounds": float(resources.by_sector[sector.value].value_pounds),
                "funds_pounds": funds.get(sector.value, 0.0),
                "hours": float(resources.by_sector[sector.value].hours),
                "count": resources.by_sector[sector.value].count,
            }
            for sector in Sector
        ],
        "total_pounds": float(resources.total.value_pounds) + sum(funds.values()),
        "total_hours": float(resources.total.hours),
        "count": resources.total.count,
        "reconciles": resources.reconciles(),
    }


def _assumptions_json(assumptions: AccountAssumptions, rules: list[OutcomeRule]) -> list[dict[str, Any]]:
    rows = [
        {
            "label": str(_("Counterfactual life satisfaction change")),
            "value": assumptions.counterfactual_change,
            "source": assumptions.counterfactual_source,
        },
        {"label": str(_("Deadweight")), "value": assumptions.deadweight, "source": ""},
        {"label": str(_("Attribution to others")), "value": assumptions.attribution, "source": ""},
        {"label": str(_("Years a wellbeing gain lasts")), "value": assumptions.duration_years, "source": ""},
        {"label": str(_("Drop-off a year")), "value": assumptions.drop_off, "source": ""},
        {"label": str(_("Discounting")), "value": "Green Book STPR 3.5%", "source": "HM Treasury Green Book (2022)"},
        {"label": str(_("Price year")), "value": assumptions.price_year, "source": "GDP deflator"},
        {"label": str(_("Monte Carlo draws")), "value": assumptions.draws, "source": ""},
        {
            "label": str(_("Household income by IMD decile (relative)")),
            "value": assumptions.relative_income,
            "source": assumptions.relative_income_source,
        },
    ]
    rows += [
        {
            "label": rule.name,
            "value": f"{rule.quantity_low}-{rule.quantity_high} x {rule.value_id}",
            "source": rule.source,
        }
        for rule in rules
    ]
    return rows
