"""Each table's periods and deadlines, from the working-day calendar.

The standard's schedule (报送标准 一、(一), L639–648: 月后10日前, 季后20日前, 年后1月10日前;
(二)4 L658: "逢国家法定节假日及双休日顺延") comes from :mod:`winddown.calendar`. The monthly
tables' conflicting "每月前5个工作日" (报送办法 第四条(五) L543; spec B.6 #1) is the setting
``REPORTING_MONTHLY_DEADLINE``:

* ``"both"`` (default, spec I‑1): due (reminded) on the 5th working day, overdue only after
  both readings have passed — AH‑05 only, as :data:`~winddown.calendar.DEFAULT_SCHEDULES`;
* ``"standard"``: 月后10日前 (rolled forward) for every monthly table;
* ``"five_working_days"``: the 5th working day of the next month for every monthly table.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.conf import settings

from winddown.calendar import (
    DEFAULT_SCHEDULES,
    STANDARD_RULES,
    FilingSchedule,
    InvalidPeriod,
    NthWorkingDayAfter,
    Period,
    UnconfirmedYear,
)
from winddown.calendar import filing_dates as _filing_dates
from winddown.workdays import selectors as workdays

MONTHLY_CHOICES = ("both", "standard", "five_working_days")


def schedules() -> Mapping[str, FilingSchedule]:
    choice = getattr(settings, "REPORTING_MONTHLY_DEADLINE", "both")
    if choice not in MONTHLY_CHOICES:
        raise ValueError(f"REPORTING_MONTHLY_DEADLINE must be one of {MONTHLY_CHOICES}")
    if choice == "both":
        return DEFAULT_SCHEDULES
    rule = STANDARD_RULES["month"] if choice == "standard" else NthWorkingDayAfter(5)
    words = "月后10日前" if choice == "standard" else "每月前5个工作日"
    out = dict(DEFAULT_SCHEDULES)
    for code, schedule in DEFAULT_SCHEDULES.items():
        if schedule.frequency == "month":
            out[code] = FilingSchedule(
                table=code,
                frequency="month",
                due=rule,
                deadline=rule,
                source=f"设置 REPORTING_MONTHLY_DEADLINE={choice}：{words}（spec B.6 #1、I‑1）",
            )
    return out


def dates(table: str, period: Period) -> tuple[date | None, date | None]:
    """``(due, deadline)``; ``(None, None)`` while the year they fall in is not confirmed."""
    try:
        found = _filing_dates(workdays.calendar(), period, table, schedules())
    except UnconfirmedYear:
        return None, None
    return found.due, found.deadline


def parse_period(text: str) -> Period:
    return Period.parse(text)


__all__ = ["InvalidPeriod", "dates", "parse_period", "schedules"]
