"""Public pages of a place: its overview and map, its districts and neighbourhoods.

Everything here is open data (deprivation, boundaries, population), so these pages need no sign-in.
"""

from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from .models import District, Neighbourhood, Place
from .stats import decile_profile


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    places = list(Place.objects.annotate(neighbourhood_count=Count("neighbourhoods")))
    if len(places) == 1:
        return redirect(places[0])
    return render(request, "places/index.html", {"places": places})


@require_safe
def place_overview(request: HttpRequest, place_code: str) -> HttpResponse:
    place = get_object_or_404(Place, code=place_code.upper())
    districts = place.districts.annotate(
        total_population=Sum("neighbourhoods__population"), neighbourhood_count=Count("neighbourhoods")
    )
    neighbourhoods = place.neighbourhoods.only("imd_decile", "population")
    return render(
        request,
        "places/place.html",
        {
            "place": place,
            "districts": districts,
            "profile": decile_profile(neighbourhoods),
            "unassigned": place.neighbourhoods.filter(district=None).count(),
        },
    )


@require_safe
@cache_control(max_age=3600, public=True)
def neighbourhoods_geojson(request: HttpRequest, place_code: str) -> JsonResponse:
    place = get_object_or_404(Place, code=place_code.upper())
    neighbourhoods = place.neighbourhoods.exclude(boundary=None)
    district = request.GET.get("district")
    if district:
        neighbourhoods = neighbourhoods.filter(district__code=district)
    lsoa = request.GET.get("lsoa")
    if lsoa:
        neighbourhoods = neighbourhoods.filter(code=lsoa.upper())
    features = [
        {
            "type": "Feature",
            "geometry": n.boundary,
            "properties": {
                "code": n.code,
                "name": n.name,
                "imd_decile": n.imd_decile,
                "url": f"/places/{place.code}/neighbourhoods/{n.code}/",
            },
        }
        for n in neighbourhoods.only("code", "name", "imd_decile", "boundary")
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


@require_safe
def district_detail(request: HttpRequest, place_code: str, district_code: str) -> HttpResponse:
    district = get_object_or_404(
        District.objects.select_related("place"), place__code=place_code.upper(), code=district_code
    )
    neighbourhoods = district.neighbourhoods.order_by("imd_rank", "code")
    return render(
        request,
        "places/district.html",
        {
            "place": district.place,
            "district": district,
            "neighbourhoods": neighbourhoods,
            "profile": decile_profile(neighbourhoods),
        },
    )


@require_safe
def neighbourhood_detail(request: HttpRequest, place_code: str, lsoa_code: str) -> HttpResponse:
    neighbourhood = get_object_or_404(
        Neighbourhood.objects.select_related("place", "district"),
        place__code=place_code.upper(),
        code=lsoa_code.upper(),
    )
    return render(
        request,
        "places/neighbourhood.html",
        {
            "place": neighbourhood.place,
            "neighbourhood": neighbourhood,
            "postcode_count": neighbourhood.postcodes.count(),
        },
    )
