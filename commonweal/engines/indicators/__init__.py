"""England's public-health indicator statistics, in pure Python: the PHEindicatormethods methods.

Every DataFrame function takes a pandas or polars frame, column names and an optional ``by``
grouping, and returns a frame of the same kind with ``value``, its limits (``lowercl`` and
``uppercl``, or ``lower95_0cl``-style names for several levels), ``confidence``, ``statistic``
and ``method``. Underneath is a vectorised numpy core that can be used directly. Policy choices
(confidence, multiplier, method, transform, seed) are keyword arguments with documented defaults.
Bad input raises :class:`IndicatorsError`; input the method cannot use but that R reports as NA
(e.g. a zero population in a life table) gives NA with an :class:`IndicatorsWarning`.

=============================  ===================================================================
Function                       What it returns (R equivalent)
=============================  ===================================================================
``proportion``                 proportions with Wilson limits (``phe_proportion``)
``rate``                       crude rates, exact limits below 10 events, Byar's from 10 (``phe_rate``)
``mean``                       means with Student's t limits (``phe_mean``)
``dsr``                        directly standardised rates, Dobson limits (``calculate_dsr``)
``isratio``                    indirectly standardised ratios (``calculate_ISRatio``)
``israte``                     indirectly standardised rates (``calculate_ISRate``)
``life_expectancy``            Chiang II life expectancy, Silcocks limits (``phe_life_expectancy``)
``healthy_life_expectancy``    Sullivan healthy life expectancy (EHEMU guide; ONS)
``sii``                        slope and relative index of inequality (``phe_sii``)
``quantiles``                  quantile of each area within its group (``phe_quantile``)
``funnel_limits``              100 points of 2s and 3s funnel limits (``calculate_funnel_limits``)
``funnel_significance``        each record's funnel significance (``assign_funnel_significance``)
``funnel_points``              rates and yearly populations to plot (``calculate_funnel_points``)
``wilson_limits``              numpy core: Wilson score limits
``byars_limits``               numpy core: Byar's limits for a count
``exact_poisson_limits``       numpy core: exact Poisson limits for a count
``poisson_limits``             numpy core: exact below 10, Byar's from 10
``t_limits``                   numpy core: Student's t limits for a mean
``dobson_limits``              numpy core: Dobson limits for a weighted sum of counts
``life_table``                 numpy core: life tables for many areas at once
``healthy_life_table``         numpy core: Sullivan healthy life tables
``slope_index``                numpy core: SII/RII for many areas at once
``proportion_funnel``          numpy core: proportion funnel point
``poisson_funnel``             numpy core: Poisson funnel point (expected events)
``ratio_funnel_bound``         numpy core: ratio limit used for funnel significance
``confidence_levels``          confidence levels as fractions (0.95 or 95 accepted)
``z_value``                    two-sided normal critical value
=============================  ===================================================================

Examples, one per function, in the table's order:

>>> import pandas as pd
>>> df = pd.DataFrame({"area": ["A", "B"], "x": [65, 20], "n": [100, 100]})
>>> proportion(df, "x", "n")["lowercl"].round(6).tolist()
[0.552544, 0.133367]
>>> rate(df, "x", "n", multiplier=100)["uppercl"].round(4).tolist()
[82.8491, 30.8899]
>>> round(float(mean(pd.DataFrame({"v": [1.0, 2.0, 3.0, 4.0]}), "v")["uppercl"].iloc[0]), 4)
4.5543
>>> bands = pd.DataFrame({"x": [50] * 19, "n": [1000] * 19})
>>> float(dsr(bands, "x", "n")["value"].iloc[0])
5000.0
>>> ref = pd.DataFrame({"x": [30, 20], "n": [1000, 500]})
>>> float(isratio(ref, "x", "n", refcount=[20, 10], refpop=[1000, 1000])["value"].iloc[0])
2.0
>>> float(israte(ref, "x", "n", refcount=[20, 10], refpop=[1000, 1000])["value"].iloc[0])
3000.0
>>> le = pd.DataFrame({"age": STANDARD_AGES, "deaths": DF1_DEATHS, "pops": DF1_POPS})
>>> round(float(life_expectancy(le, "deaths", "pops", "age")["value"].iloc[0]), 4)
80.1696
>>> le["good"], le["asked"] = 1.0, 100
>>> round(float(healthy_life_expectancy(le, "deaths", "pops", "age", "good", "asked")["value"].iloc[0]), 4)
80.1696
>>> deciles = pd.DataFrame({"q": range(1, 11), "pop": [100] * 10,
...                         "v": [70.0 + i for i in range(10)], "se": [1.0] * 10})
>>> round(float(sii(deciles, "q", "pop", value="v", se="se", repetitions=1000, seed=1)["value"].iloc[0]), 6)
10.0
>>> quantiles(deciles, "v", nquantiles=5)["quantile"].tolist()[:3]
[5.0, 5.0, 4.0]
>>> spread = pd.DataFrame({"x": [40, 55, 70], "n": [100, 110, 120]})
>>> len(funnel_limits(spread, "x", "n", statistic="proportion", multiplier=100))
100
>>> funnel_significance(spread, "x", "n", statistic="proportion")["significance"].tolist()
['Low (0.025)', 'Not significant', 'Not significant']
>>> rates = pd.DataFrame({"ev": [20, 5], "r": [100.0, 50.0]})
>>> funnel_points(rates, "ev", "r", rate_type="dsr", years_of_data=1, multiplier=1e5)["denominator_derived"].tolist()[0]
20000.0
>>> [round(float(v), 6) for v in wilson_limits(65, 100)]
[0.552544, 0.736358]
>>> [round(float(v), 4) for v in byars_limits(65)]
[50.1632, 82.8491]
>>> [round(float(v), 4) for v in exact_poisson_limits(1)]
[0.0253, 5.5716]
>>> [round(float(v), 4) for v in poisson_limits(5)]
[1.6235, 11.6683]
>>> [round(float(v), 4) for v in t_limits(10.0, 2.0, 4)]
[6.8176, 13.1824]
>>> [round(float(v), 1) for v in dobson_limits(1000.0, 1e-6, 100, confidence=0.95, multiplier=1e5)]
[813.6, 1216.3]
>>> round(float(life_table(DF1_DEATHS, DF1_POPS).se[0, 0]), 6)
0.146389
>>> round(float(healthy_life_table(DF1_DEATHS, DF1_POPS, [0.5] * 20, [100] * 20).value[0, -1]), 6)
3.081053
>>> round(float(slope_index([70, 72, 74, 76, 78], [100] * 5, se=[1] * 5, repetitions=1000, seed=1).sii[0]), 6)
10.0
>>> round(float(proportion_funnel(0.975, 100, 0.5, "low")), 6)
0.402002
>>> round(float(poisson_funnel(10, 0.025, "high")), 4)
18.3904
>>> round(float(ratio_funnel_bound(20, 10, 0.95, "low")), 6)
1.221143
>>> confidence_levels([95, 0.998])
(0.95, 0.998)
>>> round(z_value(0.95), 6)
1.959964

Constants: ``ESP2013`` (European Standard Population 2013, 19 bands), ``STANDARD_AGES`` (the 20
life table bands), and ``DF1_DEATHS``/``DF1_POPS`` (the R package's worked life table example).
The methods and their sources are in ``docs/methods/indicators.md``.
"""

