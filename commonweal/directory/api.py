"""The Open Referral UK 3.0 read API: `/api/oruk/` for every place, `/places/<code>/api/oruk/` for one.

Everything in a directory is published open data, so the API needs no sign-in and allows any
origin (CORS `*`). Responses follow the ORUK schemas; the tests validate each one against them.
"""

import json
import math
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_safe

from commonweal.accounts.models import Organisation
from commonweal.places.models import Place

from . import oruk
from .models import Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from .search import full_text_scores, haversine_km, locate_postcode, tokens

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500


class BadRequest(Exception):
    pass


def api_view(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
    """GET/HEAD only, CORS for everyone, the place from the URL (or every place), 400 for bad parameters."""

    @require_safe
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, place_code: str | None = None, **kwargs: Any) -> HttpResponse:
        place = get_object_or_404(Place, code=place_code.upper()) if place_code else None
        try:
            result = view(request, place, *args, **kwargs)
        except BadRequest as error:
            result = JsonResponse({"detail": str(error)}, status=400)
        if not isinstance(result, HttpResponseBase):
            result = JsonResponse(result, json_dumps_params={"ensure_ascii": False})
        result["Access-Control-Allow-Origin"] = "*"
        return result

    return wrapped


def _flag(request: HttpRequest, name: str) -> bool:
    return request.GET.get(name, "").strip().lower() in {"1", "true", "yes"}


