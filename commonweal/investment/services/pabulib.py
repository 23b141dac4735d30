"""Importing a pabulib `.pb` file as a finished PB process (its ballots stay pseudonymous)."""

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from commonweal.audit.models import Action
from commonweal.audit.services import record

from ..errors import InvestmentError
from ..models import Ballot, BallotChoice, BallotType, PBProcess, PBProject, Rule

if TYPE_CHECKING:
    from commonweal.engines.voting import Election

# pabulib's META `rule` values, mapped to the rules a council can choose here.
RULES_FROM_PABULIB = {
    "greedy": Rule.GREEDY,
    "greedy-threshold": Rule.GREEDY,
    "greedy-no-skip": Rule.GREEDY,
    "equalshares": Rule.MES,
    "equalshares/add1": Rule.MES_ADD1,
    "equalshares/add1-greedy": Rule.MES_ADD1_GREEDY,
}


def _pence(value: Any, what: str) -> int:
    hundredths = Fraction(value) * 100
    if hundredths.denominator != 1:
        raise InvestmentError(f"{what} {value} has more than two decimal places.")
    return int(hundredths)


def _settings(election: "Election") -> dict[str, Any]:
    meta = election.meta
    vote_type = election.vote_type
    if vote_type in ("approval", "choose-1"):
        most = "1" if vote_type == "choose-1" else meta.get("max_length", "")
        return {
            "ballot_type": BallotType.APPROVAL,
            "min_choices": int(meta.get("min_length") or 1),
            "max_choices": int(most) if most.strip().isdigit() else None,
        }
    if vote_type == "cumulative":
        return {
            "ballot_type": BallotType.CUMULATIVE,
            "total_points": int(
                Fraction(
                    meta.get("max_sum_points") or sum(max(v.points or (0,), default=0) for v in election.voters) or 1
                )
            ),
            "max_points_per_project": int(Fraction(meta["max_points"])) if meta.get("max_points", "").strip() else None,
        }
    raise InvestmentError(f"{vote_type} ballots cannot be imported: approval, choose-1 and cumulative can.")


def import_pabulib(place: Any, text: str, *, by: Any, title: str = "") -> PBProcess:
    """Read a pabulib file into a closed process: its projects on the ballot and its ballots counted.

    The file's META and columns are kept, so exporting the process gives back the same election.
    """
    # Imported here: the voting engine pulls in numpy, which every start-up would pay for otherwise.
    from commonweal.engines.voting import VotingError, parse_pabulib

    try:
        election = parse_pabulib(text)
    except VotingError as error:
        raise InvestmentError(f"The file is not a valid pabulib file: {error}") from None
    settings = _settings(election)
    if any(v.points and any(Fraction(p).denominator != 1 for p in v.points) for v in election.voters):
        raise InvestmentError(_("Points must be whole numbers."))
    meta = election.meta
    with transaction.atomic():
        process = PBProcess.objects.create(
            place=place,
            title=title or meta.get("description") or meta.get("unit") or "Imported process",
            description=meta.get("comment", ""),
            currency=(meta.get("currency") or "GBP")[:3].upper(),
            budget_pence=_pence(election.budget, "The budget"),
            rule=RULES_FROM_PABULIB.get(meta.get("rule", "").strip(), Rule.MES_ADD1),
            stage=PBProcess.Stage.CLOSED,
            pabulib_meta=list(meta.items()),
            pabulib_project_columns=list(election.project_columns),
            pabulib_vote_columns=list(election.vote_columns),
            **settings,
        )
        projects = PBProject.objects.bulk_create(
            [
                PBProject(
                    place=place,
                    process=process,
                    code=p.project_id,
                    position=i,
                    title=p.fields.get("name") or p.project_id,
                    description=p.fields.get("description", ""),
                    cost_pence=_pence(p.cost, f"The cost of project {p.project_id}"),
                    status=PBProject.Status.FEASIBLE,
                    pabulib_fields=dict(p.fields),
                )
                for i, p in enumerate(election.projects)
            ]
        )
        _import_ballots(process, election, {p.code: p for p in projects})
        record(by, Action.IMPORTED, process, detail={"voters": len(election.voters), "projects": len(projects)})
    return process


def _import_ballots(process: PBProcess, election: "Election", projects: dict[str, PBProject]) -> None:
    batch = 5000
    voters = election.voters
    for start in range(0, len(voters), batch):
        chunk = voters[start : start + batch]
        ballots = Ballot.objects.bulk_create(
            [
                Ballot(place=process.place, process=process, external_id=v.voter_id, pabulib_fields=dict(v.fields))
                for v in chunk
            ]
        )
        BallotChoice.objects.bulk_create(
            [
                BallotChoice(
                    ballot=ballot,
                    project=projects[pid],
                    points=int(v.points[i]) if v.points is not None else 1,
                    position=i,
                )
                for ballot, v in zip(ballots, chunk, strict=True)
                for i, pid in enumerate(v.vote)
            ],
            batch_size=batch,
        )
