"""Tie-breaking: which of several equally good projects a rule takes first.

The choice is always an explicit argument of a rule (default ``"lexicographic"``, pabutools' default:
the smaller project id as a string, so ``"10"`` comes before ``"9"``).
"""

from __future__ import annotations

from collections.abc import Sequence

from commonweal.engines.voting.election import Election
from commonweal.engines.voting.errors import VotingError

TieBreaking = str | Sequence[str]
TIE_BREAKINGS = ("lexicographic", "min-cost", "max-cost", "most-supporters")


def priorities(election: Election, tie_breaking: TieBreaking) -> list[int]:
    """Return each project's rank (0 = taken first in a tie), in file order.

    Parameters
    ----------
    election : Election
    tie_breaking : str or sequence of project ids
        ``"lexicographic"`` (smaller id first), ``"min-cost"`` / ``"max-cost"`` (then lexicographic),
        ``"most-supporters"`` (then lexicographic), or every project id in order of priority
        (for example the order of a public lottery).

    >>> from commonweal.engines.voting.election import build_election
    >>> e = build_election(10, {"9": 5, "10": 2, "a": 3}, [["9"], ["10"]])
    >>> priorities(e, "lexicographic"), priorities(e, "min-cost"), priorities(e, ["a", "9", "10"])
    ([1, 0, 2], [2, 0, 1], [1, 2, 0])
    """
    ids = election.project_ids
    if isinstance(tie_breaking, str):
        if tie_breaking == "lexicographic":
            keys: list[tuple[object, ...]] = [(pid,) for pid in ids]
        elif tie_breaking == "min-cost":
            keys = [(c, pid) for c, pid in zip(election.costs, ids, strict=True)]
        elif tie_breaking == "max-cost":
            keys = [(-c, pid) for c, pid in zip(election.costs, ids, strict=True)]
        elif tie_breaking == "most-supporters":
            keys = [(-s, pid) for s, pid in zip(election.supporters(), ids, strict=True)]
        else:
            raise VotingError(
                f"tie_breaking {tie_breaking!r} is not one of {', '.join(TIE_BREAKINGS)} or a list of project ids"
            )
        order = sorted(range(len(ids)), key=lambda i: keys[i])
    else:
        given = [str(p) for p in tie_breaking]
        if sorted(given) != sorted(ids):
            raise VotingError("a tie-breaking order must list every project id exactly once")
        index = election.index
        order = [index[p] for p in given]
    ranks = [0] * len(ids)
    for rank, i in enumerate(order):
        ranks[i] = rank
    return ranks
