"""The calendar's questions on real dates, its refusals, and its data model."""

from __future__ import annotations

import dataclasses
import doctest
import pickle
from datetime import date, datetime

import pytest

import winddown.calendar
from winddown.calendar import Calendar, CalendarDataError, UnconfirmedYear, YearSpec
from winddown.calendar.seed import seeded_calendar

from .helpers import spec_from_notice

D = date
MESSAGE_2027 = "2027年的节假日安排尚未确认（需国务院办公厅通知），无法计算工作日"


@pytest.fixture(scope="module")
def cal() -> Calendar:
    return seeded_calendar()


def test_module_docstring_runs():
    failures, tests = doctest.testmod(winddown.calendar)
    assert tests > 0 and failures == 0


# ------------------------------------------------------------ add_working_days


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # the start day is not counted (民法典 第二百零一条)
        (D(2026, 9, 28), 1, D(2026, 9, 29)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),  # over National Day 10-01..07
        (D(2026, 9, 30), 3, D(2026, 10, 10)),  # 10-08, 10-09, 10-10 (Saturday, 调休)
        (D(2026, 9, 30), 5, D(2026, 10, 13)),
        (D(2026, 10, 3), 1, D(2026, 10, 8)),  # start on a day off
        (D(2026, 9, 19), 1, D(2026, 9, 20)),  # Saturday -> Sunday 调休 working day
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # Friday -> Saturday 调休
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # over 春节 2-15..23
        (D(2026, 2, 14), 10, D(2026, 3, 6)),
        (D(2025, 12, 31), 1, D(2026, 1, 4)),  # 元旦 1-01..03; 1-04 is a Sunday working day
        (D(2025, 12, 31), 0, D(2025, 12, 31)),
        (D(2026, 1, 3), 0, D(2026, 1, 3)),  # n = 0 is the day itself, working or not
        # 10 working days after a change (报送办法 第四条 "变更后10个工作日内")
        (D(2026, 4, 30), 10, D(2026, 5, 18)),  # 5-06..08, 5-09 (Sat), 5-11..15, 5-18
        # counting back: the |n|-th working day before (the day not counted)
        (D(2026, 10, 8), -1, D(2026, 9, 30)),
        (D(2026, 10, 10), -2, D(2026, 10, 8)),
        (D(2026, 2, 24), -1, D(2026, 2, 14)),
        (D(2026, 1, 5), -1, D(2026, 1, 4)),
        (D(2026, 1, 4), -1, D(2025, 12, 31)),
        (D(2005, 12, 31), 1, D(2006, 1, 4)),  # 2005-12-31 Saturday worked, 1-01..03 off
        (D(2005, 12, 30), 1, D(2005, 12, 31)),
    ],
)
def test_add_working_days(cal, start, n, expected):
    assert cal.add_working_days(start, n) == expected


def test_add_working_days_across_years(cal):
    assert cal.add_working_days(D(2004, 1, 1), 1) == D(2004, 1, 2)
    assert cal.add_working_days(D(2004, 1, 5), -1) == D(2004, 1, 2)
    assert cal.add_working_days(D(2026, 12, 30), 1) == D(2026, 12, 31)
    start = D(2020, 1, 1)
    assert cal.working_days_between(start, cal.add_working_days(start, 1000)) == 1000


# ------------------------------------------------------------------ is/roll/between


def test_is_working_day_examples(cal):
    assert cal.is_working_day(D(2026, 10, 9))
    assert not cal.is_working_day(D(2026, 10, 11))  # an ordinary Sunday
    assert not cal.is_working_day(D(2026, 10, 1))
    assert cal.is_working_day(D(2005, 12, 31))  # see test_seed: the notice for 2006
    assert not cal.is_working_day(D(2020, 2, 1))  # 国办发明电〔2020〕1号 extended 春节


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 10, 9), D(2026, 10, 9)),
        (D(2026, 10, 10), D(2026, 10, 10)),  # a 调休 Saturday does not roll
        (D(2026, 10, 11), D(2026, 10, 12)),
        (D(2026, 10, 1), D(2026, 10, 8)),
        (D(2026, 2, 15), D(2026, 2, 24)),
        (D(2024, 2, 10), D(2024, 2, 18)),  # 春节 2-10..17; 2-18 is a Sunday working day
    ],
)
def test_roll_forward(cal, day, expected):
    assert cal.roll_forward(day) == expected


def test_working_days_between(cal):
    assert cal.working_days_between(D(2026, 9, 30), D(2026, 10, 13)) == 5
    assert cal.working_days_between(D(2026, 10, 13), D(2026, 9, 30)) == -5
    assert cal.working_days_between(D(2026, 10, 3), D(2026, 10, 3)) == 0
    assert cal.working_days_between(D(2026, 10, 1), D(2026, 10, 7)) == 0
    assert cal.working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 248


# ------------------------------------------------------------ unconfirmed years


