"""The DataFrame front end: read columns from pandas or polars, group rows, build result frames.

pandas and polars are imported only when a frame of that kind arrives, so the numpy core works
without either installed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .errors import IndicatorsError

FloatArray = NDArray[np.float64]


def frame_kind(data: object) -> str:
    """Return "pandas" or "polars", or raise for anything else."""
    module = type(data).__module__.split(".")[0]
    if module in ("pandas", "polars") and type(data).__name__ == "DataFrame":
        return module
    raise IndicatorsError(
        f"data must be a pandas or polars DataFrame, not {type(data).__name__}; "
        "for plain arrays use the numpy functions (wilson_limits, life_table, slope_index, ...)"
    )


def _column(data: Any, name: str, role: str) -> Any:
    if not isinstance(name, str):
        raise IndicatorsError(f"{role} must be a column name (a string), not {name!r}")
    if name not in list(data.columns):
        raise IndicatorsError(f"{role} column {name!r} is not in data; its columns are {list(data.columns)}")
    return data[name]


def numeric_column(data: Any, name: str, role: str) -> FloatArray:
    """Return a column as float64 with missing values as NaN; non-numeric columns are an error."""
    series = _column(data, name, role)
    if frame_kind(data) == "pandas":
        import pandas as pd

        if not pd.api.types.is_numeric_dtype(series.dtype):
            raise IndicatorsError(
                f"{role} column {name!r} must be numeric but has type {series.dtype}; convert it first"
            )
        return np.asarray(series.to_numpy(dtype="float64", na_value=np.nan), dtype=np.float64)
    import polars as pl

    if not (series.dtype.is_numeric() or series.dtype == pl.Null):
        raise IndicatorsError(f"{role} column {name!r} must be numeric but has type {series.dtype}; convert it first")
    return np.asarray(series.cast(pl.Float64).fill_null(np.nan).to_numpy(), dtype=np.float64)


def value_list(data: Any, name: str, role: str) -> list[Any]:
    """Return a column's values as a Python list (for keys, labels and flags)."""
    series = _column(data, name, role)
    return list(series.tolist() if frame_kind(data) == "pandas" else series.to_list())


def row_count(data: Any) -> int:
    return int(data.shape[0])


@dataclass(frozen=True)
class Groups:
    """Rows grouped by the values of the ``by`` columns, in order of first appearance."""

    codes: NDArray[np.intp]
    keys: dict[str, list[Any]]
    count: int

    def members(self) -> list[NDArray[np.intp]]:
        """Row positions of each group, in group order."""
        order = np.argsort(self.codes, kind="stable")
        bounds = np.cumsum(np.bincount(self.codes, minlength=self.count))[:-1]
        return list(np.split(order, bounds))


def by_columns(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def group_rows(data: Any, by: str | Sequence[str] | None) -> Groups:
    """Group the rows of ``data``; with no ``by`` every row is in one group."""
    names = by_columns(by)
    rows = row_count(data)
    if not names:
        return Groups(np.zeros(rows, dtype=np.intp), {}, 1 if rows else 0)
    columns = [value_list(data, name, "by") for name in names]
    seen: dict[tuple[Any, ...], int] = {}
    codes = np.empty(rows, dtype=np.intp)
    for row, key in enumerate(zip(*columns, strict=True)):
        codes[row] = seen.setdefault(key, len(seen))
    keys = {name: [key[i] for key in seen] for i, name in enumerate(names)}
    return Groups(codes, keys, len(seen))


def _series(kind: str, name: str, values: Any) -> Any:
    if kind == "pandas":
        return values
    import polars as pl

    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        return pl.Series(name, values, nan_to_null=True)
    return pl.Series(name, values)


def new_frame(kind: str, columns: Mapping[str, Any]) -> Any:
    """Build a frame of the given kind from named columns (arrays or lists of equal length)."""
    if kind == "pandas":
        import pandas as pd

        return pd.DataFrame(dict(columns.items()))
    import polars as pl

    return pl.DataFrame([_series(kind, name, values) for name, values in columns.items()])


def add_columns(data: Any, columns: Mapping[str, Any]) -> Any:
    """Return a copy of ``data`` with the given columns added (or replaced)."""
    kind = frame_kind(data)
    if kind == "pandas":
        return data.assign(**dict(columns.items()))
    return data.with_columns([_series(kind, name, values) for name, values in columns.items()])


def take_rows(data: Any, rows: NDArray[np.intp]) -> Any:
    """Return the given rows of ``data`` (used to keep a group's own columns)."""
    if frame_kind(data) == "pandas":
        return data.iloc[rows].reset_index(drop=True)
    return data[rows.tolist()]


def concat_frames(kind: str, frames: Sequence[Any]) -> Any:
    if kind == "pandas":
        import pandas as pd

        return pd.concat(list(frames), ignore_index=True)
    import polars as pl

    return pl.concat(list(frames), how="diagonal_relaxed")
