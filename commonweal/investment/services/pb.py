"""Use cases that write participatory budgeting: residences, processes, proposals, checks, ballots,
results and delivery."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonweal.audit.models import Action
from commonweal.audit.services import record
from commonweal.places.importers import normalise_postcode
from commonweal.places.models import Postcode

from ..eligibility import eligible_residence
from ..errors import BallotRefused, InvestmentError, StageError
from ..models import Ballot, BallotChoice, BallotType, Milestone, PBProcess, PBProject, PBResult, Residence
from ..money import format_pounds

Stage = PBProcess.Stage
NEXT_STAGE = {Stage.DRAFT: Stage.PROPOSING, Stage.PROPOSING: Stage.CHECKING, Stage.CHECKING: Stage.VOTING}
NEXT_STAGE[Stage.VOTING] = Stage.CLOSED
# The council's choices are fixed once residents start voting: the rule cannot change with the votes in view.
SETTINGS_FIXED_FROM = {Stage.VOTING, Stage.CLOSED, Stage.PUBLISHED}


def _user(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


# --- Residences -------------------------------------------------------------------------------


def declare_residence(user: Any, place: Any, postcode: str, *, by: Any) -> Residence:
    """A resident gives their postcode; it must be one of the place's. A new postcode needs a new check."""
    normal = normalise_postcode(postcode or "")
    found = Postcode.objects.select_related("neighbourhood").filter(place=place, postcode=normal).first()
    if normal is None or found is None:
        raise InvestmentError(f"That postcode is not in {place.name}.")
    with transaction.atomic():
        residence, _created = Residence.objects.update_or_create(
            user=user,
            place=place,
            defaults={
                "postcode": normal,
                "neighbourhood": found.neighbourhood,
                "declared_at": timezone.now(),
                "verified_at": None,
                "verified_by": None,
            },
        )
        record(by, Action.UPDATED, residence, place=place, object_repr=str(residence))
    return residence


def verify_residence(residence: Residence, *, by: Any) -> Residence:
    with transaction.atomic():
        residence.verified_at = timezone.now()
        residence.verified_by = _user(by)
        residence.save(update_fields=["verified_at", "verified_by"])
        record(by, Action.UPDATED, residence, place=residence.place, detail={"verified": True})
    return residence


# --- Processes ----------------------------------------------------------------------------------


def _check_settings(process: PBProcess) -> None:
    if process.ballot_type == BallotType.CUMULATIVE and not process.total_points:
        raise InvestmentError(_("A points ballot needs the number of points each voter shares out."))
    if process.max_choices is not None and process.max_choices < process.min_choices:
        raise InvestmentError(_("The most projects on a ballot cannot be fewer than the fewest."))
    if process.budget_pence <= 0:
        raise InvestmentError(_("The budget must be more than nothing."))


def create_process(place: Any, *, by: Any, districts: Iterable[Any] = (), **fields: Any) -> PBProcess:
    process = PBProcess(place=place, **fields)
    _check_settings(process)
    districts = list(districts)
    if any(d.place_id != place.pk for d in districts):
        raise InvestmentError(_("A process's districts must be in its place."))
    with transaction.atomic():
        process.save()
        process.districts.set(districts)
        record(by, Action.CREATED, process)
    return process


def update_process(process: PBProcess, *, by: Any, districts: Iterable[Any] | None = None, **fields: Any) -> PBProcess:
    if process.stage in SETTINGS_FIXED_FROM:
        raise StageError(_("The process's rules are fixed once voting has opened."))
    for name, value in fields.items():
        setattr(process, name, value)
    _check_settings(process)
    with transaction.atomic():
        process.save()
        if districts is not None:
            process.districts.set(list(districts))
        record(by, Action.UPDATED, process, detail={"fields": sorted(fields)})
    return process


def advance_stage(process: PBProcess, *, by: Any) -> PBProcess:
    """Move to the next stage: proposals, checks, voting, closed. Results are published separately."""
    with transaction.atomic():
        locked = PBProcess.objects.select_for_update().get(pk=process.pk)
        nxt = NEXT_STAGE.get(PBProcess.Stage(locked.stage))
        if nxt is None:
            raise StageError(_("This process has no next stage."))
        if nxt == Stage.VOTING and process.projects.filter(status=PBProject.Status.PROPOSED).exists():
            raise StageError(_("Check every proposal before voting opens."))
        if nxt == Stage.VOTING and not process.projects.filter(status=PBProject.Status.FEASIBLE).exists():
            raise StageError(_("Put at least one checked project on the ballot before voting opens."))
        locked.stage = process.stage = nxt
        locked.save(update_fields=["stage"])
        record(by, Action.UPDATED, locked, detail={"stage": nxt})
    return process


