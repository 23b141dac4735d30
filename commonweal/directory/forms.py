from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonweal.govuk import GovukForm
from commonweal.places.importers import normalise_postcode

from .models import OfferChange, Service, TaxonomyTerm


class OfferSearchForm(GovukForm):
    q = forms.CharField(
        label=_("What matters to the person"),
        help_text=_("In plain words, for example: lonely since her husband died, likes gardening"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=10)
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=130)
    category = forms.ChoiceField(label=_("Category"), required=False)

    def __init__(self, *args: Any, categories: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories")), *categories]
        self.fields["postcode"].widget.attrs.update(
            {"class": "govuk-input govuk-input--width-10", "autocomplete": "postal-code"}
        )
        self.fields["age"].widget.attrs.update({"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"})

    def clean_postcode(self) -> str:
        raw = self.cleaned_data["postcode"].strip()
        if raw and normalise_postcode(raw) is None:
            raise forms.ValidationError(_("Enter a postcode like WN1 1AA"))
        return normalise_postcode(raw) or ""


class OfferForm(GovukForm):
    """An organisation's offer as it proposes it; a directory administrator checks it before it shows."""

    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    name = forms.CharField(label=_("Name of the offer"), max_length=300)
    description = forms.CharField(label=_("What it is"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    eligibility_description = forms.CharField(
        label=_("Who it is for"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    minimum_age = forms.IntegerField(label=_("Youngest age (optional)"), required=False, min_value=0, max_value=130)
    maximum_age = forms.IntegerField(label=_("Oldest age (optional)"), required=False, min_value=0, max_value=130)
    when = forms.CharField(
        label=_("When it runs"), help_text=_("For example: every Tuesday, 10am to 12pm"), required=False, max_length=300
    )
    cost = forms.CharField(
        label=_("Cost"), help_text=_("For example: free, or £2 a session"), required=False, max_length=300
    )
    venue = forms.CharField(label=_("Venue name"), required=False, max_length=300)
    address_1 = forms.CharField(label=_("Address line"), required=False, max_length=300)
    town = forms.CharField(label=_("Town"), required=False, max_length=200)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=10)
    url = forms.URLField(label=_("Web page"), required=False, max_length=500, assume_scheme="https")
    email = forms.EmailField(label=_("Email"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations
        terms = TaxonomyTerm.objects.filter(attributes__isnull=False).distinct().order_by("name")
        self.fields["category"].choices = [("", _("None")), *[(t.oruk_id, t.name) for t in terms]]

    def clean_postcode(self) -> str:
        raw = self.cleaned_data["postcode"].strip()
        if raw and normalise_postcode(raw) is None:
            raise forms.ValidationError(_("Enter a postcode like WN1 1AA"))
        return normalise_postcode(raw) or ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", _("The oldest age must be at least the youngest age"))
        if data.get("venue") or data.get("address_1"):
            for name in ("address_1", "town", "postcode"):
                if not data.get(name):
                    self.add_error(name, _("Give the full address of the venue"))
        return data


class ReviewForm(GovukForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (OfferChange.Status.APPROVED, _("Approve: it shows now")),
            (OfferChange.Status.REJECTED, _("Send back")),
        ],
        widget=forms.HiddenInput,  # sent by the button pressed
    )
    note = forms.CharField(
        label=_("Note to the organisation"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OfferStatusForm(forms.Form):
    """Close or reopen an offer: the button pressed sends the status it should have."""

    status = forms.ChoiceField(choices=Service.Status.choices, widget=forms.HiddenInput)

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service = service

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        if status == self.service.status:
            raise forms.ValidationError(_("The offer already has that status."))
        return status
