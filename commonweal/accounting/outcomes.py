"""A place's outcomes by district and by deprivation, with confidence limits, inequality and trend.

The statistics are the national methods in `commonweal.engines.indicators` (PHEindicatormethods'
methods); trends use `commonweal.engines.spc` (NHS Making Data Count). Everything returned here is
an aggregate fit for analysts and the public: counts under the suppression threshold are hidden,
with secondary suppression so they cannot be worked out from the totals shown.
"""

import datetime
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.utils.translation import gettext as _

from commonweal.engines import indicators, spc
from commonweal.suppression import suppress_counts

from .models import AGE_STARTS, IndicatorObservation, IndicatorSeries

LEVELS = ("place", "district", "imd_decile")
DSR_STARTS = tuple(a for a in AGE_STARTS if a != 1)  # 19 bands: 0-4 (0 and 1-4 together) ... 90+


@dataclass(frozen=True)
class OutcomeRow:
    key: str
    label: str
    count: float | None
    population: float | None
    value: float | None
    lower: float | None
    upper: float | None
    note: str = ""


@dataclass
class Breakdown:
    series: IndicatorSeries
    level: str
    start: datetime.date | None
    end: datetime.date | None
    rows: list[OutcomeRow]
    total: OutcomeRow | None
    sii: dict[str, float] | None = None
    notes: list[str] = field(default_factory=list)

    def as_frame(self) -> pd.DataFrame:
        rows = [*self.rows, *([self.total] if self.total else [])]
        return pd.DataFrame(
            {
                "level": self.level,
                "key": [r.key for r in rows],
                "label": [r.label for r in rows],
                "count": [r.count for r in rows],
                "population": [r.population for r in rows],
                "value": [r.value for r in rows],
                "lowercl": [r.lower for r in rows],
                "uppercl": [r.upper for r in rows],
                "note": [r.note for r in rows],
            }
        )


def observations_frame(
    series: IndicatorSeries, *, start: datetime.date | None = None, end: datetime.date | None = None
) -> pd.DataFrame:
    rows = IndicatorObservation.objects.filter(series=series)
    if start:
        rows = rows.filter(period__gte=start)
    if end:
        rows = rows.filter(period__lte=end)
    columns = [
        "period",
        "age_start",
        "numerator",
        "denominator",
        "good_health",
        "respondents",
        "neighbourhood__district__code",
        "neighbourhood__district__name",
        "neighbourhood__imd_decile",
    ]
    frame = pd.DataFrame.from_records(list(rows.values_list(*columns)), columns=columns)
    return frame.rename(
        columns={
            "neighbourhood__district__code": "district",
            "neighbourhood__district__name": "district_name",
            "neighbourhood__imd_decile": "imd_decile",
        }
    )


