"""The table the migration seeds: 2004–2026 from the core's seed, confirmed, with notices;
checked day by day against ``chinese_calendar``; 2027 and later absent."""

from __future__ import annotations

import importlib
from datetime import date

import chinese_calendar
import pytest
from django.apps import apps

from winddown.calendar import UnconfirmedYear
from winddown.calendar.seed import NOTICES, seed_year_specs
from winddown.workdays import selectors
from winddown.workdays.dates import to_stored
from winddown.workdays.models import WorkYear
from winddown.workdays.seeding import SEED_LABEL

from .helpers import days

pytestmark = pytest.mark.django_db

SEED_MIGRATION = importlib.import_module("winddown.workdays.migrations.0002_seed_2004_2026")

# The one day the two packages disagree on: the General Office's notice for 2006
# (国办发明电〔2005〕35号) reads "一、元旦：1月1日—3日放假，共3天。其中1月1日为法定假日，将
# 12月31日（星期六）、1月1日（星期日）两个公休日调至1月2日（星期一）、3日（星期二），12月31日
# （星期六）上班。" Saturday 2005-12-31 was a working day, as ``holidays`` (the seed) has it;
# ``chinese_calendar`` 1.11 lists it as a rest day.
KNOWN_DISAGREEMENTS = {date(2005, 12, 31): True}


@pytest.fixture
def migrated():
    """The table as the data migration leaves it (its own function, run on an empty table)."""
    WorkYear.objects.all().delete()
    SEED_MIGRATION.forwards(apps, None)
    selectors.invalidate()


def test_the_migration_seeds_the_core_seed(migrated):
    specs = seed_year_specs()
    rows = {row.year: row for row in WorkYear.objects.all()}
    assert sorted(rows) == list(range(2004, 2027))
    for year, spec in specs.items():
        row = rows[year]
        assert row.holidays == to_stored(spec.holidays)
        assert row.workdays == to_stored(spec.workdays)
        assert row.confirmed and row.notice == NOTICES[year]
        assert row.confirmed_by is None and row.confirmed_by_label == SEED_LABEL
        assert row.spec() == spec
    assert rows[2026].notice == (
        "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）"
    )


def test_the_seed_migration_runs_backwards_and_again(migrated):
    SEED_MIGRATION.backwards(apps, None)
    assert not WorkYear.objects.exists()
    SEED_MIGRATION.forwards(apps, None)
    SEED_MIGRATION.forwards(apps, None)  # a second run adds nothing
    assert WorkYear.objects.count() == 23


def test_every_day_2004_2026_agrees_with_chinese_calendar(migrated):
    cal = selectors.calendar()
    disagreements = {
        d: cal.is_working_day(d)
        for d in days(date(2004, 1, 1), date(2026, 12, 31))
        if cal.is_working_day(d) != chinese_calendar.is_workday(d)
    }
    assert disagreements == KNOWN_DISAGREEMENTS
    assert "国办发明电〔2005〕35号" in WorkYear.objects.get(year=2005).notice


def test_2027_and_later_are_unconfirmed(migrated):
    assert not WorkYear.objects.filter(year__gte=2027).exists()
    assert selectors.is_working_day(date(2026, 10, 10))  # 调休 Saturday
    assert not selectors.is_working_day(date(2026, 2, 23))  # Monday in 春节
    for question in (
        lambda: selectors.is_working_day(date(2027, 1, 4)),
        lambda: selectors.add_working_days(date(2026, 12, 28), 5),
        lambda: selectors.roll_forward(date(2027, 1, 1)),
        lambda: selectors.working_days_between(date(2026, 12, 1), date(2027, 1, 5)),
        lambda: selectors.filing_dates("AH-01", "2026"),  # 2027-01-10
        lambda: selectors.filing_dates("AH-05", "2026-12"),
    ):
        with pytest.raises(UnconfirmedYear) as info:
            question()
        assert info.value.year == 2027 and "2027年的节假日安排尚未确认" in info.value.message
    with pytest.raises(UnconfirmedYear) as info:
        selectors.add_working_days(date(2004, 1, 5), -5)
    assert info.value.year == 2003


def test_answers_from_the_seeded_table(migrated):
    assert selectors.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert selectors.roll_forward(date(2024, 2, 10)) == date(2024, 2, 18)
    assert selectors.working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert selectors.filing_dates("AH-07", "2026-04").deadline == date(2026, 5, 11)
    dates = selectors.filing_dates("AH-05", "2026-01")
    assert (dates.due, dates.deadline) == (date(2026, 2, 6), date(2026, 2, 10))
    assert selectors.filing_dates("AH-01", "2025").deadline == date(2026, 1, 12)
    assert selectors.filing_deadline("2025-Q1") == date(2025, 4, 21)
