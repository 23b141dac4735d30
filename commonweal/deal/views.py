"""Pages of the Deal: the public Deal page, pledges, "my part", the ledger, imports, rates and the time bank.

Thin views with one rhythm: fetch through a permission predicate (404 for no access, 403 where
read-only), validate a form, call one service, redirect.
"""

import csv
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commonweal.accounts.models import Organisation
from commonweal.audit.models import Action
from commonweal.audit.services import record
from commonweal.importing import ImportFileError
from commonweal.places.models import Place

from . import forms, permissions, services, timebank
from .disclosure import month_table, sector_table
from .errors import DealError
from .importers import import_contributions_text
from .ledger import contributions_in, ledger_page, ledger_summary, sector_and_kind_totals
from .models import Contribution, Exchange, Listing, Pledge, Sector, TimeBankMember, ValuationRate
from .stats import time_bank_stats
from .valuation import DEFAULT_TIME_RATE, time_rate_on


def _place(place_code: str) -> Place:
    return get_object_or_404(Place, code=place_code.upper())


def _financial_year(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    first = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    return first, date(first.year + 1, 4, 1)


def _form_error(form: Any, error: DealError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


# --- The public Deal page and pledges ------------------------------------------------------------


@require_safe
def deal_page(request: HttpRequest, place_code: str) -> HttpResponse:
    place = _place(place_code)
    pledges = list(
        Pledge.objects.filter(place=place, is_public=True)
        .exclude(status=Pledge.Status.WITHDRAWN)
        .select_related("organisation", "user", "district", "neighbourhood", "group", "place")
        .order_by("number", "created_at", "pk")
    )
    council = [p for p in pledges if p.organisation and p.organisation.kind == Organisation.Kind.COUNCIL]
    start, end = _financial_year()
    sectors, all_sectors = sector_table(sector_and_kind_totals(place, start=start, end=end))
    return render(
        request,
        "deal/deal.html",
        {
            "place": place,
            "council_pledges": council,
            "sector_pledges": [
                (Sector(s).label, [p for p in pledges if p.sector == s and p not in council]) for s in Sector.values
            ],
            "resources_start": start,
            "resources_sectors": sectors,
            "resources_total": all_sectors,
            "can_pledge": permissions.can_make_pledge(request.user, place.pk),
        },
    )


@require_safe
def pledge_detail(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    pledge = get_object_or_404(
        Pledge.objects.select_related("place", "organisation", "user", "district", "neighbourhood", "group"),
        place__code=place_code.upper(),
        pk=pk,
    )
    if not permissions.can_view_pledge(request.user, pledge):
        raise Http404
    can_change = permissions.can_change_pledge(request.user, pledge)
    return render(
        request,
        "deal/pledge.html",
        {
            "place": pledge.place,
            "pledge": pledge,
            "updates": pledge.updates.all(),
            "contributions": pledge.contributions.filter(voided_at__isnull=True).aggregate(
                value=Sum("value_pence"), minutes=Sum("minutes")
            ),
            "form": forms.PledgeUpdateForm(initial={"status": pledge.status}) if can_change else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pledge_new(request: HttpRequest, place_code: str) -> HttpResponse:
    place = _place(place_code)
    if not permissions.can_make_pledge(request.user, place.pk):
        raise Http404
    organisations = permissions.organisations_acted_for(request.user, place)
    form = forms.PledgeForm(request.POST or None, place=place, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if "organisation" not in fields:
            fields["user"] = request.user
        try:
            pledge = services.make_pledge(place, by=request.user, **fields)
        except DealError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Your pledge is part of the Deal."))
            return redirect(pledge)
    return render(request, "deal/pledge_form.html", {"place": place, "form": form})


@login_required
@require_POST
def pledge_update(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    pledge = get_object_or_404(Pledge.objects.select_related("place"), place__code=place_code.upper(), pk=pk)
    if not permissions.can_view_pledge(request.user, pledge):
        raise Http404
    if not permissions.can_change_pledge(request.user, pledge):
        raise PermissionDenied
    form = forms.PledgeUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.post_pledge_update(pledge, by=request.user, **form.cleaned_data)
        except DealError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Your update is published."))
            return redirect(pledge)
    context = {"place": pledge.place, "pledge": pledge, "updates": pledge.updates.all(), "form": form}
    return render(request, "deal/pledge.html", context, status=400)


@login_required
@require_safe
def my_part(request: HttpRequest, place_code: str) -> HttpResponse:
    place = _place(place_code)
    if not permissions.is_in_place(request.user, place.pk):
        raise Http404
    member = TimeBankMember.objects.filter(place=place, user=request.user).first()
    exchanges = (
        Exchange.objects.filter(Q(provider=member) | Q(recipient=member))
        .select_related(
            "provider__user", "provider__organisation", "recipient__user", "recipient__organisation", "place"
        )
        .order_by("-occurred_on", "-pk")[:50]
        if member
        else []
    )
    completed = Exchange.objects.filter(status=Exchange.Status.COMPLETED)
    return render(
        request,
        "deal/my_part.html",
        {
            "place": place,
            "pledges": Pledge.objects.filter(place=place, user=request.user).select_related("place"),
            "member": member,
            "exchanges": exchanges,
            "given": completed.filter(provider=member).aggregate(m=Sum("minutes"))["m"] or 0 if member else 0,
            "received": completed.filter(recipient=member).aggregate(m=Sum("minutes"))["m"] or 0 if member else 0,
        },
    )


# --- The ledger ----------------------------------------------------------------------------------


def _ledger_place(request: HttpRequest, place_code: str, *, write: bool = False) -> Place:
    place = _place(place_code)
    if not permissions.can_view_ledger(request.user, place.pk):
        raise Http404
    if write and not permissions.can_record_contribution(request.user, place.pk):
        raise PermissionDenied
    return place


def _filtered(request: HttpRequest, place: Place) -> tuple[forms.LedgerFilterForm, Any, dict[str, Any]]:
    form = forms.LedgerFilterForm(request.GET or None, place=place)
    start, end = form.period()
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {k: form.cleaned_data[k] for k in ("sector", "kind", "district") if form.cleaned_data[k]}
    rows = contributions_in(place, start=start, end=end, **filters).select_related(
        "contributor_organisation", "neighbourhood", "district", "supported_organisation", "place"
    )
    return form, rows, {"start": start, "end": end, **filters}


@login_required
@require_safe
def ledger(request: HttpRequest, place_code: str) -> HttpResponse:
    place = _ledger_place(request, place_code)
    form, rows, filters = _filtered(request, place)
    summary = ledger_summary(place, **filters)
    sectors, all_sectors = sector_table(summary.by_sector_and_kind)
    query = request.GET.copy()
    for cursor in ("older", "newer", "page"):
        query.pop(cursor, None)
    return render(
        request,
        "deal/ledger.html",
        {
            "place": place,
            "form": form,
            "start": filters["start"],
            "end": filters["end"],
            "page": ledger_page(rows, older_than=request.GET.get("older"), newer_than=request.GET.get("newer")),
            "summary": summary,
            "sectors": sectors,
            "all_sectors": all_sectors,
            "months": month_table(summary.by_month, start=filters["start"], end=filters["end"]),
            "query": query.urlencode(),
            "can_record": permissions.can_record_contribution(request.user, place.pk),
        },
    )


CSV_HEADER = [
    "reference", "date", "sector", "kind", "contributor", "description", "hours", "amount_gbp", "value_gbp",
    "currency", "rate_gbp_per_hour", "valuation_basis", "valuation_source", "lsoa", "district", "supported",
    "in_kind_category", "source",
]  # fmt: skip


@login_required
@require_safe
def ledger_csv(request: HttpRequest, place_code: str) -> HttpResponse:
    place = _ledger_place(request, place_code)
    _form, rows, filters = _filtered(request, place)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ledger-{place.code}-{filters["start"]}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for c in rows.iterator(chunk_size=2000):
        writer.writerow(_csv_row(c))
    record(request.user, Action.EXPORTED, place, place=place, purpose="ledger CSV", detail={"filters": str(filters)})
    return response


def _csv_row(c: Contribution) -> list[Any]:
    return [
        c.external_id or c.pk, c.given_on.isoformat(), c.sector, c.kind, _safe_cell(_public_contributor(c)),
        _safe_cell(c.description), f"{c.minutes / 60:.2f}" if c.minutes else "",
        f"{c.amount_pence / 100:.2f}" if c.amount_pence is not None else "", f"{c.value_pence / 100:.2f}",
        c.currency, f"{c.rate_pence_per_hour / 100:.2f}" if c.rate_pence_per_hour else "", c.valuation_basis,
        _safe_cell(c.valuation_source), getattr(c.neighbourhood, "code", ""), getattr(c.district, "code", ""),
        _safe_cell(str(c.supported_organisation or "")), c.in_kind_category, c.source,
    ]  # fmt: skip


def _public_contributor(c: Contribution) -> str:
    # A resident's name is not needed to commission: the ledger says "a resident".
    if c.contributor_user_id:
        return str(_("A resident"))
    return c.contributor_name


def _safe_cell(text: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas; a leading quote keeps them text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@require_http_methods(["GET", "POST"])
def contribution_new(request: HttpRequest, place_code: str) -> HttpResponse:
    place = _ledger_place(request, place_code, write=True)
    form = forms.ContributionForm(request.POST or None, place=place, initial={"given_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            contribution = services.record_contribution(place, by=request.user, **form.service_fields())
        except DealError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The contribution is in the ledger."))
            return redirect(contribution)
    return render(request, "deal/contribution_form.html", {"place": place, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def contribution_detail(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    place = _ledger_place(request, place_code, write=request.method == "POST")
    contribution = get_object_or_404(
        Contribution.objects.select_related(
            "place",
            "contributor_organisation",
            "neighbourhood",
            "district",
            "supported_organisation",
            "supported_pledge",
        ),
        place=place,
        pk=pk,
    )
    form = forms.VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.void_contribution(contribution, by=request.user, reason=form.cleaned_data["reason"])
        except DealError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The contribution is voided and out of the totals."))
            return redirect(contribution)
    return render(
        request,
        "deal/contribution.html",
        {
            "place": place,
            "contribution": contribution,
            "contributor": _public_contributor(contribution),
            "postings": contribution.postings.select_related("account"),
            "form": form,
            "can_void": permissions.can_record_contribution(request.user, place.pk) and not contribution.voided_at,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def ledger_import(request: HttpRequest, place_code: str) -> HttpResponse:
    place = _ledger_place(request, place_code, write=request.method == "POST")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = upload.read().decode("utf-8-sig")
            report = import_contributions_text(
                place, text, file=upload.name, by=request.user, kind=form.cleaned_data["kind"]
            )
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text: save it as CSV UTF-8 and try again."))
        except ImportFileError as error:
            form.add_error("file", str(error))
    return render(
        request,
        "deal/import.html",
        {
            "place": place,
            "form": form,
            "report": report,
            "can_import": permissions.can_record_contribution(request.user, place.pk),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rates(request: HttpRequest, place_code: str) -> HttpResponse:
    place = _ledger_place(request, place_code)
    can_set = permissions.can_set_rate(request.user, place.pk)
    if request.method == "POST" and not can_set:
        raise PermissionDenied
    form = forms.RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_time_rate(
                place,
                by=request.user,
                pence_per_hour=int(data["pounds_per_hour"] * 100),
                basis=data["basis"],
                source=data["source"],
                price_year=data["price_year"],
                valid_from=data["valid_from"],
            )
        except DealError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The new rate applies from its date; earlier valuations keep theirs."))
            return redirect("deal:rates", place_code=place.code)
    return render(
        request,
        "deal/rates.html",
        {
            "place": place,
            "rates": ValuationRate.objects.filter(place=place),
            "current": time_rate_on(place, timezone.localdate()),
            "default": DEFAULT_TIME_RATE,
            "form": form if can_set else None,
        },
    )


# --- The time bank -------------------------------------------------------------------------------


def _my_member(request: HttpRequest, place: Place) -> TimeBankMember | None:
    if not request.user.is_authenticated:
        return None
    return TimeBankMember.objects.filter(place=place, user=request.user).first()


@require_safe
def time_bank(request: HttpRequest, place_code: str) -> HttpResponse:
    place = _place(place_code)
    start, end = _financial_year()
    can_use = permissions.can_use_time_bank(request.user, place.pk)
    return render(
        request,
        "deal/time_bank.html",
        {
            "place": place,
            "stats": time_bank_stats(place, start=start, end=end),
            "member": _my_member(request, place),
            "can_use": can_use,
            "join_form": forms.JoinForm(place=place) if can_use else None,
        },
    )


@login_required
@require_POST
def time_bank_join(request: HttpRequest, place_code: str) -> HttpResponse:
    place = _place(place_code)
    if not permissions.can_use_time_bank(request.user, place.pk):
        raise Http404
    form = forms.JoinForm(request.POST, place=place)
    if not form.is_valid():
        return redirect("deal:time_bank", place_code=place.code)
    timebank.join_time_bank(place, by=request.user, user=request.user, neighbourhood=form.cleaned_data["neighbourhood"])
    messages.success(request, _("Welcome to the time bank."))
    return redirect("deal:listings", place_code=place.code)


@login_required
@require_http_methods(["GET", "POST"])
def time_bank_policy(request: HttpRequest, place_code: str) -> HttpResponse:
    place = _place(place_code)
    if not permissions.can_use_time_bank(request.user, place.pk):
        raise Http404
    can_set = permissions.can_set_time_bank_policy(request.user, place.pk)
    if request.method == "POST" and not can_set:
        raise PermissionDenied
    policy = timebank.current_policy(place)
    form = forms.TimeBankPolicyForm(request.POST or None, initial=forms.TimeBankPolicyForm.initial_from(policy))
    if request.method == "POST" and form.is_valid():
        try:
            timebank.set_time_bank_policy(place, by=request.user, **form.minutes())
        except DealError as error:
            form.add_error(form.field_for(error.field), str(error))
        else:
            messages.success(request, _("The new limits apply to members who join from now on."))
            return redirect("deal:time_bank_policy", place_code=place.code)
    return render(
        request,
        "deal/time_bank_policy.html",
        {"place": place, "policy": policy, "form": form if can_set else None},
    )


def _member_or_404(request: HttpRequest, place: Place) -> TimeBankMember:
    if not permissions.can_use_time_bank(request.user, place.pk):
        raise Http404
    member = _my_member(request, place)
    if member is None:
        raise PermissionDenied  # in the place, but not (yet) a member: join first
    return member


@login_required
@require_http_methods(["GET", "POST"])
def listings(request: HttpRequest, place_code: str) -> HttpResponse:
    place = _place(place_code)
    if not permissions.can_use_time_bank(request.user, place.pk):
        raise Http404
    member = _my_member(request, place)
    form = forms.ListingForm(request.POST or None)
    if request.method == "POST":
        if member is None:
            raise PermissionDenied
        if form.is_valid():
            timebank.add_listing(member, by=request.user, **form.cleaned_data)
            messages.success(request, _("Your listing is open."))
            return redirect("deal:listings", place_code=place.code)
    open_listings = Listing.objects.filter(member__place=place, is_open=True).select_related(
        "member__user", "member__organisation"
    )
    return render(
        request,
        "deal/listings.html",
        {"place": place, "member": member, "listings": open_listings[:200], "form": form if member else None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def exchange_new(request: HttpRequest, place_code: str, listing_pk: int) -> HttpResponse:
    place = _place(place_code)
    member = _member_or_404(request, place)
    listing = get_object_or_404(
        Listing.objects.select_related("member"), member__place=place, pk=listing_pk, is_open=True
    )
    form = forms.ExchangeForm(request.POST or None, initial={"occurred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        # Someone's offer: they gave and I received. Someone's request: I gave and they received.
        provider, recipient = (
            (listing.member, member) if listing.kind == Listing.Kind.OFFER else (member, listing.member)
        )
        try:
            exchange = timebank.propose_exchange(
                by=request.user,
                proposer=member,
                provider=provider,
                recipient=recipient,
                minutes=form.minutes(),
                description=form.cleaned_data["description"],
                occurred_on=form.cleaned_data["occurred_on"],
                listing=listing,
            )
        except DealError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Recorded. The other member is asked to confirm it."))
            return redirect(exchange)
    return render(request, "deal/exchange_form.html", {"place": place, "listing": listing, "form": form})


def _exchange(request: HttpRequest, place_code: str, pk: int) -> tuple[Exchange, TimeBankMember]:
    exchange = get_object_or_404(
        Exchange.objects.select_related(
            "place", "provider__user", "provider__organisation", "recipient__user", "recipient__organisation"
        ),
        place__code=place_code.upper(),
        pk=pk,
    )
    side = permissions.member_side(request.user, exchange)
    if side is None:
        raise Http404
    return exchange, side


@login_required
@require_safe
def exchange_detail(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    exchange, side = _exchange(request, place_code, pk)
    waiting_for_me = exchange.status == Exchange.Status.PROPOSED and (
        (side.pk == exchange.provider_id and not exchange.provider_confirmed_at)
        or (side.pk == exchange.recipient_id and not exchange.recipient_confirmed_at)
    )
    return render(
        request,
        "deal/exchange.html",
        {"place": exchange.place, "exchange": exchange, "side": side, "waiting_for_me": waiting_for_me},
    )


@login_required
@require_POST
def exchange_answer(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    exchange, side = _exchange(request, place_code, pk)
    try:
        if request.POST.get("answer") == "confirm":
            timebank.confirm_exchange(exchange, by=request.user, member=side)
            messages.success(request, _("Confirmed."))
        else:
            timebank.decline_exchange(exchange, by=request.user, member=side)
            messages.success(request, _("Declined."))
    except DealError as error:
        messages.error(request, str(error))
    return redirect(exchange)
