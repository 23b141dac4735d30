"""Forms of the Deal pages, GOV.UK styled. Choices are scoped to the place; errors keep what was typed."""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonweal.directory.models import Service
from commonweal.govuk import GovukForm

from .models import Contribution, Listing, Pledge, Sector
from .models.ledger import TIME_BASES, Basis

ME = "me"
MAX_PERIOD_DAYS = 3653  # ten years: the ledger's month table has a row for every month


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _place_choices(form: forms.Form, place: Any) -> None:
    """Limit every place-bound choice to the place (another place's records are never offered)."""
    for name, queryset in {
        "district": place.districts.all(),
        "neighbourhood": place.neighbourhoods.only("code", "name"),
        "group": place.organisations.all(),
        "contributor_organisation": place.organisations.all(),
        "supported_organisation": place.organisations.all(),
        "supported_pledge": Pledge.objects.filter(place=place, organisation__isnull=False),
        "supported_service": Service.objects.filter(place=place).only("pk", "name"),
    }.items():
        if name in form.fields:
            form.fields[name].queryset = queryset  # type: ignore[attr-defined]


class PledgeForm(GovukForm):
    on_behalf = forms.ChoiceField(label=_("Who makes this pledge"))
    title = forms.CharField(label=_("What do you promise?"), max_length=200)
    description = forms.CharField(label=_("More detail (optional)"), required=False, widget=forms.Textarea)
    scope = forms.ChoiceField(label=_("To whom"), choices=Pledge.Scope.choices)
    district = forms.ModelChoiceField(label=_("District"), queryset=None, required=False)
    neighbourhood = forms.ModelChoiceField(label=_("Neighbourhood"), queryset=None, required=False)
    group = forms.ModelChoiceField(label=_("Group or organisation"), queryset=None, required=False)
    due_by = forms.DateField(label=_("By when (optional)"), required=False, widget=DateInput())
    progress_measure = forms.CharField(
        label=_("How will progress show? (optional)"), required=False, widget=forms.Textarea
    )
    show_name = forms.BooleanField(label=_("Show my name on the public Deal page"), required=False)

    def __init__(self, *args: Any, place: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(ME, _("Me, as a resident"))] + [(str(o.pk), o.name) for o in organisations]
        self.fields["on_behalf"].choices = choices  # type: ignore[attr-defined]
        _place_choices(self, place)
        self.organisations = {str(o.pk): o for o in organisations}

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        who = data.pop("on_behalf")
        party = {"user": None, "organisation": self.organisations[who]} if who != ME else {}
        return {**data, **party}


class PledgeUpdateForm(GovukForm):
    text = forms.CharField(label=_("How is it going?"), widget=forms.Textarea)
    status = forms.ChoiceField(label=_("Status"), choices=Pledge.Status.choices)


class PoundsField(forms.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=14, decimal_places=2, **kwargs)


