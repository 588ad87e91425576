"""Every holiday block and make-up working day of 2025 and 2026, written out from
the State Council General Office's notices, checked against the seeded calendar,
against ``chinese_calendar`` and ``holidays``, and as a calendar built from
these rows (as the ``workdays`` app will build it)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import chinese_calendar
import holidays
import pytest

from winddown.calendar import Calendar
from winddown.calendar.model import WEEKDAY_NAMES
from winddown.calendar.seed import seeded_calendar

from .helpers import days, spec_from_notice

# 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）:
#   一、元旦：1月1日（周三）放假1天，不调休。
#   二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。
#       1月26日（周日）、2月8日（周六）上班。
#   三、清明节：4月4日（周五）至6日（周日）放假，共3天。
#   四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
#   五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
#   六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。
#       9月28日（周日）、10月11日（周六）上班。
BLOCKS_2025 = {
    "元旦": (date(2025, 1, 1), date(2025, 1, 1), 1),
    "春节": (date(2025, 1, 28), date(2025, 2, 4), 8),
    "清明节": (date(2025, 4, 4), date(2025, 4, 6), 3),
    "劳动节": (date(2025, 5, 1), date(2025, 5, 5), 5),
    "端午节": (date(2025, 5, 31), date(2025, 6, 2), 3),
    "国庆节、中秋节": (date(2025, 10, 1), date(2025, 10, 8), 8),
}
WORKDAYS_2025 = {
    date(2025, 1, 26): "周日",
    date(2025, 2, 8): "周六",
    date(2025, 4, 27): "周日",
    date(2025, 9, 28): "周日",
    date(2025, 10, 11): "周六",
}

# 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）:
#   一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
#   二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
#       2月14日（周六）、2月28日（周六）上班。
#   三、清明节：4月4日（周六）至6日（周一）放假，共3天。
#   四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
#   五、端午节：6月19日（周五）至21日（周日）放假，共3天。
#   六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
#   七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
BLOCKS_2026 = {
    "元旦": (date(2026, 1, 1), date(2026, 1, 3), 3),
    "春节": (date(2026, 2, 15), date(2026, 2, 23), 9),
    "清明节": (date(2026, 4, 4), date(2026, 4, 6), 3),
    "劳动节": (date(2026, 5, 1), date(2026, 5, 5), 5),
    "端午节": (date(2026, 6, 19), date(2026, 6, 21), 3),
    "中秋节": (date(2026, 9, 25), date(2026, 9, 27), 3),
    "国庆节": (date(2026, 10, 1), date(2026, 10, 7), 7),
}
WORKDAYS_2026 = {
    date(2026, 1, 4): "周日",
    date(2026, 2, 14): "周六",
    date(2026, 2, 28): "周六",
    date(2026, 5, 9): "周六",
    date(2026, 9, 20): "周日",
    date(2026, 10, 10): "周六",
}

NOTICES = {
    2025: (
        BLOCKS_2025,
        WORKDAYS_2025,
        "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）",
    ),
    2026: (
        BLOCKS_2026,
        WORKDAYS_2026,
        "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）",
    ),
}
BLOCK_CASES = [(y, name) for y, (blocks, _, _) in NOTICES.items() for name in blocks]
WORKDAY_CASES = [(y, d) for y, (_, workdays, _) in NOTICES.items() for d in workdays]

_HOLIDAYS_PKG = holidays.China(years=(2025, 2026))


def _hand_built() -> Calendar:
    return Calendar(
        {
            y: spec_from_notice(y, [(a, b) for a, b, _ in blocks.values()], workdays, notice)
            for y, (blocks, workdays, notice) in NOTICES.items()
        }
    )


@pytest.mark.parametrize(("year", "name"), BLOCK_CASES)
def test_every_day_of_each_block_is_off(year, name):
    first, last, length = NOTICES[year][0][name]
    block = days(first, last)
    assert len(block) == length  # "共N天"
    seeded, hand = seeded_calendar(), _hand_built()
    for d in block:
        assert not seeded.is_working_day(d), d
        assert not hand.is_working_day(d), d
        assert not chinese_calendar.is_workday(d), d
        assert not _HOLIDAYS_PKG.is_working_day(d), d
    # the day before and the day after the block are not part of it
    assert seeded.roll_forward(first) > last


@pytest.mark.parametrize(("year", "day"), WORKDAY_CASES)
def test_every_make_up_day_is_a_working_weekend_day(year, day):
    assert WEEKDAY_NAMES[day.weekday()] == NOTICES[year][1][day]  # the notice's （周六）/（周日）
    assert seeded_calendar().is_working_day(day)
    assert _hand_built().is_working_day(day)
    assert chinese_calendar.is_workday(day)
    assert _HOLIDAYS_PKG.is_working_day(day)


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_notice_is_the_whole_year(year):
    """Nothing else moves: the weekdays off are exactly the blocks' weekdays and the
    working weekend days exactly the make-up days."""
    blocks, workdays, _ = NOTICES[year]
    block_days = {d for a, b, _ in blocks.values() for d in days(a, b)}
    cal = seeded_calendar()
    year_days = days(date(year, 1, 1), date(year, 12, 31))
    assert {d for d in year_days if d.weekday() < 5 and not cal.is_working_day(d)} == {
        d for d in block_days if d.weekday() < 5
    }
    assert {d for d in year_days if d.weekday() >= 5 and cal.is_working_day(d)} == set(workdays)
    hand = _hand_built()
    assert [hand.is_working_day(d) for d in year_days] == [cal.is_working_day(d) for d in year_days]


def test_examples_named_in_the_issue():
    cal = seeded_calendar()
    assert cal.is_working_day(date(2026, 10, 10))  # Saturday, 调休上班
    assert cal.is_working_day(date(2026, 9, 20))  # Sunday, 调休上班
    assert not cal.is_working_day(date(2026, 2, 23))  # Monday, 春节
    assert date(2026, 10, 10).weekday() == 5
    assert date(2026, 2, 23).weekday() == 0


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2025, [19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23]),
        (2026, [21, 16, 22, 21, 19, 21, 23, 21, 22, 18, 21, 23]),
    ],
)
def test_working_days_per_month(year, expected):
    """Figures to check by hand against a printed calendar, e.g. February 2026:
    20 weekdays, minus 2-16..2-20 and 2-23 off, plus Saturdays 2-14 and 2-28 = 16."""
    cal = seeded_calendar()
    month_ends = (
        [date(year, 1, 1) - timedelta(days=1)]
        + [date(year, m + 1, 1) - timedelta(days=1) for m in range(1, 12)]
        + [date(year, 12, 31)]
    )
    counts = [cal.working_days_between(a, b) for a, b in pairwise(month_ends)]
    assert counts == expected
    assert sum(counts) == 248
