"""Fund, round, application, panel and award pages, and the 360Giving files."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from commonweal.accounts.models import Organisation

from .. import giving, services
from ..errors import InvestmentError
from ..forms import (
    ApplicationForm,
    ContributionForm,
    DecisionForm,
    FundForm,
    NoteForm,
    PaymentForm,
    ReportForm,
    RoundForm,
)
from ..models import Application, Award, Fund, Round
from ..permissions import (
    can_add_note,
    can_apply,
    can_decide,
    can_manage_funds,
    can_report,
    can_view_application,
    can_view_applications,
    can_view_award_details,
    provider_organisation_ids,
)
from .common import form_page, get_place, posted, require


@require_safe
def fund_list(request: HttpRequest, place_code: str) -> HttpResponse:
    place = get_place(place_code)
    funds = Fund.objects.filter(place=place).select_related("place")
    # Summed one relation at a time: a sum over contributions and awards together would multiply.
    contributed = dict(funds.annotate(c=Sum("contributions__amount_pence")).values_list("pk", "c"))
    committed = dict(funds.annotate(c=Sum("awards__amount_pence")).values_list("pk", "c"))
    rows = [(f, contributed.get(f.pk) or 0, committed.get(f.pk) or 0) for f in funds]
    return render(
        request,
        "investment/fund_list.html",
        {"place": place, "rows": rows, "can_manage": can_manage_funds(request.user, place.pk)},
    )


@login_required
def fund_create(request: HttpRequest, place_code: str) -> HttpResponse:
    place = get_place(place_code)
    require(can_manage_funds(request.user, place.pk))
    form = FundForm(posted(request), place=place)
    if form.is_valid():
        data = form.cleaned_data
        try:
            fund = services.create_fund(place, by=request.user, **data)
        except InvestmentError as error:
            form.add_error(None, str(error))
        else:
            return redirect(fund)
    return form_page(
        request,
        form,
        title=_("Create a fund"),
        place=place,
        back=f"/places/{place.code}/funds/",
        submit=_("Create the fund"),
    )


@require_safe
def fund_detail(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    place = get_place(place_code)
    fund = get_object_or_404(Fund.objects.select_related("managed_by"), place=place, pk=pk)
    context = {
        "place": place,
        "fund": fund,
        "balance": fund.balance(),
        "contributions": fund.contributions.select_related("organisation"),
        "rounds": fund.rounds.select_related("place"),
        "awards": fund.awards.select_related("recipient", "place"),
        "districts": fund.districts.all(),
        "can_manage": can_manage_funds(request.user, place.pk),
    }
    return render(request, "investment/fund.html", context)


@login_required
def contribution_add(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    place = get_place(place_code)
    fund = get_object_or_404(Fund, place=place, pk=pk)
    require(True, can_manage_funds(request.user, place.pk))
    form = ContributionForm(posted(request), place=place)
    if form.is_valid():
        data = form.cleaned_data
        services.add_contribution(
            fund,
            data["organisation"],
            data["amount"],
            by=request.user,
            received_on=data["received_on"],
            note=data["note"],
        )
        messages.success(request, _("Contribution recorded."))
        return redirect(fund)
    return form_page(
        request,
        form,
        title=_("Record a contribution"),
        caption=fund.name,
        place=place,
        back=fund.get_absolute_url(),
        submit=_("Record it"),
    )


@login_required
def round_create(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    place = get_place(place_code)
    fund = get_object_or_404(Fund, place=place, pk=pk)
    require(True, can_manage_funds(request.user, place.pk))
    form = RoundForm(posted(request))
    if form.is_valid():
        data = form.cleaned_data
        round_ = services.create_round(
            fund,
            by=request.user,
            title=data["title"],
            description=data["description"],
            max_amount_pence=data["max_amount"],
            closes_on=data["closes_on"],
        )
        return redirect(round_)
    return form_page(
        request,
        form,
        title=_("Start a grant round"),
        caption=fund.name,
        place=place,
        back=fund.get_absolute_url(),
        submit=_("Create the round"),
    )


@require_safe
def round_detail(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    place = get_place(place_code)
    round_ = get_object_or_404(Round.objects.select_related("fund"), place=place, pk=pk)
    mine = provider_organisation_ids(request.user, place.pk)
    context = {
        "place": place,
        "round": round_,
        "can_manage": can_manage_funds(request.user, place.pk),
        "can_apply": can_apply(request.user, place.pk) and round_.is_accepting(),
        "can_view_applications": can_view_applications(request.user, place.pk),
        "my_applications": round_.applications.filter(organisation_id__in=mine).select_related("organisation", "place"),
    }
    return render(request, "investment/round.html", context)


@require_POST
@login_required
def round_status(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    place = get_place(place_code)
    round_ = get_object_or_404(Round, place=place, pk=pk)
    require(True, can_manage_funds(request.user, place.pk))
    status = request.POST.get("status", "")
    if status in Round.Status.values:
        services.set_round_status(round_, status, by=request.user)
    return redirect(round_)


@login_required
def apply(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    place = get_place(place_code)
    round_ = get_object_or_404(Round, place=place, pk=pk)
    require(
        round_.status != Round.Status.DRAFT or can_manage_funds(request.user, place.pk),
        can_apply(request.user, place.pk),
    )
    organisations = Organisation.objects.filter(pk__in=provider_organisation_ids(request.user, place.pk))
    form = ApplicationForm(posted(request), organisations=organisations)
    if form.is_valid():
        data = form.cleaned_data
        try:
            application = services.submit_application(
                round_,
                data["organisation"],
                by=request.user,
                title=data["title"],
                summary=data["summary"],
                amount_requested_pence=data["amount"],
                duration_months=data["duration_months"],
                unrestricted=data["unrestricted"],
            )
        except InvestmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Application sent. Someone will be in touch to talk it through."))
            return redirect(application)
    intro = _("A few lines is enough: we will talk it through with you rather than ask for a long bid.")
    return form_page(
        request,
        form,
        title=_("Apply for a grant"),
        caption=round_.title,
        place=place,
        back=round_.get_absolute_url(),
        submit=_("Send the application"),
        intro=intro,
    )


@require_safe
@login_required
def panel(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    place = get_place(place_code)
    round_ = get_object_or_404(Round.objects.select_related("fund"), place=place, pk=pk)
    require(can_view_applications(request.user, place.pk))
    applications = round_.applications.select_related("organisation", "place").annotate(note_count=Count("notes"))
    return render(request, "investment/panel.html", {"place": place, "round": round_, "applications": applications})


def _application(request: HttpRequest, place_code: str, pk: int) -> Application:
    place = get_place(place_code)
    application = get_object_or_404(
        Application.objects.select_related("round__fund", "organisation", "place"), place=place, pk=pk
    )
    require(can_view_application(request.user, application))
    return application


@login_required
def application_detail(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    application = _application(request, place_code, pk)
    decision_form = DecisionForm(posted(request), prefix="decision")
    if request.method == "POST":
        require(True, can_decide(request.user, application))
        if decision_form.is_valid():
            data = decision_form.cleaned_data
            try:
                services.decide_application(
                    application,
                    by=request.user,
                    award=data["decision"] == "award",
                    reasons=data["reasons"],
                    amount_pence=data["amount"],
                    start_date=data["start_date"],
                )
            except InvestmentError as error:
                decision_form.add_error(None, str(error))
            else:
                messages.success(request, _("Decision recorded."))
                return redirect(application)
    return _render_application(request, application, decision_form=decision_form)


def _render_application(request: HttpRequest, application: Application, **forms: object) -> HttpResponse:
    context = {
        "place": application.place,
        "application": application,
        "notes": application.notes.select_related("author"),
        "award": Award.objects.filter(application=application).first(),
        "can_decide": can_decide(request.user, application) and application.status == Application.Status.SUBMITTED,
        "can_add_note": can_add_note(request.user, application),
        "note_form": forms.get("note_form") or NoteForm(prefix="note"),
        "decision_form": forms.get("decision_form") or DecisionForm(prefix="decision"),
    }
    return render(request, "investment/application.html", context)


@require_POST
@login_required
def note_add(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    application = _application(request, place_code, pk)
    form = NoteForm(request.POST, prefix="note")
    if form.is_valid():
        services.add_conversation_note(application, form.cleaned_data["text"], by=request.user)
        return redirect(application)
    return _render_application(request, application, note_form=form)


@require_safe
def award_detail(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    place = get_place(place_code)
    award = get_object_or_404(
        Award.objects.select_related("fund", "recipient", "application__round"), place=place, pk=pk
    )
    details = can_view_award_details(request.user, award)
    context = {
        "place": place,
        "award": award,
        "details": details,
        "payments": award.payments.all() if details else [],
        "paid": award.payments.aggregate(total=Sum("amount_pence"))["total"] or 0,
        "reports": award.reports.prefetch_related("figures") if details else [],
        "can_pay": can_manage_funds(request.user, place.pk),
        "can_report": can_report(request.user, award),
        "payment_form": PaymentForm(prefix="payment"),
    }
    return render(request, "investment/award.html", context)


@require_POST
@login_required
def payment_add(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    place = get_place(place_code)
    award = get_object_or_404(Award, place=place, pk=pk)
    require(True, can_manage_funds(request.user, place.pk))
    form = PaymentForm(request.POST, prefix="payment")
    if form.is_valid():
        try:
            services.record_payment(
                award, form.cleaned_data["amount"], by=request.user, paid_on=form.cleaned_data["paid_on"]
            )
        except InvestmentError as error:
            form.add_error("amount", str(error))
        else:
            messages.success(request, _("Payment recorded."))
            return redirect(award)
    return form_page(
        request,
        form,
        title=_("Record a payment"),
        caption=award.title,
        place=place,
        back=award.get_absolute_url(),
        submit=_("Record it"),
    )


@login_required
def report_add(request: HttpRequest, place_code: str, pk: int) -> HttpResponse:
    place = get_place(place_code)
    award = get_object_or_404(Award, place=place, pk=pk)
    require(
        can_view_award_details(request.user, award) or can_report(request.user, award), can_report(request.user, award)
    )
    form = ReportForm(posted(request))
    if form.is_valid():
        data = form.cleaned_data
        services.record_report(
            award, by=request.user, conversation_on=data["conversation_on"], notes=data["notes"], figures=form.figures()
        )
        messages.success(request, _("Report recorded."))
        return redirect(award)
    intro = _("Reporting is a conversation: note what you heard, and up to three figures that matter.")
    return form_page(
        request,
        form,
        title=_("Record a conversation about this grant"),
        caption=award.title,
        place=place,
        back=award.get_absolute_url(),
        submit=_("Record it"),
        intro=intro,
    )


def _publisher(place: object) -> Organisation | None:
    return Organisation.objects.filter(place=place, kind=Organisation.Kind.COUNCIL).exclude(identifier="").first()


@require_safe
def grants_json(request: HttpRequest, place_code: str) -> HttpResponse:
    place = get_place(place_code)
    data = giving.package(place, publisher=_publisher(place))
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{place.code}-grants-360giving.json"'
    return response


@require_safe
def grants_csv(request: HttpRequest, place_code: str) -> HttpResponse:
    place = get_place(place_code)
    text = giving.csv_text(giving.package(place)["grants"])
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{place.code}-grants-360giving.csv"'
    return response
