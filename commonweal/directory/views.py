"""Directory pages: search and browse offers, an offer with its map, and organisations' proposals.

Offers are public (no sign-in). Proposals need a provider or administrator role in the place:
another place's proposals are not found (404); an organisation's own proposals can be read but
only a directory administrator decides them (403 for others).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from commonweal.places.models import Place

from .forms import OfferForm, OfferSearchForm, OfferStatusForm, ReviewForm
from .models import Attribute, OfferChange, Service, ServiceAtLocation, TaxonomyTerm
from .permissions import (
    can_change_offer,
    can_propose_offers,
    can_review_offers,
    can_set_offer_status,
    can_view_change,
    is_directory_staff,
    organisations_for,
)
from .search import find_offers, locate_postcode
from .services import (
    ReviewError,
    approve_offer_change,
    propose_offer_change,
    reject_offer_change,
    set_offer_status,
)

PER_PAGE = 25


def _place(place_code: str) -> Place:
    return get_object_or_404(Place, code=place_code.upper())


def _categories(place: Place) -> list[tuple[str, str]]:
    """Top-level terms under which the place's offers are filed (browse by category)."""
    used = TaxonomyTerm.objects.filter(attributes__service__place=place).values("parent__parent_id", "parent_id", "id")
    ids = {row["parent__parent_id"] or row["parent_id"] or row["id"] for row in used}
    return [(t.code or t.oruk_id, t.name) for t in TaxonomyTerm.objects.filter(pk__in=ids).order_by("name")]


def _browse(place: Place, category: str, staff: bool) -> Any:
    offers = Service.objects.filter(place=place).select_related("organisation", "place").order_by("name", "pk")
    if not staff:
        offers = offers.filter(status=Service.Status.ACTIVE)
    if category:
        offers = offers.filter(
            Q(attributes__taxonomy_term__code=category)
            | Q(attributes__taxonomy_term__parent__code=category)
            | Q(attributes__taxonomy_term__parent__parent__code=category)
        ).distinct()
    return offers.prefetch_related(
        Prefetch(
            "service_at_locations",
            ServiceAtLocation.objects.select_related("location").prefetch_related("location__addresses"),
        )
    )


@require_safe
def offer_search(request: HttpRequest, place_code: str) -> HttpResponse:
    place = _place(place_code)
    staff = is_directory_staff(request.user, place.pk)
    form = OfferSearchForm(request.GET or None, categories=_categories(place))
    context: dict[str, Any] = {
        "place": place,
        "form": form,
        "staff": staff,
        "can_propose": can_propose_offers(request.user, place.pk),
    }
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("q"):
        context["matches"] = find_offers(place, data["q"], postcode=data.get("postcode") or None, age=data.get("age"))
        context["unknown_postcode"] = bool(data.get("postcode")) and locate_postcode(place, data["postcode"]) is None
    elif not form.errors:
        context["page"] = Paginator(_browse(place, data.get("category", ""), staff), PER_PAGE).get_page(
            request.GET.get("page")
        )
    return render(request, "directory/search.html", context)


def _offer(place_code: str, pk: int) -> Service:
    return get_object_or_404(
        Service.objects.select_related("place", "organisation").prefetch_related(
            "schedules",
            "costoptions",
            "serviceareas",
            "contacts",
            Prefetch("attributes", Attribute.objects.select_related("taxonomy_term")),
            Prefetch(
                "service_at_locations",
                ServiceAtLocation.objects.select_related("location__neighbourhood").prefetch_related(
                    "location__addresses", "location__accessibility"
                ),
            ),
        ),
        place__code=place_code.upper(),
        pk=pk,
    )


