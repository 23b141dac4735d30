"""Forms for people's records, rendered the GOV.UK way by `{{ form }}`; they keep what the user typed."""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonweal.accounts.models import Membership, Organisation, Role, Team, User
from commonweal.govuk import GovukForm
from commonweal.places.importers import normalise_postcode

from .models import ContactMethod, EndReason, LawfulBasis, LifeDomain, Purpose, Setting, Status, Step
from .nhs import normalise_nhs_number

DATE = {"type": "date"}


class DateField(forms.DateField):
    def __init__(self, *args: Any, past: bool | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"])
        kwargs.setdefault(
            "error_messages", {"invalid": _("Enter a real date, for example 27/03/2025"), "required": None}
        )
        if kwargs["error_messages"].get("required") is None:
            kwargs["error_messages"]["required"] = _("Enter the date")
        super().__init__(*args, **kwargs)
        self.past = past

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value and self.past is True and value > timezone.localdate():
            raise ValidationError(_("The date must be today or in the past"))
        if value and self.past is False and value < timezone.localdate():
            raise ValidationError(_("The date must be today or in the future"))


class VersionedForm(GovukForm):
    """Carries the version of the record the user started from (optimistic concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PersonForm(GovukForm):
    full_name = forms.CharField(
        label=_("Full name"), max_length=200, error_messages={"required": _("Enter the person's full name")}
    )
    preferred_name = forms.CharField(label=_("What they like to be called"), max_length=100, required=False)
    date_of_birth = DateField(label=_("Date of birth"), required=False, past=True, help_text=_("Optional"))
    postcode = forms.CharField(
        label=_("Postcode"), max_length=20, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    nhs_number = forms.CharField(
        label=_("NHS number"),
        max_length=14,
        required=False,
        help_text=_("Optional. 10 digits, for example 943 476 5919"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    contact_methods = forms.MultipleChoiceField(
        label=_("How they like to be contacted"),
        choices=ContactMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(
        label=_("Email"), required=False, error_messages={"invalid": _("Enter an email address like name@example.com")}
    )
    languages = forms.CharField(label=_("Languages they speak"), max_length=200, required=False)
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What helps them take part: for example large print, a BSL interpreter, step-free access"),
    )

    def clean_postcode(self) -> str:
        raw = self.cleaned_data["postcode"].strip()
        if not raw:
            return ""
        postcode = normalise_postcode(raw)
        if postcode is None:
            raise ValidationError(_("Enter a real postcode, like WN1 1AA"))
        return postcode

    def clean_nhs_number(self) -> str:
        raw = self.cleaned_data["nhs_number"].strip()
        return normalise_nhs_number(raw) if raw else ""


class NewPersonForm(PersonForm):
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose the team"), "invalid_choice": _("Choose one of your teams")},
    )
    support_basis = forms.ChoiceField(
        label=_("Lawful basis for supporting them"),
        choices=LawfulBasis.choices,
        initial=LawfulBasis.CONSENT,
        help_text=_("Usually their consent: they have agreed to talk with the team"),
    )
    support_given_on = DateField(label=_("Agreed on"), past=True, initial=timezone.localdate)

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class EditPersonForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ConsentForm(GovukForm):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices, widget=forms.RadioSelect)
    organisation = forms.ModelChoiceField(
        label=_("Organisation (for sharing)"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Sharing is always with a named organisation"),
    )
    lawful_basis = forms.ChoiceField(label=_("Lawful basis"), choices=LawfulBasis.choices, initial=LawfulBasis.CONSENT)
    given_on = DateField(label=_("Given on"), past=True, initial=timezone.localdate)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, place: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(place=place)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("purpose") == Purpose.SHARING and not data.get("organisation"):
            self.add_error("organisation", _("Choose the organisation they agree to share with"))
        return data


class ConversationForm(GovukForm):
    held_on = DateField(label=_("Date of the conversation"), past=True, initial=timezone.localdate)
    setting = forms.ChoiceField(
        label=_("Where"), choices=Setting.choices, error_messages={"required": _("Choose where you talked")}
    )
    with_whom = forms.CharField(
        label=_("Who was there"), max_length=200, required=False, help_text=_("For example: with her daughter")
    )
    what_matters = forms.CharField(
        label=_("What matters to them"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In their words"),
        error_messages={"required": _("Write what matters to them, in their words")},
    )
    skills = forms.CharField(label=_("Skills"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    interests = forms.CharField(label=_("Interests"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    relationships = forms.CharField(
        label=_("Relationships and people who help"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    worries = forms.CharField(label=_("Worries"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    want_to_change = forms.CharField(
        label=_("What they want to change"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    life_domains = forms.MultipleChoiceField(
        label=_("Parts of life this touches"),
        choices=LifeDomain.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    next_contact_on = DateField(
        label=_("Next follow-up by"),
        required=False,
        past=False,
        help_text=_("Leave empty for the place's usual follow-up time"),
    )


class GoalForm(VersionedForm):
    description = forms.CharField(
        label=_("Goal, in their words"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write the goal in their words")},
    )


class StepForm(VersionedForm):
    description = forms.CharField(
        label=_("Step"), widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": _("Describe the step")}
    )
    owner = forms.ChoiceField(
        label=_("Whose part is it"),
        choices=Step.Owner.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whose part the step is")},
    )
    other_party = forms.CharField(label=_("Who else (if someone else's part)"), max_length=200, required=False)
    due_on = DateField(label=_("Due by"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("owner") == Step.Owner.OTHER and not data.get("other_party", "").strip():
            self.add_error("other_party", _("Say who else will do this step"))
        return data


class StepProgressForm(VersionedForm):
    progress = forms.ChoiceField(label=_("Progress"), choices=Step.Progress.choices)


class ConnectionForm(GovukForm):
    """Connect to a group or a volunteer here; offers are chosen from the directory search (or by number)."""

    kind = forms.ChoiceField(label=_("Connect with"), choices=[], widget=forms.RadioSelect)
    service = forms.IntegerField(label=_("Offer number (from the directory)"), required=False, widget=forms.HiddenInput)
    group = forms.ModelChoiceField(label=_("Community group"), queryset=Organisation.objects.none(), required=False)
    volunteer = forms.ModelChoiceField(label=_("Volunteer"), queryset=Organisation.objects.none(), required=False)
    reason = forms.CharField(
        label=_("Why this connection"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shared with the provider when you refer"),
    )
    refer = forms.BooleanField(
        label=_("Refer now (the provider will see the referral)"),
        required=False,
        help_text=_("Needs the person's consent to share with the provider"),
    )

    def __init__(self, *args: Any, place: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]
        self.fields["group"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            place=place, kind=Organisation.Kind.COMMUNITY_GROUP
        )
        # Volunteers are residents of the place who act for themselves (their own accounts).
        residents = Membership.objects.filter(place=place, role=Role.RESIDENT).values("user_id")
        self.fields["volunteer"].queryset = User.objects.filter(pk__in=residents)  # type: ignore[attr-defined]
        self.fields["volunteer"].label_from_instance = lambda u: u.full_name  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        needed = {"offer": "service", "group": "group", "person": "volunteer"}.get(kind or "")
        if needed and not data.get(needed):
            message = {
                "service": _("Find an offer in the directory first"),
                "group": _("Choose the community group"),
                "volunteer": _("Choose the volunteer"),
            }[needed]
            self.add_error(needed if needed != "service" else "kind", message)
        return data


class MoveConnectionForm(VersionedForm):
    status = forms.ChoiceField(label=_("What happened"), choices=[], widget=forms.RadioSelect)
    on = DateField(label=_("When"), past=True, initial=timezone.localdate)
    end_reason = forms.ChoiceField(
        label=_("Why it ended (if ended)"), choices=[("", _("Choose a reason")), *EndReason.choices], required=False
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, statuses: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, Status(s).label) for s in statuses]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Status.ENDED and not data.get("end_reason"):
            self.add_error("end_reason", _("Choose why the connection ended"))
        return data


class WellbeingForm(GovukForm):
    taken_on = DateField(label=_("Date"), past=True, initial=timezone.localdate)

    def __init__(self, *args: Any, instrument: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in instrument.items:
            self.fields[item["code"]] = forms.IntegerField(
                label=item["text"],
                min_value=item["min"],
                max_value=item["max"],
                help_text=_("A whole number from %(min)s to %(max)s") % {"min": item["min"], "max": item["max"]},
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
                error_messages={
                    "required": _("Answer this question with a number from %(min)s to %(max)s")
                    % {"min": item["min"], "max": item["max"]},
                    "invalid": _("Enter a whole number"),
                    "min_value": _("Enter a number of %(limit_value)s or more"),
                    "max_value": _("Enter a number of %(limit_value)s or less"),
                },
            )
        self.item_codes = [item["code"] for item in instrument.items]


class ErasureForm(GovukForm):
    requested_on = DateField(label=_("Date the person asked"), past=True)
    confirm = forms.BooleanField(
        label=_("I understand this cannot be undone"),
        error_messages={"required": _("Confirm that you understand the erasure cannot be undone")},
    )
