"""Use cases that write the accounting app's data: indicator series, observations and account snapshots."""

import datetime
from pathlib import Path
from typing import Any

from django.db import transaction

from commonweal.audit.models import Action
from commonweal.audit.services import record
from commonweal.importing import ImportReport, read_text

from .importers import import_observations
from .models import AccountSnapshot, IndicatorSeries
from .scope import Scope


def create_indicator_series(
    place: Any, code: str, name: str, statistic: str, *, by: Any, **fields: Any
) -> IndicatorSeries:
    series = IndicatorSeries(place=place, code=code, name=name, statistic=statistic, **fields)
    series.full_clean()
    with transaction.atomic():
        series.save()
        record(by, Action.CREATED, series, place=place)
    return series


def import_indicator_text(series: IndicatorSeries, text: str, *, file: str, by: Any) -> ImportReport:
    """Import observations; all good rows together, each bad row reported; re-running changes nothing."""
    with transaction.atomic():
        report = import_observations(series, text, file=file)
        record(
            by, Action.IMPORTED, series, place=series.place, purpose="import indicator data", detail=report.as_dict()
        )
    return report


def import_indicator_file(series: IndicatorSeries, path: Path | str, *, by: Any) -> ImportReport:
    return import_indicator_text(series, read_text(path), file=str(path), by=by)


def rebuild_account(scope: Scope, *, by: Any) -> AccountSnapshot:
    """Build the account of a scope and keep it, replacing an older build of the same scope and period."""
    # Imported here: building pulls in pandas and scipy (~2 s), which start-up and a kept account need not pay.
    from .account import build_account

    data = build_account(scope)
    with transaction.atomic():
        snapshot, _created = AccountSnapshot.objects.update_or_create(
            place=scope.place,
            level=scope.level,
            area_code=scope.area_code,
            start=scope.start,
            end=scope.end,
            defaults={"data": data},
        )
        record(
            by,
            Action.CREATED,
            snapshot,
            place=scope.place,
            purpose="build the social productivity account",
            object_repr=f"account {scope.level} {scope.area_code} {scope.start}..{scope.end}",
        )
    return snapshot


def rebuild_place_accounts(
    place: Any, *, start: datetime.date, end: datetime.date, by: Any, neighbourhoods: bool = False
) -> list[AccountSnapshot]:
    """Keep the accounts of a place and each of its districts (and, if asked, neighbourhoods) for a period,
    so that every account page is served from a kept build: what a nightly schedule runs."""
    scopes = [Scope(place=place, start=start, end=end)]
    scopes += [Scope(place=place, start=start, end=end, district=d) for d in place.districts.order_by("code")]
    if neighbourhoods:
        scopes += [
            Scope(place=place, start=start, end=end, neighbourhood=n) for n in place.neighbourhoods.order_by("code")
        ]
    return [rebuild_account(scope, by=by) for scope in scopes]


def account_for(scope: Scope, *, by: Any = None, keep: bool = True) -> dict[str, Any]:
    """The kept account of a scope, built first if there is none yet.

    With `keep=False` a missing account is built but not kept: a visitor asking for an unusual period
    should not add a row to the database with every request.
    """
    snapshot = AccountSnapshot.objects.filter(
        place=scope.place, level=scope.level, area_code=scope.area_code, start=scope.start, end=scope.end
    ).first()
    if snapshot is not None:
        return snapshot.data
    from .account import build_account  # as in rebuild_account

    return rebuild_account(scope, by=by).data if keep else build_account(scope)


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The twelve whole months before this month."""
    today = today or datetime.date.today()
    end = today.replace(day=1)
    return end.replace(year=end.year - 1), end
