from datetime import date

import pytest

from winddown.workdays.dates import (
    DateSyntaxError,
    format_dates,
    from_stored,
    parse_dates,
    to_stored,
)

D = date


@pytest.mark.parametrize(
    "text",
    [
        "2027-02-05..2027-02-07,2027-04-05",
        "2027-02-05 ~ 2027-02-07，2027-04-05",
        "2027-02-05～2027-02-07、2027-04-05",
        "2027-02-05 至 2027-02-07\n2027-04-05",
        " 2027-04-05; 2027-02-07 2027-02-05..2027-02-06 2027-04-05 ",
    ],
)
def test_days_and_ranges(text):
    assert parse_dates(text) == {D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 4, 5)}


def test_empty_text_names_no_day():
    assert parse_dates("") == frozenset() and parse_dates(" ,\n ") == frozenset()


@pytest.mark.parametrize(
    ("text", "item", "reason"),
    [
        ("2027-2-5", "2027-2-5", "不是日期"),
        ("2027年2月5日", "2027年2月5日", "不是日期"),
        ("2027-02-30", "2027-02-30", "不是有效的日期"),
        ("2027-02-07..2027-02-05", "2027-02-07..2027-02-05", "的结束日早于开始日"),
        ("2027-02-05..", "2027-02-05..", "不是完整的日期区间"),
        ("2027-12-30..2028-01-02", "2027-12-30..2028-01-02", "跨越了两个年份"),
    ],
)
def test_malformed_text_names_the_item(text, item, reason):
    with pytest.raises(DateSyntaxError) as info:
        parse_dates(f"2027-01-01, {text}")
    assert (info.value.item, info.value.reason) == (item, reason)


def test_format_compacts_runs_and_reads_back():
    days = {D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 4, 5), D(2027, 1, 1)}
    text = format_dates(days)
    assert text == "2027-01-01, 2027-02-05..2027-02-07, 2027-04-05"
    assert parse_dates(text) == days


def test_stored_form_is_sorted_iso_days():
    stored = to_stored({D(2027, 4, 5), D(2027, 2, 5), D(2027, 2, 5)})
    assert stored == ["2027-02-05", "2027-04-05"]
    assert from_stored(stored) == {D(2027, 2, 5), D(2027, 4, 5)}
