"""The deal app's one domain error: its message tells the user what to do."""


class DealError(ValueError):
    """A pledge, contribution or exchange that cannot be recorded as asked. `field` names the input at fault."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class BalanceLimitError(DealError):
    """An hour transfer would take a time-bank balance beyond its limit."""
