"""GOV.UK Design System forms: `{{ form }}` renders labels, hints, errors and inputs the GOV.UK way.

Forms inherit `GovukForm` (or `GovukModelForm`); the renderer in settings uses the templates in
`templates/govuk/`. Error messages keep what the user typed, as Django forms do.
"""

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting

# Order matters: Django's CheckboxSelectMultiple is a subclass of RadioSelect, which is a Select.
_GROUP_TEMPLATES = {
    forms.CheckboxSelectMultiple: "govuk/widgets/checkboxes.html",
    forms.RadioSelect: "govuk/widgets/radios.html",
}
_WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.SelectMultiple: "govuk-select",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.FileInput: "govuk-file-upload",
}


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"


def style_widget(widget: forms.Widget) -> None:
    """Give a widget its GOV.UK class, or its GOV.UK template for a group of radios or checkboxes.

    Idempotent, so fields that a form adds after `__init__` are styled when it renders.
    """
    template = next((t for kind, t in _GROUP_TEMPLATES.items() if isinstance(widget, kind)), None)
    if template is not None:
        widget.template_name = template
        return
    classes = widget.attrs.get("class", "")
    if "govuk-" in classes:
        return
    css = next((c for kind, c in _WIDGET_CLASSES.items() if isinstance(widget, kind)), "govuk-input")
    widget.attrs["class"] = f"{css} {classes}".strip()


class GovukFormMixin:
    """Adds GOV.UK classes to each widget and marks invalid ones for screen readers."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()

    def style_fields(self) -> None:
        for field in self.fields.values():
            style_widget(field.widget)

    def get_context(self) -> dict[str, Any]:
        self.style_fields()  # fields added by a subclass after __init__
        return super().get_context()  # type: ignore[misc, no-any-return]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                if "govuk-input" in widget.attrs.get("class", ""):
                    widget.attrs["class"] += " govuk-input--error"


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    pass
