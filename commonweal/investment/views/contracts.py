"""Joint commissioning and alliance contracts, and the review setting cost beside outcomes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import services
from ..errors import InvestmentError
from ..forms import ContractForm, MeasurementForm, OutcomeForm, ProviderForm, ShareForm, StatusForm
from ..models import Contract, SharedOutcome
from ..permissions import can_manage_contracts, can_view_contract, can_view_contracts, provider_organisation_ids
from ..review import review_rows
from .common import form_page, get_place, posted, require


@require_safe
@login_required
def contract_list(request: HttpRequest, place_code: str) -> HttpResponse:
    place = get_place(place_code)
    contracts = Contract.objects.filter(place=place).select_related("place").annotate(cost=Sum("shares__amount_pence"))
    if not can_view_contracts(request.user, place.pk):
        mine = provider_organisation_ids(request.user, place.pk)
        require(bool(mine))
        contracts = contracts.filter(providers__organisation_id__in=mine).distinct()
    context = {
        "place": place,
        "contracts": contracts,
        "can_manage": can_manage_contracts(request.user, place.pk),
        "can_review": can_view_contracts(request.user, place.pk),
    }
    return render(request, "investment/contract_list.html", context)


@login_required
def contract_create(request: HttpRequest, place_code: str) -> HttpResponse:
    place = get_place(place_code)
    require(can_view_contracts(request.user, place.pk), can_manage_contracts(request.user, place.pk))
    form = ContractForm(posted(request))
    if form.is_valid():
        contract = services.create_contract(place, by=request.user, **form.cleaned_data)
        return redirect(contract)
    return form_page(
        request,
        form,
        title=_("Add a contract"),
        place=place,
        back=f"/places/{place.code}/contracts/",
        submit=_("Add the contract"),
    )


def _contract(request: HttpRequest, place_code: str, pk: int) -> Contract:
    contract = get_object_or_404(Contract.objects.select_related("place"), place__code=place_code.upper(), pk=pk)
    require(can_view_contract(request.user, contract))
    return contract


def _render_contract(request: HttpRequest, contract: Contract, **forms: object) -> HttpResponse:
    place = contract.place
    manage = can_manage_contracts(request.user, place.pk)
    context = {
        "place": place,
        "contract": contract,
        "shares": contract.shares.select_related("organisation"),
        "providers": contract.providers.select_related("organisation"),
        "outcomes": contract.outcomes.prefetch_related("measurements"),
        "cost": contract.cost_pence(),
        "can_manage": manage,
        "share_form": forms.get("share_form") or ShareForm(prefix="share", place=place),
        "provider_form": forms.get("provider_form") or ProviderForm(prefix="provider", place=place),
        "outcome_form": forms.get("outcome_form") or OutcomeForm(prefix="outcome"),
        "measurement_form": forms.get("measurement_form") or MeasurementForm(prefix="measurement"),
        "status_form": StatusForm(prefix="status", initial={"status": contract.status}),
    }
    return render(request, "investment/contract.html", context, status=400 if forms else 200)


@require_safe
@login_required
def contract_detail(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    return _render_contract(request, _contract(request, place_code, pk))


@require_POST
@login_required
def contract_add(request: HttpRequest, place_code: str, pk: int, part: str) -> HttpResponse:
    """Add a commissioner's share, a provider or a shared outcome (one form per part)."""
    contract = _contract(request, place_code, pk)
    require(True, can_manage_contracts(request.user, contract.place_id))
    place = contract.place
    parts = {
        "share": (ShareForm, {"place": place}),
        "provider": (ProviderForm, {"place": place}),
        "outcome": (OutcomeForm, {}),
        "status": (StatusForm, {}),
    }
    if part not in parts:
        raise Http404
    form_class, kwargs = parts[part]
    form = form_class(request.POST, prefix=part, **kwargs)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if part == "share":
                services.add_commissioner_share(contract, data["organisation"], data["amount"], by=request.user)
            elif part == "provider":
                services.add_provider(contract, data["organisation"], by=request.user, role=data["role"])
            elif part == "outcome":
                services.add_shared_outcome(contract, by=request.user, **data)
            else:
                services.set_contract_status(contract, data["status"], by=request.user)
        except InvestmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect(contract)
    return _render_contract(request, contract, **{f"{part}_form": form})


@require_POST
@login_required
def measurement_add(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    outcome = get_object_or_404(
        SharedOutcome.objects.select_related("contract__place"), contract__place__code=place_code.upper(), pk=pk
    )
    contract = outcome.contract
    require(can_view_contract(request.user, contract), can_manage_contracts(request.user, contract.place_id))
    form = MeasurementForm(request.POST, prefix="measurement")
    if form.is_valid():
        services.record_measurement(outcome, by=request.user, **form.cleaned_data)
        return redirect(contract)
    return _render_contract(request, contract, measurement_form=form)


@require_safe
@login_required
def review(request: HttpRequest, place_code: str) -> HttpResponse:
    place = get_place(place_code)
    require(can_view_contracts(request.user, place.pk))
    rows = review_rows(place)
    return render(
        request,
        "investment/contract_review.html",
        {"place": place, "rows": rows, "value_known": any(r.value for r in rows)},
    )
