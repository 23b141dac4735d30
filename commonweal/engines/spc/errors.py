"""The one error type of the SPC engine."""


class SpcError(ValueError):
    """Raised when the input cannot make an SPC chart; the message says what to change."""
