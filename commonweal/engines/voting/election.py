"""An election as plain data: projects, budget and ballots, plus the merged profile rules count."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from itertools import chain
from typing import Literal

import numpy as np
import numpy.typing as npt

from commonweal.engines.voting.errors import VotingError

Number = int | Fraction
VoteType = Literal["approval", "choose-1", "cumulative", "scoring", "ordinal"]
VOTE_TYPES: tuple[str, ...] = ("approval", "choose-1", "cumulative", "scoring", "ordinal")
CARDINAL_TYPES: tuple[str, ...] = ("cumulative", "scoring")


def as_number(value: Number | float | str) -> Number:
    """Return ``value`` as an exact number: an ``int`` when whole, else a ``Fraction``.

    Strings may use a decimal comma (``"1234,50"``), as some pabulib files do.

    >>> as_number("1234,50"), as_number(" 7 "), as_number(Fraction(6, 3))
    (Fraction(2469, 2), 7, 2)
    """
    if isinstance(value, str):
        value = Fraction(value.strip().replace(",", "."))
    elif isinstance(value, float):
        value = Fraction(value)
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value.numerator)
    return value


@dataclass(frozen=True)
class Project:
    """A project on the ballot paper.

    Attributes
    ----------
    project_id : str
        The id as written in the file; outcomes report projects by this id.
    cost : int or Fraction
        The exact cost.
    fields : dict of str to str
        Every column of the file's PROJECTS row, as text (``name``, ``votes``, ``category`` ...).
    """

    project_id: str
    cost: Number
    fields: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The project's name where the file gives one, else its id."""
        return self.fields.get("name", self.project_id)


@dataclass(frozen=True)
class Voter:
    """One voter's ballot.

    Attributes
    ----------
    voter_id : str
        The (pseudonymous) id from the file.
    vote : tuple of str
        Project ids, in the order written (the order matters for ordinal ballots).
    points : tuple of numbers or None
        Points per project in ``vote`` for cumulative and scoring ballots, else ``None``.
    fields : dict of str to str
        The other columns of the VOTES row (``age``, ``sex``, ``voting_method`` ...), as text.
    """

    voter_id: str
    vote: tuple[str, ...]
    points: tuple[Number, ...] | None = None
    fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Profile:
    """Identical ballots merged, as arrays the rules count with.

    Attributes
    ----------
    weights : ndarray of int64, shape (g,)
        How many voters cast each distinct ballot.
    groups, projects : ndarray of int64, shape (nnz,)
        Sparse incidence: distinct ballot ``groups[k]`` supports project index ``projects[k]``.
    points : tuple of numbers, length nnz
        The points behind each incidence (1 for approval ballots).
    num_voters : int
        All voters, including those who left their ballot empty.
    """

    weights: npt.NDArray[np.int64]
    groups: npt.NDArray[np.int64]
    projects: npt.NDArray[np.int64]
    points: tuple[Number, ...]
    num_voters: int

    @property
    def num_groups(self) -> int:
        """The number of distinct non-empty ballots."""
        return int(self.weights.shape[0])


