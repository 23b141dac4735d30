"""The valuation engine's one error type."""


class ValuationError(ValueError):
    """Input the valuation engine cannot value, with a message saying what to change.

    Examples
    --------
    >>> raise ValuationError("deadweight must be between 0 and 1, not 1.2")
    Traceback (most recent call last):
    ...
    commonweal.engines.valuation.errors.ValuationError: deadweight must be between 0 and 1, not 1.2
    """