def _groups(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    frame = frame.copy()
    if level == "place":
        frame["group"], frame["label"] = "all", _("All")
    elif level == "district":
        frame["group"] = frame["district"].fillna("-")
        frame["label"] = frame["district_name"].fillna(_("Not in a district"))
    elif level == "imd_decile":
        frame = frame[frame["imd_decile"].notna()]
        frame["group"] = frame["imd_decile"].astype(int).astype(str)
        frame["label"] = _("Decile") + " " + frame["group"]
    else:
        raise ValueError(f"unknown level {level!r}")
    return frame


def breakdown(
    series: IndicatorSeries,
    level: str,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    threshold: int | None = None,
    frame: pd.DataFrame | None = None,
) -> Breakdown:
    """The series by district, IMD decile or for the whole place, over a period, suppressed."""
    threshold = settings.COMMONWEAL_SUPPRESSION_THRESHOLD if threshold is None else threshold
    data = observations_frame(series, start=start, end=end) if frame is None else frame
    result = Breakdown(series, level, start, end, [], None)
    if data.empty:
        return result
    data = _groups(data, level)
    computed = _compute(series, data)
    labels = data.drop_duplicates("group").set_index("group")["label"]
    order = sorted(computed.index, key=lambda g: (len(g), g)) if level == "imd_decile" else sorted(computed.index)
    counts = [round(float(computed.at[g, "count"])) for g in order]
    shown = suppress_counts(counts, threshold=threshold, total_shown=True)
    for group, count in zip(order, shown, strict=True):
        result.rows.append(_row(series, group, str(labels[group]), count, computed.loc[group]))
    if level != "place":
        total = breakdown(series, "place", start=start, end=end, threshold=threshold, frame=data)
        result.total = total.rows[0] if total.rows else None
    if level == "imd_decile":
        result.sii = _slope_index(series, result.rows)
    return result


def _row(series: IndicatorSeries, group: str, label: str, count: int | None, figures: pd.Series) -> OutcomeRow:
    derived_from_count = series.statistic in {
        IndicatorSeries.Statistic.RATE,
        IndicatorSeries.Statistic.PROPORTION,
        IndicatorSeries.Statistic.DSR,
    }
    hidden = count is None and derived_from_count
    value = None if hidden or pd.isna(figures["value"]) else float(figures["value"])
    note = _("suppressed: fewer than the smallest number shown") if count is None else str(figures.get("note") or "")
    return OutcomeRow(
        key=group,
        label=label,
        count=count,
        population=float(figures["population"]),
        value=value,
        lower=None if value is None or pd.isna(figures["lowercl"]) else float(figures["lowercl"]),
        upper=None if value is None or pd.isna(figures["uppercl"]) else float(figures["uppercl"]),
        note=note,
    )


def _compute(series: IndicatorSeries, data: pd.DataFrame) -> pd.DataFrame:
    """One row per group: count, population, value, lowercl, uppercl (and a note)."""
    statistic = series.statistic
    if statistic in (IndicatorSeries.Statistic.RATE, IndicatorSeries.Statistic.PROPORTION):
        sums = data.groupby("group", as_index=False)[["numerator", "denominator"]].sum()
        method = indicators.rate if statistic == IndicatorSeries.Statistic.RATE else indicators.proportion
        out = method(sums, "numerator", "denominator", by="group", multiplier=series.multiplier)
    elif statistic == IndicatorSeries.Statistic.DSR:
        bands = _by_band(data, DSR_STARTS, fold_infants=True)
        sums = bands.groupby("group", as_index=False)[["numerator", "denominator"]].sum()
        out = indicators.dsr(bands, "numerator", "denominator", by="group", multiplier=series.multiplier)
    else:
        bands = _by_band(data, AGE_STARTS, fold_infants=False)
        sums = bands.groupby("group", as_index=False)[["numerator", "denominator"]].sum()
        out = _life_expectancy(series, bands)
    # The engine's own count columns differ by statistic; the account's count is always the event total.
    out = out.drop(columns=[c for c in ("numerator", "denominator") if c in out.columns]).merge(sums, on="group")
    out = out.rename(columns={"numerator": "count", "denominator": "population"}).set_index("group")
    return out


def _by_band(data: pd.DataFrame, starts: tuple[int, ...], *, fold_infants: bool) -> pd.DataFrame:
    data = data.copy()
    if fold_infants:
        data["age_start"] = data["age_start"].replace({1: 0})
    sums = data.groupby(["group", "age_start"], as_index=False)[
        ["numerator", "denominator", "good_health", "respondents"]
    ].sum(min_count=1)
    grid = pd.MultiIndex.from_product([sorted(data["group"].unique()), starts], names=["group", "age_start"])
    full = sums.set_index(["group", "age_start"]).reindex(grid).reset_index()
    full[["numerator", "denominator"]] = full[["numerator", "denominator"]].fillna(0)
    return full


def _life_expectancy(series: IndicatorSeries, bands: pd.DataFrame) -> pd.DataFrame:

    with warnings.catch_warnings():
        # A group with an empty band is NA with a note, not a warning in the server log.
        warnings.simplefilter("ignore", indicators.IndicatorsWarning)
        if series.statistic == IndicatorSeries.Statistic.HEALTHY_LIFE_EXPECTANCY:
            bands["prevalence"] = bands["good_health"] / bands["respondents"]
            out = indicators.healthy_life_expectancy(
                bands, "numerator", "denominator", "age_start", "prevalence", "respondents", by="group", le_age=[0]
            )
        else:
            out = indicators.life_expectancy(bands, "numerator", "denominator", "age_start", by="group", le_age=[0])
    out["note"] = np.where(out["value"].isna(), _("not calculated: too few deaths or an empty age band"), "")
    return out


def _slope_index(series: IndicatorSeries, rows: list[OutcomeRow]) -> dict[str, float] | None:
    usable = [r for r in rows if r.value is not None and r.lower is not None and r.upper is not None]
    if len(usable) < 5 or len(usable) != len(rows):
        return None  # the SII needs every decile's value; suppressed deciles would bias it
    frame = pd.DataFrame(
        {
            "quantile": [int(r.key) for r in usable],
            "population": [r.population for r in usable],
            "value": [r.value for r in usable],
            "lower": [r.lower for r in usable],
            "upper": [r.upper for r in usable],
        }
    )
    # Untransformed SII on the deciles' values, with Monte Carlo limits from their confidence limits.
    return slope_index_summary(frame, lower_cl="lower", upper_cl="upper")


def slope_index_summary(frame: pd.DataFrame, **uncertainty: str) -> dict[str, float] | None:
    """The SII of `value` across `quantile` (weighted by `population`), with its 95% limits, or None.

    `uncertainty` names the columns the Monte Carlo limits come from (`se=`, or `lower_cl=` and `upper_cl=`).
    The repetitions and seed are fixed so an account rebuilt from the same records gives the same figures.
    """
    try:
        out = indicators.sii(
            frame, "quantile", "population", value="value", repetitions=10_000, seed=2019, **uncertainty
        )
    except indicators.IndicatorsError:
        return None
    return {
        "value": float(out["value"].iloc[0]),
        "lower": float(out["lowercl"].iloc[0]),
        "upper": float(out["uppercl"].iloc[0]),
    }


def trend(series: IndicatorSeries) -> tuple[Any, list[OutcomeRow]] | None:
    """The place-level value per period as an XmR chart (None when there are too few periods)."""
    data = observations_frame(series)
    if data.empty:
        return None
    rows = []
    for period in sorted(data["period"].unique()):
        b = breakdown(series, "place", start=period, end=period, frame=data[data["period"] == period])
        if b.rows and b.rows[0].value is not None:
            rows.append(
                b.rows[0].__class__(**{**b.rows[0].__dict__, "key": period.isoformat(), "label": period.isoformat()})
            )
    if len(rows) < 3:
        return None
    try:
        chart = spc.xmr([r.value for r in rows], dates=[r.key for r in rows], improvement=series.improvement)
    except spc.SpcError:
        return None
    return chart, rows
