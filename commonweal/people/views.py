"""Pages of relational practice: thin views (permission, form, service, redirect).

Every page that shows a person's record fetches it through `access.person_for`, which checks the
user's relationship to the person and writes a `viewed` row to the audit trail with the purpose.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commonweal.audit.models import Action
from commonweal.audit.services import record
from commonweal.places.models import Place

from . import exports, forms, offers, reports, services
from .access import OWN_RECORD, PROVIDER_RESPONSE, SUBJECT_ACCESS, person_for
from .models import Connection, Consent, Instrument, Person, Plan, Purpose, Status, Step
from .models.connection import PROVIDER_TRANSITIONS, SHARED_STATES
from .permissions import (
    can_edit_person,
    can_erase_person,
    can_export_gp_record,
    can_export_person,
    can_view_wellbeing_summary,
    provider_organisation_ids,
    team_ids,
)

PAGE_SIZE = 50
GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _place(place_code: str) -> Place:
    return get_object_or_404(Place, code=place_code.upper())


def _form_page(request: HttpRequest, person: Person | None, form: Any, **context: Any) -> HttpResponse:
    return render(
        request,
        "people/form.html",
        {"person": person, "form": form, **context},
    )


# --- Caseload ------------------------------------------------------------------------------------------


@require_safe
@login_required
def caseload(request: HttpRequest, place_code: str) -> HttpResponse:
    place = _place(place_code)
    teams = team_ids(request.user, place.pk)
    if not teams:
        raise Http404
    today = timezone.localdate()
    people = Person.objects.filter(place=place, team_id__in=teams, status=Person.Status.ACTIVE)
    show = request.GET.get("show", "due")
    if show == "mine":
        people = people.filter(worker=request.user)
    elif show == "due":
        people = people.filter(next_contact_on__lte=today)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(preferred_name__icontains=query))
    people = people.select_related("place", "neighbourhood", "worker", "team").order_by(
        F("next_contact_on").asc(nulls_last=True), "id"
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    # Listing names is reading records: one row for the page, naming the records by number only.
    record(
        request.user,
        Action.VIEWED,
        None,
        place=place,
        purpose="caseload",
        object_repr="caseload",
        detail={"people": [p.pk for p in page.object_list]},
    )
    return render(
        request,
        "people/caseload.html",
        {"place": place, "page": page, "show": show, "query": query, "today": today},
    )


@GET_POST
@login_required
def person_new(request: HttpRequest, place_code: str) -> HttpResponse:
    place = _place(place_code)
    teams = team_ids(request.user, place.pk)
    if not teams:
        raise Http404
    form = forms.NewPersonForm(request.POST or None, teams=place.teams.filter(pk__in=teams))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        team = data.pop("team")
        person = services.create_person(place, team, by=request.user, worker=request.user, **data)
        messages.success(request, _("Record started."))
        return redirect(person)
    return _form_page(
        request,
        None,
        form,
        place=place,
        title=_("Someone new"),
        submit=_("Start their record"),
        back=place.get_absolute_url(),
    )


# --- A person's record ---------------------------------------------------------------------------------


@require_safe
@login_required
def person_timeline(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    purpose = services.DIRECT_SUPPORT
    person = person_for(request.user, place_code, pk, purpose=purpose)
    is_own = person.account_id == request.user.pk and not can_edit_person(request.user, person)
    if is_own:
        return redirect("people:my_record")
    consents = list(person.consents.select_related("organisation"))
    conversations = list(person.conversations.select_related("worker", "place"))
    plan = Plan.objects.filter(person=person).prefetch_related("goals__steps").first()
    connections = list(
        person.connections.select_related(*CONNECTION_RELATED).prefetch_related("events").order_by("-created_at")
    )
    wellbeing = list(person.wellbeing.select_related("instrument"))
    timeline = sorted(
        [("conversation", c.held_on, c) for c in conversations]
        + [("connection", e.on, (c, e)) for c in connections for e in c.events.all()]
        + [("wellbeing", w.taken_on, w) for w in wellbeing]
        + [("consent", c.given_on, c) for c in consents],
        key=lambda row: row[1],
        reverse=True,
    )
    return render(
        request,
        "people/person.html",
        {
            "person": person,
            "place": person.place,
            "consents": consents,
            "plan": plan,
            "connections": connections,
            "wellbeing": reports.person_wellbeing(wellbeing),
            "timeline": timeline,
            "can_edit": can_edit_person(request.user, person),
            "can_erase": can_erase_person(request.user, person),
        },
    )


CONNECTION_RELATED: tuple[str, ...] = ("place", "service", "provider", "group", "volunteer")


@GET_POST
@login_required
def person_edit(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    person = person_for(request.user, place_code, pk, write=True)
    initial = {name: getattr(person, name) for name in forms.EditPersonForm.base_fields if name != "version"}
    form = forms.EditPersonForm(request.POST or None, initial={**initial, "version": person.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.update_person(person, by=request.user, version=version, **data)
        except services.ConcurrentEdit as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Details saved."))
            return redirect(person)
    return _form_page(
        request,
        person,
        form,
        place=person.place,
        title=_("Change details"),
        submit=_("Save details"),
        back=person.get_absolute_url(),
        status_conflict=True,
    )


@GET_POST
@login_required
def consents(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    person = person_for(request.user, place_code, pk)
    can_edit = can_edit_person(request.user, person)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = forms.ConsentForm(request.POST or None, place=person.place)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.record_consent(
            person,
            data["purpose"],
            by=request.user,
            lawful_basis=data["lawful_basis"],
            given_on=data["given_on"],
            organisation=data["organisation"],
            notes=data["notes"],
        )
        messages.success(request, _("Consent recorded."))
        return redirect("people:consents", place_code=person.place.code, pk=person.pk)
    return render(
        request,
        "people/consents.html",
        {
            "person": person,
            "place": person.place,
            "consents": person.consents.select_related("organisation"),
            "form": form,
            "can_edit": can_edit,
        },
    )


@require_POST
@login_required
def consent_withdraw(request: HttpRequest, place_code: str, pk: int, consent: int) -> HttpResponse:
    person = person_for(request.user, place_code, pk, write=True)
    item = get_object_or_404(Consent, person=person, pk=consent)
    services.withdraw_consent(item, by=request.user)
    messages.success(request, _("Consent withdrawn. What it covered has stopped."))
    return redirect("people:consents", place_code=person.place.code, pk=person.pk)


# --- Conversations and finding offers -------------------------------------------------------------------


@GET_POST
@login_required
def conversation_new(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    person = person_for(request.user, place_code, pk, write=True)
    form = forms.ConversationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.record_conversation(person, by=request.user, **form.cleaned_data)
        except services.PeopleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Conversation recorded."))
            return redirect(conversation)
    return _form_page(
        request,
        person,
        form,
        place=person.place,
        title=_("New conversation"),
        submit=_("Save the conversation"),
        back=person.get_absolute_url(),
        intro=_("Start with what matters to them and what they are good at, in their words."),
    )


@require_safe
@login_required
def conversation_detail(request: HttpRequest, place_code: str, pk: int, conversation: int) -> HttpResponse:
    person = person_for(request.user, place_code, pk)
    item = get_object_or_404(person.conversations.select_related("worker"), pk=conversation)
    matches = None
    searched = "find" in request.GET and can_edit_person(request.user, person)
    if searched:
        matches = offers.offers_for(person, item)
    return render(
        request,
        "people/conversation.html",
        {
            "person": person,
            "place": person.place,
            "conversation": item,
            "searched": searched,
            "matches": matches,
            "search_available": offers.directory_search() is not None,
            "can_edit": can_edit_person(request.user, person),
        },
    )


# --- Plan ------------------------------------------------------------------------------------------------


def _plan_page(request: HttpRequest, person: Person, plan: Plan | None, **forms_in_error: Any) -> HttpResponse:
    if plan is not None:
        plan = Plan.objects.prefetch_related("goals__steps").get(pk=plan.pk)
    version = plan.version if plan else 1
    goal_form = forms_in_error.get("goal_form") or forms.GoalForm(initial={"version": version})
    return render(
        request,
        "people/plan.html",
        {
            "person": person,
            "place": person.place,
            "plan": plan,
            "goal_form": goal_form,
            "step_form": forms_in_error.get("step_form"),
            "step_goal": forms_in_error.get("step_goal"),
            "new_step_form": forms.StepForm(initial={"version": version}, auto_id="id_new_step_%s"),
            "progress_choices": Step.Progress.choices,
            "owner_choices": Step.Owner.choices,
            "conflict": forms_in_error.get("conflict"),
            "can_edit": can_edit_person(request.user, person),
        },
        status=forms_in_error.get("status", 200),
    )


def _at_current_version(request: HttpRequest, plan: Plan | None) -> Any:
    """What the user typed, re-offered against the plan as it is now, so they can check and send it again."""
    data = request.POST.copy()
    data["version"] = str(Plan.objects.get(pk=plan.pk).version if plan else 1)
    return data


@require_safe
@login_required
def plan_detail(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    person = person_for(request.user, place_code, pk)
    return _plan_page(request, person, Plan.objects.filter(person=person).first())


@require_POST
@login_required
def plan_goal_new(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    person = person_for(request.user, place_code, pk, write=True)
    plan = Plan.objects.filter(person=person).first()
    form = forms.GoalForm(request.POST)
    if form.is_valid():
        try:
            if plan is None:
                plan = services.start_plan(person, by=request.user)
            services.add_goal(plan, by=request.user, **form.cleaned_data)
        except services.ConcurrentEdit as error:
            form = forms.GoalForm(_at_current_version(request, plan))
            return _plan_page(request, person, plan, goal_form=form, conflict=str(error), status=409)
        except services.PeopleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Goal added."))
            return redirect("people:plan", place_code=person.place.code, pk=person.pk)
    return _plan_page(request, person, plan, goal_form=form)


@require_POST
@login_required
def plan_step_new(request: HttpRequest, place_code: str, pk: int, goal: int) -> HttpResponse:
    person = person_for(request.user, place_code, pk, write=True)
    plan = get_object_or_404(Plan, person=person)
    item = get_object_or_404(plan.goals, pk=goal)
    form = forms.StepForm(request.POST, auto_id="id_new_step_%s")
    if form.is_valid():
        try:
            services.add_step(item, by=request.user, **form.cleaned_data)
        except services.ConcurrentEdit as error:
            form = forms.StepForm(_at_current_version(request, plan), auto_id="id_new_step_%s")
            return _plan_page(request, person, plan, step_form=form, step_goal=item.pk, conflict=str(error), status=409)
        except services.PeopleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Step added."))
            return redirect("people:plan", place_code=person.place.code, pk=person.pk)
    return _plan_page(request, person, plan, step_form=form, step_goal=item.pk)


@require_POST
@login_required
def plan_step_progress(request: HttpRequest, place_code: str, pk: int, step: int) -> HttpResponse:
    person = person_for(request.user, place_code, pk, write=True)
    item = get_object_or_404(Step.objects.select_related("goal__plan"), goal__plan__person=person, pk=step)
    form = forms.StepProgressForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, person, item.goal.plan, conflict=_("Choose the step's progress."))
    try:
        services.update_step(item, by=request.user, **form.cleaned_data)
    except services.ConcurrentEdit as error:
        return _plan_page(request, person, item.goal.plan, conflict=str(error), status=409)
    messages.success(request, _("Progress saved."))
    return redirect("people:plan", place_code=person.place.code, pk=person.pk)


@require_POST
@login_required
def plan_goal_achieved(request: HttpRequest, place_code: str, pk: int, goal: int) -> HttpResponse:
    person = person_for(request.user, place_code, pk, write=True)
    plan = get_object_or_404(Plan, person=person)
    item = get_object_or_404(plan.goals, pk=goal)
    form = forms.VersionedForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        services.mark_goal_achieved(item, by=request.user, version=form.cleaned_data["version"])
    except services.ConcurrentEdit as error:
        return _plan_page(request, person, plan, conflict=str(error), status=409)
    messages.success(request, _("Goal marked as achieved."))
    return redirect("people:plan", place_code=person.place.code, pk=person.pk)


# --- Connections -----------------------------------------------------------------------------------------


def _connection_kinds() -> list[tuple[str, str]]:
    kinds = list(Connection.Kind.choices)
    return kinds if offers.service_model() is not None else kinds[1:]


@GET_POST
@login_required
def connections(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    person = person_for(request.user, place_code, pk)
    can_edit = can_edit_person(request.user, person)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = forms.ConnectionForm(request.POST or None, place=person.place, kinds=_connection_kinds())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        service = None
        if data["kind"] == Connection.Kind.OFFER:
            service = _service_in_place(data["service"], person.place)
            if service is None:
                form.add_error("kind", _("That offer is not in this place's directory"))
        if not form.errors:
            try:
                connection = services.suggest_connection(
                    person,
                    by=request.user,
                    kind=data["kind"],
                    service=service,
                    group=data["group"] if data["kind"] == Connection.Kind.GROUP else None,
                    volunteer=data["volunteer"] if data["kind"] == Connection.Kind.PERSON else None,
                    reason=data["reason"],
                    refer=data["refer"],
                )
            except services.PeopleError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Connection saved."))
                return redirect(connection)
    items = person.connections.select_related(*CONNECTION_RELATED).order_by("-created_at")
    return render(
        request,
        "people/connections.html",
        {"person": person, "place": person.place, "connections": items, "form": form, "can_edit": can_edit},
    )


def _service_in_place(service_id: int | None, place: Place) -> Any:
    model = offers.service_model()
    if model is None or service_id is None:
        return None
    services_here = model.objects.all()
    if any(f.name == "place" for f in model._meta.get_fields()):
        services_here = services_here.filter(place=place)
    else:
        services_here = services_here.filter(organisation__place=place)
    return services_here.select_related("organisation").filter(pk=service_id).first()


@GET_POST
@login_required
def connection_detail(request: HttpRequest, place_code: str, pk: int, connection: int) -> HttpResponse:
    person = person_for(request.user, place_code, pk)
    item = get_object_or_404(
        person.connections.select_related(*CONNECTION_RELATED).prefetch_related("events__by"), pk=connection
    )
    can_edit = can_edit_person(request.user, person)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = forms.MoveConnectionForm(
        request.POST or None, statuses=item.next_statuses, initial={"version": item.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.move_connection(
                item,
                data["status"],
                by=request.user,
                version=data["version"],
                on=data["on"],
                note=data["note"],
                end_reason=data["end_reason"],
            )
        except services.PeopleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Connection updated."))
            return redirect(item)
    return render(
        request,
        "people/connection.html",
        {"person": person, "place": person.place, "connection": item, "form": form, "can_edit": can_edit},
        status=409 if "changed" in str(form.non_field_errors()) else 200,
    )


# --- Provider inbox --------------------------------------------------------------------------------------


def provider_connections(place: Place, organisation_ids: set[int]) -> Any:
    """Connections referred to these organisations while the person's consent to share with them lasts."""
    sharing = Consent.objects.in_force().filter(
        person=OuterRef("person"), purpose=Purpose.SHARING, organisation=OuterRef("provider")
    )
    return (
        Connection.objects.filter(place=place, provider_id__in=organisation_ids, status__in=SHARED_STATES)
        .exclude(person__status=Person.Status.ERASED)
        .filter(Exists(sharing))
        .select_related("person", "provider", "service", "group", "volunteer")
    )


