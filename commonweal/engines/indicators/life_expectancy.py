"""Abridged life tables (Chiang II with Silcocks' final-band variance) and Sullivan healthy life expectancy."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _frames
from ._output import confidence_label, limit_names
from .errors import IndicatorsError, IndicatorsWarning
from .limits import FloatArray, confidence_levels, z_value

#: Start ages of the 20 bands PHE and ONS use: 0, 1-4, 5-9, ..., 85-89, 90+.
STANDARD_AGES: tuple[int, ...] = (0, 1, *range(5, 95, 5))
#: Radix of the life table (survivors at age 0).
RADIX = 100_000.0
#: Groups whose total population is at or below this are too small for a life table (Toson and Baker 2003).
MIN_TOTAL_POPULATION = 5_000
#: Values whose 95% interval is wider than this many years are suppressed (Eayres and Williams 2004).
MAX_CI_WIDTH = 20.0

_METHOD = "Chiang, using Silcocks et al for confidence limits"


@dataclass(frozen=True)
class LifeTable:
    """A life table for one or more areas: arrays are (areas, bands), limits (levels, areas, bands)."""

    startage: NDArray[np.int64]
    confidence: tuple[float, ...]
    value: FloatArray
    se: FloatArray
    lower: FloatArray
    upper: FloatArray
    pops_used: FloatArray
    dths_used: FloatArray
    survivors: FloatArray
    person_years: FloatArray
    valid: NDArray[np.bool_]


def _as_table(values: ArrayLike, role: str) -> FloatArray:
    table = np.atleast_2d(np.asarray(values, dtype=np.float64))
    if table.ndim != 2 or table.shape[1] != len(STANDARD_AGES):
        raise IndicatorsError(
            f"{role} must have {len(STANDARD_AGES)} age bands per area (0, 1-4, 5-9, ..., 90+); "
            f"got shape {np.shape(values)}"
        )
    return table


def _invalid_areas(deaths: FloatArray, pops: FloatArray) -> NDArray[np.bool_]:
    """Areas the method cannot handle, each reason warned once (as PHEindicatormethods does)."""
    reasons = [
        (
            np.isnan(deaths).any(1) | np.isnan(pops).any(1),
            "some age bands have missing deaths or populations",
        ),
        ((deaths < 0).any(1), "some age bands have negative deaths"),
        ((pops <= 0).any(1), "some age bands have a zero or less population"),
        ((deaths > pops).any(1), "some age bands have more deaths than population"),
        (
            np.nansum(pops, 1) <= MIN_TOTAL_POPULATION,
            "some groups have a total population of less than 5,000",
        ),
        (deaths[:, -1] == 0, "some groups have no deaths in the 90+ band, which must have at least one"),
    ]
    invalid = np.zeros(deaths.shape[0], dtype=bool)
    for mask, message in reasons:
        # Like R, each check looks only at areas that passed the earlier ones: one warning per area.
        mask = mask & ~invalid
        if mask.any():
            warnings.warn(f"{message}; outputs have been suppressed to NAs", IndicatorsWarning, stacklevel=4)
        invalid |= mask
    return invalid


@dataclass(frozen=True)
class _Columns:
    """The Chiang columns shared by life expectancy and healthy life expectancy."""

    width: FloatArray
    fraction: FloatArray
    deaths: FloatArray
    rate: FloatArray
    q: FloatArray
    survivors: FloatArray
    person_years: FloatArray
    var_q: FloatArray


def _chiang(deaths: FloatArray, pops: FloatArray) -> _Columns:
    ages = np.asarray(STANDARD_AGES, dtype=np.float64)
    width = np.broadcast_to(np.append(np.diff(ages), np.nan), deaths.shape)
    # Infants who die do so early in the year: a = 0.1 for age 0, 0.5 elsewhere (Chiang).
    fraction = np.broadcast_to(np.where(ages == 0, 0.1, 0.5), deaths.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = deaths / pops
        q = rate * width / (1 + rate * width * (1 - fraction))
        q[:, -1] = 1.0
        survive = np.cumprod(np.hstack([np.ones((deaths.shape[0], 1)), 1 - q[:, :-1]]), axis=1)
        survivors = RADIX * survive
        next_survivors = np.hstack([survivors[:, 1:], np.zeros((deaths.shape[0], 1))])
        dying = survivors - next_survivors
        person_years = width * (next_survivors + fraction * dying)
        # The open 90+ band lives 1/M years on average.
        person_years[:, -1] = survivors[:, -1] / rate[:, -1]
        var_q = np.where(dying == 0, 0.0, q**2 * (1 - q) / deaths)
    return _Columns(width, fraction, deaths, rate, q, survivors, person_years, var_q)


def _reverse_cumsum(values: FloatArray) -> FloatArray:
    return np.asarray(np.cumsum(values[:, ::-1], axis=1)[:, ::-1], dtype=np.float64)


def _expectancy_and_variance(cols: _Columns, weight: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Expectancy of the years weighted by ``weight`` (1 for life expectancy) and its mortality variance.

    The variance term of band j is l_j^2 [(1 - a_j) n_j w_j + E_{j+1}]^2 var(q_j) (Chiang), and for
    the open band w^2 l^2 / (D M^2) (Silcocks et al 2001), divided by l_x^2.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        total = _reverse_cumsum(weight * cols.person_years)
        expectancy = np.where(cols.survivors == 0, 0.0, total / cols.survivors)
        following = np.hstack([expectancy[:, 1:], np.zeros((expectancy.shape[0], 1))])
        term = cols.var_q * cols.survivors**2 * ((1 - cols.fraction) * cols.width * weight + following) ** 2
        last = weight[:, -1] ** 2 * cols.survivors[:, -1] ** 2 / (cols.deaths[:, -1] * cols.rate[:, -1] ** 2)
        term[:, -1] = last
        variance = _reverse_cumsum(term) / cols.survivors**2
    return expectancy, variance


def life_table(
    deaths: ArrayLike,
    population: ArrayLike,
    *,
    confidence: float | Iterable[float] = 0.95,
    suppress_wide: bool = True,
) -> LifeTable:
    """Chiang II abridged life table for the 20 standard bands, vectorised over areas.

    Parameters
    ----------
    deaths, population : array_like, shape (20,) or (areas, 20)
        Deaths and population (person-years) by band, in the order of ``STANDARD_AGES``.
    confidence : float or list of float, default 0.95
    suppress_wide : bool, default True
        Suppress a value (not its limits) where its 95% interval is wider than 20 years.

    Returns
    -------
    LifeTable
        Invalid areas (negative deaths, a zero population, deaths above population, a total
        population of 5,000 or less, no deaths at 90+) are all NaN, with an ``IndicatorsWarning``.

    Examples
    --------
    >>> deaths = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937]
    >>> pops = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601,
    ...         50209, 56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936]
    >>> round(float(life_table(deaths, pops).value[0, 0]), 4)
    80.1696
    """
    levels = confidence_levels(confidence)
    d, p = _as_table(deaths, "deaths"), _as_table(population, "population")
    if d.shape != p.shape:
        raise IndicatorsError(f"deaths {d.shape} and population {p.shape} must have the same shape")
    invalid = _invalid_areas(d, p)
    cols = _chiang(d, p)
    value, variance = _expectancy_and_variance(cols, np.ones_like(d))
    value[invalid] = np.nan
    with np.errstate(invalid="ignore"):  # invalid areas can have negative terms; they are blanked
        se = np.sqrt(variance)
    se[invalid] = np.nan
    lower = np.stack([value - z_value(level) * se for level in levels])
    upper = np.stack([value + z_value(level) * se for level in levels])
    if suppress_wide:
        value = _suppress_wide(value, se)
    return LifeTable(
        startage=np.asarray(STANDARD_AGES, dtype=np.int64),
        confidence=levels,
        value=value,
        se=se,
        lower=lower,
        upper=upper,
        pops_used=np.where(invalid[:, None], np.nan, _reverse_cumsum(p)),
        dths_used=np.where(invalid[:, None], np.nan, _reverse_cumsum(d)),
        survivors=cols.survivors,
        person_years=cols.person_years,
        valid=~invalid,
    )


def _suppress_wide(value: FloatArray, se: FloatArray) -> FloatArray:
    wide = 2 * z_value(0.95) * se > MAX_CI_WIDTH
    if wide.any():
        warnings.warn(
            "some life expectancy values have a 95% confidence interval > 20 years; "
            "these values have been suppressed to NAs",
            IndicatorsWarning,
            stacklevel=3,
        )
    return np.where(wide, np.nan, value)


def healthy_life_table(
    deaths: ArrayLike,
    population: ArrayLike,
    prevalence: ArrayLike,
    sample_size: ArrayLike,
    *,
    confidence: float | Iterable[float] = 0.95,
    variance: Literal["full", "prevalence"] = "full",
) -> LifeTable:
    """Sullivan healthy life expectancy on the Chiang life table, vectorised over areas.

    HLE_x = sum_{j>=x} pi_j L_j / l_x, with pi_j the prevalence of good health in band j.
    Its variance adds the survey term sum (L_j / l_x)^2 pi_j (1 - pi_j) / N_j (Jagger et al 2006)
    to the mortality term (Chiang's, with each band's years weighted by pi_j; ONS method).

    Parameters
    ----------
    deaths, population : array_like, shape (20,) or (areas, 20)
    prevalence : array_like, same shape
        Proportion (0 to 1) of each band in good health.
    sample_size : array_like, same shape
        Survey respondents behind each prevalence.
    confidence : float or list of float, default 0.95
    variance : {"full", "prevalence"}, default "full"
        "full" adds the mortality variance (ONS); "prevalence" keeps only the survey term (the
        EHEMU guide's approximation for large populations).

    Returns
    -------
    LifeTable
        ``value`` holds HLE (never suppressed for width); ``pops_used`` and ``dths_used`` as for LE.

    Examples
    --------
    >>> deaths = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937]
    >>> pops = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601,
    ...         50209, 56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936]
    >>> hle = healthy_life_table(deaths, pops, [0.5] * 20, [100] * 20)
    >>> round(float(hle.value[0, -1]), 6)
    3.081053
    """
    if variance not in ("full", "prevalence"):
        raise IndicatorsError(f"variance must be 'full' or 'prevalence', not {variance!r}")
    levels = confidence_levels(confidence)
    d, p = _as_table(deaths, "deaths"), _as_table(population, "population")
    health, sample = _as_table(prevalence, "prevalence"), _as_table(sample_size, "sample_size")
    if not (d.shape == p.shape == health.shape == sample.shape):
        raise IndicatorsError("deaths, population, prevalence and sample_size must have the same shape")
    _check_survey(health, sample)
    invalid = _invalid_areas(d, p)
    cols = _chiang(d, p)
    value, mortality = _expectancy_and_variance(cols, health)
    with np.errstate(invalid="ignore", divide="ignore"):
        survey = _reverse_cumsum(cols.person_years**2 * health * (1 - health) / sample) / cols.survivors**2
    total = survey + (mortality if variance == "full" else 0.0)
    value[invalid] = np.nan
    with np.errstate(invalid="ignore"):
        se = np.sqrt(total)
    se[invalid] = np.nan
    return LifeTable(
        startage=np.asarray(STANDARD_AGES, dtype=np.int64),
        confidence=levels,
        value=value,
        se=se,
        lower=np.stack([value - z_value(level) * se for level in levels]),
        upper=np.stack([value + z_value(level) * se for level in levels]),
        pops_used=np.where(invalid[:, None], np.nan, _reverse_cumsum(p)),
        dths_used=np.where(invalid[:, None], np.nan, _reverse_cumsum(d)),
        survivors=cols.survivors,
        person_years=cols.person_years,
        valid=~invalid,
    )


def _check_survey(health: FloatArray, sample: FloatArray) -> None:
    if np.isnan(health).any() or np.isnan(sample).any():
        raise IndicatorsError("prevalence and sample_size need a value for every age band")
    if ((health < 0) | (health > 1)).any():
        raise IndicatorsError("prevalence must be a proportion between 0 and 1 (divide percentages by 100)")
    if (sample <= 0).any():
        raise IndicatorsError("sample_size must be greater than zero in every age band")


# --- DataFrame front end ----------------------------------------------------------------------


def _start_of(label: Any) -> int:
    if isinstance(label, int | float | np.integer | np.floating) and not isinstance(label, bool):
        return int(label)
    match = re.match(r"\D*(\d+)", str(label))
    if not match:
        raise IndicatorsError(f"cannot read a start age from age band {label!r}; use labels such as 0, '1-4', '90+'")
    return int(match.group(1))


def _band_positions(labels: list[Any], age_contents: Sequence[Any]) -> NDArray[np.intp]:
    contents = list(age_contents)
    starts = [_start_of(label) for label in contents]
    if starts != list(STANDARD_AGES):
        raise IndicatorsError(
            "age_contents must list the 20 bands in ascending order starting 0, 1-4, 5-9, ..., 90+; "
            f"got start ages {starts}"
        )
    lookup = {str(label): i for i, label in enumerate(contents)}
    positions = np.empty(len(labels), dtype=np.intp)
    for row, label in enumerate(labels):
        key = str(int(label)) if isinstance(label, float) and label.is_integer() else str(label)
        if key not in lookup:
            raise IndicatorsError(
                f"the contents in the startage field do not match age_contents: {label!r} is not one of {contents}"
            )
        positions[row] = lookup[key]
    return positions


def _band_tables(
    data: Any, groups: _frames.Groups, positions: NDArray[np.intp], columns: dict[str, FloatArray]
) -> tuple[dict[str, FloatArray], NDArray[np.bool_]]:
    """Lay each group's rows into (groups, 20) tables; groups without exactly one row per band are incomplete."""
    size = len(STANDARD_AGES)
    tables = {name: np.full((groups.count, size), np.nan) for name in columns}
    complete = np.ones(groups.count, dtype=bool)
    for code, rows in enumerate(groups.members()):
        places = positions[rows]
        if len(rows) != size or len(np.unique(places)) != size:
            complete[code] = False
            continue
        for name, values in columns.items():
            tables[name][code, places] = values[rows]
    if not complete.all():
        warnings.warn(
            "some groups contain a different number of age bands than 20; life expectancy cannot be "
            "calculated for these. These groups will contain NAs.",
            IndicatorsWarning,
            stacklevel=4,
        )
    return tables, complete


