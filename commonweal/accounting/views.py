"""Public pages of a place's outcomes: aggregates only, with small numbers suppressed."""

import datetime
import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from commonweal.places.models import Place

from .models import IndicatorSeries

# `.outcomes` (pandas, scipy), `spc` (numpy) and polars are imported inside the views that use them:
# URL resolution imports this module, so at module level every first page after a start would pay ~2 s.


@require_safe
def outcomes_index(request: HttpRequest, place_code: str) -> HttpResponse:
    from .outcomes import breakdown  # heavy: see the note on imports

    place = get_object_or_404(Place, code=place_code.upper())
    series = [(s, breakdown(s, "place")) for s in place.indicator_series.all()]
    return render(request, "accounting/outcomes.html", {"place": place, "series": series})


def _date(raw: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@require_safe
def indicator_detail(request: HttpRequest, place_code: str, code: str) -> HttpResponse:
    from commonweal.engines import spc  # heavy: see the note on imports

    from .outcomes import LEVELS, breakdown, trend

    series = get_object_or_404(
        IndicatorSeries.objects.select_related("place"), place__code=place_code.upper(), code=code
    )
    start, end = _date(request.GET.get("from")), _date(request.GET.get("to"))
    download = request.GET.get("format")
    if download:
        level = request.GET.get("level", "district")
        if level not in LEVELS or download not in ("csv", "parquet"):
            raise Http404
        return _download(series, level, download, start, end)
    by_district = breakdown(series, "district", start=start, end=end)
    by_decile = breakdown(series, "imd_decile", start=start, end=end)
    charted = trend(series)
    chart_svg = None
    if charted is not None:
        chart, _rows = charted
        title = _("%(name)s for %(place)s over time") % {"name": series.name, "place": series.place.name}
        chart_svg = mark_safe(spc.render_svg(chart, title=title, description=spc.describe(chart)))  # noqa: S308 (engine-built SVG, no user text)
    return render(
        request,
        "accounting/indicator.html",
        {
            "place": series.place,
            "series": series,
            "by_district": by_district,
            "by_decile": by_decile,
            "chart_svg": chart_svg,
            "chart": charted[0] if charted else None,
            "start": start,
            "end": end,
        },
    )


def _download(
    series: IndicatorSeries, level: str, kind: str, start: datetime.date | None, end: datetime.date | None
) -> HttpResponse:
    from .outcomes import breakdown  # heavy: see the note on imports

    frame = breakdown(series, level, start=start, end=end).as_frame()
    name = f"{series.place.code}-{slugify(series.code)}-{level}"
    if kind == "csv":
        response = HttpResponse(frame.to_csv(index=False), content_type="text/csv; charset=utf-8")
    else:
        # polars writes Parquet without pyarrow; the columns are plain lists.
        import polars as pl  # heavy: see the note on imports

        buffer = io.BytesIO()
        pl.DataFrame(frame.to_dict("list"), strict=False).write_parquet(buffer)
        response = HttpResponse(buffer.getvalue(), content_type="application/vnd.apache.parquet")
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response
