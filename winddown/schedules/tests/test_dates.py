"""Due dates: the value date's day, clamped to the month's end, counted from the value date."""

from __future__ import annotations

import calendar
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from winddown.schedules import add_months, due_date, due_dates, schedule


def test_leap_year_clamping_and_back_to_the_31st():
    assert due_dates(date(2024, 1, 31), 3) == (
        date(2024, 2, 29),
        date(2024, 3, 31),
        date(2024, 4, 30),
    )
    assert due_dates(date(2025, 1, 31), 3) == (
        date(2025, 2, 28),
        date(2025, 3, 31),
        date(2025, 4, 30),
    )
    assert due_date(date(2023, 12, 31), 2) == date(2024, 2, 29)
    assert due_date(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert due_date(date(2024, 2, 29), 48) == date(2028, 2, 29)


def test_schedule_due_dates_clamp():
    s = schedule(
        principal_fen=1_200,
        annual_rate_bp=0,
        months=3,
        method="等额本金",
        value_date=date(2024, 1, 31),
    )
    assert [i.due_date for i in s.instalments] == [
        date(2024, 2, 29),
        date(2024, 3, 31),
        date(2024, 4, 30),
    ]


def test_year_end():
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 1, 15), 0) == date(2026, 1, 15)


@given(st.dates(max_value=date(9949, 12, 31)), st.integers(0, 600))
def test_add_months_properties(start, k):
    d = add_months(start, k)
    assert (d.year * 12 + d.month) - (start.year * 12 + start.month) == k
    assert d.day == min(start.day, calendar.monthrange(d.year, d.month)[1])
    assert add_months(start, k + 1) > d
