"""Pages of the social productivity account: for the place, a district or a neighbourhood.

Everything here is aggregate (counts under 10 suppressed), so the account is public. Building it is
a write (a kept snapshot), so rebuilding is a POST for the place's administrators and analysts.
"""

import datetime
import io
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from commonweal.accounts.models import Role
from commonweal.accounts.permissions import has_role
from commonweal.places.models import District, Neighbourhood, Place

from .charts import bar_chart, paired_bar_chart
from .scope import Scope
from .services import account_for, default_period, rebuild_account
from .tables import account_tables

# `spc` (numpy), polars and `.report` (reportlab) are imported inside the functions that use them: URL
# resolution imports this module, so at module level every first page after a start would pay for them.


def _period(request: HttpRequest) -> tuple[datetime.date, datetime.date]:
    start, end = default_period()
    try:
        start = datetime.date.fromisoformat(request.GET.get("from") or start.isoformat())
        end = datetime.date.fromisoformat(request.GET.get("to") or end.isoformat())
    except ValueError:
        raise Http404 from None
    if end <= start:
        raise Http404
    return start, end


def _scope(request: HttpRequest, place_code: str, district_code: str | None, lsoa_code: str | None) -> Scope:
    place = get_object_or_404(Place, code=place_code.upper())
    start, end = _period(request)
    district = get_object_or_404(District, place=place, code=district_code) if district_code else None
    neighbourhood = get_object_or_404(Neighbourhood, place=place, code=lsoa_code.upper()) if lsoa_code else None
    return Scope(place, start, end, district=district, neighbourhood=neighbourhood)


def can_rebuild_account(user: Any, place: Place) -> bool:
    return getattr(user, "is_superuser", False) or has_role(user, place.pk, Role.ADMINISTRATOR, Role.ANALYST)


@require_http_methods(["GET", "HEAD", "POST"])
def account_page(
    request: HttpRequest,
    place_code: str,
    district_code: str | None = None,
    lsoa_code: str | None = None,
    how: bool = False,
) -> HttpResponse:
    scope = _scope(request, place_code, district_code, lsoa_code)
    if request.method == "POST":
        if not request.user.is_authenticated or not can_rebuild_account(request.user, scope.place):
            return HttpResponse(status=403)
        rebuild_account(scope, by=request.user)
        messages.success(request, _("The account has been rebuilt from the latest records."))
        return redirect(request.get_full_path())
    # Signed-in users and the default period keep what they build; anyone else's unusual period is not kept.
    keep = request.user.is_authenticated or (scope.start, scope.end) == default_period()
    account = account_for(scope, by=request.user, keep=keep)
    download = request.GET.get("format")
    if download:
        return _download(account, download, request.GET.get("table", "deciles"))
    context = {
        "account": account,
        "scope": scope,
        "tables": {t["key"]: t for t in account_tables(account)},
        "can_rebuild": request.user.is_authenticated and can_rebuild_account(request.user, scope.place),
        "period_query": f"from={scope.start.isoformat()}&to={scope.end.isoformat()}",
    }
    if how:
        return render(request, "accounting/account_how.html", context)
    context["charts"] = _charts(account)
    context["connections_chart"] = _connections_chart(account)
    context["districts"] = scope.place.districts.all() if scope.level == "place" else []
    return render(request, "accounting/account.html", context)


def _charts(account: dict[str, Any]) -> dict[str, str]:
    sectors = [(s["label"], s["pounds"], f"£{s['pounds']:,.0f}") for s in account["resources"]["by_sector"]]
    deciles = account["fairness"]["deciles"]
    return {
        "sectors": (
            bar_chart(
                _("Resources put in by sector"),
                _("Bar chart of the value each sector put in; the table below has the same figures."),
                sectors,
                chart_id="sectors",
            )
        ),
        "deciles": (
            paired_bar_chart(
                _("Share of people and share of value by deprivation decile"),
                _(
                    "For each IMD decile, from most deprived (1) to least (10): its share of the population and its "
                    "share of the value created. The table below has the same figures."
                ),
                [(_("Decile %(d)s") % {"d": r["decile"]}, r["population_share"], r["value_share"]) for r in deciles],
                (_("Share of people"), _("Share of value")),
                chart_id="deciles",
            )
        ),
    }


def _connections_chart(account: dict[str, Any]) -> str | None:
    """The SPC chart of connections made each month, shown only when no month is a small number."""
    months = account.get("connections_by_month") or []
    threshold = settings.COMMONWEAL_SUPPRESSION_THRESHOLD
    if len(months) < 6 or any(count < threshold for _month, count in months):
        return None
    from commonweal.engines import spc  # heavy: see the note on imports

    try:
        chart = spc.xmr(
            [count for _month, count in months], dates=[f"{m}-01" for m, _c in months], improvement="increase"
        )
    except spc.SpcError:
        return None
    title = _("Connections made each month, %(label)s") % {"label": account["scope"]["label"]}
    return mark_safe(spc.render_svg(chart, title=title, description=spc.describe(chart)))  # noqa: S308 (engine SVG from numbers)


def _download(account: dict[str, Any], kind: str, table_key: str) -> HttpResponse:
    scope = account["scope"]
    name = f"account-{scope['place_code']}-{scope['area_code'] or 'place'}-{scope['start']}"
    if kind == "pdf":
        from .report import account_pdf  # heavy: see the note on imports

        response = HttpResponse(account_pdf(account), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    tables = {t["key"]: t for t in account_tables(account)}
    if table_key not in tables or kind not in ("csv", "parquet"):
        raise Http404
    table = tables[table_key]
    import polars as pl  # heavy: see the note on imports

    frame = pl.DataFrame(
        [dict(zip(table["columns"], row, strict=True)) for row in table["rows"]],
        schema=dict.fromkeys(table["columns"], pl.String),
    )
    buffer = io.BytesIO()
    if kind == "csv":
        frame.write_csv(buffer)
        content_type = "text/csv; charset=utf-8"
    else:
        frame.write_parquet(buffer)
        content_type = "application/vnd.apache.parquet"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}-{table_key}.{kind}"'
    return response


@require_safe
def account_map(request: HttpRequest, place_code: str) -> JsonResponse:
    """Neighbourhood boundaries with value per head, banded into tenths for the map's shading."""
    scope = _scope(request, place_code, request.GET.get("district"), None)
    keep = request.user.is_authenticated or (scope.start, scope.end) == default_period()
    rows = {r["code"]: r for r in account_for(scope, keep=keep)["neighbourhoods"]}
    ranked = sorted((r["value_per_head"] or 0.0, code) for code, r in rows.items())
    band = {code: 10 - min(9, i * 10 // max(1, len(ranked))) for i, (_v, code) in enumerate(ranked)}
    features = []
    for n in scope.neighbourhoods().exclude(boundary=None).only("code", "name", "boundary"):
        row = rows.get(n.code, {})
        per_head = row.get("value_per_head") or 0.0
        features.append(
            {
                "type": "Feature",
                "geometry": n.boundary,
                "properties": {
                    "code": n.code,
                    "name": n.name,
                    "band": band.get(n.code, 10),
                    "tooltip": _("%(name)s: £%(value).2f of value per head") % {"name": n.name, "value": per_head},
                    "url": reverse("accounting:account_neighbourhood", args=[scope.place.code, n.code])
                    + f"?from={scope.start.isoformat()}&to={scope.end.isoformat()}",
                },
            }
        )
    return JsonResponse({"type": "FeatureCollection", "features": features})