def _table_frame(
    data: Any,
    table: LifeTable,
    groups: _frames.Groups,
    positions: NDArray[np.intp],
    complete: NDArray[np.bool_],
    startage: str,
    le_age: str | Sequence[Any],
    statistic: str,
    method: str,
) -> Any:
    codes = groups.codes
    rows_ok = complete[codes]

    def pick(values: FloatArray) -> FloatArray:
        return np.where(rows_ok, values[codes, positions], np.nan)

    columns: dict[str, Any] = {"value": pick(table.value)}
    for i, (lower_name, upper_name) in enumerate(limit_names(table.confidence)):
        columns[lower_name] = pick(table.lower[i])
        columns[upper_name] = pick(table.upper[i])
    columns["pops_used"] = pick(table.pops_used)
    columns["dths_used"] = pick(table.dths_used)
    labels = _frames.value_list(data, startage, "startage")
    rows = len(labels)
    columns["confidence"] = [confidence_label(table.confidence)] * rows
    columns["statistic"] = [f"{statistic} at {_label(label)}" for label in labels]
    columns["method"] = [method] * rows
    result = _frames.add_columns(data, columns)
    if isinstance(le_age, str):
        if le_age != "all":
            raise IndicatorsError(f"le_age must be 'all' or a list of start ages, not {le_age!r}")
        return result
    wanted = {_start_of(age) for age in le_age}
    keep = np.array([_start_of(label) in wanted for label in labels])
    if not keep.any():
        raise IndicatorsError(f"le_age {list(le_age)} matches no age band; use start ages such as 0, 65")
    return _frames.take_rows(result, np.flatnonzero(keep))


