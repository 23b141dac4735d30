from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from commonweal.govuk import GovukFormMixin


class SignInForm(GovukFormMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("Enter a correct email address and password. Both may be case-sensitive."),
        "inactive": _("This account is not active. Ask your administrator."),
    }


class ResetPasswordForm(GovukFormMixin, PasswordResetForm):
    email = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class ChooseNewPasswordForm(GovukFormMixin, SetPasswordForm):  # type: ignore[type-arg]
    pass


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Who, object or purpose contains"), required=False, max_length=100)
    action = forms.ChoiceField(label=_("Action"), required=False)

    def __init__(self, *args: object, actions: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["action"].choices = [("", _("Any")), *actions]  # type: ignore[attr-defined]
