from django import template

register = template.Library()


@register.filter
def percent(value: float | None, places: int = 1) -> str:
    """0.3345 -> '33.5%'; a missing share shows as a dash."""
    return "–" if value is None else f"{value * 100:.{places}f}%"
