"""Reporting periods and the filing deadlines of the association's tables."""

from __future__ import annotations

import json
from datetime import date

import pytest

from winddown.calendar import (
    DEFAULT_SCHEDULES,
    STANDARD_RULES,
    DayOfMonthAfter,
    FilingSchedule,
    InvalidPeriod,
    LatestOf,
    NthWorkingDayAfter,
    Period,
    RuleError,
    UnconfirmedYear,
    filing_dates,
    filing_deadline,
    parse_period,
    rule_from_dict,
)
from winddown.calendar.seed import seeded_calendar

D = date


@pytest.fixture(scope="module")
def cal():
    return seeded_calendar()


# ------------------------------------------------------------------ periods


@pytest.mark.parametrize(
    ("text", "kind", "first", "last", "name"),
    [
        ("2025", "year", D(2025, 1, 1), D(2025, 12, 31), "2025年度"),
        ("2026-Q1", "quarter", D(2026, 1, 1), D(2026, 3, 31), "2026年第一季度"),
        ("2026-Q3", "quarter", D(2026, 7, 1), D(2026, 9, 30), "2026年第三季度"),
        ("2026-Q4", "quarter", D(2026, 10, 1), D(2026, 12, 31), "2026年第四季度"),
        ("2026-09", "month", D(2026, 9, 1), D(2026, 9, 30), "2026年9月"),
        ("2024-02", "month", D(2024, 2, 1), D(2024, 2, 29), "2024年2月"),
        ("2026-12", "month", D(2026, 12, 1), D(2026, 12, 31), "2026年12月"),
    ],
)
def test_periods(text, kind, first, last, name):
    p = parse_period(text)
    assert (p.kind, p.first_day, p.last_day, p.name) == (kind, first, last, name)
    assert p.label == str(p) == text
    assert Period.parse(p) is p


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("2026-Q5", "季度须为 Q1–Q4"),
        ("2026-Q0", "季度须为 Q1–Q4"),
        ("2026-13", "月份须为 01–12"),
        ("2026-00", "月份须为 01–12"),
        ("0000", "年份不能为 0000"),
        ("", ""),
        ("2026-9", ""),
        ("26-09", ""),
        ("2026/09", ""),
        ("2026-q3", ""),
        ("2026-09-01", ""),
        (" 2026-09", ""),
        ("2026-09\n", ""),
        ("２０２６-09", ""),  # full-width digits
        ("2026-", ""),
        (2025, "须为文字"),
        (None, "须为文字"),
    ],
)
def test_malformed_periods(text, detail):
    with pytest.raises(InvalidPeriod) as excinfo:
        parse_period(text)
    message = str(excinfo.value)
    assert "报送期间格式不正确" in message
    assert "应为 2025（年度）、2026-Q3（季度）或 2026-09（月度）" in message
    assert detail in message
    assert excinfo.value.text == text


@pytest.mark.parametrize(
    "args", [("week", 2026, 1), ("month", 2026, 13), ("quarter", 2026, 0), ("year", 9999, 1)]
)
def test_periods_are_checked_when_built(args):
    with pytest.raises(InvalidPeriod):
        Period(*args)


def test_month_after():
    assert parse_period("2026-12").month_after() == (2027, 1)
    assert parse_period("2026-Q3").month_after() == (2026, 10)
    assert parse_period("2025").month_after(4) == (2026, 4)


# ---------------------------------------------- the standard's deadlines, rolled


@pytest.mark.parametrize(
    ("period", "expected", "why"),
    [
        # 月后10日前
        ("2026-01", D(2026, 2, 10), "a Tuesday"),
        ("2026-04", D(2026, 5, 11), "05-10 is a Sunday"),
        ("2025-04", D(2025, 5, 12), "05-10 is a Saturday"),
        ("2026-09", D(2026, 10, 10), "a Saturday, but a 调休 working day: no roll"),
        ("2024-01", D(2024, 2, 18), "春节 02-10..17; 02-18 is a Sunday working day"),
        ("2016-01", D(2016, 2, 14), "春节 02-07..13; 02-14 is a Sunday working day"),
        ("2013-01", D(2013, 2, 16), "春节 02-09..15; 02-16 is a Saturday working day"),
        # 季后20日前
        ("2026-Q3", D(2026, 10, 20), "a Tuesday"),
        ("2025-Q1", D(2025, 4, 21), "04-20 is a Sunday"),
        ("2024-Q3", D(2024, 10, 21), "10-20 is a Sunday"),
        ("2025-Q4", D(2026, 1, 20), "into the next year"),
        # 年后1月10日前
        ("2024", D(2025, 1, 10), "a Friday"),
        ("2025", D(2026, 1, 12), "01-10 is a Saturday"),
        ("2020", D(2021, 1, 11), "01-10 is a Sunday"),
    ],
)
def test_standard_deadlines(cal, period, expected, why):
    assert filing_deadline(cal, period) == expected, why
    assert filing_deadline(cal, parse_period(period)) == expected
    assert cal.is_working_day(expected)