# --- Proposals and checks -----------------------------------------------------------------------


def propose_project(
    process: PBProcess,
    *,
    by: Any,
    title: str,
    description: str,
    estimated_cost_pence: int | None = None,
    neighbourhood: Any = None,
) -> PBProject:
    if process.stage != Stage.PROPOSING:
        raise StageError(_("This process is not taking proposals."))
    if eligible_residence(by, process) is None:
        raise BallotRefused("Only verified residents of the area can propose projects.")
    if neighbourhood is not None and neighbourhood.place_id != process.place_id:
        raise InvestmentError(_("The neighbourhood is not in this place."))
    with transaction.atomic():
        locked = PBProcess.objects.select_for_update().get(pk=process.pk)  # numbers are given one at a time
        number = locked.projects.count() + 1
        project = PBProject.objects.create(
            place=process.place,
            process=process,
            code=str(number),
            position=number,
            title=title,
            description=description,
            estimated_cost_pence=estimated_cost_pence,
            neighbourhood=neighbourhood,
            proposed_by=_user(by),
        )
        record(by, Action.CREATED, project)
    return project


def check_project(project: PBProject, *, by: Any, feasible: bool, cost_pence: int | None, notes: str = "") -> PBProject:
    """Officers check a proposal: can it be done, what will it really cost? Infeasible ones say why."""
    process = project.process
    if process.stage not in (Stage.PROPOSING, Stage.CHECKING):
        raise StageError(_("Proposals can be checked only before voting opens."))
    if feasible and (cost_pence is None or cost_pence <= 0):
        raise InvestmentError(_("Give the checked cost of a project that goes on the ballot."))
    if feasible and cost_pence > process.budget_pence:
        raise InvestmentError(f"The project costs more than the whole budget ({format_pounds(process.budget_pence)}).")
    if not feasible and not notes.strip():
        raise InvestmentError(_("Say why the project cannot go on the ballot: residents will read it."))
    with transaction.atomic():
        project.status = PBProject.Status.FEASIBLE if feasible else PBProject.Status.NOT_FEASIBLE
        project.cost_pence = cost_pence
        project.check_notes = notes
        project.save(update_fields=["status", "cost_pence", "check_notes"])
        record(by, Action.UPDATED, project, detail={"status": project.status, "cost_pence": cost_pence})
    return project


# --- Ballots ------------------------------------------------------------------------------------


def validate_ballot(process: PBProcess, choices: Mapping[PBProject, int]) -> list[tuple[PBProject, int]]:
    """The ballot as (project, points), in ballot order, or `BallotRefused` saying what is wrong."""
    chosen = [(p, int(points)) for p, points in choices.items() if int(points) > 0]
    if any(p.process_id != process.pk or p.status != PBProject.Status.FEASIBLE for p, _ in chosen):
        raise BallotRefused("A project on your ballot is not on this ballot paper.")
    if any(points < 0 for points in choices.values()):
        raise BallotRefused("Points cannot be negative.")
    if not chosen:
        raise BallotRefused("Choose at least one project.")
    if process.ballot_type == BallotType.CUMULATIVE:
        _check_points(process, chosen)
    else:
        if any(points != 1 for _, points in chosen):
            raise BallotRefused("Tick the projects you support.")
        _check_count(process, len(chosen))
        if process.ballot_type == BallotType.KNAPSACK:
            total = sum(p.cost_pence or 0 for p, _ in chosen)
            if total > process.budget_pence:
                raise BallotRefused(
                    f"Your projects cost {format_pounds(total)}, more than the budget of "
                    f"{format_pounds(process.budget_pence)}."
                )
    return sorted(chosen, key=lambda item: (item[0].position, item[0].pk))


def _check_count(process: PBProcess, count: int) -> None:
    if count < process.min_choices:
        raise BallotRefused(f"Choose at least {process.min_choices} projects.")
    if process.max_choices and count > process.max_choices:
        raise BallotRefused(f"Choose at most {process.max_choices} projects.")


