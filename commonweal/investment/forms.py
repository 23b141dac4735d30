"""Forms for every page that writes. Amounts are typed in pounds and held in pence."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonweal.govuk import GovukForm

from .models import BallotType, Contract, ContractProvider, PBProcess, PBProject, Rule, SharedOutcome, TieBreaking
from .money import pence_from_pounds, pounds_from_pence


class PoundsField(forms.DecimalField):
    """Pounds and pence as typed ('1,250.50' or '£1250.5'), cleaned to whole pence."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", Decimal("0.01"))
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("help_text", _("In pounds, for example 1250.50"))
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "class": "govuk-input--width-10"})

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace("£", "").replace(",", "").strip()
        return super().to_python(value)

    def clean(self, value: Any) -> int | None:
        pounds = super().clean(value)
        return None if pounds is None else pence_from_pounds(pounds)

    def prepare_value(self, value: Any) -> Any:
        return pounds_from_pence(value) if isinstance(value, int) else value


def date_field(label: str, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


def organisation_field(place: Any, label: str, **filters: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=label, queryset=place.organisations.filter(**filters).order_by("name"))


# --- Funds and grants ---------------------------------------------------------------------------


class FundForm(GovukForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}))
    outcomes_sought = forms.CharField(
        label=_("Outcomes sought"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    grant_id_prefix = forms.RegexField(
        label=_("360Giving prefix"),
        regex=r"^360G-[A-Za-z0-9_.\-]+$",
        help_text=_("The prefix 360Giving gave the funder, for example 360G-wigancouncil"),
        error_messages={"invalid": _("Enter a prefix like 360G-wigancouncil")},
    )

    def __init__(self, *args: Any, place: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["managed_by"] = organisation_field(place, _("Managed by (the funder of record)"))
        self.fields["districts"] = forms.ModelMultipleChoiceField(
            label=_("Districts"),
            queryset=place.districts.all(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Leave empty for the whole place."),
        )


class ContributionForm(GovukForm):
    amount = PoundsField(label=_("Amount"))
    received_on = date_field(_("Received on"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, place: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"organisation": organisation_field(place, _("Partner")), **self.fields}


class RoundForm(GovukForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("What we want to fund"), widget=forms.Textarea(attrs={"rows": 4}))
    max_amount = PoundsField(label=_("Largest grant"), required=False)
    closes_on = date_field(_("Closes on"), required=False)


class ApplicationForm(GovukForm):
    title = forms.CharField(label=_("What is it for, in a line?"), max_length=150)
    summary = forms.CharField(
        label=_("Tell us about it in a few sentences"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("No long bid: we will talk it through with you."),
    )
    amount = PoundsField(label=_("How much are you asking for?"))
    duration_months = forms.IntegerField(label=_("Over how many months?"), min_value=1, max_value=60, initial=12)
    unrestricted = forms.BooleanField(label=_("Unrestricted: you decide how to spend it"), required=False, initial=True)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {
            "organisation": forms.ModelChoiceField(
                label=_("Your organisation"), queryset=organisations, initial=organisations.first()
            ),
            **self.fields,
        }


class NoteForm(GovukForm):
    text = forms.CharField(
        label=_("Notes of the conversation"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("award", _("Award a grant")), ("decline", _("Do not fund"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label=_("The panel's reasons"), widget=forms.Textarea(attrs={"rows": 3}))
    amount = PoundsField(label=_("Amount awarded"), required=False, help_text=_("Leave empty to award what was asked"))
    start_date = date_field(_("Starts on"), required=False)


class PaymentForm(GovukForm):
    amount = PoundsField(label=_("Amount paid"))
    paid_on = date_field(_("Paid on"))


class ReportForm(GovukForm):
    conversation_on = date_field(_("Date of the conversation"))
    notes = forms.CharField(label=_("What we heard"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))
    FIGURES = 3

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, self.FIGURES + 1):
            self.fields[f"label_{n}"] = forms.CharField(
                label=_("Figure %(n)s: what was counted") % {"n": n}, max_length=150, required=False
            )
            self.fields[f"value_{n}"] = forms.DecimalField(
                label=_("Figure %(n)s: number") % {"n": n}, max_digits=14, decimal_places=2, required=False
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for n in range(1, self.FIGURES + 1):
            if bool(data.get(f"label_{n}")) != (data.get(f"value_{n}") is not None):
                self.add_error(f"value_{n}", _("Give both what was counted and the number."))
        return data

    def figures(self) -> list[tuple[str, Decimal]]:
        data = self.cleaned_data
        return [(data[f"label_{n}"], data[f"value_{n}"]) for n in range(1, self.FIGURES + 1) if data.get(f"label_{n}")]


# --- Participatory budgeting --------------------------------------------------------------------


class ResidenceForm(GovukForm):
    postcode = forms.CharField(
        label=_("Your postcode"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "class": "govuk-input--width-10"}),
    )


class ProcessForm(GovukForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    budget = PoundsField(label=_("Budget"))
    ballot_type = forms.ChoiceField(
        label=_("Ballot"), choices=BallotType.choices, widget=forms.RadioSelect, initial=BallotType.APPROVAL
    )
    min_choices = forms.IntegerField(label=_("Fewest projects on a ballot"), min_value=1, initial=1)
    max_choices = forms.IntegerField(label=_("Most projects on a ballot"), min_value=1, required=False)
    total_points = forms.IntegerField(
        label=_("Points each voter shares out (points ballots)"), min_value=1, required=False
    )
    max_points_per_project = forms.IntegerField(
        label=_("Most points for one project (points ballots)"), min_value=1, required=False
    )
    rule = forms.ChoiceField(
        label=_("How the votes are counted"), choices=Rule.choices, widget=forms.RadioSelect, initial=Rule.MES_ADD1
    )
    tie_breaking = forms.ChoiceField(label=_("Ties"), choices=TieBreaking.choices, initial=TieBreaking.LEXICOGRAPHIC)
    voting_closes_at = forms.DateTimeField(
        label=_("Voting closes at"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args: Any, place: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["districts"] = forms.ModelMultipleChoiceField(
            label=_("Districts"),
            queryset=place.districts.all(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Residents of these districts propose and vote. Leave empty for the whole place."),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("ballot_type") == BallotType.CUMULATIVE and not data.get("total_points"):
            self.add_error("total_points", _("A points ballot needs the number of points each voter shares out."))
        if data.get("max_choices") and data.get("min_choices") and data["max_choices"] < data["min_choices"]:
            self.add_error("max_choices", _("The most cannot be fewer than the fewest."))
        return data

    def process_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["budget_pence"] = data.pop("budget")
        data.pop("districts")
        return data


class ProposalForm(GovukForm):
    title = forms.CharField(label=_("Your idea, in a line"), max_length=200)
    description = forms.CharField(label=_("Tell us more"), widget=forms.Textarea(attrs={"rows": 4}))
    estimated_cost = PoundsField(label=_("What you think it might cost"), required=False)

    def __init__(self, *args: Any, neighbourhoods: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"] = forms.ModelChoiceField(
            label=_("Where (optional)"), queryset=neighbourhoods, required=False
        )


class CheckForm(GovukForm):
    feasible = forms.TypedChoiceField(
        label=_("Can it go on the ballot?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    cost = PoundsField(label=_("Checked cost"), required=False)
    notes = forms.CharField(
        label=_("Notes for residents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why it cannot go on the ballot, or what the cost includes."),
    )


class VoteForm(GovukForm):
    """A ballot paper: tick boxes for approval and knapsack ballots, a number per project for points."""

    def __init__(
        self, *args: Any, process: PBProcess, projects: list[PBProject], current: dict[int, int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.process = process
        self.projects = {p.pk: p for p in projects}
        if process.ballot_type == BallotType.CUMULATIVE:
            for p in projects:
                self.fields[f"points_{p.pk}"] = forms.IntegerField(
                    label=p.title, min_value=0, required=False, initial=current.get(p.pk, 0)
                )
        else:
            self.fields["projects"] = forms.TypedMultipleChoiceField(
                label=_("Projects you support"),
                choices=[(p.pk, p.title) for p in projects],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=list(current),
            )

    def choices(self) -> dict[PBProject, int]:
        data = self.cleaned_data
        if "projects" in self.fields:
            return {self.projects[pk]: 1 for pk in data.get("projects", [])}
        return {p: data.get(f"points_{pk}") or 0 for pk, p in self.projects.items()}


class ImportForm(GovukForm):
    file = forms.FileField(label=_("A pabulib .pb file"))
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)


class MilestoneForm(GovukForm):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = date_field(_("Due"), required=False)


class DoneForm(GovukForm):
    done_on = date_field(_("Done on"))


# --- Contracts ------------------------------------------------------------------------------------


class ContractForm(GovukForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("What it buys"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Contract.Kind.choices, widget=forms.RadioSelect, initial=Contract.Kind.ALLIANCE
    )
    starts_on = date_field(_("Starts"))
    ends_on = date_field(_("Ends"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("A contract cannot end before it starts."))
        return data


class ShareForm(GovukForm):
    amount = PoundsField(label=_("Their share"))

    def __init__(self, *args: Any, place: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"organisation": organisation_field(place, _("Commissioner")), **self.fields}


class ProviderForm(GovukForm):
    role = forms.ChoiceField(
        label=_("Role"), choices=ContractProvider.Role.choices, initial=ContractProvider.Role.MEMBER
    )

    def __init__(self, *args: Any, place: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"organisation": organisation_field(place, _("Provider")), **self.fields}


class OutcomeForm(GovukForm):
    title = forms.CharField(label=_("Shared outcome"), max_length=200)
    measure = forms.CharField(label=_("How it is measured"), max_length=200)
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=14, decimal_places=2)
    target = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2)
    direction = forms.ChoiceField(label=_("Direction"), choices=SharedOutcome.Direction.choices)


class MeasurementForm(GovukForm):
    period_end = date_field(_("Period ending"))
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)


class StatusForm(GovukForm):
    status = forms.ChoiceField(label=_("Status"), choices=Contract.Status.choices)
