"""Time-bank statistics: hours exchanged and active members, by neighbourhood and by deprivation decile.

Counts of members below the place's suppression threshold (settings.COMMONWEAL_SUPPRESSION_THRESHOLD,
10 by default) are withheld wherever figures are shown publicly, with the hours of that row, since a
handful of members' hours could identify them. Every neighbourhood lies in one decile, so the two tables
are suppressed together (`commonweal.suppression.suppress_nested`): otherwise a decile's figures minus
those of its neighbourhoods shown would give a withheld neighbourhood away.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings

from commonweal.suppression import suppress_nested

from .models import Exchange, TimeBankMember


@dataclass
class AreaRow:
    key: Any  # an LSOA code or an IMD decile; None when members gave no neighbourhood
    label: str
    members: set[int]
    minutes_given: int = 0
    minutes_received: int = 0
    # Set by `time_bank_stats` for the whole table: a small row, or one that would give a small row away.
    suppressed: bool = False

    @property
    def active_members(self) -> int:
        return len(self.members)

    @property
    def hours_given(self) -> float:
        return self.minutes_given / 60

    @property
    def hours_received(self) -> float:
        return self.minutes_received / 60


@dataclass
class TimeBankStats:
    start: date
    end: date
    exchanges: int
    minutes: int
    members: int
    active_members: int
    by_neighbourhood: list[AreaRow]
    by_decile: list[AreaRow]

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def suppress_active_members(self) -> bool:
        return self.active_members < settings.COMMONWEAL_SUPPRESSION_THRESHOLD

    @property
    def suppress_exchanges(self) -> bool:
        return self.exchanges < settings.COMMONWEAL_SUPPRESSION_THRESHOLD

    @property
    def withhold_hours(self) -> bool:
        """A handful of members' or exchanges' hours would say what those few gave and received."""
        return self.suppress_active_members or self.suppress_exchanges


def time_bank_stats(place: Any, *, start: date, end: date) -> TimeBankStats:
    """Completed exchanges with `start <= occurred_on < end`. Two queries."""
    rows = Exchange.objects.filter(
        place=place, status=Exchange.Status.COMPLETED, occurred_on__gte=start, occurred_on__lt=end
    ).values_list(
        "minutes",
        "provider_id",
        "provider__neighbourhood__code",
        "provider__neighbourhood__name",
        "provider__neighbourhood__imd_decile",
        "recipient_id",
        "recipient__neighbourhood__code",
        "recipient__neighbourhood__name",
        "recipient__neighbourhood__imd_decile",
    )
    hoods: dict[Any, AreaRow] = {}
    deciles: dict[Any, AreaRow] = {}
    decile_of: dict[Any, Any] = {}  # LSOA code -> its decile; no neighbourhood (None) -> None
    active: set[int] = set()
    exchanges = minutes = 0
    for m, pid, pcode, pname, pdec, rid, rcode, rname, rdec in rows:
        exchanges, minutes = exchanges + 1, minutes + m
        active.update((pid, rid))
        sides = ((pid, pcode, pname, pdec, "given"), (rid, rcode, rname, rdec, "received"))
        for member, code, name, decile, side in sides:
            decile_of[code] = decile
            for table, key, label in ((hoods, code, name or ""), (deciles, decile, str(decile or ""))):
                row = table.setdefault(key, AreaRow(key, label, set()))
                row.members.add(member)
                setattr(row, f"minutes_{side}", getattr(row, f"minutes_{side}") + m)
    _mark_suppressed(deciles, hoods, decile_of)
    return TimeBankStats(
        start=start,
        end=end,
        exchanges=exchanges,
        minutes=minutes,
        members=TimeBankMember.objects.filter(place=place, is_active=True).count(),
        active_members=len(active),
        by_neighbourhood=sorted(hoods.values(), key=lambda r: (r.key is None, r.key or "")),
        by_decile=sorted(deciles.values(), key=lambda r: (r.key is None, r.key or 0)),
    )


def _mark_suppressed(deciles: dict[Any, AreaRow], hoods: dict[Any, AreaRow], decile_of: dict[Any, Any]) -> None:
    """Hide each row with fewer members than the threshold, and enough others that none can be worked out
    from the total shown or from the other table (`suppress_nested`: neighbourhoods within their deciles).

    Members are counted once in each table and hours add up the same way, so the rows chosen from the
    members protect the hours given and received too; a row is shown or withheld whole."""
    groups = [[row for code, row in hoods.items() if decile_of[code] == decile] for decile in deciles]
    shown = suppress_nested(
        [[row.active_members for row in group] for group in groups],
        threshold=settings.COMMONWEAL_SUPPRESSION_THRESHOLD,
    )
    for decile, count in zip(deciles.values(), shown.groups, strict=True):
        decile.suppressed = count is None
    for group, counts in zip(groups, shown.parts, strict=True):
        for row, count in zip(group, counts, strict=True):
            row.suppressed = count is None
