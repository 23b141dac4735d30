"""NHS numbers: ten digits whose last is a modulus-11 check digit (NHS Data Dictionary)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when no digit fits (remainder 1 gives 10: never issued).

    >>> nhs_check_digit("943476591")
    9
    """
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def normalise_nhs_number(raw: str) -> str:
    """'943 476 5919' -> '9434765919'; raises ValidationError when it is not a valid NHS number.

    >>> normalise_nhs_number("943 476 5919")
    '9434765919'
    """
    digits = re.sub(r"[\s-]", "", raw or "")
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError(_("Enter an NHS number of 10 digits, like 943 476 5919"), code="format")
    if nhs_check_digit(digits[:9]) != int(digits[9]):
        raise ValidationError(_("Enter a valid NHS number: check the digits and try again"), code="check_digit")
    return digits


def validate_nhs_number(value: str) -> None:
    if value:
        normalise_nhs_number(value)


def format_nhs_number(value: str) -> str:
    """Printed in the 3-3-4 pattern the NHS uses."""
    return f"{value[:3]} {value[3:6]} {value[6:]}" if len(value) == 10 else value