@dataclass(frozen=True)
class Election:
    """A participatory-budgeting election.

    Build one with :func:`build_election` or read it with ``parse_pabulib`` / ``read_pabulib``.

    Attributes
    ----------
    meta : dict of str to str
        The META section (``budget``, ``vote_type``, ``rule``, ...), in file order.
    projects : tuple of Project
        In file order.
    voters : tuple of Voter
        In file order.
    project_columns, vote_columns : tuple of str
        The column names of PROJECTS and VOTES, kept so that writing a file gives the same columns.
    """

    meta: Mapping[str, str]
    projects: tuple[Project, ...]
    voters: tuple[Voter, ...]
    project_columns: tuple[str, ...] = ("project_id", "cost")
    vote_columns: tuple[str, ...] = ("voter_id", "vote")

    @property
    def budget(self) -> Number:
        """The exact budget limit from META ``budget``."""
        return as_number(self.meta["budget"])

    @property
    def vote_type(self) -> str:
        """The META ``vote_type``: approval, choose-1, cumulative, scoring or ordinal."""
        return self.meta["vote_type"]

    @cached_property
    def project_ids(self) -> tuple[str, ...]:
        """Project ids in file order."""
        return tuple(p.project_id for p in self.projects)

    @cached_property
    def index(self) -> dict[str, int]:
        """Project id to its position in :attr:`projects`."""
        return {pid: i for i, pid in enumerate(self.project_ids)}

    @cached_property
    def costs(self) -> tuple[Number, ...]:
        """Exact costs in file order."""
        return tuple(p.cost for p in self.projects)

    @cached_property
    def profile(self) -> Profile:
        """Identical ballots merged (computed once and cached): what every rule counts."""
        return merge_ballots(self)

    def scores(self) -> tuple[Number, ...]:
        """Votes per project (approval, choose-1) or total points (cumulative, scoring), in file order.

        >>> build_election(10, {"a": 5, "b": 5}, [["a"], ["a", "b"]]).scores()
        (2, 1)
        """
        profile = self.profile
        if self.vote_type not in CARDINAL_TYPES:
            return self.supporters()
        if (
            all(isinstance(p, int) for p in profile.points)
            and profile.num_voters * max(profile.points, default=0) < 2**52
        ):
            weights = profile.weights[profile.groups] * np.asarray(profile.points, dtype=np.float64)
            return tuple(int(t) for t in np.bincount(profile.projects, weights=weights, minlength=len(self.projects)))
        totals: list[Number] = [0] * len(self.projects)
        for g, p, pts in zip(profile.groups.tolist(), profile.projects.tolist(), profile.points, strict=True):
            totals[p] += int(profile.weights[g]) * pts
        return tuple(totals)

    def supporters(self) -> tuple[int, ...]:
        """How many voters put each project on their ballot, in file order."""
        profile = self.profile
        counts = np.bincount(profile.projects, weights=profile.weights[profile.groups], minlength=len(self.projects))
        return tuple(int(c) for c in counts)


def merge_ballots(election: Election) -> Profile:
    """Merge identical ballots (the order of an approval ballot does not matter) into a :class:`Profile`.

    Ballots written identically are counted first (a dictionary on the ballots as read); the distinct
    ones become rows of a project-by-ballot table (a bit per project for approval ballots, the points
    for integer points), and numpy merges equal rows. Groups come in the order of their first voter.
    """
    index = election.index
    cardinal = election.vote_type in CARDINAL_TYPES
    # Keyed by object identity: a file's reader shares one tuple among the ballots written the same way.
    written: dict[tuple[int, int], int] = {}
    seen: dict[tuple[int, int], tuple[tuple[str, ...], tuple[Number, ...] | None]] = {}
    for voter in election.voters:
        given = voter.points if cardinal else None
        key = (id(voter.vote), id(given))
        if key in written:
            written[key] += 1
        else:
            written[key] = 1
            seen[key] = (voter.vote, given)
    ballots = list(seen.values())
    if not ballots or not index:
        return Profile(
            weights=np.zeros(0, dtype=np.int64),
            groups=np.zeros(0, dtype=np.int64),
            projects=np.zeros(0, dtype=np.int64),
            points=(),
            num_voters=len(election.voters),
        )
    count = np.fromiter(written.values(), dtype=np.int64, count=len(ballots))
    lengths = np.fromiter((len(vote) for vote, _ in ballots), dtype=np.int64, count=len(ballots))
    rows = np.repeat(np.arange(len(ballots)), lengths)
    named = chain.from_iterable(vote for vote, _ in ballots)
    columns = np.fromiter(map(index.__getitem__, named), dtype=np.int64, count=int(lengths.sum()))
    if cardinal:
        values = [pts for _, given in ballots if given is not None for pts in given]
        if not all(type(v) is int and -(2**62) < v < 2**62 for v in values):
            return _merge_exactly(election, ballots, count.tolist())
        table: npt.NDArray[np.int64] | npt.NDArray[np.bool_] = np.zeros((len(ballots), len(index)), dtype=np.int64)
        table[rows, columns] = np.asarray(values, dtype=np.int64)
        packed: npt.NDArray[np.generic] = table
    else:
        table = np.zeros((len(ballots), len(index)), dtype=np.bool_)
        table[rows, columns] = True
        packed = np.packbits(table, axis=1)  # a bit per project
    packed = np.ascontiguousarray(packed)
    keys = packed.view(np.dtype((np.void, packed.dtype.itemsize * packed.shape[1]))).ravel()
    unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    del unique
    inverse = inverse.reshape(-1)
    weights = np.bincount(inverse, weights=count, minlength=len(first)).astype(np.int64)
    order = np.argsort(first, kind="stable")  # groups in the order of their first voter
    merged = table[first[order]]
    weights = weights[order]
    nonempty = merged.any(axis=1)
    merged, weights = merged[nonempty], weights[nonempty]
    groups, projects = np.nonzero(merged)
    points: tuple[Number, ...] = tuple(merged[groups, projects].tolist()) if cardinal else (1,) * len(groups)
    return Profile(
        weights=weights,
        groups=groups.astype(np.int64),
        projects=projects.astype(np.int64),
        points=points,
        num_voters=len(election.voters),
    )


