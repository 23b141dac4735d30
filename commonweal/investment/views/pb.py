"""PB pages: for residents (where they live, propose, vote, results) and for officers (set up,
check proposals, open and close voting, publish, track delivery, pabulib files)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import services
from ..eligibility import eligible_residence, residence_of, why_not_eligible
from ..errors import InvestmentError
from ..forms import CheckForm, DoneForm, ImportForm, MilestoneForm, ProcessForm, ProposalForm, ResidenceForm, VoteForm
from ..models import Milestone, PBProcess, PBProject, Residence
from ..permissions import can_run_pb, can_verify_residences
from .common import form_page, get_place, posted, require

# `..voting` and the voting engine (numpy) are imported inside the views that count or export ballots:
# URL resolution imports this module, so at module level every first page after a start would pay for them.


def _process(place_code: str, pk: int) -> PBProcess:
    return get_object_or_404(PBProcess.objects.select_related("place", "result"), place__code=place_code.upper(), pk=pk)


@require_safe
def process_list(request: HttpRequest, place_code: str) -> HttpResponse:
    place = get_place(place_code)
    processes = (
        PBProcess.objects.filter(place=place)
        .exclude(stage=PBProcess.Stage.DRAFT)
        .annotate(project_count=Count("projects"))
    )
    officer = can_run_pb(request.user, place.pk)
    drafts = (
        PBProcess.objects.filter(place=place, stage=PBProcess.Stage.DRAFT).select_related("place") if officer else []
    )
    return render(
        request,
        "investment/pb_list.html",
        {"place": place, "processes": processes, "drafts": drafts, "officer": officer},
    )


@login_required
def process_create(request: HttpRequest, place_code: str) -> HttpResponse:
    place = get_place(place_code)
    require(can_run_pb(request.user, place.pk))
    form = ProcessForm(posted(request), place=place)
    if form.is_valid():
        try:
            process = services.create_process(
                place, by=request.user, districts=form.cleaned_data["districts"], **form.process_fields()
            )
        except InvestmentError as error:
            form.add_error(None, str(error))
        else:
            return redirect(process)
    intro = _("These choices are fixed before voting opens, so everyone knows how votes will be counted.")
    return form_page(
        request,
        form,
        title=_("Set up a participatory budgeting process"),
        place=place,
        back=f"/places/{place.code}/pb/",
        submit=_("Create the process"),
        intro=intro,
    )


@require_safe
def process_detail(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    process = _process(place_code, pk)
    officer = can_run_pb(request.user, process.place_id)
    require(process.stage != PBProcess.Stage.DRAFT or officer)
    projects = process.projects.select_related("neighbourhood", "place")
    if not officer:
        # Residents see what is on the ballot, and why a proposal is not; never who proposed it.
        projects = projects.exclude(status=PBProject.Status.PROPOSED)
    result = getattr(process, "result", None)
    context = {
        "place": process.place,
        "process": process,
        "projects": projects,
        "districts": process.districts.all(),
        "officer": officer,
        "result": result,
        "eligible": eligible_residence(request.user, process) is not None,
        "why_not": why_not_eligible(request.user, process) if request.user.is_authenticated else "",
        "voted": bool(services.ballot_of(process, request.user)),
        "ballots": process.ballots.count() if officer or result else None,
    }
    return render(request, "investment/pb_process.html", context)


@require_POST
@login_required
def process_stage(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    process = _process(place_code, pk)
    require(
        process.stage != PBProcess.Stage.DRAFT or can_run_pb(request.user, process.place_id),
        can_run_pb(request.user, process.place_id),
    )
    from commonweal.engines.voting import VotingError  # heavy: see the note on imports

    try:
        if request.POST.get("action") == "publish":
            services.publish_results(process, by=request.user)
        else:
            services.advance_stage(process, by=request.user)
    except (InvestmentError, VotingError) as error:
        messages.error(request, str(error))
    return redirect(process)


@login_required
def propose(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    process = _process(place_code, pk)
    require(process.stage != PBProcess.Stage.DRAFT, eligible_residence(request.user, process) is not None)
    neighbourhoods = process.place.neighbourhoods.all()
    if process.districts.exists():
        neighbourhoods = neighbourhoods.filter(district__in=process.districts.all())
    form = ProposalForm(posted(request), neighbourhoods=neighbourhoods)
    if form.is_valid():
        data = form.cleaned_data
        try:
            project = services.propose_project(
                process,
                by=request.user,
                title=data["title"],
                description=data["description"],
                estimated_cost_pence=data["estimated_cost"],
                neighbourhood=data["neighbourhood"],
            )
        except InvestmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you: officers will check your idea before the vote."))
            return redirect(project)
    return form_page(
        request,
        form,
        title=_("Propose a project"),
        caption=process.title,
        place=process.place,
        back=process.get_absolute_url(),
        submit=_("Send your idea"),
    )


@login_required
def project_check(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    project = get_object_or_404(
        PBProject.objects.select_related("process__place"), place__code=place_code.upper(), pk=pk
    )
    require(True, can_run_pb(request.user, project.place_id))
    form = CheckForm(
        posted(request),
        initial={"cost": project.cost_pence or project.estimated_cost_pence, "notes": project.check_notes},
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.check_project(
                project, by=request.user, feasible=data["feasible"], cost_pence=data["cost"], notes=data["notes"]
            )
        except InvestmentError as error:
            form.add_error(None, str(error))
        else:
            return redirect(project.process)
    return form_page(
        request,
        form,
        title=_("Check a proposal"),
        caption=project.title,
        place=project.process.place,
        back=project.process.get_absolute_url(),
        submit=_("Save the check"),
        intro=project.description,
    )


@require_safe
def project_detail(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    project = get_object_or_404(
        PBProject.objects.select_related("process__place", "neighbourhood"), place__code=place_code.upper(), pk=pk
    )
    officer = can_run_pb(request.user, project.place_id)
    mine = request.user.is_authenticated and project.proposed_by_id == request.user.pk
    require(project.status != PBProject.Status.PROPOSED or officer or mine)
    context = {
        "place": project.process.place,
        "project": project,
        "process": project.process,
        "milestones": project.milestones.all(),
        "officer": officer,
        "milestone_form": MilestoneForm(prefix="milestone"),
        "done_form": DoneForm(prefix="done"),
    }
    return render(request, "investment/pb_project.html", context)


@require_POST
@login_required
def milestone_add(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    project = get_object_or_404(PBProject, place__code=place_code.upper(), pk=pk)
    require(True, can_run_pb(request.user, project.place_id))
    form = MilestoneForm(request.POST, prefix="milestone")
    if form.is_valid():
        try:
            services.add_milestone(project, by=request.user, **form.cleaned_data)
        except InvestmentError as error:
            messages.error(request, str(error))
        return redirect(project)
    return form_page(
        request,
        form,
        title=_("Add a milestone"),
        caption=project.title,
        place=project.process.place,
        back=project.get_absolute_url(),
        submit=_("Add it"),
    )


@require_POST
@login_required
def milestone_done(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    milestone = get_object_or_404(
        Milestone.objects.select_related("project__process__place"), project__place__code=place_code.upper(), pk=pk
    )
    require(True, can_run_pb(request.user, milestone.project.place_id))
    form = DoneForm(request.POST, prefix="done")
    if form.is_valid():
        services.complete_milestone(milestone, by=request.user, done_on=form.cleaned_data["done_on"])
        return redirect(milestone.project)
    return form_page(
        request,
        form,
        title=_("Mark a milestone done"),
        caption=milestone.title,
        place=milestone.project.process.place,
        back=milestone.project.get_absolute_url(),
        submit=_("Save"),
    )


@login_required
def vote(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    process = _process(place_code, pk)
    require(process.stage != PBProcess.Stage.DRAFT)
    if eligible_residence(request.user, process) is None or not process.voting_is_open():
        return render(
            request,
            "investment/pb_cannot_vote.html",
            {"place": process.place, "process": process, "why_not": why_not_eligible(request.user, process)},
            status=403,
        )
    from ..voting import ballot_projects  # heavy: see the note on imports

    projects = ballot_projects(process)
    current = services.ballot_of(process, request.user)
    form = VoteForm(posted(request), process=process, projects=projects, current=current)
    if form.is_valid():
        try:
            services.cast_ballot(process, form.choices(), by=request.user)
        except InvestmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your vote is saved. You can change it until voting closes."))
            return redirect(process)
    context = {
        "place": process.place,
        "process": process,
        "form": form,
        "projects": projects,
        "changing": bool(current),
    }
    return render(request, "investment/pb_vote.html", context)


@require_safe
def export(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    process = _process(place_code, pk)
    # Ballots are pseudonymous, but they are published only with the results (pabulib's own practice).
    require(process.stage == PBProcess.Stage.PUBLISHED or can_run_pb(request.user, process.place_id))
    from ..voting import export_pabulib  # heavy: see the note on imports

    response = HttpResponse(export_pabulib(process), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{process.place.code}_{process.pk}.pb"'
    return response


@login_required
def import_file(request: HttpRequest, place_code: str) -> HttpResponse:
    place = get_place(place_code)
    require(can_run_pb(request.user, place.pk))
    form = ImportForm(posted(request), request.FILES or None)
    if form.is_valid():
        try:
            text = form.cleaned_data["file"].read().decode("utf-8-sig")
            process = services.import_pabulib(place, text, by=request.user, title=form.cleaned_data["title"])
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text."))
        except InvestmentError as error:
            form.add_error("file", str(error))
        else:
            return redirect(process)
    return form_page(
        request,
        form,
        title=_("Import a pabulib file"),
        place=place,
        back=f"/places/{place.code}/pb/",
        submit=_("Import"),
        multipart=True,
    )


@login_required
def residence(request: HttpRequest, place_code: str) -> HttpResponse:
    place = get_place(place_code)
    current = residence_of(request.user, place.pk)
    form = ResidenceForm(posted(request), initial={"postcode": current.postcode if current else ""})
    if form.is_valid():
        try:
            services.declare_residence(request.user, place, form.cleaned_data["postcode"], by=request.user)
        except InvestmentError as error:
            form.add_error("postcode", str(error))
        else:
            messages.success(request, _("Thank you. An officer will check your postcode."))
            return redirect(f"/places/{place.code}/pb/")
    intro = _("We use your postcode only to know which area's decisions you can take part in.")
    if current:
        intro = (
            _("Your postcode has been checked.")
            if current.is_verified
            else _("Your postcode is waiting to be checked.")
        )
    return form_page(
        request,
        form,
        title=_("Where you live"),
        place=place,
        back=f"/places/{place.code}/pb/",
        submit=_("Save"),
        intro=intro,
    )


@login_required
def residences(request: HttpRequest, place_code: str) -> HttpResponse:
    place = get_place(place_code)
    require(can_verify_residences(request.user, place.pk))
    if request.method == "POST":
        found = get_object_or_404(Residence, place=place, pk=request.POST.get("residence"))
        services.verify_residence(found, by=request.user)
        return redirect(request.path)
    waiting = Residence.objects.filter(place=place, verified_at=None).select_related("user", "neighbourhood")
    return render(request, "investment/residences.html", {"place": place, "waiting": waiting})
