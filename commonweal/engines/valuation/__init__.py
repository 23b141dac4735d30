"""Valuation: the social value of what a place invests in, Green Book-correct, with uncertainty.

Pure Python and numpy (no Django). Discounting follows the HM Treasury Green Book (declining
STPR schedules), prices are rebased with the GDP deflator, benefits follow SROI and GMCA
conventions (deadweight, attribution, displacement, drop-off; fiscal, economic and social
value; cohort flows), wellbeing is valued in WELLBYs, costs carry optimism bias, and every
sector's resources count. Any input may be a distribution; :func:`evaluate` then runs a
seedable Monte Carlo, vectorised across draws and across a portfolio. Method, sources and a
worked example: ``docs/methods/valuation.md``.

==================================  ===============================================================
function                            example
==================================  ===============================================================
:func:`discount_factors`            ``round(discount_factors(30), 6)`` -> 0.356278
:func:`present_value`               ``round(present_value([100.0] * 10, first_year=1), 2)`` -> 831.66
:func:`rebase`                      ``round(rebase(13_000, 2019, 2024), 2)`` -> 16027.91
:func:`parse_price_year`            ``parse_price_year("2013/14").financial`` -> True
:func:`default_deflator`            ``default_deflator().index[2024]`` -> 100.0
:func:`parse_deflator_from_string`  ``parse_deflator_from_string("year,index\\n2024,100\\n")``
:func:`load_deflator`               ``load_deflator("gdp_deflator.csv")``
:func:`wellby_value`                ``wellby_value(0.2)`` -> 2600.0
:func:`wellby_outcome`              ``wellby_outcome("Less lonely", 0.2, people=80).value`` -> 2600.0
:func:`optimism_bias`               ``optimism_bias({"standard buildings": 1.0})`` -> 0.24
:func:`distributional_weight`       ``round(distributional_weight(1.961), 2)`` -> 2.4
:func:`income_weights`              ``income_weights({1: 20_000, 2: 40_000}, reference=40_000)``
:func:`default_value_set`           ``default_value_set()["HMT-WELLBY-CENTRAL"].value`` -> 13000.0
:func:`parse_value_set_from_string` ``parse_value_set_from_string(csv_text)``
:func:`load_value_set`              ``load_value_set("unit_costs.csv")``
:func:`evaluate`                    ``evaluate(interventions, draws=10_000, seed=1)``
==================================  ===============================================================

Inputs are :class:`Intervention` (with :class:`Outcome`, :class:`Cost` and :class:`Resource`
lines) and distributions :class:`Uniform`, :class:`Triangular`, :class:`Pert`, :class:`Normal`
and :class:`LogNormal`. Results are an :class:`Evaluation` of :class:`InterventionResult`, with
:class:`Summary` for each uncertain measure. Errors are :class:`ValuationError`.

>>> round(discount_factors(30), 6), round(discount_factors(31), 6)
(0.356278, 0.345901)
>>> round(discount_factors(30, schedule="health"), 6)
0.639762
>>> round(present_value([100.0] * 10, first_year=1), 2)
831.66
>>> round(rebase(rebase(250.0, "2013/14", 2024), 2024, "2013/14"), 9)
250.0
>>> parse_price_year("2013/14")
ParsedYear(year=2013, financial=True)
>>> default_deflator().index[2024]
100.0
>>> parse_deflator_from_string("year,index\\n2023,96.25\\n2024,100\\n").level(2023)
96.25
>>> wellby_value(0.2)
2600.0
>>> wellby_outcome("Less lonely", 0.2, people=80).value
2600.0
>>> round(optimism_bias({"non-standard buildings": 0.3, "standard buildings": 0.7}), 3)
0.321
>>> round(distributional_weight(1.961), 2)
2.4
>>> income_weights({1: 20_000, 2: 40_000}, reference=40_000)[2]
1.0
>>> default_value_set()["HMT-WELLBY-CENTRAL"].value
13000.0
>>> parse_value_set_from_string("id,description,value_gbp,price_year\\nX,A visit,38,2013/14\\n")["X"].price_year
'2013/14'
>>> service = Intervention(
...     "Befriending",
...     costs=[Cost("Coordinator", [30_000])],
...     outcomes=[Outcome("Less lonely", value=Triangular(2_000, 2_600, 3_200), people=20, deadweight=0.25)],
... )
>>> result = evaluate(service, draws=2_000, seed=1)[0]
>>> round(result.social_productivity_ratio, 3)
1.256
>>> 1.0 < result.uncertainty["social_productivity_ratio"].low < 1.256 < result.uncertainty["bcr"].high
True
>>> from importlib import resources
>>> data = resources.files("commonweal.engines.valuation").joinpath("data")
>>> load_deflator(str(data.joinpath("gdp_deflator.csv"))).index[2019]
81.1085
>>> len(load_value_set(str(data.joinpath("default_values.csv"))))
37
"""

from .discounting import HEALTH, REDUCED, STANDARD, DiscountSchedule, discount_factors, present_value
from .distributions import Distribution, LogNormal, Normal, Pert, Quantity, Triangular, Uniform
from .errors import ValuationError
from .evaluation import HEADLINE, SUMMARISABLE, Evaluation, InterventionResult, Summary, evaluate
from .fairness import GREEN_BOOK_ELASTICITY, distributional_weight, income_weights
from .model import Cost, Intervention, Outcome, Resource
from .optimism import GREEN_BOOK_OPTIMISM_BIAS, optimism_bias
from .prices import (
    Deflator,
    ParsedYear,
    default_deflator,
    load_deflator,
    parse_deflator_from_string,
    parse_price_year,
    rebase,
)
from .values import Value, ValueSet, default_value_set, load_value_set, parse_value_set_from_string
from .wellbeing import WELLBY_VALUES, wellby_outcome, wellby_value

__all__ = [
    "GREEN_BOOK_ELASTICITY",
    "GREEN_BOOK_OPTIMISM_BIAS",
    "HEADLINE",
    "HEALTH",
    "REDUCED",
    "STANDARD",
    "SUMMARISABLE",
    "WELLBY_VALUES",
    "Cost",
    "Deflator",
    "DiscountSchedule",
    "Distribution",
    "Evaluation",
    "Intervention",
    "InterventionResult",
    "LogNormal",
    "Normal",
    "Outcome",
    "ParsedYear",
    "Pert",
    "Quantity",
    "Resource",
    "Summary",
    "Triangular",
    "Uniform",
    "ValuationError",
    "Value",
    "ValueSet",
    "default_deflator",
    "default_value_set",
    "discount_factors",
    "distributional_weight",
    "evaluate",
    "income_weights",
    "load_deflator",
    "load_value_set",
    "optimism_bias",
    "parse_deflator_from_string",
    "parse_price_year",
    "parse_value_set_from_string",
    "present_value",
    "rebase",
    "wellby_outcome",
    "wellby_value",
]
