"""Reads of the working-day calendar: one cached :class:`~winddown.calendar.Calendar` per
process, built from the ``WorkYear`` rows.

A working day is what the State Council General Office's notice of the year says
(国务院办公厅关于XXXX年部分节假日安排的通知, spec I.14); only confirmed years answer, any
other raises :class:`~winddown.calendar.UnconfirmedYear` naming the year. Counting follows
民法典 第二百零一条 (the start day is not counted) and 第二百零三条 (a last day off moves to
the next day); see winddown/calendar/README.md.

Caching and staleness. ``calendar()`` keeps the calendar together with the rows it was
built from. Within ``RECHECK_SECONDS`` (30 s; setting ``WORKDAYS_RECHECK_SECONDS``) of the
last check it returns the cached calendar without touching the database (a global read and
a clock read: well under a microsecond). After that the next call reads the rows again
(one query over a few dozen rows) and rebuilds only if they differ, so a change made by
any process, any path (admin, command, shell), reaches every process within
``RECHECK_SECONDS`` of its commit. The process that writes through
:func:`winddown.workdays.services.year_set` drops its cache at once and again on commit, so
it never serves the old table. The rows themselves are the version stamp: no clock of
another machine and no counter that a direct UPDATE could miss is trusted.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date

from django.conf import settings

from winddown.calendar import Calendar, FilingDates, Period, Rule, YearSpec
from winddown.calendar import filing_dates as _filing_dates
from winddown.calendar import filing_deadline as _filing_deadline
from winddown.workdays.dates import from_stored
from winddown.workdays.models import WorkYear

#: Seconds a process serves its cached calendar before comparing it with the table again
#: (the bound on how long another process's change takes to be seen here).
RECHECK_SECONDS = 30.0

_clock = time.monotonic  # tests move it


@dataclass(frozen=True, slots=True)
class _Cached:
    calendar: Calendar
    rows: tuple
    fresh_until: float


_cached: _Cached | None = None
_lock = threading.Lock()


def _recheck_seconds() -> float:
    return float(getattr(settings, "WORKDAYS_RECHECK_SECONDS", RECHECK_SECONDS))


def _rows() -> tuple:
    return tuple(
        WorkYear.objects.order_by("year").values_list(
            "year", "holidays", "workdays", "confirmed", "notice"
        )
    )


def _build(rows: tuple) -> Calendar:
    return Calendar(
        {
            year: YearSpec(year, from_stored(off), from_stored(worked), confirmed, notice)
            for year, off, worked, confirmed, notice in rows
        }
    )


def calendar() -> Calendar:
    """The calendar of every year in the table (at most ``RECHECK_SECONDS`` old for changes
    made by other processes)."""
    cached = _cached
    if cached is not None and _clock() < cached.fresh_until:
        return cached.calendar
    return _refresh()


def _refresh() -> Calendar:
    global _cached
    with _lock:
        cached = _cached
        now = _clock()
        if cached is not None and now < cached.fresh_until:  # another thread just did it
            return cached.calendar
        rows = _rows()
        unchanged = cached is not None and rows == cached.rows
        cal = cached.calendar if unchanged else _build(rows)
        _cached = _Cached(cal, rows, now + _recheck_seconds())
        return cal


def invalidate() -> None:
    """Drop this process's cached calendar: the next question reads the table."""
    global _cached
    _cached = None


def is_working_day(d: date) -> bool:
    return calendar().is_working_day(d)


def add_working_days(d: date, n: int) -> date:
    """The ``n``-th working day after ``d`` (``d`` not counted; 民法典 第二百零一条)."""
    return calendar().add_working_days(d, n)


def working_days_between(a: date, b: date) -> int:
    """Working days in ``(a, b]``; negative when ``a > b``."""
    return calendar().working_days_between(a, b)


def roll_forward(d: date) -> date:
    """``d`` if a working day, else the next one (民法典 第二百零三条)."""
    return calendar().roll_forward(d)


def filing_dates(table: str, period: Period | str) -> FilingDates:
    """Due and deadline of an association table (``"AH-05"``) for ``period``
    (``"2025"``, ``"2026-Q3"``, ``"2026-09"``), with the default schedules (报送标准 一、(一))."""
    return _filing_dates(calendar(), period, table)


def filing_deadline(period: Period | str, rule: Rule | None = None) -> date:
    return _filing_deadline(calendar(), period, rule)


def is_confirmed(year: int) -> bool:
    return calendar().is_confirmed(year)