def test_strict_reading_of_qian(cal):
    """I‑16 switch: "X日前" read strictly — the last day is the day before X."""
    strict = DayOfMonthAfter(10, inclusive=False)
    assert filing_deadline(cal, "2026-09", strict) == D(2026, 10, 9)
    assert filing_deadline(cal, "2025-09", strict) == D(2025, 10, 9)  # right after 10-01..08
    # 2024-02-09 (除夕) was a working day: the notice only "鼓励各单位…安排职工在除夕（2月9日）休息"
    assert filing_deadline(cal, "2024-01", strict) == D(2024, 2, 9)
    no_roll = DayOfMonthAfter(10, roll=False)
    assert filing_deadline(cal, "2026-04", no_roll) == D(2026, 5, 10)


def test_nth_working_day_rule(cal):
    """报送办法 第四条(五) "每月前 5 个工作日内": over the National Day and May Day holidays."""
    fifth = NthWorkingDayAfter(5)
    assert filing_deadline(cal, "2025-09", fifth) == D(2025, 10, 14)  # 10-09,10,11(Sat),13,14
    assert filing_deadline(cal, "2026-09", fifth) == D(2026, 10, 13)  # 10-08,09,10(Sat),12,13
    assert filing_deadline(cal, "2026-04", fifth) == D(2026, 5, 11)  # 05-06,07,08,09(Sat),11
    assert filing_deadline(cal, "2026-01", fifth) == D(2026, 2, 6)
    # a quarter's first month: "每季度前5个工作日内" (披露办法 第十条)
    assert filing_deadline(cal, "2026-Q3", fifth) == D(2026, 10, 13)
    with pytest.raises(RuleError, match="不足23个工作日"):
        filing_deadline(cal, "2026-09", NthWorkingDayAfter(23))


def test_audit_reports_by_april_30(cal):
    """报送办法 第四条: "第（三）项信息应当于每年4月30日前报送"."""
    rule = DayOfMonthAfter(30, month=4)
    assert filing_deadline(cal, "2025", rule) == D(2026, 4, 30)  # a Thursday
    # 2023-04-30 is a Sunday inside 劳动节 04-29..05-03: rolled to Thursday 05-04
    assert filing_deadline(cal, "2022", rule) == D(2023, 5, 4)


def test_a_day_the_month_does_not_have(cal):
    with pytest.raises(RuleError, match="2026年2月没有31日"):
        filing_deadline(cal, "2026-01", DayOfMonthAfter(31))


def test_deadlines_that_need_2027(cal):
    for period in ("2026-12", "2026-Q4", "2026"):
        with pytest.raises(UnconfirmedYear) as excinfo:
            filing_deadline(cal, period)
        assert excinfo.value.year == 2027
        assert "2027年的节假日安排尚未确认" in str(excinfo.value)
    with pytest.raises(UnconfirmedYear):
        filing_dates(cal, "2026-12", "AH-05")


def test_malformed_period_in_a_deadline(cal):
    with pytest.raises(InvalidPeriod, match="2026-Q5"):
        filing_deadline(cal, "2026-Q5")


# ---------------------------------------------------------- table schedules


def test_ah05_follows_i1(cal):
    """I‑1: due at the 5th working day; overdue only after both readings have passed."""
    sep = filing_dates(cal, "2026-09", "AH-05")
    assert (sep.due, sep.deadline) == (D(2026, 10, 13), D(2026, 10, 13))  # 5th WD is later
    jan = filing_dates(cal, "2026-01", "AH-05")
    assert (jan.due, jan.deadline) == (D(2026, 2, 6), D(2026, 2, 10))  # 月后10日 is later
    assert jan.period == parse_period("2026-01") and jan.table == "AH-05"