def _label(label: Any) -> str:
    return str(int(label)) if isinstance(label, float) and label.is_integer() else str(label)


def _spread(table: LifeTable, complete: NDArray[np.bool_]) -> LifeTable:
    """Put a table computed for the complete groups back among all groups (others all NaN)."""

    def widen(values: FloatArray, axis: int) -> FloatArray:
        shape = list(values.shape)
        shape[axis] = len(complete)
        full = np.full(shape, np.nan)
        index = [slice(None)] * len(shape)
        index[axis] = np.flatnonzero(complete)  # type: ignore[call-overload]
        full[tuple(index)] = values
        return full

    valid = np.zeros(len(complete), dtype=bool)
    valid[np.flatnonzero(complete)[table.valid]] = True
    return LifeTable(
        startage=table.startage,
        confidence=table.confidence,
        value=widen(table.value, 0),
        se=widen(table.se, 0),
        lower=widen(table.lower, 1),
        upper=widen(table.upper, 1),
        pops_used=widen(table.pops_used, 0),
        dths_used=widen(table.dths_used, 0),
        survivors=widen(table.survivors, 0),
        person_years=widen(table.person_years, 0),
        valid=valid,
    )


def life_expectancy(
    data: Any,
    deaths: str,
    population: str,
    startage: str,
    *,
    by: str | Sequence[str] | None = None,
    confidence: float | Iterable[float] = 0.95,
    age_contents: Sequence[Any] = STANDARD_AGES,
    le_age: str | Sequence[Any] = "all",
) -> Any:
    """Life expectancy at every band's start age (``phe_life_expectancy``).

    Parameters
    ----------
    data : pandas or polars DataFrame
        One row per age band per group: 20 bands 0, 1-4, 5-9, ..., 85-89, 90+.
    deaths, population, startage : str
        Columns of deaths, population (person-years) and the band (its start age or label).
    by : str or list of str, optional
        Group columns; one life table per group.
    confidence : float or list of float, default 0.95
    age_contents : sequence, default STANDARD_AGES
        The 20 band labels as they appear in ``startage``, in ascending order.
    le_age : "all" or list of ages, default "all"
        Keep only these start ages in the output.

    Returns
    -------
    DataFrame: the input rows with ``value``, limits, ``pops_used``, ``dths_used``,
    ``confidence``, ``statistic`` and ``method``. Groups the method cannot handle are NA with an
    ``IndicatorsWarning``; values whose 95% interval is wider than 20 years are NA (limits kept).
    """
    groups = _frames.group_rows(data, by)
    if groups.count == 0:
        raise IndicatorsError("data has no rows; there is nothing to calculate")
    positions = _band_positions(_frames.value_list(data, startage, "startage"), age_contents)
    columns = {
        "deaths": _frames.numeric_column(data, deaths, "deaths"),
        "population": _frames.numeric_column(data, population, "population"),
    }
    tables, complete = _band_tables(data, groups, positions, columns)
    table = _spread(
        life_table(tables["deaths"][complete], tables["population"][complete], confidence=confidence), complete
    )
    return _table_frame(data, table, groups, positions, complete, startage, le_age, "life expectancy", _METHOD)


