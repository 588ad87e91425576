"""One year of the working-day calendar, as data.

A working day (工作日) in the PRC is not "Monday to Friday": every year the
General Office of the State Council publishes a notice (国务院办公厅关于XXXX年
部分节假日安排的通知) that names the days off (放假) and moves weekends so the
days off run together (调休): some Saturdays and Sundays become working days
(上班), e.g. for 2026 (国办发明电〔2025〕7号):

    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，
    共9天。2月14日（周六）、2月28日（周六）上班。
    七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、
    10月10日（周六）上班。

So a year is: its days off, its make-up working days, and whether it is
confirmed (someone checked it against the notice) and by which notice. A day
is a working day when it is a make-up working day, or a Monday–Friday that is
not a day off. Nothing else is assumed: a year that is not confirmed answers
no question (:class:`~winddown.calendar.errors.UnconfirmedYear`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .errors import CalendarDataError

WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def _dates(year: int, field: str, value: object) -> frozenset[date]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise CalendarDataError(
            field, "须为日期的集合 / must be a collection of datetime.date values"
        )
    out = frozenset(value)
    for d in out:
        if type(d) is not date:  # datetime is a date subclass: refuse it too
            raise CalendarDataError(
                field, f"{d!r} 不是日期 / is not a datetime.date (datetime is refused)"
            )
        if d.year != year:
            raise CalendarDataError(
                field,
                f"{d.isoformat()} 不在{year}年内 / {d.isoformat()} is not in {year}",
            )
    return out


@dataclass(frozen=True, slots=True)
class YearSpec:
    """The days off and make-up working days of one calendar year.

    * ``year``: the calendar year (1–9999).
    * ``holidays``: days off (放假) that fall in ``year`` — the statutory days and
      the moved ones. Days off on a Saturday or Sunday may be listed (the notice
      gives whole blocks, e.g. 2月15日至23日) and change nothing.
    * ``workdays``: Saturdays and Sundays of ``year`` that are working days
      (调休上班). A weekday here is refused: it would mean nothing.
    * ``confirmed``: checked against the State Council notice. Only confirmed
      years answer questions.
    * ``notice``: the notice (or notices) that fix the year, e.g.
      ``"国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）"``;
      required when ``confirmed``.

    Dates are filed under the calendar year they fall in, whichever notice names
    them: 2005-12-31 (a Saturday made a working day by the notice for 2006,
    国办发明电〔2005〕35号: "12月31日（星期六）上班") belongs to ``YearSpec(2005)``.
    So the last days of December can still be changed by the next year's notice
    (it happened for 2005, 2006, 2007, 2011 and 2018); see the README.

    Any iterable of dates is accepted for ``holidays`` and ``workdays`` and
    stored as a ``frozenset``. Raises
    :class:`~winddown.calendar.errors.CalendarDataError` on inconsistent data.
    """

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    confirmed: bool = False
    notice: str = ""

    def __post_init__(self) -> None:
        year = self.year
        if type(year) is not int or not 1 <= year <= 9999:
            raise CalendarDataError("year", f"{year!r} 不是 1–9999 的整数 / must be an int 1–9999")
        holidays = _dates(year, "holidays", self.holidays)
        workdays = _dates(year, "workdays", self.workdays)
        for d in workdays:
            if d.weekday() < 5:
                raise CalendarDataError(
                    "workdays",
                    f"{d.isoformat()}（{WEEKDAY_NAMES[d.weekday()]}）本来就是工作日，调休上班日"
                    f"只能是周六或周日 / {d.isoformat()} is a weekday; a make-up working day "
                    f"must be a Saturday or Sunday",
                )
        both = holidays & workdays
        if both:
            first = min(both).isoformat()
            raise CalendarDataError(
                "workdays",
                f"{first} 同时是放假日和上班日 / {first} is both a day off and a working day",
            )
        if type(self.confirmed) is not bool:
            raise CalendarDataError("confirmed", "须为 True 或 False / must be a bool")
        if not isinstance(self.notice, str):
            raise CalendarDataError("notice", "须为文字 / must be a str")
        if self.confirmed and not self.notice.strip():
            raise CalendarDataError(
                "notice",
                f"已确认的{year}年须注明所依据的国务院办公厅通知 / a confirmed year must name "
                f"the State Council notice it was checked against",
            )
        object.__setattr__(self, "holidays", holidays)
        object.__setattr__(self, "workdays", workdays)

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` (a day of this year) is a working day under this spec,
        confirmed or not. :meth:`Calendar.is_working_day
        <winddown.calendar.core.Calendar.is_working_day>` is the checked question."""
        if d.year != self.year:
            raise CalendarDataError("date", f"{d.isoformat()} 不在{self.year}年内 / not in year")
        if d.weekday() >= 5:
            return d in self.workdays
        return d not in self.holidays

    @property
    def days_off(self) -> frozenset[date]:
        """The Monday–Friday days off: the holidays that change the week."""
        return frozenset(d for d in self.holidays if d.weekday() < 5)
