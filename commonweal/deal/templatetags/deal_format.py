"""Template filters for money in pence and time in minutes."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()


@register.filter
def pounds(pence: int | None) -> str:
    """12345 -> '£123.45'; thousands separated; nothing for None."""
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(int(pence)), 100)
    return f"{sign}£{intcomma(whole)}.{part:02d}"


@register.filter
def hours(minutes: int | None) -> str:
    """90 -> '1.5'; 0 -> '0'."""
    if not minutes:
        return "0"
    if minutes < 0:
        return "-" + hours(-minutes)
    return f"{intcomma(round(minutes / 60, 2)):s}".rstrip("0").rstrip(".") if minutes % 60 else intcomma(minutes // 60)