def _check_points(process: PBProcess, chosen: list[tuple[PBProject, int]]) -> None:
    most = process.max_points_per_project
    if most and any(points > most for _, points in chosen):
        raise BallotRefused(f"Give each project at most {most} points.")
    total = sum(points for _, points in chosen)
    if total > (process.total_points or 0):
        raise BallotRefused(f"You gave {total} points; you have {process.total_points} to share out.")


def cast_ballot(process: PBProcess, choices: Mapping[PBProject, int], *, by: Any) -> Ballot:
    """Cast or change the resident's one ballot. Changing it replaces every choice, until voting closes."""
    if not process.voting_is_open():
        raise StageError(_("Voting is not open."))
    residence = eligible_residence(by, process)
    if residence is None:
        raise BallotRefused("Only verified residents of the area can vote.")
    chosen = validate_ballot(process, choices)
    with transaction.atomic():
        ballot = _own_ballot(process, by, residence)
        ballot.choices.all().delete()
        BallotChoice.objects.bulk_create(
            [BallotChoice(ballot=ballot, project=p, points=pts, position=i) for i, (p, pts) in enumerate(chosen)]
        )
        # The trail says that a ballot changed, never how the resident voted.
        record(by, Action.UPDATED, ballot, place=process.place)
    return ballot


def _own_ballot(process: PBProcess, user: Any, residence: Residence) -> Ballot:
    ballot = Ballot.objects.select_for_update().filter(process=process, voter=user).first()
    if ballot is not None:
        ballot.changed_at = timezone.now()
        ballot.neighbourhood = residence.neighbourhood
        ballot.save(update_fields=["changed_at", "neighbourhood"])
        return ballot
    try:
        with transaction.atomic():  # a savepoint: two first ballots at once meet the unique constraint
            return Ballot.objects.create(
                place=process.place, process=process, voter=user, neighbourhood=residence.neighbourhood
            )
    except IntegrityError:
        return Ballot.objects.select_for_update().get(process=process, voter=user)


def ballot_of(process: PBProcess, user: Any) -> dict[int, int]:
    """The resident's current ballot as {project pk: points} (empty when they have not voted)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    rows = BallotChoice.objects.filter(ballot__process=process, ballot__voter=user)
    return dict(rows.values_list("project_id", "points"))


# --- Results and delivery -----------------------------------------------------------------------


def publish_results(process: PBProcess, *, by: Any) -> PBResult:
    """Count the ballots with the rule chosen in advance, and publish the outcome with its explanation."""
    # Imported here: the voting engine pulls in numpy, which every start-up would pay for otherwise.
    from ..voting import election_for, run_rule

    with transaction.atomic():
        locked = PBProcess.objects.select_for_update().get(pk=process.pk)
        if locked.stage != Stage.CLOSED:
            raise StageError(_("Close voting before publishing the results."))
        election = election_for(process)
        outcome = run_rule(process, election)
        chosen = set(outcome.selected)
        projects = list(process.projects.all())
        for project in projects:
            project.selected = project.code in chosen
        PBProject.objects.bulk_update(projects, ["selected"])
        result = PBResult.objects.create(
            process=process,
            rule=outcome.rule,
            selected=list(outcome.selected),
            cost_pence=sum(p.cost_pence or 0 for p in projects if p.selected),
            voters=len(election.voters),
            explanation=outcome.explain(),
            published_by=_user(by),
        )
        locked.stage = process.stage = Stage.PUBLISHED
        locked.save(update_fields=["stage"])
        record(by, Action.CREATED, result, detail={"selected": result.selected})
    return result


def add_milestone(project: PBProject, *, by: Any, title: str, due_on: datetime.date | None = None) -> Milestone:
    if not project.selected:
        raise InvestmentError(_("Only funded projects are tracked through delivery."))
    with transaction.atomic():
        milestone = Milestone.objects.create(project=project, title=title, due_on=due_on)
        record(by, Action.CREATED, milestone)
    return milestone


def complete_milestone(milestone: Milestone, *, by: Any, done_on: datetime.date) -> Milestone:
    with transaction.atomic():
        milestone.done_on = done_on
        milestone.save(update_fields=["done_on"])
        project = milestone.project
        remaining = project.milestones.filter(done_on=None).exists()
        project.delivery = PBProject.Delivery.IN_PROGRESS if remaining else PBProject.Delivery.DONE
        project.save(update_fields=["delivery"])
        record(by, Action.UPDATED, milestone, detail={"done_on": done_on.isoformat(), "delivery": project.delivery})
    return milestone
