"""Contracts' social value for the investment app's contract review.

A contract does not yet record outcomes of its own that the account can value, so its value is
estimated at the place's social productivity ratio over the contract's period: what the place's
whole portfolio creates per pound, applied to the contract's cost. The review labels it so.
"""

import datetime
from typing import Any

from commonweal.investment.review import ContractValue


def estimated_contract_value(contract: Any) -> ContractValue | None:
    # Imported here: the account pulls in pandas and scipy, which start-up (every command, every worker)
    # should not pay for before an account is asked for.
    from .account import Scope
    from .services import account_for

    end = min(contract.ends_on, datetime.date.today())
    if end <= contract.starts_on:
        return None
    account = account_for(Scope(contract.place, contract.starts_on, end))
    ratio = account["value"]["ratio"]
    if ratio is None:
        return None
    return ContractValue(
        social_value_pence=round(contract.cost_pence() * ratio),
        source=f"estimated at the place's social productivity ratio ({ratio:.2f}) from {contract.starts_on} to {end}",
    )
