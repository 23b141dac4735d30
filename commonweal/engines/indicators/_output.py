"""Output names shared by every indicator, following PHEindicatormethods."""

from __future__ import annotations

from collections.abc import Sequence


def limit_names(levels: Sequence[float], prefix: str = "") -> list[tuple[str, str]]:
    """Column names for each level: ``lowercl``/``uppercl`` for one level, ``lower95_0cl`` for several."""
    if len(levels) == 1:
        return [(f"{prefix}lowercl", f"{prefix}uppercl")]
    names = []
    for level in levels:
        tag = f"{level * 100:.1f}".replace(".", "_")
        names.append((f"{prefix}lower{tag}cl", f"{prefix}upper{tag}cl"))
    return names


def confidence_label(levels: Sequence[float]) -> str:
    """The ``confidence`` column text, e.g. ``"95%"`` or ``"95%, 99.8%"``."""
    return ", ".join(f"{round(level * 100, 8):g}%" for level in levels)


def format_number(number: float, *, thousands: bool = False) -> str:
    """Write a multiplier as R's ``format(x, scientific = FALSE)`` does: 100000, not 1e+05."""
    text = f"{int(number):,}" if float(number).is_integer() else f"{number:g}"
    return text if thousands else text.replace(",", "")
