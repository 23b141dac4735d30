"""What every investment view shares: the place from the URL, and the 404/403 rule."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from commonweal.places.models import Place


def get_place(place_code: str) -> Place:
    return get_object_or_404(Place, code=place_code.upper())


def posted(request: HttpRequest) -> Any:
    """The POST data of a POST (even an empty one, which must fail validation), else None."""
    return request.POST if request.method == "POST" else None


def require(can_view: bool, can_change: bool = True) -> None:
    """404 where the user may not even see the thing; 403 where they may see it but not change it."""
    if not can_view:
        raise Http404
    if not can_change:
        raise PermissionDenied


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    place: Any,
    back: str,
    submit: str,
    caption: str = "",
    multipart: bool = False,
    intro: str = "",
) -> HttpResponse:
    """The one template of every simple form page."""
    return render(
        request,
        "investment/form.html",
        {
            "form": form,
            "title": title,
            "place": place,
            "back": back,
            "submit": submit,
            "caption": caption,
            "multipart": multipart,
            "intro": intro,
        },
    )
