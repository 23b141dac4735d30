"""Use cases that write joint commissioning and alliance contracts."""

import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from commonweal.audit.models import Action
from commonweal.audit.services import record

from ..errors import InvestmentError
from ..models import CommissionerShare, Contract, ContractProvider, OutcomeMeasurement, SharedOutcome


def _user(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def create_contract(
    place: Any,
    *,
    by: Any,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    kind: str = Contract.Kind.ALLIANCE,
    description: str = "",
) -> Contract:
    if ends_on < starts_on:
        raise InvestmentError(_("A contract cannot end before it starts."))
    with transaction.atomic():
        contract = Contract.objects.create(
            place=place, title=title, description=description, kind=kind, starts_on=starts_on, ends_on=ends_on
        )
        record(by, Action.CREATED, contract)
    return contract


def _add(model: Any, contract: Contract, by: Any, what: str, **fields: Any) -> Any:
    try:
        with transaction.atomic():
            row = model.objects.create(contract=contract, **fields)
            record(by, Action.CREATED, row, place=contract.place)
    except IntegrityError:
        raise InvestmentError(what) from None
    return row


def add_commissioner_share(contract: Contract, organisation: Any, amount_pence: int, *, by: Any) -> CommissionerShare:
    """One commissioner's part of a jointly commissioned contract."""
    if amount_pence <= 0:
        raise InvestmentError(_("A share must be more than nothing."))
    return _add(
        CommissionerShare,
        contract,
        by,
        "That commissioner already has a share in this contract.",
        organisation=organisation,
        amount_pence=amount_pence,
    )


def add_provider(
    contract: Contract, organisation: Any, *, by: Any, role: str = ContractProvider.Role.MEMBER
) -> ContractProvider:
    if role == ContractProvider.Role.LEAD and contract.providers.filter(role=role).exists():
        raise InvestmentError(_("The contract has a lead provider already."))
    if contract.kind == Contract.Kind.SINGLE and contract.providers.exists():
        raise InvestmentError(_("A single-provider contract has one provider; make it an alliance for more."))
    return _add(
        ContractProvider,
        contract,
        by,
        "That organisation is already a provider in this contract.",
        organisation=organisation,
        role=role,
    )


def add_shared_outcome(
    contract: Contract,
    *,
    by: Any,
    title: str,
    measure: str,
    baseline: Decimal,
    target: Decimal,
    direction: str = SharedOutcome.Direction.HIGHER,
) -> SharedOutcome:
    return _add(
        SharedOutcome,
        contract,
        by,
        "The outcome could not be added.",
        title=title,
        measure=measure,
        baseline=baseline,
        target=target,
        direction=direction,
    )


def record_measurement(
    outcome: SharedOutcome, *, by: Any, period_end: datetime.date, value: Decimal
) -> OutcomeMeasurement:
    """A figure for one period; recording the same period again corrects it."""
    with transaction.atomic():
        measurement, created = OutcomeMeasurement.objects.update_or_create(
            outcome=outcome, period_end=period_end, defaults={"value": value, "recorded_by": _user(by)}
        )
        record(by, Action.CREATED if created else Action.UPDATED, measurement, detail={"value": str(value)})
    return measurement


def set_contract_status(contract: Contract, status: str, *, by: Any) -> Contract:
    """End or decommission a contract (decommissioning what does not work is part of the job)."""
    with transaction.atomic():
        contract.status = Contract.Status(status)
        contract.save(update_fields=["status"])
        record(by, Action.UPDATED, contract, detail={"status": status})
    return contract
