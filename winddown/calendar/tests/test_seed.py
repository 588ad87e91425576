"""The seed (2004–2026 from ``holidays``) against ``chinese_calendar``, day by day."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import chinese_calendar
import holidays
import pytest

from winddown.calendar.seed import (
    NOTICES,
    SEED_FIRST_YEAR,
    SEED_LAST_YEAR,
    seed_year_specs,
    seeded_calendar,
)

from .helpers import days

ALL_DAYS = days(date(2004, 1, 1), date(2026, 12, 31))

# The one day the two packages disagree on. The General Office's notice for
# 2006 (国办发明电〔2005〕35号) reads: "一、元旦：1月1日—3日放假，共3天。其中1月1日为
# 法定假日，将12月31日（星期六）、1月1日（星期日）两个公休日调至1月2日（星期一）、3日
# （星期二），12月31日（星期六）上班。" So Saturday 2005-12-31 was a working day, as
# ``holidays`` has it (2006: (JAN, 3, DEC, 31, 2005)); ``chinese_calendar`` 1.11 lists it
# as a rest day.
KNOWN_DISAGREEMENTS = {date(2005, 12, 31): True}


def test_every_day_2004_2026_agrees_with_chinese_calendar():
    cal = seeded_calendar()
    disagreements = {}
    for d in ALL_DAYS:
        ours = cal.is_working_day(d)
        if ours != chinese_calendar.is_workday(d):
            disagreements[d] = ours
    assert disagreements == KNOWN_DISAGREEMENTS


def test_the_seed_is_what_holidays_says():
    cal = seeded_calendar()
    china = holidays.China(years=range(2004, 2027))
    assert [cal.is_working_day(d) for d in ALL_DAYS] == [china.is_working_day(d) for d in ALL_DAYS]


def test_seeded_years_are_confirmed_with_their_notice():
    specs = seed_year_specs()
    assert list(specs) == list(range(2004, 2027))
    for year, spec in specs.items():
        assert spec.year == year and spec.confirmed
        assert spec.notice == NOTICES[year]
        assert f"国务院办公厅关于{year}年部分节假日安排的通知" in spec.notice
        assert all(d.weekday() >= 5 for d in spec.workdays)
    assert (
        specs[2026].notice == "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）"
    )
    assert "国办发明电〔2005〕35号" in specs[2005].notice  # 2005-12-31 comes from it
    assert date(2005, 12, 31) in specs[2005].workdays
    assert "国办发明电〔2020〕1号" in specs[2020].notice  # the extended Spring Festival


def test_a_year_names_the_next_notice_when_that_notice_changed_its_last_days():
    """Late-December days that break the week (a weekday off or a weekend worked)
    come from the next year's notice, and the year's notice text says so."""
    specs = seed_year_specs()
    changed = {
        y
        for y, spec in specs.items()
        for d in days(date(y, 12, 25), date(y, 12, 31))
        if spec.is_working_day(d) != (d.weekday() < 5)
    }
    assert changed == {2005, 2006, 2007, 2011, 2018}
    for y in changed:
        assert f"国务院办公厅关于{y + 1}年部分节假日安排的通知" in NOTICES[y]


def test_2027_is_not_produced():
    """``holidays`` invents 2027 (lunar dates, no make-up working day); the seed stops at 2026."""
    invented = holidays.China(years=2027)
    assert len(invented) > 0 and not [d for d in invented.weekend_workdays if d.year == 2027]
    assert (SEED_FIRST_YEAR, SEED_LAST_YEAR) == (2004, 2026)
    assert 2027 not in seeded_calendar().years
    with pytest.raises(ValueError, match="2004–2026"):
        seed_year_specs(2026, 2027)
    with pytest.raises(ValueError, match="2004–2026"):
        seed_year_specs(2003, 2010)
    assert list(seed_year_specs(2025, 2026)) == [2025, 2026]


def test_importing_the_core_does_not_import_holidays():
    code = (
        "import sys, winddown.calendar; "
        "assert 'holidays' not in sys.modules, 'holidays imported'; "
        "import winddown.calendar.seed; assert 'holidays' in sys.modules"
    )
    root = Path(__file__).resolve().parents[3]
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60, cwd=root)
