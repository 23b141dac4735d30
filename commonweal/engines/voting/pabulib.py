"""The pabulib ``.pb`` file format: read from text, write to text; the file wrappers sit at the edge.

The format (Faliszewski et al., "Participatory Budgeting: Data, Tools and Analysis", IJCAI 2023,
arXiv:2305.11035; https://pabulib.org/format) has three sections, each a ``;``-separated table:
``META`` (``key;value``), ``PROJECTS`` (``project_id;cost;...``) and ``VOTES`` (``voter_id;vote;...``),
where ``vote`` lists project ids separated by commas and, for cumulative and scoring ballots, ``points``
gives the matching points.
"""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Iterator
from os import PathLike
from pathlib import Path

from commonweal.engines.voting.election import (
    CARDINAL_TYPES,
    VOTE_TYPES,
    Election,
    Number,
    Project,
    Voter,
    as_number,
)
from commonweal.engines.voting.errors import VotingError

SECTIONS = ("meta", "projects", "votes")


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, fields) for each non-blank row."""
    reader = csv.reader(io.StringIO(text), delimiter=";")
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            yield reader.line_num, row
    except csv.Error as error:
        raise VotingError(f"line {reader.line_num}: the row cannot be read ({error})") from error


def _number(text: str, line: int, what: str, *, negative: bool = False) -> Number:
    try:
        value = as_number(text)
    except (ValueError, ZeroDivisionError):
        raise VotingError(f"line {line}: {what} {text.strip()!r} is not a number") from None
    if value < 0 and not negative:
        raise VotingError(f"line {line}: {what} {text.strip()!r} is negative")
    return value


def _limit(meta: dict[str, str], key: str, lines: dict[str, int]) -> Number | None:
    raw = meta.get(key)
    if raw is None or raw.strip().lower() in ("", "none"):
        return None
    return _number(raw, lines[key], f"META {key}")


def parse_pabulib(text: str) -> Election:
    """Parse the text of a pabulib ``.pb`` file into an :class:`Election` (pure: no file access).

    Accepts a byte-order mark, Windows line ends, section names in any case, blank lines, quoted
    fields and decimal commas in numbers. Checks what the rules rely on: the sections and their
    headers, a numeric budget and costs, unique project and voter ids, known projects in ballots,
    points matching votes, and the ballot limits in META (``min_length``, ``max_length``,
    ``min_points``, ``max_points``, ``min_sum_points``, ``max_sum_points``; choose-1 ballots name at
    most one project).

    Parameters
    ----------
    text : str
        The file's content.

    Returns
    -------
    Election

    Raises
    ------
    VotingError
        Naming the line and the problem, e.g. ``line 9: project 'x' is not in PROJECTS``.

    >>> text = "META\\nkey;value\\nbudget;100\\nvote_type;approval\\n"
    >>> text += "PROJECTS\\nproject_id;cost\\na;60\\nb;50,5\\nVOTES\\nvoter_id;vote\\n1;a,b\\n2;b\\n"
    >>> e = parse_pabulib(text)
    >>> e.budget, e.costs, [v.vote for v in e.voters]
    (100, (60, Fraction(101, 2)), [('a', 'b'), ('b',)])
    """
    # Reading makes one object per voter and row, none of them cyclic: the cycle collector, which would
    # otherwise scan them again and again as they pile up (nearly half the time), waits until the end.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parse(text.removeprefix("\ufeff"))
    finally:
        if collecting:
            gc.enable()


def _parse(text: str) -> Election:
    meta: dict[str, str] = {}
    meta_lines: dict[str, int] = {}
    projects: list[Project] = []
    project_lines: dict[str, int] = {}
    raw_votes: list[tuple[int, list[str]]] = []
    headers: dict[str, list[str]] = {}
    section = ""
    expect_header = False
    for line, row in _rows(text):
        first = row[0].strip().lower()
        if first in SECTIONS and all(not cell.strip() for cell in row[1:]):
            if first in headers or (first == section):
                raise VotingError(f"line {line}: section {row[0].strip()} appears twice")
            section, expect_header = first, True
            continue
        if not section:
            raise VotingError(f"line {line}: expected a section name (META, PROJECTS or VOTES), found {row[0]!r}")
        if expect_header:
            header = [cell.strip() for cell in row]
            needed = {"meta": ("key",), "projects": ("project_id", "cost"), "votes": ("vote",)}[section]
            if section != "meta":
                missing = [c for c in needed if c not in header]
                if missing:
                    raise VotingError(f"line {line}: the {section.upper()} header has no {missing[0]!r} column")
                if len(set(header)) != len(header):
                    raise VotingError(f"line {line}: the {section.upper()} header repeats a column")
            headers[section] = header
            expect_header = False
            continue
        if section == "meta":
            if len(row) < 2:
                raise VotingError(f"line {line}: a META row needs a key and a value, found {';'.join(row)!r}")
            key = row[0].strip()
            if key in meta:
                raise VotingError(f"line {line}: META key {key!r} appears twice")
            meta[key], meta_lines[key] = row[1].strip(), line
        elif section == "projects":
            header = headers["projects"]
            if len(row) != len(header):
                raise VotingError(
                    f"line {line}: the project row has {len(row)} fields but the header has {len(header)}"
                )
            fields = {h: cell.strip() for h, cell in zip(header, row, strict=True)}
            pid = fields["project_id"]
            if not pid:
                raise VotingError(f"line {line}: the project id is empty")
            if pid in project_lines:
                raise VotingError(f"line {line}: project {pid!r} appears twice (first on line {project_lines[pid]})")
            project_lines[pid] = line
            projects.append(Project(pid, _number(fields["cost"], line, f"the cost of project {pid!r}"), fields))
        else:
            raw_votes.append((line, row))
    for name in SECTIONS:
        if name not in headers:
            raise VotingError(f"the file has no {name.upper()} section (or it has no header row)")
    for key in ("budget", "vote_type"):
        if key not in meta:
            raise VotingError(f"META has no {key!r} entry")
    budget = _number(meta["budget"], meta_lines["budget"], "the budget")
    del budget
    vote_type = meta["vote_type"].strip().lower()
    if vote_type not in VOTE_TYPES:
        raise VotingError(
            f"line {meta_lines['vote_type']}: vote_type {meta['vote_type']!r} is not one of {', '.join(VOTE_TYPES)}"
        )
    meta["vote_type"] = vote_type
    voters = _parse_votes(raw_votes, headers["votes"], meta, meta_lines, project_lines)
    return Election(meta, tuple(projects), tuple(voters), tuple(headers["projects"]), tuple(headers["votes"]))


def _parse_votes(
    raw_votes: list[tuple[int, list[str]]],
    header: list[str],
    meta: dict[str, str],
    meta_lines: dict[str, int],
    project_lines: dict[str, int],
) -> list[Voter]:
    vote_type = meta["vote_type"]
    cardinal = vote_type in CARDINAL_TYPES
    if cardinal and "points" not in header:
        raise VotingError(f"{vote_type} ballots need a 'points' column in the VOTES header")
    min_length = _limit(meta, "min_length", meta_lines)
    max_length = _limit(meta, "max_length", meta_lines)
    if vote_type == "choose-1":
        max_length = 1 if max_length is None else min(max_length, 1)
    min_points = _limit(meta, "min_points", meta_lines) if cardinal else None
    max_points = _limit(meta, "max_points", meta_lines) if cardinal else None
    min_sum = _limit(meta, "min_sum_points", meta_lines) if cardinal else None
    max_sum = _limit(meta, "max_sum_points", meta_lines) if cardinal else None
    has_id = "voter_id" in header
    seen: dict[str, int] = {}
    voters: list[Voter] = []
    width = len(header)
    vote_at = header.index("vote")
    id_at = header.index("voter_id") if has_id else -1
    points_at = header.index("points") if cardinal else -1
    rest = [i for i in range(width) if i not in (vote_at, id_at, points_at)]
    rest_names = [header[i] for i in rest]
    # The other columns (age, sex ...) as one slice where they sit together, as in every real file.
    together = rest == list(range(rest[0], rest[0] + len(rest))) if rest else True
    first, last = (rest[0], rest[-1] + 1) if rest else (0, 0)
    strip = str.strip
    # Ballots repeat (Wrocław: 132,000 voters, 197 distinct ballots): each distinct text is read and
    # checked once, on its first line, so errors name the same line as a row-by-row check.
    votes: dict[str, tuple[str, ...]] = {}
    points_read: dict[str, tuple[Number, ...]] = {}
    for n, (line, row) in enumerate(raw_votes, start=1):
        if len(row) != width:
            raise VotingError(f"line {line}: the vote row has {len(row)} fields but the header has {width}")
        voter_id = row[id_at].strip() if has_id else str(n)
        if voter_id in seen:
            raise VotingError(f"line {line}: voter {voter_id!r} appears twice (first on line {seen[voter_id]})")
        seen[voter_id] = line
        raw_vote = row[vote_at]
        vote = votes.get(raw_vote)
        if vote is None:
            vote = _read_vote(raw_vote, line, project_lines, min_length, max_length)
            votes[raw_vote] = vote
        points: tuple[Number, ...] | None = None
        if cardinal:
            raw_points = row[points_at]
            read = points_read.get(raw_points)
            if read is None:
                count = sum(1 for p in raw_points.split(",") if p.strip())
                if count != len(vote):
                    raise VotingError(f"line {line}: {len(vote)} projects but {count} points")
                read = _read_points(raw_points, line, min_points, max_points, min_sum, max_sum, bool(vote))
                points_read[raw_points] = read
            if len(read) != len(vote):
                raise VotingError(f"line {line}: {len(vote)} projects but {len(read)} points")
            points = read
        cells = row[first:last] if together else [row[i] for i in rest]
        voters.append(Voter(voter_id, vote, points, dict(zip(rest_names, map(strip, cells), strict=True))))
    return voters


def _read_vote(
    raw: str, line: int, project_lines: dict[str, int], min_length: Number | None, max_length: Number | None
) -> tuple[str, ...]:
    vote = tuple(p.strip() for p in raw.strip().split(",") if p.strip())
    for pid in vote:
        if pid not in project_lines:
            raise VotingError(f"line {line}: project {pid!r} is not in PROJECTS")
    if len(set(vote)) != len(vote):
        raise VotingError(f"line {line}: the vote names a project more than once")
    if min_length is not None and vote and len(vote) < min_length:
        raise VotingError(f"line {line}: the vote names {len(vote)} projects, fewer than min_length {min_length}")
    if max_length is not None and len(vote) > max_length:
        raise VotingError(f"line {line}: the vote names {len(vote)} projects, more than max_length {max_length}")
    return vote


def _read_points(
    raw: str,
    line: int,
    min_points: Number | None,
    max_points: Number | None,
    min_sum: Number | None,
    max_sum: Number | None,
    nonempty: bool,
) -> tuple[Number, ...]:
    points = tuple(_number(p, line, "points") for p in raw.split(",") if p.strip())
    total = sum(points)
    for value in points:
        if min_points is not None and value < min_points:
            raise VotingError(f"line {line}: {value} points is below min_points {min_points}")
        if max_points is not None and value > max_points:
            raise VotingError(f"line {line}: {value} points is above max_points {max_points}")
    if min_sum is not None and nonempty and total < min_sum:
        raise VotingError(f"line {line}: {total} points in all is below min_sum_points {min_sum}")
    if max_sum is not None and total > max_sum:
        raise VotingError(f"line {line}: {total} points in all is above max_sum_points {max_sum}")
    return points


def read_pabulib(path: str | PathLike[str]) -> Election:
    """Read a pabulib ``.pb`` file (UTF-8, with or without a byte-order mark); see :func:`parse_pabulib`."""
    return parse_pabulib(Path(path).read_text(encoding="utf-8-sig"))


def format_number(value: Number) -> str:
    """Write an exact number the way pabulib files do: ``12``, ``12.5``, or ``1/3`` when not a finite decimal.

    >>> from fractions import Fraction
    >>> format_number(12), format_number(Fraction(25, 2)), format_number(Fraction(1, 3))
    ('12', '12.5', '1/3')
    """
    if isinstance(value, int) or value.denominator == 1:
        return str(int(value))
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    scaled = abs(value.numerator) * (10**places) // value.denominator
    sign = "-" if value < 0 else ""
    digits = str(scaled).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}".rstrip("0")


def _same_number(raw: str | None, value: Number) -> bool:
    if raw is None:
        return False
    try:
        return as_number(raw) == value
    except (ValueError, ZeroDivisionError):
        return False


def format_pabulib(election: Election) -> str:
    """Write an election as pabulib text (pure). Columns and their order are kept from the file.

    Values are written as read, so a file read and written again says the same thing
    (``parse_pabulib(format_pabulib(e)) == e``); numbers built in code are written exactly.

    >>> from commonweal.engines.voting.election import build_election
    >>> print(format_pabulib(build_election(10, {"a": 5}, [["a"]])), end="")
    META
    key;value
    budget;10
    vote_type;approval
    num_projects;1
    num_votes;1
    PROJECTS
    project_id;cost
    a;5
    VOTES
    voter_id;vote
    1;a
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    out.write("META\nkey;value\n")
    for key, value in election.meta.items():
        writer.writerow([key, value])
    out.write("PROJECTS\n")
    columns = list(election.project_columns)
    for needed in ("project_id", "cost"):
        if needed not in columns:
            columns.insert(0 if needed == "project_id" else 1, needed)
    writer.writerow(columns)
    for project in election.projects:
        cells = dict(project.fields)
        cells["project_id"] = project.project_id
        if not _same_number(cells.get("cost"), project.cost):
            cells["cost"] = format_number(project.cost)
        writer.writerow([cells.get(c, "") for c in columns])
    out.write("VOTES\n")
    columns = list(election.vote_columns)
    cardinal = election.vote_type in CARDINAL_TYPES
    for needed in ("voter_id", "vote", *(("points",) if cardinal else ())):
        if needed not in columns:
            columns.append(needed)
    writer.writerow(columns)
    for voter in election.voters:
        cells = dict(voter.fields)
        cells["voter_id"] = voter.voter_id
        cells["vote"] = ",".join(voter.vote)
        if voter.points is not None:
            cells["points"] = ",".join(format_number(p) for p in voter.points)
        writer.writerow([cells.get(c, "") for c in columns])
    return out.getvalue()


def write_pabulib(election: Election, path: str | PathLike[str]) -> None:
    """Write an election to a pabulib ``.pb`` file (UTF-8, ``\\n`` line ends); see :func:`format_pabulib`."""
    Path(path).write_text(format_pabulib(election), encoding="utf-8", newline="\n")


__all__ = ["format_number", "format_pabulib", "parse_pabulib", "read_pabulib", "write_pabulib"]