def _merge_exactly(
    election: Election,
    ballots: list[tuple[tuple[str, ...], tuple[Number, ...] | None]],
    counts: list[int],
) -> Profile:
    """Merge ballots with points that are not all integers (fractions), one dictionary entry per ballot."""
    index = election.index
    merged: dict[tuple[tuple[int, Number], ...], int] = {}
    for (vote, points), n in zip(ballots, counts, strict=True):
        assert points is not None
        key = tuple(sorted((index[p], pts) for p, pts in zip(vote, points, strict=True) if pts != 0))
        if key:
            merged[key] = merged.get(key, 0) + n
    groups: list[int] = []
    projects: list[int] = []
    points_out: list[Number] = []
    for g, key in enumerate(merged):
        for p, pts in key:
            groups.append(g)
            projects.append(p)
            points_out.append(pts)
    return Profile(
        weights=np.asarray(list(merged.values()), dtype=np.int64),
        groups=np.asarray(groups, dtype=np.int64),
        projects=np.asarray(projects, dtype=np.int64),
        points=tuple(points_out),
        num_voters=len(election.voters),
    )


def build_election(
    budget: Number | str,
    costs: Mapping[str, Number | str],
    ballots: Iterable[Sequence[str] | Mapping[str, Number | str]],
    *,
    vote_type: str | None = None,
    meta: Mapping[str, str] | None = None,
) -> Election:
    """Build an election from plain Python data (the platform's own votes, tests, examples).

    Parameters
    ----------
    budget : number or str
        The budget limit.
    costs : mapping of project id to cost
        Projects in the order given.
    ballots : iterable of sequences of ids, or of mappings id -> points
        Approval ballots as lists of project ids; cumulative ballots as ``{id: points}``.
    vote_type : str, optional
        Defaults to ``"cumulative"`` when ballots are mappings, else ``"approval"``.
    meta : mapping, optional
        Extra META entries (``description``, ``unit`` ...).

    Returns
    -------
    Election

    Raises
    ------
    VotingError
        If a ballot names an unknown project or a number is not valid.

    >>> e = build_election(100, {"a": 60, "b": 50}, [["a"], ["b"], ["a", "b"]])
    >>> e.vote_type, e.budget, e.project_ids, len(e.voters)
    ('approval', 100, ('a', 'b'), 3)
    """
    ballot_list = list(ballots)
    cardinal = any(isinstance(b, Mapping) for b in ballot_list)
    kind = vote_type or ("cumulative" if cardinal else "approval")
    if kind not in VOTE_TYPES:
        raise VotingError(f"vote_type {kind!r} is not one of {', '.join(VOTE_TYPES)}")
    try:
        projects = tuple(
            Project(str(pid), as_number(cost), {"project_id": str(pid), "cost": str(cost)})
            for pid, cost in costs.items()
        )
        budget_number = as_number(budget)
    except (ValueError, ZeroDivisionError) as error:
        raise VotingError(f"a cost or the budget is not a number: {error}") from error
    known = {p.project_id for p in projects}
    voters = []
    for i, ballot in enumerate(ballot_list, start=1):
        if isinstance(ballot, Mapping):
            vote = tuple(str(p) for p in ballot)
            points: tuple[Number, ...] | None = tuple(as_number(v) for v in ballot.values())
        else:
            vote = tuple(str(p) for p in ballot)
            points = None
        unknown = [p for p in vote if p not in known]
        if unknown:
            raise VotingError(f"ballot {i}: project {unknown[0]!r} is not one of the projects")
        if kind in CARDINAL_TYPES and points is None:
            points = (1,) * len(vote)
        voters.append(Voter(str(i), vote, points if kind in CARDINAL_TYPES else None))
    full_meta = {"budget": str(budget_number), "vote_type": kind, "num_projects": str(len(projects))}
    full_meta["num_votes"] = str(len(voters))
    full_meta.update(meta or {})
    columns = ("voter_id", "vote", "points") if kind in CARDINAL_TYPES else ("voter_id", "vote")
    return Election(full_meta, projects, tuple(voters), ("project_id", "cost"), columns)