def _assert_2027(excinfo, known=False):
    assert excinfo.value.year == 2027
    assert excinfo.value.known is known
    assert MESSAGE_2027 in str(excinfo.value)
    assert excinfo.value.message == str(excinfo.value)


def test_asking_about_2027_names_2027(cal):
    with pytest.raises(UnconfirmedYear) as excinfo:
        cal.is_working_day(D(2027, 1, 4))
    _assert_2027(excinfo)
    with pytest.raises(UnconfirmedYear) as excinfo:
        cal.roll_forward(D(2027, 10, 1))
    _assert_2027(excinfo)
    with pytest.raises(UnconfirmedYear) as excinfo:
        cal.add_working_days(D(2027, 3, 1), 0)
    _assert_2027(excinfo)


def test_adding_into_2027_names_2027(cal):
    for start, n in [(D(2026, 12, 31), 1), (D(2026, 12, 25), 10), (D(2026, 10, 1), 80)]:
        with pytest.raises(UnconfirmedYear) as excinfo:
            cal.add_working_days(start, n)
        _assert_2027(excinfo)
    with pytest.raises(UnconfirmedYear) as excinfo:
        cal.working_days_between(D(2026, 12, 1), D(2027, 1, 5))
    _assert_2027(excinfo)
    with pytest.raises(UnconfirmedYear) as excinfo:
        cal.working_days_between(D(2027, 1, 5), D(2026, 12, 1))
    _assert_2027(excinfo)


def test_before_the_first_year(cal):
    with pytest.raises(UnconfirmedYear) as excinfo:
        cal.add_working_days(D(2004, 1, 2), -1)
    assert excinfo.value.year == 2003
    with pytest.raises(UnconfirmedYear) as excinfo:
        cal.is_working_day(D(1999, 10, 1))
    assert excinfo.value.year == 1999


def _year(y: int, confirmed: bool = True) -> YearSpec:
    return YearSpec(y, set(), set(), confirmed=confirmed, notice="测试" if confirmed else "")


def test_a_present_but_unconfirmed_year():
    cal = Calendar({2026: _year(2026), 2027: _year(2027, confirmed=False)})
    with pytest.raises(UnconfirmedYear) as excinfo:
        cal.add_working_days(D(2026, 12, 31), 1)
    _assert_2027(excinfo, known=True)
    with pytest.raises(UnconfirmedYear) as excinfo:
        cal.is_working_day(D(2027, 1, 4))
    _assert_2027(excinfo, known=True)
    assert cal.confirmed_years == (2026,)
    assert set(cal.years) == {2026, 2027}
    assert not cal.is_confirmed(2027)


def test_a_gap_between_confirmed_years():
    cal = Calendar([_year(2024), _year(2026), _year(2025, confirmed=False)])
    assert repr(cal) == "<Calendar confirmed: 2024, 2026>"
    with pytest.raises(UnconfirmedYear) as excinfo:
        cal.add_working_days(D(2024, 12, 20), 20)
    assert (excinfo.value.year, excinfo.value.known) == (2025, True)
    with pytest.raises(UnconfirmedYear) as excinfo:
        cal.add_working_days(D(2026, 1, 5), -5)
    assert excinfo.value.year == 2025
    with pytest.raises(UnconfirmedYear) as excinfo:
        cal.working_days_between(D(2024, 6, 1), D(2026, 6, 1))
    assert excinfo.value.year == 2025
    assert cal.add_working_days(D(2024, 12, 27), 2) == D(2024, 12, 31)
    assert cal.add_working_days(D(2026, 1, 1), 1) == D(2026, 1, 2)


def test_a_last_day_off_that_cannot_roll():
    spec = YearSpec(2030, {D(2030, 12, 31)}, set(), confirmed=True, notice="测试")
    cal = Calendar({2030: spec})
    with pytest.raises(UnconfirmedYear) as excinfo:
        cal.roll_forward(D(2030, 12, 31))
    assert excinfo.value.year == 2031


def test_an_empty_calendar_answers_nothing():
    cal = Calendar({})
    assert repr(cal) == "<Calendar confirmed: none>"
    with pytest.raises(UnconfirmedYear):
        cal.is_working_day(D(2026, 1, 5))
    with pytest.raises(UnconfirmedYear):
        cal.add_working_days(D(2026, 1, 5), 3)


def test_require_confirmed_and_pickling():
    cal = Calendar({2026: _year(2026)})
    cal.require_confirmed(2026)
    with pytest.raises(UnconfirmedYear) as excinfo:
        cal.require_confirmed(2027)
    again = pickle.loads(pickle.dumps(excinfo.value))  # noqa: S301 (our own bytes)
    assert (again.year, again.known, again.message) == (2027, False, excinfo.value.message)


# ------------------------------------------------------------------ bad arguments


