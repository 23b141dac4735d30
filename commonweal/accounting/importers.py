"""Importing outcome data: counts and populations by neighbourhood, period and (optionally) age band."""

import datetime
import re
from typing import Any

from django.utils.translation import gettext as _

from commonweal.importing import Column, ImportReport, parse_number, read_csv_rows

from .models import AGE_STARTS, IndicatorObservation, IndicatorSeries

OBSERVATION_COLUMNS = [
    Column("period", ["period", "month", "year", "date"]),
    Column("lsoa", ["lsoa11cd", "lsoa_code", "lsoa21cd", "lsoa", "area_code"]),
    Column("age", ["age_band", "ageband", "age"], required=False),
    Column("numerator", ["count", "numerator", "events", "deaths"]),
    Column("denominator", ["population", "denominator", "pops"]),
    Column("good_health", ["good_health", "prevalence_count"], required=False),
    Column("respondents", ["respondents", "sample_size"], required=False),
]


def parse_period(raw: str) -> datetime.date:
    """'2024', '2024-03', '2024-03-01' or '2023/24' (a financial year) -> the period's first day."""
    text = raw.strip()
    if match := re.fullmatch(r"(\d{4})/(\d{2})", text):
        return datetime.date(int(match.group(1)), 4, 1)
    for pattern, fmt in ((r"\d{4}", "%Y"), (r"\d{4}-\d{2}", "%Y-%m"), (r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d")):
        if re.fullmatch(pattern, text):
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                break
    raise ValueError(_("%(value)r is not a period like 2024, 2024-03, 2024-03-01 or 2023/24") % {"value": raw})


def parse_age_band(raw: str) -> int:
    """'0', '1-4', '5-9', '90+' (or 'under 1') -> the band's start age, one of the 20 life-table bands."""
    text = raw.strip().lower().replace(" ", "")
    if text in ("<1", "under1", "0"):
        return 0
    match = re.fullmatch(r"(\d{1,2})(?:-\d{1,2}|\+)?", text)
    if not match or int(match.group(1)) not in AGE_STARTS:
        raise ValueError(_("%(value)r is not an age band like 0, 1-4, 5-9 ... 90+") % {"value": raw})
    return int(match.group(1))


def import_observations(series: IndicatorSeries, text: str, *, file: str) -> ImportReport:
    """Upsert observations keyed by period, neighbourhood and age band; bad rows are reported."""
    report = ImportReport(file)
    neighbourhoods = dict(series.place.neighbourhoods.values_list("code", "id"))
    planned: dict[tuple[Any, ...], dict[str, Any]] = {}
    seen: dict[tuple[Any, ...], int] = {}
    for line, row in read_csv_rows(text, OBSERVATION_COLUMNS, file=file):
        values = _row_values(report, line, row, series, neighbourhoods)
        if values is None:
            continue
        key = (values.pop("period"), values.pop("neighbourhood_id"), values.pop("age_start"))
        if key in seen:
            report.reject(
                line,
                "period",
                _("this period, neighbourhood and age band appear again (first on line %(first)d)")
                % {"first": seen[key]},
            )
            continue
        seen[key] = line
        planned[key] = values
    _write(series, planned, report)
    return report


def _row_values(
    report: ImportReport, line: int, row: dict[str, str], series: IndicatorSeries, neighbourhoods: dict[str, int]
) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    checks = {
        "period": parse_period,
        "numerator": lambda raw: float(parse_number(raw, minimum=0)),
        "denominator": lambda raw: float(parse_number(raw, minimum=0)),
    }
    if series.by_age:
        checks["age"] = parse_age_band
    if series.statistic == IndicatorSeries.Statistic.HEALTHY_LIFE_EXPECTANCY:
        checks["good_health"] = lambda raw: float(parse_number(raw, minimum=0))
        checks["respondents"] = lambda raw: int(parse_number(raw, kind=int, minimum=0))
    ok = True
    for name, parse in checks.items():
        try:
            values[name] = parse(row.get(name, ""))
        except ValueError as error:
            report.reject(line, name, str(error))
            ok = False
    code = row["lsoa"].strip().upper()
    if code not in neighbourhoods:
        report.reject(line, "lsoa", _("%(code)r is not a neighbourhood of this place") % {"code": row["lsoa"]})
        ok = False
    if not ok:
        return None
    if series.statistic == IndicatorSeries.Statistic.PROPORTION and values["numerator"] > values["denominator"]:
        report.reject(line, "numerator", _("the count is larger than the population"))
        return None
    if "respondents" in values and values["good_health"] > values["respondents"]:
        report.reject(line, "good_health", _("more people in good health than respondents"))
        return None
    values["age_start"] = values.pop("age", None)
    values["neighbourhood_id"] = neighbourhoods[code]
    return values


def _write(series: IndicatorSeries, planned: dict[tuple[Any, ...], dict[str, Any]], report: ImportReport) -> None:
    existing = {
        (o.period, o.neighbourhood_id, o.age_start): o
        for o in IndicatorObservation.objects.filter(series=series, period__in={k[0] for k in planned})
    }
    creates, updates = [], []
    for key, values in planned.items():
        current = existing.get(key)
        if current is None:
            creates.append(
                IndicatorObservation(series=series, period=key[0], neighbourhood_id=key[1], age_start=key[2], **values)
            )
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            updates.append(current)
        else:
            report.unchanged += 1
    IndicatorObservation.objects.bulk_create(creates, batch_size=1000)
    IndicatorObservation.objects.bulk_update(
        updates, ["numerator", "denominator", "good_health", "respondents"], batch_size=1000
    )
    report.created += len(creates)
    report.updated += len(updates)
