"""Template helpers of the people app."""

from typing import Any

from django import template
from django.urls import NoReverseMatch

register = template.Library()


@register.filter
def page_of(obj: Any) -> str:
    """The object's page, or "" while the app that owns it has no page for it yet (the directory's offers)."""
    try:
        return str(obj.get_absolute_url())
    except (AttributeError, NoReverseMatch):
        return ""
