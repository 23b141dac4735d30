"""Use cases that write the accounting app's data: indicator series and their observations."""

from pathlib import Path
from typing import Any

from django.db import transaction

from commonweal.audit.models import Action
from commonweal.audit.services import record
from commonweal.importing import ImportReport, read_text

from .importers import import_observations
from .models import IndicatorSeries


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
