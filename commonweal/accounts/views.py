from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from commonweal.audit.models import Action, AuditEvent

from .forms import AuditFilterForm
from .models import Membership, Organisation, Team
from .permissions import can_view_audit, can_view_team, is_administrator


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = Membership.objects.filter(user=request.user).select_related("place", "team", "organisation")
    administered = [m.place for m in memberships if is_administrator(request.user, m.place_id)]
    return render(
        request,
        "accounts/home.html",
        {"memberships": memberships, "administered": list({p.pk: p for p in administered}.values())},
    )


@require_safe
@login_required
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.select_related("place", "organisation", "district"), pk=pk)
    if not can_view_team(request.user, team):
        raise Http404  # no access looks like no such team
    members = team.memberships.select_related("user").order_by("user__full_name")
    return render(request, "accounts/team.html", {"team": team, "members": members})


@require_safe
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Organisations are public bodies and registered charities/companies: their record is open.
    organisation = get_object_or_404(Organisation.objects.select_related("place"), pk=pk)
    return render(request, "accounts/organisation.html", {"organisation": organisation})


@require_safe
@login_required
def audit_log(request: HttpRequest, place_code: str) -> HttpResponse:
    # The Place model, reached through the relation: accounts imports no other app (DESIGN.md rule 1).
    place_model = Membership._meta.get_field("place").related_model
    place = get_object_or_404(place_model, code=place_code.upper())
    if not can_view_audit(request.user, place.pk):
        raise Http404
    form = AuditFilterForm(request.GET or None, actions=list(Action.choices))
    # A place's own events, and the account events (sign-ins) of the people who work or live there.
    members = Membership.objects.filter(place=place).values("user_id")
    events = AuditEvent.objects.filter(Q(place=place) | Q(place=None, actor__in=members))
    if form.is_valid():
        if query := form.cleaned_data["q"]:
            events = events.filter(
                Q(actor_label__icontains=query)
                | Q(object_repr__icontains=query)
                | Q(purpose__icontains=query)
                | Q(object_id=query)
            )
        if action := form.cleaned_data["action"]:
            events = events.filter(action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"place": place, "page": page, "form": form})
