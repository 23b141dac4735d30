"""Valuing given time: the council's rate on a date, or the default replacement-cost rate.

The default is a replacement cost (what it would cost to pay someone to do the work): a community
support worker's hour from the GMCA Unit Cost Database v1.4 (entry HE23.2, £20 at 2013/14 prices),
uprated to 2024 prices with HM Treasury's GDP deflator. The UCD's price years are financial years; the
deflator is by calendar year, so 2013/14 is weighted 9 months of 2013 and 3 of 2014:
20 x 100 / (0.75 x 73.4795 + 0.25 x 74.6524) = £27.11. The tests recompute it from
`shared/data/value/`. A council chooses its own rate (a `ValuationRate`), which then applies from its date.
"""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .models import ValuationRate
from .models.ledger import Basis


@dataclass(frozen=True)
class TimeRate:
    pence_per_hour: int
    basis: str
    price_year: str
    source: str
    rate_id: int | None = None  # None for the built-in default


DEFAULT_UCD_ENTRY = "GMCA-UCD-HE23.2"
DEFAULT_TIME_RATE = TimeRate(
    pence_per_hour=2711,
    basis=Basis.REPLACEMENT_COST.value,
    price_year="2024",
    source=(
        "Replacement cost: community support worker, GMCA Unit Cost Database v1.4 entry HE23.2 "
        "(£20.00 per hour, 2013/14 prices), uprated to 2024 prices with the HM Treasury GDP deflator "
        "(December 2025 release; financial year weighted 3/4 to 2013, 1/4 to 2014). Commonweal default."
    ),
)


def time_rate_on(place: object, on: date) -> TimeRate:
    """The rate in force in a place on a date: the latest `ValuationRate` from on or before it, else the default."""
    rate = ValuationRate.objects.filter(place=place, valid_from__lte=on).order_by("-valid_from").first()
    if rate is None:
        return DEFAULT_TIME_RATE
    return TimeRate(rate.pence_per_hour, rate.basis, rate.price_year, rate.source, rate.pk)


def value_of_minutes(minutes: int, pence_per_hour: int) -> int:
    """Whole pence, halves rounded up: 90 minutes at 2711p an hour is 4067p (4066.5 rounded)."""
    exact = Decimal(minutes) * Decimal(pence_per_hour) / Decimal(60)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class RateBook:
    """A place's rates read once, for valuing many contributions (an import) without a query each."""

    def __init__(self, place: object) -> None:
        rates = list(ValuationRate.objects.filter(place=place).order_by("valid_from"))
        self._starts = [r.valid_from for r in rates]
        self._rates = [TimeRate(r.pence_per_hour, r.basis, r.price_year, r.source, r.pk) for r in rates]

    def on(self, day: date) -> TimeRate:
        """As `time_rate_on`: the latest rate from on or before the day, else the default."""
        index = bisect_right(self._starts, day)
        return self._rates[index - 1] if index else DEFAULT_TIME_RATE
