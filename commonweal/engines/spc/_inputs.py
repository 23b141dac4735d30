"""Checking and converting what callers pass in, with errors a user can act on."""

from __future__ import annotations

import datetime as dt
import decimal
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import SpcError

DateLike = dt.date | dt.datetime | np.datetime64 | str
DateArray = npt.NDArray[np.datetime64]


def _describe(item: object) -> str:
    text = repr(item)
    return text if len(text) <= 40 else text[:37] + "..."


def as_values(values: Any, *, ndim: int = 1) -> npt.NDArray[np.float64]:
    """Return the values as a float array, refusing text, booleans, missing and infinite values."""
    if isinstance(values, str | bytes):
        raise SpcError("values must be a sequence of numbers, not a single piece of text")
    try:
        raw = np.asarray(values)
    except (TypeError, ValueError) as exc:  # ragged nested sequences
        raise SpcError(f"values must be a sequence of numbers of equal length: {exc}") from None
    if raw.ndim != ndim:
        shape = "a flat sequence (one series)" if ndim == 1 else "a table of series x points"
        raise SpcError(f"values must be {shape}; got an array with {raw.ndim} dimension(s)")
    if raw.dtype.kind in "iuf":
        out = raw.astype(np.float64)
    else:
        # Look at the caller's own items where we can: numpy turns [1, "two"] into text throughout.
        items = list(values) if ndim == 1 and isinstance(values, list | tuple) else raw.reshape(-1).tolist()
        for position, item in enumerate(items):
            if item is None or isinstance(item, bool) or not isinstance(item, numbers.Real | decimal.Decimal):
                where = _position(position, raw.shape)
                raise SpcError(
                    f"value {where} is {_describe(item)}, which is not a number; "
                    "SPC needs one number per period (convert text to numbers, and remove or fill "
                    "missing periods first)"
                )
        out = raw.astype(np.float64)
    bad = ~np.isfinite(out)
    if bad.any():
        position = int(np.flatnonzero(bad.reshape(-1))[0])
        where = _position(position, out.shape)
        raise SpcError(
            f"value {where} is {out.reshape(-1)[position]}; every period needs a finite number "
            "(remove or fill missing periods first)"
        )
    return out


def _position(flat_index: int, shape: tuple[int, ...]) -> str:
    if len(shape) == 1:
        return f"at position {flat_index}"
    row, col = divmod(flat_index, shape[-1])
    return f"at series {row}, position {col}"


def as_dates(dates: Sequence[DateLike] | npt.ArrayLike, n: int) -> DateArray:
    """Return the dates as datetime64[us], checking there is one per value, sorted, without repeats."""
    if isinstance(dates, str | bytes):
        raise SpcError("dates must be a sequence with one date per value, not a single piece of text")
    try:
        items = list(dates)  # type: ignore[arg-type]
    except TypeError:
        raise SpcError("dates must be a sequence with one date per value") from None
    if len(items) != n:
        raise SpcError(f"there are {n} values but {len(items)} dates; give exactly one date per value")
    parsed = np.empty(n, dtype="datetime64[us]")
    for position, item in enumerate(items):
        parsed[position] = _as_date(item, f"date at position {position}")
    steps = np.diff(parsed)
    if (steps == np.timedelta64(0)).any():
        position = int(np.flatnonzero(steps == np.timedelta64(0))[0]) + 1
        raise SpcError(
            f"date {items[position]!s} appears more than once (positions {position - 1} and {position}); "
            "give one value per period, summing or averaging repeated periods first"
        )
    if (steps < np.timedelta64(0)).any():
        position = int(np.flatnonzero(steps < np.timedelta64(0))[0]) + 1
        raise SpcError(
            f"dates are not in order: {items[position]!s} at position {position} comes after "
            f"{items[position - 1]!s}; sort the values by date first"
        )
    return parsed


def _as_date(item: object, what: str) -> np.datetime64:
    if isinstance(item, bool) or item is None:
        raise SpcError(f"{what} is {_describe(item)}, which is not a date")
    try:
        value: np.datetime64 = np.datetime64(item, "us")  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise SpcError(f"{what} is {_describe(item)}, which is not a date (use ISO 8601, e.g. 2024-01-31)") from None
    if np.isnat(value):
        raise SpcError(f"{what} is missing; every value needs a date")
    return value


def as_date(item: object, what: str) -> np.datetime64:
    """Parse one date-like item to datetime64[us]."""
    return _as_date(item, what)


def to_python_dates(dates: DateArray) -> tuple[dt.date, ...]:
    """Return ``datetime.date`` objects when every date is at midnight, else ``datetime.datetime``."""
    days = dates.astype("datetime64[D]")
    if (days == dates).all():
        return tuple(days.astype(object).tolist())
    return tuple(dates.astype(object).tolist())
