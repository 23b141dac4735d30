"""Optimism bias: the Green Book's upward adjustment to cost and duration estimates.

The bounds are HM Treasury's Supplementary Green Book Guidance on optimism bias (Mott MacDonald,
2002), Table 2, in percent: the *upper* bound applies at the outline business case, and the
adjustment falls towards the *lower* bound as risks are mitigated. A project that mixes types is
given the share-weighted blend of their bounds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Literal

from .errors import ValuationError

# project type: (works duration upper, works duration lower, capex upper, capex lower), percent.
# Outsourcing's capex bounds apply to operating expenditure; it has no works duration bounds.
GREEN_BOOK_OPTIMISM_BIAS: dict[str, tuple[float | None, float | None, float, float]] = {
    "standard buildings": (4, 1, 24, 2),
    "non-standard buildings": (39, 2, 51, 4),
    "standard civil engineering": (20, 1, 44, 3),
    "non-standard civil engineering": (25, 3, 66, 6),
    "equipment/development": (54, 10, 200, 10),
    "outsourcing": (None, None, 41, 0),
}
"""Green Book optimism bias bounds (percent) by project type: duration upper/lower, capex upper/lower."""

OPTIMISM_BIAS_SOURCE = (
    "HM Treasury Supplementary Green Book Guidance: Optimism Bias (Mott MacDonald, 2002), Table 2; "
    "Open Government Licence v3.0"
)

Measure = Literal["capex", "works_duration"]
Bound = Literal["upper", "lower"]


def _bound_for(project_type: str, measure: Measure, bound: Bound) -> float:
    key = project_type.strip().lower()
    if key not in GREEN_BOOK_OPTIMISM_BIAS:
        raise ValuationError(
            f"unknown project type {project_type!r}: use one of {', '.join(GREEN_BOOK_OPTIMISM_BIAS)}, "
            "or give (share, bound) pairs"
        )
    if measure not in ("capex", "works_duration"):
        raise ValuationError(f"measure must be 'capex' or 'works_duration', not {measure!r}")
    if bound not in ("upper", "lower"):
        raise ValuationError(f"bound must be 'upper' or 'lower', not {bound!r}")
    row = GREEN_BOOK_OPTIMISM_BIAS[key]
    value = row[(2 if measure == "capex" else 0) + (0 if bound == "upper" else 1)]
    if value is None:
        raise ValuationError(f"the Green Book gives no {measure} optimism bias for {project_type!r}")
    return value / 100


def optimism_bias(
    shares_and_bounds: Mapping[str, float] | Sequence[tuple[float, float]],
    *,
    measure: Measure = "capex",
    bound: Bound = "upper",
    mitigation: float = 0.0,
) -> float:
    """Blend optimism bias across project types, as a fraction to add to a cost or duration.

    Parameters
    ----------
    shares_and_bounds
        Either a mapping of Green Book project type to its share of the project (looked up in
        :data:`GREEN_BOOK_OPTIMISM_BIAS`), or a sequence of ``(share, bound)`` pairs with bounds
        as fractions (0.51 for 51%). Shares must sum to 1.
    measure
        ``"capex"`` (default) or ``"works_duration"``, for project-type lookups.
    bound
        ``"upper"`` (default, before mitigation) or ``"lower"``, for project-type lookups.
    mitigation
        Fraction of the blended bias removed by evidenced risk mitigation (0 to 1, default 0).

    Returns
    -------
    float
        The uplift as a fraction, e.g. 0.321 for 32.1%.

    Raises
    ------
    ValuationError
        If shares are negative or do not sum to 1, a bound is negative, or a type is unknown.

    Examples
    --------
    >>> blend = {"non-standard buildings": 0.3, "standard buildings": 0.7}
    >>> round(optimism_bias(blend), 4), round(optimism_bias(blend, measure="works_duration"), 4)
    (0.321, 0.145)
    >>> round(optimism_bias([(0.5, 0.24), (0.5, 0.44)], mitigation=0.5), 4)
    0.17
    """
    if isinstance(shares_and_bounds, Mapping):
        pairs = [(share, _bound_for(kind, measure, bound)) for kind, share in shares_and_bounds.items()]
    else:
        pairs = []
        for item in shares_and_bounds:
            if len(item) != 2:
                raise ValuationError(f"give (share, bound) pairs, not {item!r}")
            pairs.append((item[0], item[1]))
    if not pairs:
        raise ValuationError("optimism_bias needs at least one project type or (share, bound) pair")
    total = 0.0
    blended = 0.0
    for share, value in pairs:
        share, value = float(share), float(value)
        if not (math.isfinite(share) and share >= 0):
            raise ValuationError(f"project shares must be zero or more, not {share}")
        if not (math.isfinite(value) and value >= 0):
            raise ValuationError(f"optimism bias bounds must be zero or more (fractions), not {value}")
        total += share
        blended += share * value
    if abs(total - 1) > 1e-9:
        raise ValuationError(f"project shares must sum to 1, they sum to {total:g}")
    if not 0 <= mitigation <= 1:
        raise ValuationError(f"mitigation must be between 0 and 1, not {mitigation}")
    return blended * (1 - mitigation)
