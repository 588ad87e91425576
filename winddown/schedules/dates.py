"""Due dates: the value date's day of the month, clamped to the month's last day.

Every due date is counted from the value date itself, never from the previous due date, so
a loan valued on 01-31 falls due on 02-28 (02-29 in a leap year) and then on 03-31 again.
"""

from __future__ import annotations

import calendar
from datetime import date

from .model import ScheduleInputError


def add_months(start: date, months: int) -> date:
    """``start`` moved ``months`` calendar months on, its day clamped to that month's end.

    >>> add_months(date(2024, 1, 31), 1), add_months(date(2025, 1, 31), 1)
    (datetime.date(2024, 2, 29), datetime.date(2025, 2, 28))
    >>> add_months(date(2025, 1, 31), 2)
    datetime.date(2025, 3, 31)
    """
    index = start.year * 12 + start.month - 1 + months
    year, month0 = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise ScheduleInputError(
            "value_date", "到期日超出 0001-01-01 至 9999-12-31 / a due date falls outside 1..9999"
        )
    month = month0 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_date(value_date: date, period: int) -> date:
    """The due date of monthly period ``period`` (1 = one month after the value date)."""
    return add_months(value_date, period)


def due_dates(value_date: date, months: int) -> tuple[date, ...]:
    """The due dates of periods 1..``months``."""
    return tuple(add_months(value_date, k) for k in range(1, months + 1))