def _int(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise BadRequest(f"{name} must be between {low} and {high}")
    return value


def _page(request: HttpRequest, items: QuerySet[Any] | list[Any], render: Callable[[Any], Any]) -> dict[str, Any]:
    per_page = _int(request, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    number = _int(request, "page", 1, 1, 10**6)
    total = items.count() if isinstance(items, QuerySet) else len(items)
    pages = max(1, math.ceil(total / per_page))
    chunk = list(items[(number - 1) * per_page : number * per_page])
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": number,
        "size": len(chunk),
        "first_page": number == 1,
        "last_page": number >= pages,
        "empty": not chunk,
        "contents": [render(item) for item in chunk],
    }


# --- Services ------------------------------------------------------------------------------


def _services(place: Place | None) -> QuerySet[Service]:
    services = Service.objects.all()
    return services.filter(place=place) if place else services


def _filtered(request: HttpRequest, place: Place | None, services: QuerySet[Service], prefix: str = "") -> Any:
    """Apply the ORUK filters shared by /services and /service_at_locations."""
    if term := request.GET.get("taxonomy_term_id"):
        services = services.filter(**{f"{prefix}attributes__taxonomy_term__oruk_id": term})
    if taxonomy := request.GET.get("taxonomy_id"):
        services = services.filter(**{f"{prefix}attributes__taxonomy_term__taxonomy__oruk_id": taxonomy})
    if organisation := request.GET.get("organization_id"):
        services = services.filter(**{f"{prefix}organisation__directory_listing__oruk_id": organisation})
    if raw := request.GET.get("modified_after"):
        when = parse_datetime(raw) or (parse_date(raw) and parse_datetime(f"{raw}T00:00:00"))
        if not when:
            raise BadRequest(f"modified_after must be a date and time, not {raw!r}")
        when = when if timezone.is_aware(when) else timezone.make_aware(when)
        services = services.filter(**{f"{prefix}last_modified__gte": when})
    if text := request.GET.get("search", "").strip():
        ids = _search_ids(place, text)
        services = services.filter(**{f"{prefix}pk__in": ids})
    return services.distinct()


def _search_ids(place: Place | None, text: str) -> list[int]:
    words = tokens(text)
    if not words:
        return []
    return list(full_text_scores(place.pk if place else None, words, limit=10_000, active_only=False))


@api_view
def index(request: HttpRequest, place: Place | None) -> dict[str, Any]:
    openapi = _reverse("openapi", place)
    return {"version": oruk.VERSION, "profile": oruk.PROFILE_URL, "openapi_url": request.build_absolute_uri(openapi)}


@api_view
def services(request: HttpRequest, place: Place | None) -> Any:
    items = _filtered(request, place, _services(place)).order_by("name", "pk")
    if _flag(request, "minimal"):
        return _page(request, items.only("oruk_id", "name", "status", "last_modified"), oruk.service_minimal)
    full = _flag(request, "full")
    items = oruk.with_everything(items) if full else items.select_related("organisation__directory_listing")
    render = oruk.service_full if full else oruk.service_basic
    if request.GET.get("format") == "ndjson":
        return StreamingHttpResponse(_ndjson(items, render), content_type="application/x-ndjson")
    return _page(request, items, render)


def _ndjson(items: QuerySet[Service], render: Callable[[Service], Any]) -> Iterator[str]:
    # In chunks, so prefetching still works and memory stays flat for a large directory.
    total = items.count()
    for start in range(0, total, 200):
        for service in items[start : start + 200]:
            yield json.dumps(render(service), ensure_ascii=False) + "\n"


@api_view
def service_detail(request: HttpRequest, place: Place | None, oruk_id: str) -> dict[str, Any]:
    # ORUK ids are unique in a place, not across places: two places importing one feed share them.
    # Without a place, an id two places use names no one service: 404, and the place's own URL answers.
    found = list(oruk.with_everything(_services(place).filter(oruk_id=oruk_id).order_by("pk"))[:2])
    if len(found) != 1:
        raise Http404
    return oruk.service_full(found[0])


# --- Taxonomies -----------------------------------------------------------------------------


@api_view
def taxonomies(request: HttpRequest, place: Place | None) -> dict[str, Any]:
    return _page(request, Taxonomy.objects.order_by("name", "pk"), oruk.taxonomy)


@api_view
def taxonomy_detail(request: HttpRequest, place: Place | None, oruk_id: str) -> dict[str, Any]:
    taxonomy = get_object_or_404(Taxonomy.objects.prefetch_related(_terms_prefetch("terms")), oruk_id=oruk_id)
    return oruk.taxonomy(taxonomy, with_terms=True)


def _terms_prefetch(name: str) -> Any:
    from django.db.models import Prefetch

    return Prefetch(name, TaxonomyTerm.objects.select_related("taxonomy", "parent").order_by("name", "pk"))


@api_view
def taxonomy_terms(request: HttpRequest, place: Place | None) -> dict[str, Any]:
    terms = TaxonomyTerm.objects.select_related("taxonomy", "parent").order_by("name", "pk")
    if taxonomy := request.GET.get("taxonomy_id"):
        terms = terms.filter(taxonomy__oruk_id=taxonomy)
    if parent := request.GET.get("parent_id"):
        terms = terms.filter(parent__oruk_id=parent)
    if _flag(request, "top_only"):
        terms = terms.filter(parent=None)
    if text := request.GET.get("search", "").strip():
        terms = terms.filter(Q(name__icontains=text) | Q(description__icontains=text))
    return _page(request, terms, oruk.taxonomy_term)


@api_view
def taxonomy_term_detail(request: HttpRequest, place: Place | None, oruk_id: str) -> dict[str, Any]:
    return oruk.taxonomy_term(
        get_object_or_404(TaxonomyTerm.objects.select_related("taxonomy", "parent"), oruk_id=oruk_id)
    )


# --- Organisations ----------------------------------------------------------------------------


def _organisations(place: Place | None) -> QuerySet[Organisation]:
    # Those that publish offers (here, or anywhere for the all-places API).
    offered = _services(place).values("organisation_id")
    return Organisation.objects.filter(pk__in=offered).select_related("directory_listing").order_by("name", "pk")


@api_view
def organisations(request: HttpRequest, place: Place | None) -> dict[str, Any]:
    items = _organisations(place)
    if text := request.GET.get("search", "").strip():
        items = items.filter(Q(name__icontains=text) | Q(description__icontains=text))
    return _page(request, items, oruk.organisation_summary)


@api_view
def organisation_detail(request: HttpRequest, place: Place | None, oruk_id: str) -> dict[str, Any]:
    organisation = _organisations(place).filter(directory_listing__oruk_id=oruk_id).first()
    if organisation is None:
        raise Http404
    full = _flag(request, "full_service")
    offered = _services(place).filter(organisation=organisation).order_by("name", "pk")
    offered = oruk.with_everything(offered) if full else offered.select_related("organisation__directory_listing")
    return oruk.organisation_full(organisation, list(offered), full_services=full)


# --- Services at locations --------------------------------------------------------------------


def _links(place: Place | None) -> QuerySet[ServiceAtLocation]:
    links = ServiceAtLocation.objects.all()
    return links.filter(service__place=place) if place else links


def _with_location(links: QuerySet[ServiceAtLocation], full: bool) -> QuerySet[ServiceAtLocation]:
    from django.db.models import Prefetch

    links = links.select_related("service__organisation__directory_listing", "location").prefetch_related(
        "location__addresses",
        "location__accessibility",
        "location__attributes__taxonomy_term__taxonomy",
        "location__attributes__taxonomy_term__parent",
        "schedules",
    )
    if full:
        links = links.prefetch_related(Prefetch("service", oruk.with_everything(Service.objects.all())))
    return links


@api_view
def service_at_locations(request: HttpRequest, place: Place | None) -> dict[str, Any]:
    services = _filtered(request, place, _services(place))
    links = _links(place).filter(service__in=services.values("pk")).order_by("service__name", "pk")
    full = _flag(request, "full")
    links = _with_location(links, full)
    if postcode := request.GET.get("postcode"):
        links = _near(request, place, links, postcode)
    return _page(request, links, lambda link: oruk.service_at_location(link, with_service=full))


def _near(request: HttpRequest, place: Place | None, links: Any, postcode: str) -> list[ServiceAtLocation]:
    places = [place] if place else list(Place.objects.all())
    origin = next((found for p in places if (found := locate_postcode(p, postcode))), None)
    if origin is None:
        raise BadRequest(f"postcode {postcode!r} is not known here")
    metres = _int(request, "proximity", 0, 0, 1_000_000)
    located = [
        (haversine_km(origin[1], origin[2], link.location.latitude, link.location.longitude) * 1000, link)
        for link in links.filter(location__latitude__isnull=False, location__longitude__isnull=False)
    ]
    return [link for distance, link in sorted(located, key=lambda x: x[0]) if not metres or distance <= metres]


@api_view
def service_at_location_detail(request: HttpRequest, place: Place | None, oruk_id: str) -> dict[str, Any]:
    link = _with_location(_links(place).filter(oruk_id=oruk_id).order_by("pk"), True).first()
    if link is None:
        raise Http404
    return oruk.service_at_location(link, with_service=True)


@api_view
def openapi(request: HttpRequest, place: Place | None) -> dict[str, Any]:
    from .openapi import document

    return document(request.build_absolute_uri(_reverse("index", place)))


def _reverse(name: str, place: Place | None) -> str:
    if place is None:
        return reverse(f"directory:oruk:{name}")
    return reverse(f"directory:place_oruk:{name}", kwargs={"place_code": place.code})