@pytest.mark.parametrize("bad", [datetime(2026, 10, 9, 12, 0), "2026-10-09", None, 20261009])
def test_dates_must_be_dates(cal, bad):
    with pytest.raises(TypeError, match=r"datetime\.date"):
        cal.is_working_day(bad)
    with pytest.raises(TypeError, match=r"datetime\.date"):
        cal.add_working_days(bad, 1)
    with pytest.raises(TypeError, match=r"datetime\.date"):
        cal.roll_forward(bad)
    with pytest.raises(TypeError, match=r"datetime\.date"):
        cal.working_days_between(D(2026, 1, 5), bad)


@pytest.mark.parametrize("bad", [1.0, True, "3", None])
def test_counts_must_be_ints(cal, bad):
    with pytest.raises(TypeError, match="int"):
        cal.add_working_days(D(2026, 1, 5), bad)


# ------------------------------------------------------------------ YearSpec


def test_yearspec_is_immutable_and_normalises_its_sets():
    spec = YearSpec(2026, [D(2026, 10, 1), D(2026, 10, 1)], (D(2026, 10, 10),), True, "通知")
    assert spec.holidays == frozenset({D(2026, 10, 1)})
    assert isinstance(spec.workdays, frozenset)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.confirmed = False  # type: ignore[misc]
    assert hash(spec) == hash(YearSpec(2026, {D(2026, 10, 1)}, {D(2026, 10, 10)}, True, "通知"))
    assert spec.days_off == frozenset({D(2026, 10, 1)})
    assert spec.is_working_day(D(2026, 10, 10))
    with pytest.raises(CalendarDataError):
        spec.is_working_day(D(2025, 10, 10))


@pytest.mark.parametrize(
    ("kwargs", "field", "fragment"),
    [
        ({"year": 2026.0}, "year", "整数"),
        ({"year": True}, "year", "整数"),
        ({"year": 0}, "year", "1–9999"),
        ({"holidays": {D(2025, 12, 31)}}, "holidays", "不在2026年内"),
        ({"holidays": {datetime(2026, 10, 1)}}, "holidays", "不是日期"),
        ({"holidays": "2026-10-01"}, "holidays", "集合"),
        ({"holidays": None}, "holidays", "集合"),
        ({"workdays": {D(2026, 10, 9)}}, "workdays", "周五"),
        ({"workdays": {D(2027, 1, 2)}}, "workdays", "不在2026年内"),
        (
            {"holidays": {D(2026, 10, 10)}, "workdays": {D(2026, 10, 10)}},
            "workdays",
            "同时是放假日和上班日",
        ),
        ({"confirmed": 1}, "confirmed", "True 或 False"),
        ({"notice": None}, "notice", "文字"),
        ({"notice": "  "}, "notice", "国务院办公厅通知"),
    ],
)
def test_yearspec_refuses_inconsistent_data(kwargs, field, fragment):
    args = {"year": 2026, "holidays": set(), "workdays": set(), "confirmed": True, "notice": "通知"}
    args.update(kwargs)
    with pytest.raises(CalendarDataError) as excinfo:
        YearSpec(**args)
    assert excinfo.value.field == field
    assert fragment in excinfo.value.message
    assert " / " in excinfo.value.message  # bilingual


def test_calendar_refuses_mismatched_rows():
    spec = _year(2026)
    with pytest.raises(CalendarDataError, match="key does not match"):
        Calendar({2025: spec})
    with pytest.raises(CalendarDataError, match="YearSpec"):
        Calendar({2026: {"year": 2026}})  # type: ignore[dict-item]
    with pytest.raises(CalendarDataError, match="twice"):
        Calendar([spec, spec])
    with pytest.raises(CalendarDataError, match="YearSpec"):
        Calendar([2026])  # type: ignore[list-item]
    err = CalendarDataError("years[2026]", "x / y")
    assert pickle.loads(pickle.dumps(err)).message == err.message  # noqa: S301


def test_built_from_rows_like_the_workdays_app():
    """The app reads one row per year (dates, confirmed flag, notice) and builds YearSpecs."""
    rows = [
        {
            "year": 2026,
            "holidays": [D(2026, 10, d) for d in range(1, 8)],
            "workdays": [D(2026, 9, 20), D(2026, 10, 10)],
            "confirmed": True,
            "notice": "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）",
        }
    ]
    cal = Calendar({r["year"]: YearSpec(**r) for r in rows})
    assert cal.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    same = spec_from_notice(2026, [(D(2026, 10, 1), D(2026, 10, 7))], rows[0]["workdays"], "x")
    assert same.holidays == cal.years[2026].holidays


def test_the_calendar_is_immutable_and_pickles_as_its_years():
    cal = Calendar({2026: _year(2026)})
    with pytest.raises(AttributeError, match="immutable"):
        cal._wd = ()  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        del cal._wd
    with pytest.raises(TypeError):
        cal.years[2027] = _year(2027)  # type: ignore[index]
    again = pickle.loads(pickle.dumps(cal))  # noqa: S301 (our own bytes)
    assert again.years == cal.years
    assert again.add_working_days(D(2026, 1, 1), 10) == cal.add_working_days(D(2026, 1, 1), 10)