def healthy_life_expectancy(
    data: Any,
    deaths: str,
    population: str,
    startage: str,
    prevalence: str,
    sample_size: str,
    *,
    by: str | Sequence[str] | None = None,
    confidence: float | Iterable[float] = 0.95,
    variance: Literal["full", "prevalence"] = "full",
    age_contents: Sequence[Any] = STANDARD_AGES,
    le_age: str | Sequence[Any] = "all",
) -> Any:
    """Healthy life expectancy by the Sullivan method (Jagger et al 2006; ONS).

    Parameters are those of :func:`life_expectancy`, plus ``prevalence`` (the column of the
    proportion in good health, 0 to 1) and ``sample_size`` (the survey respondents behind it), and
    ``variance`` ("full", the default, adds the life table's mortality variance to the survey
    variance, as ONS does; "prevalence" keeps only the survey term).

    Returns
    -------
    DataFrame: the input rows with ``value`` (HLE at each start age), limits, ``pops_used``,
    ``dths_used``, ``confidence``, ``statistic`` and ``method``.
    """
    groups = _frames.group_rows(data, by)
    if groups.count == 0:
        raise IndicatorsError("data has no rows; there is nothing to calculate")
    positions = _band_positions(_frames.value_list(data, startage, "startage"), age_contents)
    columns = {
        "deaths": _frames.numeric_column(data, deaths, "deaths"),
        "population": _frames.numeric_column(data, population, "population"),
        "prevalence": _frames.numeric_column(data, prevalence, "prevalence"),
        "sample_size": _frames.numeric_column(data, sample_size, "sample_size"),
    }
    tables, complete = _band_tables(data, groups, positions, columns)
    table = _spread(
        healthy_life_table(
            *(tables[name][complete] for name in ("deaths", "population", "prevalence", "sample_size")),
            confidence=confidence,
            variance=variance,
        ),
        complete,
    )
    method = "Sullivan, on a Chiang life table" + (
        " (survey and mortality variance)" if variance == "full" else " (survey variance only)"
    )
    return _table_frame(data, table, groups, positions, complete, startage, le_age, "healthy life expectancy", method)
