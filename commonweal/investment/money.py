"""Money is held in integer pence (GBP minor units): sums and comparisons are exact, never floats."""

from decimal import ROUND_HALF_UP, Decimal


def pence_from_pounds(pounds: Decimal | int | str) -> int:
    """Pounds (as typed or as a Decimal) to whole pence; half a penny rounds up.

    >>> pence_from_pounds("1234.5"), pence_from_pounds(Decimal("0.005")), pence_from_pounds(7)
    (123450, 1, 700)
    """
    return int((Decimal(str(pounds)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def pounds_from_pence(pence: int) -> Decimal:
    """Whole pence to pounds with two decimals.

    >>> pounds_from_pence(123450)
    Decimal('1234.50')
    """
    return (Decimal(pence) / 100).quantize(Decimal("0.01"))


def format_pounds(pence: int | None, currency: str = "GBP") -> str:
    """How people read an amount: '£1,234.50', or '£1,234' when it is whole pounds.

    >>> format_pounds(123450), format_pounds(100000), format_pounds(-250), format_pounds(500, "EUR")
    ('£1,234.50', '£1,000', '-£2.50', '€5')
    """
    if pence is None:
        return ""
    symbol = {"GBP": "£", "EUR": "€"}.get(currency, f"{currency} ")
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    text = f"{whole:,}" if part == 0 else f"{whole:,}.{part:02d}"
    return f"{sign}{symbol}{text}"
