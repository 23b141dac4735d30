"""The voting engine's one error type."""


class VotingError(ValueError):
    """A problem with an election or a rule's arguments, described so that a person can fix it.

    Errors about a pabulib file name the line (1-based, as an editor shows it) and the problem,
    for example ``line 17: project 'c9' is not in PROJECTS``.
    """
