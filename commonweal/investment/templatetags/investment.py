from django import template

from commonweal.investment.money import format_pounds

register = template.Library()


@register.filter
def pounds(pence: int | None, currency: str = "GBP") -> str:
    """`{{ award.amount_pence|pounds }}` -> '£1,234.50'."""
    return format_pounds(pence, currency or "GBP")
