"""Domain errors: each message is written for the person who can act on it."""


class InvestmentError(Exception):
    """A use case was refused; the message says why, for the user."""


class FundOverdrawn(InvestmentError):
    """An award would commit more than the fund holds."""


class OverPaid(InvestmentError):
    """A payment would take an award's payments past the amount awarded."""


class StageError(InvestmentError):
    """The step is not possible at the process's or round's current stage."""


class BallotRefused(InvestmentError):
    """The ballot breaks the process's rules, or the voter may not vote."""
