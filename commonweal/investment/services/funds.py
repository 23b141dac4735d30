"""Use cases that write funds and contributions."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from commonweal.audit.models import Action
from commonweal.audit.services import record

from ..errors import InvestmentError
from ..models import Contribution, Fund


def create_fund(
    place: Any,
    *,
    by: Any,
    name: str,
    purpose: str,
    managed_by: Any,
    grant_id_prefix: str,
    outcomes_sought: str = "",
    districts: Iterable[Any] = (),
) -> Fund:
    fund = Fund(
        place=place,
        name=name,
        purpose=purpose,
        managed_by=managed_by,
        grant_id_prefix=grant_id_prefix,
        outcomes_sought=outcomes_sought,
    )
    fund.full_clean()
    districts = list(districts)
    if any(d.place_id != place.pk for d in districts):
        raise InvestmentError(_("A fund's districts must be in its place."))
    with transaction.atomic():
        fund.save()
        fund.districts.set(districts)
        record(by, Action.CREATED, fund)
    return fund


def add_contribution(
    fund: Fund,
    organisation: Any,
    amount_pence: int,
    *,
    by: Any,
    received_on: datetime.date,
    note: str = "",
) -> Contribution:
    """A partner puts money into the pot (a pooled budget has several partners)."""
    if amount_pence <= 0:
        raise InvestmentError(_("A contribution must be more than nothing."))
    with transaction.atomic():
        contribution = Contribution.objects.create(
            fund=fund,
            organisation=organisation,
            amount_pence=amount_pence,
            received_on=received_on,
            note=note,
            recorded_by=by if getattr(by, "is_authenticated", False) else None,
        )
        record(
            by,
            Action.CREATED,
            contribution,
            place=fund.place,
            detail={"fund": fund.pk, "amount_pence": amount_pence, "organisation": organisation.pk},
        )
    return contribution


def lock_fund(fund: Fund) -> Fund:
    """Lock the fund's row until the transaction ends, so two awards cannot both spend the same money.

    PostgreSQL blocks the second transaction here until the first commits; SQLite takes its write
    lock at the first write and refuses a second writer, so the check that follows always sees
    every committed award.
    """
    return Fund.objects.select_for_update().get(pk=fund.pk)