@require_safe
def offer_detail(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    service = _offer(place_code, pk)
    links = list(service.service_at_locations.all())
    return render(
        request,
        "directory/offer.html",
        {
            "place": service.place,
            "service": service,
            "links": links,
            "has_map": any(link.location.has_point for link in links),
            "can_change": can_change_offer(request.user, service),
            "can_set_status": can_set_offer_status(request.user, service),
            "status_form": OfferStatusForm(service=service),
        },
    )


@login_required
@require_http_methods(["POST"])
def offer_status(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    """Close or reopen an offer (directory administrators; others may read it, so 403)."""
    service = get_object_or_404(Service.objects.select_related("place"), place__code=place_code.upper(), pk=pk)
    if not can_set_offer_status(request.user, service):
        raise PermissionDenied
    form = OfferStatusForm(request.POST, service=service)
    if form.is_valid():
        set_offer_status(service, form.cleaned_data["status"], by=request.user)
        messages.success(request, _("The offer is now %(status)s.") % {"status": service.get_status_display()})
    else:
        messages.error(request, _("Choose what the offer's status should be."))
    return redirect(service)


@require_safe
def offer_geojson(request: HttpRequest, place_code: str, pk: int) -> JsonResponse:
    """The offer's venues as points, with the neighbourhoods they are in (the map's only layer: no tiles)."""
    service = _offer(place_code, pk)
    features, shapes = [], {}
    for link in service.service_at_locations.all():
        location, neighbourhood = link.location, link.location.neighbourhood
        if not location.has_point:
            continue
        postcode = next((a.postal_code for a in location.addresses.all()), "")
        decile = neighbourhood.imd_decile if neighbourhood else None
        url = neighbourhood.get_absolute_url() if neighbourhood else service.get_absolute_url()
        # The shared map script shows `tooltip` when given (else it speaks of IMD deciles, which suits areas).
        properties = {
            "name": location.name,
            "code": postcode,
            "imd_decile": decile,
            "url": url,
            "tooltip": ", ".join(part for part in (location.name, postcode) if part),
        }
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [location.longitude, location.latitude]},
                "properties": properties,
            }
        )
        if neighbourhood and neighbourhood.boundary:
            shapes[neighbourhood.pk] = {
                "type": "Feature",
                "geometry": neighbourhood.boundary,
                "properties": {
                    "name": neighbourhood.name,
                    "code": neighbourhood.code,
                    "imd_decile": decile,
                    "url": url,
                },
            }
    return JsonResponse({"type": "FeatureCollection", "features": [*shapes.values(), *features]})


# --- Proposals ----------------------------------------------------------------------------------


def _organisation_choices(request: HttpRequest, place: Place) -> list[tuple[int, str]]:
    return [(o.pk, o.name) for o in organisations_for(request.user, place.pk).order_by("name")]