@require_safe
@login_required
def inbox(request: HttpRequest, place_code: str) -> HttpResponse:
    place = _place(place_code)
    organisations = provider_organisation_ids(request.user, place.pk)
    if not organisations:
        raise Http404
    show = request.GET.get("show", "waiting")
    items = provider_connections(place, organisations)
    if show == "waiting":
        items = items.filter(status=Status.REFERRED).order_by("respond_by", "id")
    else:
        items = items.order_by("-updated_at", "-id")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    record(
        request.user,
        Action.VIEWED,
        None,
        place=place,
        purpose=PROVIDER_RESPONSE,
        object_repr="provider inbox",
        detail={"people": [c.person_id for c in page.object_list]},
    )
    counts = provider_connections(place, organisations).aggregate(
        waiting=Count("id", filter=Q(status=Status.REFERRED)),
        overdue=Count("id", filter=Q(status=Status.REFERRED, respond_by__lt=timezone.localdate())),
    )
    return render(
        request,
        "people/inbox.html",
        {"place": place, "page": page, "show": show, "counts": counts, "today": timezone.localdate()},
    )


@GET_POST
@login_required
def inbox_connection(request: HttpRequest, place_code: str, connection: int) -> HttpResponse:
    from .access import connection_for_provider

    item = connection_for_provider(request.user, place_code, connection)
    statuses = tuple(s for s in item.next_statuses if s in PROVIDER_TRANSITIONS)
    form = forms.MoveConnectionForm(request.POST or None, statuses=statuses, initial={"version": item.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.move_connection(
                item,
                data["status"],
                by=request.user,
                version=data["version"],
                on=data["on"],
                note=data["note"],
                end_reason=data["end_reason"],
                as_provider=True,
            )
        except services.PeopleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Answer saved. The person's worker can see it."))
            return redirect("people:inbox", place_code=item.place.code)
    return render(
        request,
        "people/inbox_connection.html",
        {"place": item.place, "connection": item, "person": item.person, "form": form},
    )


# --- Wellbeing -------------------------------------------------------------------------------------------


@GET_POST
@login_required
def wellbeing_new(request: HttpRequest, place_code: str, pk: int, instrument: str = "ons4") -> HttpResponse:
    person = person_for(request.user, place_code, pk, write=True)
    scale = get_object_or_404(Instrument, code=instrument, is_active=True)
    form = forms.WellbeingForm(request.POST or None, instrument=scale)
    if request.method == "POST" and form.is_valid():
        scores = {code: form.cleaned_data[code] for code in form.item_codes}
        try:
            services.record_wellbeing(person, scale, scores, by=request.user, taken_on=form.cleaned_data["taken_on"])
        except services.PeopleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Wellbeing recorded."))
            return redirect(person)
    return _form_page(
        request,
        person,
        form,
        place=person.place,
        title=scale.name,
        submit=_("Save answers"),
        back=person.get_absolute_url(),
        intro=_("Ask each question as written. 0 means 'not at all', 10 'completely'."),
    )


@require_safe
@login_required
def place_wellbeing(request: HttpRequest, place_code: str) -> HttpResponse:
    place = _place(place_code)
    if not can_view_wellbeing_summary(request.user, place.pk):
        raise Http404
    scale = get_object_or_404(Instrument, code=request.GET.get("instrument", "ons4"))
    return render(
        request,
        "people/place_wellbeing.html",
        {
            "place": place,
            "instrument": scale,
            "groups": reports.place_wellbeing(place, scale),
            "threshold": settings.COMMONWEAL_SUPPRESSION_THRESHOLD,
        },
    )


# --- Exports, the resident's own record and erasure --------------------------------------------------------


@require_safe
@login_required
def person_export(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    person = person_for(request.user, place_code, pk, purpose=SUBJECT_ACCESS, check=can_export_person)
    data = exports.export_subject_access(person, by=request.user)
    return render(request, "people/record.html", {"person": person, "place": person.place, "data": data})


@require_safe
@login_required
def person_export_json(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    person = person_for(request.user, place_code, pk, purpose=SUBJECT_ACCESS, check=can_export_person)
    return _download(exports.export_subject_access(person, by=request.user), f"record-{person.pk}.json")


def _download(data: Any, filename: str) -> HttpResponse:
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@login_required
def person_gp_record(request: HttpRequest, place_code: str, pk: int, fmt: str) -> HttpResponse:
    person = person_for(request.user, place_code, pk, purpose=exports.GP_RECORD, check=can_export_gp_record)
    data = exports.export_gp_record(person, by=request.user, fmt=fmt)
    if fmt == "json":
        return _download(data, f"gp-record-{person.pk}.json")
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gp-record-{person.pk}.csv"'
    return response


def _own_people(request: HttpRequest) -> list[Person]:
    return list(
        Person.objects.filter(account=request.user)
        .exclude(status=Person.Status.ERASED)
        .select_related("place", "team", "neighbourhood")
    )


@require_safe
@login_required
def my_record(request: HttpRequest) -> HttpResponse:
    records = []
    for person in _own_people(request):
        record(request.user, Action.VIEWED, person, purpose=OWN_RECORD, object_repr=person.label)
        records.append((person, exports.subject_access_data(person)))
    return render(request, "people/my_record.html", {"records": records})


@require_safe
@login_required
def my_record_download(request: HttpRequest) -> HttpResponse:
    people = _own_people(request)
    if not people:
        raise Http404
    data = [exports.export_subject_access(person, by=request.user) for person in people]
    return _download(data[0] if len(data) == 1 else {"records": data}, "my-record.json")


@GET_POST
@login_required
def person_erase(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    person = person_for(request.user, place_code, pk, purpose=services.ERASURE, check=can_erase_person)
    form = forms.ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        erasure = services.erase_person(person, by=request.user, requested_on=form.cleaned_data["requested_on"])
        messages.success(
            request,
            _("Record %(number)s erased. What the law requires was kept and the erasure is recorded.")
            % {"number": erasure.person_id_erased},
        )
        return redirect("people:caseload", place_code=person.place.code)
    return _form_page(
        request,
        person,
        form,
        place=person.place,
        title=_("Erase this record"),
        submit=_("Erase the record"),
        back=person.get_absolute_url(),
        kept=services.KEPT_AFTER_ERASURE,
        warning=True,
    )