from .basic import mean, proportion, rate
from .errors import IndicatorsError, IndicatorsWarning
from .funnels import (
    funnel_limits,
    funnel_points,
    funnel_significance,
    poisson_funnel,
    proportion_funnel,
    ratio_funnel_bound,
)
from .inequality import SlopeIndex, quantiles, sii, slope_index
from .life_expectancy import (
    STANDARD_AGES,
    LifeTable,
    healthy_life_expectancy,
    healthy_life_table,
    life_expectancy,
    life_table,
)
from .limits import (
    byars_limits,
    confidence_levels,
    exact_poisson_limits,
    poisson_limits,
    t_limits,
    wilson_limits,
    z_value,
)
from .standardised import ESP2013, dobson_limits, dsr, israte, isratio

#: Deaths by band in PHEindicatormethods' life expectancy example (``df1``).
DF1_DEATHS: tuple[int, ...] = (
    17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937,
)  # fmt: skip
#: Population by band in the same example.
DF1_POPS: tuple[int, ...] = (
    7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601,
    50209, 56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936,
)  # fmt: skip

__all__ = [
    "DF1_DEATHS",
    "DF1_POPS",
    "ESP2013",
    "STANDARD_AGES",
    "IndicatorsError",
    "IndicatorsWarning",
    "LifeTable",
    "SlopeIndex",
    "byars_limits",
    "confidence_levels",
    "dobson_limits",
    "dsr",
    "exact_poisson_limits",
    "funnel_limits",
    "funnel_points",
    "funnel_significance",
    "healthy_life_expectancy",
    "healthy_life_table",
    "israte",
    "isratio",
    "life_expectancy",
    "life_table",
    "mean",
    "poisson_funnel",
    "poisson_limits",
    "proportion",
    "proportion_funnel",
    "quantiles",
    "rate",
    "ratio_funnel_bound",
    "sii",
    "slope_index",
    "t_limits",
    "wilson_limits",
    "z_value",
]