class ContributionForm(GovukForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Contribution.Kind.choices)
    given_on = forms.DateField(label=_("Given on"), widget=DateInput())
    contributor_organisation = forms.ModelChoiceField(
        label=_("From an organisation"), queryset=None, required=False, help_text=_("leave empty for residents")
    )
    contributor_label = forms.CharField(
        label=_("Or from (as recorded)"), required=False, max_length=200, help_text=_("e.g. Volunteers of the pantry")
    )
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=[("", _("From the organisation")), *list(Sector.choices)],
        required=False,
    )
    hours = forms.DecimalField(label=_("Hours (time only)"), required=False, max_digits=9, decimal_places=2)
    amount = PoundsField(label=_("Amount or value in pounds (money and in kind)"), required=False)
    currency = forms.CharField(label=_("Currency"), initial="GBP", max_length=10, required=False)
    in_kind_category = forms.ChoiceField(
        label=_("In-kind category"), choices=[("", "-"), *list(Contribution.InKind.choices)], required=False
    )
    valuation_basis = forms.ChoiceField(
        label=_("Valuation basis (in kind)"),
        choices=[
            ("", "-"),
            (Basis.MARKET_VALUE.value, Basis.MARKET_VALUE.label),
            (Basis.STATED_VALUE.value, Basis.STATED_VALUE.label),
        ],
        required=False,
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    neighbourhood = forms.ModelChoiceField(label=_("Neighbourhood"), queryset=None, required=False)
    district = forms.ModelChoiceField(label=_("Or district"), queryset=None, required=False)
    supported_organisation = forms.ModelChoiceField(
        label=_("Group or organisation supported"), queryset=None, required=False
    )
    supported_pledge = forms.ModelChoiceField(label=_("Pledge it keeps"), queryset=None, required=False)
    supported_service = forms.ModelChoiceField(label=_("Offer supported"), queryset=None, required=False)

    def __init__(self, *args: Any, place: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _place_choices(self, place)

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        hours, amount = data.pop("hours"), data.pop("amount")
        data["minutes"] = int((hours or 0) * 60)
        data["amount_pence"] = int(amount * 100) if amount is not None else None
        data["sector"] = data["sector"] or None
        data["valuation_basis"] = data["valuation_basis"] or None
        data["currency"] = data["currency"] or "GBP"
        return data


class VoidForm(GovukForm):
    reason = forms.CharField(label=_("Why void this contribution?"), max_length=300)


class LedgerFilterForm(GovukForm):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Before"), required=False, widget=DateInput())
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", _("Any")), *list(Sector.choices)], required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any")), *list(Contribution.Kind.choices)], required=False
    )
    district = forms.ModelChoiceField(label=_("District"), queryset=None, required=False, empty_label=_("Any"))

    def __init__(self, *args: Any, place: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _place_choices(self, place)

    def period(self) -> tuple[date, date]:
        """The chosen period, by default the current financial year (April to March)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return _period(data)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = _period(data)
        if end <= start:
            self.add_error("end", _("The end is after the start."))
        elif (end - start).days > MAX_PERIOD_DAYS:
            self.add_error("end", _("Choose a period of ten years or less."))
        return data


def _period(data: dict[str, Any]) -> tuple[date, date]:
    today = timezone.localdate()
    first = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    return data.get("start") or first, data.get("end") or date(first.year + 1, 4, 1)


class ImportForm(GovukForm):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[("contributions", _("Contributions")), ("volunteer_hours", _("Volunteer hours"))],
    )
    file = forms.FileField(label=_("CSV file"))


class RateForm(GovukForm):
    pounds_per_hour = PoundsField(label=_("Pounds per hour"), min_value=Decimal("0.01"))
    basis = forms.ChoiceField(label=_("Basis"), choices=[(b.value, b.label) for b in TIME_BASES])
    source = forms.CharField(label=_("Source"), widget=forms.Textarea)
    price_year = forms.CharField(label=_("Price year"), max_length=9)
    valid_from = forms.DateField(label=_("In force from"), widget=DateInput())


class JoinForm(GovukForm):
    neighbourhood = forms.ModelChoiceField(
        label=_("Your neighbourhood (optional)"),
        queryset=None,
        required=False,
        help_text=_("used only for counts by area, never shown with your name"),
    )

    def __init__(self, *args: Any, place: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _place_choices(self, place)


class TimeBankPolicyForm(GovukForm):
    """The limits in hours (the policy keeps minutes)."""

    floor_hours = forms.DecimalField(
        label=_("Lowest balance, in hours"),
        max_digits=6,
        decimal_places=2,
        max_value=Decimal("0"),
        help_text=_("0 or below: how many hours a member may receive before giving any, as a negative number"),
    )
    ceiling_hours = forms.DecimalField(
        label=_("Highest balance, in hours"), max_digits=6, decimal_places=2, min_value=Decimal("0.02")
    )
    max_exchange_hours = forms.DecimalField(
        label=_("Longest single exchange, in hours"), max_digits=6, decimal_places=2, min_value=Decimal("0.02")
    )

    FIELDS = {
        "floor_hours": "floor_minutes",
        "ceiling_hours": "ceiling_minutes",
        "max_exchange_hours": "max_exchange_minutes",
    }

    @classmethod
    def initial_from(cls, policy: Any) -> dict[str, Decimal]:
        return {hours: Decimal(getattr(policy, minutes)) / 60 for hours, minutes in cls.FIELDS.items()}

    def minutes(self) -> dict[str, int]:
        return {minutes: round(self.cleaned_data[hours] * 60) for hours, minutes in self.FIELDS.items()}

    def field_for(self, name: str | None) -> str | None:
        """The form's field for a policy field named in a `DealError` (minutes there, hours here)."""
        return {minutes: hours for hours, minutes in self.FIELDS.items()}.get(name or "")


class ListingForm(GovukForm):
    kind = forms.ChoiceField(label=_("Offer or request"), choices=Listing.Kind.choices)
    title = forms.CharField(label=_("Skill or help"), max_length=200)
    description = forms.CharField(label=_("More detail (optional)"), required=False, widget=forms.Textarea)


class ExchangeForm(GovukForm):
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=2, min_value=Decimal("0.02"))
    occurred_on = forms.DateField(label=_("When"), widget=DateInput())
    description = forms.CharField(label=_("What was done"), max_length=300)

    def minutes(self) -> int:
        return int(self.cleaned_data["hours"] * 60)
