"""Seed data: confirmed :class:`YearSpec` s for 2004–2026, from the ``holidays`` package.

The only module of this core that imports ``holidays`` (a runtime dependency
used to seed the ``workdays`` table; ``import winddown.calendar`` does not
import it).

``holidays.China`` carries the make-up working days: its
``ChinaStaticHolidays.special_public_holidays`` lists each moved day off as
``(month, day, from_month, from_day[, from_year])`` — the day off and the
weekend day it was moved from, which becomes a working day — and the instance
collects those weekend days in ``weekend_workdays`` (``holidays/groups/custom.py``
``StaticHolidays.__init__`` and ``HolidayBase._add_special_holidays``). A day is a
working day there exactly when ``HolidayBase.is_working_day`` says so: a
weekend day in ``weekend_workdays``, or a weekday that is not a holiday.

Only 2004–2026 are produced: the years ``chinesecalendar`` 1.11 covers too (the
tests compare every day; they agree except 2005-12-31, where the notice for
2006 sides with ``holidays``), and the last year with a published notice.
``holidays`` silently "estimates" 2027 from the lunar calendar without any
make-up working day; asking for it here raises ``ValueError``. A later year
enters the calendar only when an administrator confirms it from the notice.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from types import MappingProxyType

import holidays

from .core import Calendar
from .model import YearSpec

SEED_FIRST_YEAR = 2004
SEED_LAST_YEAR = 2026


def _title(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知"


def _notice(year: int, number: str | None) -> str:
    return f"{_title(year)}（{number}）" if number else f"{_title(year)}（文号未核实）"


# The General Office's notice for each year, with its document number where
# found (the notice texts as republished on gov.cn, wikisource and newspapers;
# "文号未核实" where no number was found). Numbers are 国办发明电〔year of
# issue〕N号: the notice for 2026 was issued in 2025.
_NUMBERS: dict[int, str | None] = {
    2004: None,
    2005: None,
    2006: "国办发明电〔2005〕35号",
    2007: "国办发明电〔2006〕49号",
    2008: None,
    2009: "国办发明电〔2008〕42号",
    2010: "国办发明电〔2009〕27号",
    2011: "国办发明电〔2010〕40号",
    2012: "国办发明电〔2011〕45号",
    2013: "国办发明电〔2012〕33号",
    2014: "国办发明电〔2013〕28号",
    2015: "国办发明电〔2014〕28号",
    2016: "国办发明电〔2015〕18号",
    2017: "国办发明电〔2016〕17号",
    2018: "国办发明电〔2017〕12号",
    2019: "国办发明电〔2018〕15号",
    2020: "国办发明电〔2019〕16号",
    2021: "国办发明电〔2020〕27号",
    2022: "国办发明电〔2021〕11号",
    2023: "国办发明电〔2022〕16号",
    2024: "国办发明电〔2023〕7号",
    2025: "国办发明电〔2024〕12号",
    2026: "国办发明电〔2025〕7号",
}

# Days of a year fixed by another notice: the next year's notice for the last
# days of December (元旦 moves), and two special notices.
_ALSO: dict[int, str] = {
    2005: "12月31日（星期六）上班：" + _notice(2006, _NUMBERS[2006]),
    2006: "12月30日（星期六）、31日（星期日）上班：" + _notice(2007, _NUMBERS[2007]),
    2007: "12月29日（星期六）上班、12月31日放假：" + _notice(2008, _NUMBERS[2008]),
    2011: "12月31日（星期六）上班：" + _notice(2012, _NUMBERS[2012]),
    2015: "9月3日至5日调休放假、9月6日（星期日）上班：国务院关于中国人民抗日战争暨世界反法西斯"
    "战争胜利70周年纪念日调休放假的通知（国发明电〔2015〕1号）",
    2018: "12月29日（星期六）上班、12月31日放假：" + _notice(2019, _NUMBERS[2019]),
    2020: "春节假期延长至2月2日、2月1日（星期六）不再上班：国务院办公厅关于延长2020年春节假期"
    "的通知（国办发明电〔2020〕1号）",
}

#: The notice text of every seeded year.
NOTICES: Mapping[int, str] = MappingProxyType(
    {
        y: _notice(y, number) + (f"；{_ALSO[y]}" if y in _ALSO else "")
        for y, number in _NUMBERS.items()
    }
)


def seed_year_specs(
    first: int = SEED_FIRST_YEAR, last: int = SEED_LAST_YEAR
) -> dict[int, YearSpec]:
    """Confirmed :class:`YearSpec` s for ``first``–``last`` (within 2004–2026)."""
    if not SEED_FIRST_YEAR <= first <= last <= SEED_LAST_YEAR:
        raise ValueError(
            f"只能生成{SEED_FIRST_YEAR}–{SEED_LAST_YEAR}年（{last}年以后须依国务院办公厅通知人工"
            f"确认） / seeds only {SEED_FIRST_YEAR}–{SEED_LAST_YEAR}: later years must be "
            f"confirmed by hand from the notice (holidays invents them without make-up days)"
        )
    china = holidays.China(years=range(first, last + 1))
    # Copy before any lookup: a lookup outside `years` makes the package add years.
    days_off: frozenset[date] = frozenset(china.keys())
    make_up: frozenset[date] = frozenset(china.weekend_workdays)
    return {
        y: YearSpec(
            year=y,
            holidays=frozenset(d for d in days_off if d.year == y),
            workdays=frozenset(d for d in make_up if d.year == y),
            confirmed=True,
            notice=NOTICES[y],
        )
        for y in range(first, last + 1)
    }


@lru_cache(maxsize=1)
def seeded_calendar() -> Calendar:
    """The calendar of 2004–2026 from :func:`seed_year_specs` (built once)."""
    return Calendar(seed_year_specs())
