"""Calendar arithmetic for grants and contracts that run for a number of months."""

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The day before the same date `months` later: a 12-month grant from 1 April ends on 31 March.

    >>> add_months(datetime.date(2025, 4, 1), 12), add_months(datetime.date(2025, 1, 31), 1)
    (datetime.date(2026, 3, 31), datetime.date(2025, 2, 27))
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    same_day = min(day.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, same_day) - datetime.timedelta(days=1)
