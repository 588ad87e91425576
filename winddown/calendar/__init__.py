"""Working days (工作日) and filing deadlines: pure Python, no Django, no other app.

A :class:`Calendar` is built from one :class:`YearSpec` per year (days off,
make-up working days 调休, confirmed or not, the State Council notice). Only
confirmed years answer; anything else raises :class:`UnconfirmedYear` naming
the year — weekends are never guessed. Counting follows 民法典 第二百零一条
(the start day is not counted) and 第二百零三条 (a last day off moves to the
next working day).

>>> from datetime import date
>>> from winddown.calendar import Calendar, YearSpec
>>> spec = YearSpec(2026, holidays={date(2026, 10, d) for d in range(1, 8)},
...                 workdays={date(2026, 9, 20), date(2026, 10, 10)},
...                 confirmed=True, notice="国办发明电〔2025〕7号")
>>> cal = Calendar({2026: spec})
>>> cal.add_working_days(date(2026, 9, 30), 3)   # 10-08, 10-09, 10-10 (Saturday, 调休)
datetime.date(2026, 10, 10)
>>> cal.roll_forward(date(2026, 10, 3))
datetime.date(2026, 10, 8)

The seed of 2004–2026 (from the ``holidays`` package) is in
:mod:`winddown.calendar.seed`, the only module that imports ``holidays``.
See README.md in this directory.
"""

from .core import Calendar
from .errors import CalendarDataError, CalendarError, InvalidPeriod, RuleError, UnconfirmedYear
from .filing import (
    DEFAULT_SCHEDULES,
    STANDARD_RULES,
    DayOfMonthAfter,
    FilingDates,
    FilingSchedule,
    LatestOf,
    NthWorkingDayAfter,
    Rule,
    filing_dates,
    filing_deadline,
    rule_from_dict,
)
from .model import YearSpec
from .periods import Period, PeriodKind, parse_period

__all__ = [
    "DEFAULT_SCHEDULES",
    "STANDARD_RULES",
    "Calendar",
    "CalendarDataError",
    "CalendarError",
    "DayOfMonthAfter",
    "FilingDates",
    "FilingSchedule",
    "InvalidPeriod",
    "LatestOf",
    "NthWorkingDayAfter",
    "Period",
    "PeriodKind",
    "Rule",
    "RuleError",
    "UnconfirmedYear",
    "YearSpec",
    "filing_dates",
    "filing_deadline",
    "parse_period",
    "rule_from_dict",
]
