"""Pages of the directory (filled in by the next commit)."""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


offer_search = offer_detail = offer_geojson = propose_offer = propose_change = change_list = change_detail = _todo
