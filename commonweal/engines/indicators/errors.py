"""The indicators engine's one error type."""


class IndicatorsError(ValueError):
    """Input that the indicator methods cannot turn into a correct number.

    The message says what was wrong and what to change; the engine raises it rather than
    returning a silently wrong value.
    """


class IndicatorsWarning(UserWarning):
    """An indicator was suppressed to missing (NA) for a documented reason, e.g. a zero population."""