@pytest.mark.parametrize(
    ("table", "period", "deadline"),
    [
        ("AH-01", "2025", D(2026, 1, 12)),
        ("AH-02", "2024", D(2025, 1, 10)),
        ("AH-03", "2026-Q3", D(2026, 10, 20)),
        ("AH-04", "2025-Q1", D(2025, 4, 21)),
        ("AH-06", "2026-09", D(2026, 10, 10)),
        ("AH-07", "2026-04", D(2026, 5, 11)),
    ],
)
def test_other_tables_follow_the_standard(cal, table, period, deadline):
    dates = filing_dates(cal, period, table)
    assert dates.due == dates.deadline == deadline


def test_schedules_cover_the_seven_tables():
    assert list(DEFAULT_SCHEDULES) == [f"AH-0{i}" for i in range(1, 8)]
    assert {s.frequency for s in DEFAULT_SCHEDULES.values()} == {"year", "quarter", "month"}
    for code, schedule in DEFAULT_SCHEDULES.items():
        assert schedule.table == code and schedule.source


def test_table_and_period_must_match(cal):
    with pytest.raises(RuleError, match="AH-05 按月度报送"):
        filing_dates(cal, "2026-Q3", "AH-05")
    with pytest.raises(RuleError, match="未知的采集表"):
        filing_dates(cal, "2026-09", "AH-08")
    custom = {"X": FilingSchedule("X", "quarter", DayOfMonthAfter(15), DayOfMonthAfter(15), "测试")}
    assert filing_dates(cal, "2026-Q3", "X", custom).deadline == D(2026, 10, 15)


# ------------------------------------------------------------ rules as data


def test_rules_round_trip_through_json():
    rules = [*STANDARD_RULES.values(), DEFAULT_SCHEDULES["AH-05"].deadline]
    rules.append(DayOfMonthAfter(30, month=4, inclusive=False, roll=False))
    for rule in rules:
        assert rule_from_dict(json.loads(json.dumps(rule.as_dict()))) == rule


def test_rule_descriptions():
    assert STANDARD_RULES["month"].describe() == (
        "期后次月10日前（含当日），逢国家法定节假日及双休日顺延至下一工作日"
    )
    assert NthWorkingDayAfter(5).describe() == "期后次月前5个工作日内"
    assert DayOfMonthAfter(30, month=4).describe().startswith("期后第四个月30日前")
    assert DEFAULT_SCHEDULES["AH-05"].deadline.describe().startswith("以下各项中最晚者：")


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"kind": "weekly"}, "未知的规则类型"),
        ([], "JSON 对象"),
        ({"kind": "day-of-month-after"}, "字段"),
        ({"kind": "day-of-month-after", "day": 10, "extra": 1}, "字段"),
        ({"kind": "day-of-month-after", "day": "10"}, "day 须为 1–31"),
        ({"kind": "day-of-month-after", "day": 32}, "day 须为 1–31"),
        ({"kind": "day-of-month-after", "day": 10, "inclusive": 1}, "inclusive"),
        ({"kind": "nth-working-day-after", "n": 0}, "n 须为 1–23"),
        ({"kind": "nth-working-day-after", "n": 5, "month": 13}, "month 须为 1–12"),
        ({"kind": "latest-of", "rules": []}, "至少一条规则"),
        ({"kind": "latest-of", "rules": "x"}, "列表"),
    ],
)
def test_malformed_rules(data, fragment):
    with pytest.raises(RuleError) as excinfo:
        rule_from_dict(data)
    assert fragment in str(excinfo.value)


def test_rules_refuse_bad_values_directly(cal):
    with pytest.raises(RuleError):
        DayOfMonthAfter(True)
    with pytest.raises(RuleError):
        LatestOf(("not a rule",))  # type: ignore[arg-type]
    with pytest.raises(RuleError):
        FilingSchedule("X", "week", DayOfMonthAfter(1), DayOfMonthAfter(1), "")  # type: ignore[arg-type]
    with pytest.raises(RuleError):
        filing_deadline(cal, "2026-09", "月后10日前")  # type: ignore[arg-type]
    assert LatestOf([DayOfMonthAfter(1)]).rules == (DayOfMonthAfter(1),)  # type: ignore[arg-type]
