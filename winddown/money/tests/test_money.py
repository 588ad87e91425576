from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from winddown.money import MAX_ROW_FEN, AmountError, fen_to_decimal, format_yuan, parse_yuan


@pytest.mark.parametrize(
    ("raw", "fen"),
    [
        ("0", 0),
        ("12345.67", 1234567),
        ("12,345.67", 1234567),
        ("1,234,567", 123456700),
        (" 100.5 ", 10050),
        ("１２３.４５", 12345),
        ("¥1,000.00", 100000),
        ("1000元", 100000),
        (".5", 50),
        ("100.", 10000),
        ("7.500", 750),  # trailing zero beyond fen is exact, so accepted
        (42, 4200),
    ],
)
def test_parses_what_people_type(raw, fen):
    assert parse_yuan(raw) == fen


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "为空"),
        ("1.234", "两位小数"),
        ("-5", "负数"),
        ("1e5", "不是数字"),
        ("abc", "不是数字"),
        ("1,23.00", "千分位"),
        ("NaN", "不是数字"),
        (str(MAX_ROW_FEN // 100 + 1), "上限"),
        (True, "布尔"),
    ],
)
def test_refuses_with_a_reason(raw, message):
    with pytest.raises(AmountError, match=message):
        parse_yuan(raw)


def test_negative_allowed_when_asked():
    assert parse_yuan("-1.50", allow_negative=True) == -150


@given(st.integers(min_value=0, max_value=MAX_ROW_FEN))
def test_format_then_parse_is_identity(fen):
    assert parse_yuan(format_yuan(fen)) == fen
    assert parse_yuan(format_yuan(fen, grouping=False)) == fen
    assert fen_to_decimal(fen) == Decimal(fen) / 100


def test_format_examples():
    assert format_yuan(0) == "0.00"
    assert format_yuan(5) == "0.05"
    assert format_yuan(123456789) == "1,234,567.89"
    assert format_yuan(-150) == "-1.50"
