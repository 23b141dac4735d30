"""Which part of a place, and which period, an account covers.

Kept apart from `account` so the account's pages and services can name a scope without importing
what building an account needs (pandas, scipy, the valuation engine): a kept account is shown
without any of them.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q


@dataclass(frozen=True)
class Scope:
    """Which part of the place, and which period (start <= date < end)."""

    place: Any
    start: datetime.date
    end: datetime.date
    district: Any = None
    neighbourhood: Any = None

    @property
    def level(self) -> str:
        return "neighbourhood" if self.neighbourhood else "district" if self.district else "place"

    @property
    def area_code(self) -> str:
        return self.neighbourhood.code if self.neighbourhood else self.district.code if self.district else ""

    @property
    def label(self) -> str:
        return str(self.neighbourhood or self.district or self.place)

    def neighbourhoods(self) -> Any:
        rows = self.place.neighbourhoods.all()
        if self.neighbourhood:
            return rows.filter(pk=self.neighbourhood.pk)
        if self.district:
            return rows.filter(district=self.district)
        return rows

    def people_filter(self, prefix: str = "person__") -> Q:
        """Records of people living in the scope (the whole place also counts people with no neighbourhood)."""
        if self.level == "place":
            return Q()
        return Q(**{f"{prefix}neighbourhood__in": self.neighbourhoods()})
