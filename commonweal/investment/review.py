"""The contract review: each contract's cost beside its outcomes, and (later) their social value.

The value figures come from the social productivity account (the `accounting` app, which sits
above this one in the layers and so may import it). It plugs in with `register_value_source`;
until it does, the review shows the cost and outcomes and says that value is not yet measured.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Sum

from .models import Contract, OutcomeMeasurement, SharedOutcome


@dataclass(frozen=True)
class ContractValue:
    """What a value source says a contract is worth, in pence, and where the figure comes from."""

    social_value_pence: int
    source: str


ValueSource = Callable[[Contract], ContractValue | None]
_value_sources: list[ValueSource] = []


def register_value_source(source: ValueSource) -> None:
    """Called once by the accounting app (in its AppConfig.ready) to supply contracts' social value."""
    if source not in _value_sources:
        _value_sources.append(source)


def unregister_value_source(source: ValueSource) -> None:
    if source in _value_sources:
        _value_sources.remove(source)


def contract_value(contract: Contract) -> ContractValue | None:
    for source in _value_sources:
        value = source(contract)
        if value is not None:
            return value
    return None


@dataclass(frozen=True)
class OutcomeRow:
    outcome: SharedOutcome
    latest: OutcomeMeasurement | None

    @property
    def progress(self) -> int | None:
        """How far from baseline to target the latest figure is, in per cent (over 100: beyond target)."""
        if self.latest is None or self.outcome.target == self.outcome.baseline:
            return None
        share = (self.latest.value - self.outcome.baseline) / (self.outcome.target - self.outcome.baseline)
        return int((share * 100).to_integral_value())


@dataclass(frozen=True)
class ReviewRow:
    contract: Contract
    cost_pence: int
    outcomes: list[OutcomeRow]
    value: ContractValue | None

    @property
    def value_per_pound(self) -> Decimal | None:
        if self.value is None or not self.cost_pence:
            return None
        return (Decimal(self.value.social_value_pence) / Decimal(self.cost_pence)).quantize(Decimal("0.01"))


def review_rows(place: Any) -> list[ReviewRow]:
    contracts = (
        Contract.objects.filter(place=place)
        .select_related("place")
        .annotate(cost=Sum("shares__amount_pence"))
        .prefetch_related(
            Prefetch("outcomes", SharedOutcome.objects.prefetch_related("measurements")),
        )
        .order_by("status", "title")
    )
    rows = []
    for contract in contracts:
        outcomes = [
            OutcomeRow(o, max(o.measurements.all(), key=lambda m: m.period_end, default=None))
            for o in contract.outcomes.all()
        ]
        rows.append(ReviewRow(contract, contract.cost or 0, outcomes, contract_value(contract)))
    return rows
