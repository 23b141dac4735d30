"""The Deal: pledges by every party, the resources ledger and the time bank.

Split by use: `pledges` (what each party promises), `ledger` (what each sector puts in, valued, with
double-entry postings where money moves) and `timebank` (hours exchanged between members).
"""

from .ledger import Contribution, LedgerAccount, MoneyPosting, ValuationRate
from .pledges import Pledge, PledgeUpdate
from .sectors import Sector, sector_of_organisation
from .timebank import Exchange, HourPosting, Listing, TimeBankMember, TimeBankPolicy

__all__ = [
    "Contribution",
    "Exchange",
    "HourPosting",
    "LedgerAccount",
    "Listing",
    "MoneyPosting",
    "Pledge",
    "PledgeUpdate",
    "Sector",
    "TimeBankMember",
    "TimeBankPolicy",
    "ValuationRate",
    "sector_of_organisation",
]