def _proposal(form: OfferForm) -> dict[str, Any]:
    data = {k: v for k, v in form.cleaned_data.items() if k != "organisation"}
    return {k: (v if v is not None else None) for k, v in data.items()}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def propose_offer(request: HttpRequest, place_code: str) -> HttpResponse:
    place = _place(place_code)
    choices = _organisation_choices(request, place)
    if not choices:
        raise Http404  # no organisation of theirs lists offers here
    form = OfferForm(request.POST or None, organisations=choices)
    if request.method == "POST" and form.is_valid():
        organisation = organisations_for(request.user, place.pk).get(pk=form.cleaned_data["organisation"])
        change = propose_offer_change(place, organisation, _proposal(form), by=request.user)
        messages.success(request, _("Thank you. A directory administrator will check the offer before it shows."))
        return redirect(change)
    return render(request, "directory/offer_form.html", {"place": place, "form": form, "service": None})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def propose_change(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    service = _offer(place_code, pk)
    if not can_change_offer(request.user, service):
        raise PermissionDenied  # the offer is public; changing it is for its organisation
    initial = _initial(service)
    choices = [(service.organisation_id, service.organisation.name)]
    form = OfferForm(request.POST or None, initial=initial, organisations=choices)
    if request.method == "POST" and form.is_valid():
        change = propose_offer_change(
            service.place, service.organisation, _proposal(form), by=request.user, service=service
        )
        messages.success(request, _("Thank you. A directory administrator will check the change before it shows."))
        return redirect(change)
    return render(request, "directory/offer_form.html", {"place": service.place, "form": form, "service": service})


def _initial(service: Service) -> dict[str, Any]:
    link = next(iter(service.service_at_locations.all()), None)
    address = next(iter(link.location.addresses.all()), None) if link else None
    return {
        "organisation": service.organisation_id,
        "name": service.name,
        "description": service.description,
        "eligibility_description": service.eligibility_description,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "when": next((s.description for s in service.schedules.all() if s.description), ""),
        "cost": next((c.amount_description or c.option for c in service.costoptions.all()), ""),
        "venue": link.location.name if link else "",
        "address_1": address.address_1 if address else "",
        "town": address.city if address else "",
        "postcode": address.postal_code if address else "",
        "url": service.url,
        "email": service.email,
    }


@login_required
@require_safe
def change_list(request: HttpRequest, place_code: str) -> HttpResponse:
    place = _place(place_code)
    reviewer = can_review_offers(request.user, place.pk)
    if not reviewer and not can_propose_offers(request.user, place.pk):
        raise Http404
    changes = OfferChange.objects.filter(place=place).select_related("organisation", "service", "proposed_by")
    if not reviewer:
        changes = changes.filter(organisation__in=organisations_for(request.user, place.pk))
    status = request.GET.get("status", OfferChange.Status.PENDING)
    if status in OfferChange.Status.values:
        changes = changes.filter(status=status)
    page = Paginator(changes, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/changes.html",
        {"place": place, "page": page, "reviewer": reviewer, "status": status, "statuses": OfferChange.Status.choices},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def change_detail(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    change = get_object_or_404(
        OfferChange.objects.select_related("place", "organisation", "service", "proposed_by", "reviewed_by"),
        place__code=place_code.upper(),
        pk=pk,
    )
    if not can_view_change(request.user, change):
        raise Http404
    reviewer = can_review_offers(request.user, change.place_id)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if not reviewer:
            raise PermissionDenied  # an organisation reads its proposal; a directory administrator decides it
        if form.is_valid():
            return _decide(request, change, form.cleaned_data)
    return render(
        request,
        "directory/change.html",
        {"place": change.place, "change": change, "form": form, "reviewer": reviewer, "rows": _rows(change)},
    )


def _decide(request: HttpRequest, change: OfferChange, data: dict[str, Any]) -> HttpResponse:
    try:
        if data["decision"] == OfferChange.Status.APPROVED:
            service = approve_offer_change(change, by=request.user, note=data["note"])
            messages.success(request, _("Approved: the offer shows in the directory now."))
            return redirect(service)
        reject_offer_change(change, by=request.user, note=data["note"])
        messages.success(request, _("Sent back to the organisation with your note."))
    except ReviewError as error:
        messages.error(request, str(error))
    return redirect("directory:changes", place_code=change.place.code)


_LABELS = {
    "name": gettext_lazy("Name"),
    "description": gettext_lazy("What it is"),
    "eligibility_description": gettext_lazy("Who it is for"),
    "minimum_age": gettext_lazy("Youngest age"),
    "maximum_age": gettext_lazy("Oldest age"),
    "when": gettext_lazy("When it runs"),
    "cost": gettext_lazy("Cost"),
    "venue": gettext_lazy("Venue"),
    "address_1": gettext_lazy("Address"),
    "town": gettext_lazy("Town"),
    "postcode": gettext_lazy("Postcode"),
    "url": gettext_lazy("Web page"),
    "email": gettext_lazy("Email"),
    "category": gettext_lazy("Category"),
}


def _rows(change: OfferChange) -> list[tuple[str, Any, Any]]:
    """(label, now, proposed) for each field, so the checker sees what would change."""
    now = _initial(_offer(change.place.code, change.service_id)) if change.service_id else {}
    return [(label, now.get(key, ""), change.proposed.get(key, "")) for key, label in _LABELS.items()]
