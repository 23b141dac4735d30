"""Demo outcome data: what a public-health team would import for the place, with a deprivation gradient.

- Emergency admissions after a fall, people 65 and over: monthly counts by neighbourhood for two
  years (a crude rate per 100,000; the SPC chart tracks it).
- Deaths by age band for one year (life expectancy at birth by district and IMD decile).
"""

import datetime
import math
import random
from typing import Any

from .models import AGE_STARTS, AccountAssumptions, IndicatorSeries, OutcomeRule
from .services import create_indicator_series, default_period, import_indicator_text, rebuild_place_accounts

# Share of a neighbourhood's people in each of the 20 life-table bands (an English age structure).
AGE_SHARES = (
    0.011,
    0.046,
    0.058,
    0.057,
    0.054,
    0.062,
    0.067,
    0.066,
    0.064,
    0.061,
    0.064,
    0.069,
    0.068,
    0.060,
    0.053,
    0.052,
    0.038,
    0.027,
    0.016,
    0.011,
)
# England-like death rates per person-year by band, before the deprivation gradient.
DEATH_RATES = (
    0.0040,
    0.00012,
    0.00008,
    0.00009,
    0.00025,
    0.00040,
    0.00050,
    0.00065,
    0.00090,
    0.0013,
    0.0020,
    0.0031,
    0.0048,
    0.0075,
    0.012,
    0.019,
    0.032,
    0.055,
    0.097,
    0.19,
)


def build(context: Any) -> None:
    place = context.place
    rng = random.Random(context.seed + 10)
    neighbourhoods = list(place.neighbourhoods.order_by("code").values_list("code", "population", "imd_decile"))
    falls = create_indicator_series(
        place,
        "falls-admissions-65",
        "Emergency admissions after a fall, people aged 65 and over",
        "rate",
        by=None,
        multiplier=100_000,
        improvement="decrease",
        source="Demo data, generated (shaped like OHID indicator 22401)",
    )
    import_indicator_text(falls, _falls_csv(neighbourhoods, rng), file="demo:falls.csv", by=None)
    deaths = create_indicator_series(
        place,
        "life-expectancy",
        "Life expectancy at birth",
        IndicatorSeries.Statistic.LIFE_EXPECTANCY,
        by=None,
        improvement="increase",
        source="Demo data, generated (deaths and mid-year populations by age band)",
    )
    import_indicator_text(deaths, _deaths_csv(neighbourhoods, rng), file="demo:deaths.csv", by=None)
    context.objects["indicator_series"] = [falls, deaths]
    _account_policy(place)
    # Kept accounts for the place and its districts over the default period, as the nightly
    # `rebuild_accounts` leaves them: the first visitor to an account page gets it at once, not after a build.
    start, end = default_period()
    rebuild_place_accounts(place, start=start, end=end, by=None)


# The evidence behind the demo's rules: Polley, Bertotti et al. (2017), "A review of the evidence assessing
# impact of social prescribing on healthcare demand and cost implications", University of Westminster: on
# average 28% fewer GP consultations and 24% fewer A&E attendances after social prescribing.
EVIDENCE = "Polley et al. (2017), University of Westminster review of social prescribing"


def _account_policy(place: Any) -> None:
    """The council's stated assumptions and outcome rules: policy as data, edited in the admin site."""
    AccountAssumptions.objects.create(place=place)
    OutcomeRule.objects.create(
        place=place,
        name="GP consultations avoided",
        activity=OutcomeRule.Activity.CONNECTIONS_SUSTAINED,
        value_id="GMCA-UCD-HE20.2",
        quantity_low=1,
        quantity=2,
        quantity_high=3,
        category="fiscal",
        deadweight=0.2,
        attribution=0.3,
        source=f"{EVIDENCE}: 28% of about 7 consultations a year",
    )
    OutcomeRule.objects.create(
        place=place,
        name="A&E attendances avoided",
        activity=OutcomeRule.Activity.CONNECTIONS_SUSTAINED,
        value_id="GMCA-UCD-HE4.0",
        quantity_low=0.05,
        quantity=0.1,
        quantity_high=0.2,
        category="fiscal",
        deadweight=0.2,
        attribution=0.3,
        source=f"{EVIDENCE}: 24% of about 0.4 attendances a year",
    )


def _gradient(decile: int | None) -> float:
    # Rates in the most deprived decile about 1.8 times those in the least deprived.
    return 1.8 ** ((10 - (decile or 5)) / 9)


def _poisson(rng: random.Random, mean: float) -> int:
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _falls_csv(neighbourhoods: list[tuple[str, int, int | None]], rng: random.Random) -> str:
    lines = ["period,lsoa_code,count,population"]
    for month in range(24):
        period = datetime.date(2023 + (3 + month) // 12, (3 + month) % 12 + 1, 1)
        # A change tried in the second year: falls prevention classes cut admissions by about 12%.
        effect = 0.88 if month >= 15 else 1.0
        for code, population, decile in neighbourhoods:
            older = round(population * 0.19)
            mean = older * 0.0021 * _gradient(decile) * effect
            lines.append(f"{period:%Y-%m},{code},{_poisson(rng, mean)},{older}")
    return "\n".join(lines) + "\n"


def _deaths_csv(neighbourhoods: list[tuple[str, int, int | None]], rng: random.Random) -> str:
    lines = ["period,lsoa_code,age_band,deaths,population"]
    labels = ["0", "1-4", *[f"{a}-{a + 4}" for a in AGE_STARTS[2:-1]], "90+"]
    for code, population, decile in neighbourhoods:
        for label, share, rate in zip(labels, AGE_SHARES, DEATH_RATES, strict=True):
            people = max(1, round(population * share))
            lines.append(f"2023,{code},{label},{_poisson(rng, people * rate * _gradient(decile))},{people}")
    return "\n".join(lines) + "\n"
