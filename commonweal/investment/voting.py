"""From the database to `commonweal.engines.voting` and back: elections, rules and pabulib files.

A process's election is built in one place (`election_for`), so the published result, the
pabulib export and any re-count all see the same projects and ballots. Voters are written with
pseudonymous ids (their ballot's order), never with anything that identifies the resident.
"""

from fractions import Fraction
from typing import Any

from commonweal.engines.voting import (
    Election,
    Outcome,
    Project,
    Voter,
    format_pabulib,
    greedy,
    method_of_equal_shares,
)
from commonweal.engines.voting.pabulib import format_number

from .models import BallotChoice, BallotType, PBProcess, PBProject, Rule


def engine_vote_type(process: PBProcess) -> str:
    """Knapsack ballots are approval ballots with a budget limit; points ballots are cumulative."""
    if process.is_imported:
        return dict(process.pabulib_meta)["vote_type"]
    return "cumulative" if process.ballot_type == BallotType.CUMULATIVE else "approval"


def money_number(pence: int) -> int | Fraction:
    """Pence as the exact number of pounds (or euros...) the engine and pabulib files use."""
    value = Fraction(pence, 100)
    return int(value) if value.denominator == 1 else value


def ballot_projects(process: PBProcess) -> list[PBProject]:
    """The projects on the ballot paper, in their order."""
    return list(process.projects.filter(status=PBProject.Status.FEASIBLE).order_by("position", "pk"))


def election_for(process: PBProcess) -> Election:
    projects = ballot_projects(process)
    vote_type = engine_vote_type(process)
    cardinal = vote_type in ("cumulative", "scoring")
    codes = {p.pk: p.code for p in projects}
    choices: dict[int, list[tuple[int, int]]] = {}
    rows = BallotChoice.objects.filter(ballot__process=process).order_by("ballot_id", "position", "pk")
    for ballot_id, project_id, points in rows.values_list("ballot_id", "project_id", "points").iterator(2000):
        if project_id in codes:  # a project taken off the ballot after votes were cast is not counted
            choices.setdefault(ballot_id, []).append((project_id, points))
    voters = []
    ballots = process.ballots.order_by("pk").values_list("pk", "external_id", "pabulib_fields")
    for n, (pk, external_id, fields) in enumerate(ballots.iterator(2000), start=1):
        mine = choices.get(pk, [])
        vote = tuple(codes[project_id] for project_id, _ in mine)
        points = tuple(p for _, p in mine) if cardinal else None
        voters.append(Voter(external_id or str(n), vote, points, dict(fields or {})))
    return Election(
        meta=_meta(process, projects, len(voters), vote_type),
        projects=tuple(_project(p) for p in projects),
        voters=tuple(voters),
        project_columns=tuple(process.pabulib_project_columns or ("project_id", "cost", "name")),
        vote_columns=tuple(
            process.pabulib_vote_columns or (("voter_id", "vote", "points") if cardinal else ("voter_id", "vote"))
        ),
    )


def _project(project: PBProject) -> Project:
    fields = dict(project.pabulib_fields) or {"name": project.title}
    fields.setdefault("project_id", project.code)
    fields.setdefault("cost", format_number(money_number(project.cost_pence or 0)))
    return Project(project.code, money_number(project.cost_pence or 0), fields)


def _meta(process: PBProcess, projects: list[PBProject], voters: int, vote_type: str) -> dict[str, str]:
    if process.is_imported:
        return dict(process.pabulib_meta)
    meta = {
        "description": process.title,
        "country": "United Kingdom",
        "unit": process.place.name,
        "instance": str(process.created_at.year),
        "num_projects": str(len(projects)),
        "num_votes": str(voters),
        "budget": format_number(money_number(process.budget_pence)),
        "vote_type": vote_type,
        "rule": PABULIB_RULES[process.rule],
        "currency": process.currency,
        "language": "en",
    }
    if process.ballot_type != BallotType.CUMULATIVE:
        meta["min_length"] = str(process.min_choices)
        if process.max_choices:
            meta["max_length"] = str(process.max_choices)
    else:
        meta["max_sum_points"] = str(process.total_points)
        if process.max_points_per_project:
            meta["max_points"] = str(process.max_points_per_project)
    return meta


PABULIB_RULES = {
    Rule.MES_ADD1: "equalshares/add1",
    Rule.MES_ADD1_GREEDY: "equalshares/add1-greedy",
    Rule.MES: "equalshares",
    Rule.GREEDY: "greedy",
}


def run_rule(process: PBProcess, election: Election | None = None) -> Outcome:
    """Count the ballots with the rule the council chose in advance."""
    election = election or election_for(process)
    rule: Any = process.rule
    if rule == Rule.GREEDY:
        return greedy(election, tie_breaking=process.tie_breaking)
    completion = {Rule.MES_ADD1: "add1", Rule.MES_ADD1_GREEDY: "add1-greedy", Rule.MES: None}[rule]
    return method_of_equal_shares(election, completion=completion, tie_breaking=process.tie_breaking)


def export_pabulib(process: PBProcess) -> str:
    return format_pabulib(election_for(process))


__all__ = ["election_for", "engine_vote_type", "export_pabulib", "money_number", "run_rule"]
