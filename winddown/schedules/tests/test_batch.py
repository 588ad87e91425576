"""The batch path gives exactly the scalar path's schedules."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from winddown.schedules import (
    MAX_MONTHS,
    MAX_PRINCIPAL_FEN,
    MAX_RATE_BP,
    Method,
    ScheduleInputError,
    schedule,
    schedules_batch,
)
from winddown.schedules.batch import METHOD_CODES, METHODS

from .strategies import loans


def batch_of(rows: list[dict], *, codes: bool = False):
    return schedules_batch(
        principal_fen=[r["principal_fen"] for r in rows],
        annual_rate_bp=[r["annual_rate_bp"] for r in rows],
        months=[r["months"] for r in rows],
        method=(
            np.array([METHOD_CODES[Method.parse(r["method"])] for r in rows])
            if codes
            else [r["method"] for r in rows]
        ),
        value_date=[r["value_date"] for r in rows],
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(loans(), min_size=1, max_size=12), st.booleans())
def test_batch_equals_scalar(rows, codes):
    batch = batch_of(rows, codes=codes)
    assert len(batch) == len(rows)
    width = batch.row_principal_fen.shape[1]
    for i, row in enumerate(rows):
        expected = schedule(**row)
        assert batch.schedule(i) == expected
        count = len(expected.instalments)
        assert batch.periods[i] == count
        assert batch.total_interest_fen[i] == expected.total_interest_fen
        assert (
            batch.row_balance_fen[i, :count] == [r.balance_fen for r in expected.instalments]
        ).all()
        assert (
            batch.row_payment_fen[i, :count] == [r.payment_fen for r in expected.instalments]
        ).all()
        # past a loan's last period: zeros and NaT
        assert not batch.row_principal_fen[i, count:].any()
        assert not batch.row_interest_fen[i, count:].any()
        assert not batch.row_balance_fen[i, count:].any()
        assert np.isnat(batch.row_due_date[i, count:width]).all()


def test_bullet_overflow_takes_the_exact_path():
    # 2·P·bp·n at the limits passes 2^63: the batch must not wrap around
    p, bp, n = MAX_PRINCIPAL_FEN, MAX_RATE_BP, MAX_MONTHS
    assert 2 * p * bp * n + 120_000 > np.iinfo(np.int64).max
    rows = [
        {
            "principal_fen": x,
            "annual_rate_bp": bp,
            "months": n,
            "method": Method.BULLET,
            "value_date": date(2026, 1, 31),
        }
        for x in (p, p - 1, p // 2, 1)
    ]
    batch = batch_of(rows)
    for i, row in enumerate(rows):
        assert batch.schedule(i) == schedule(**row)
    assert batch.row_interest_fen[0, 0] == p * 50  # 100 % a year for 50 years


def test_one_method_per_batch_and_month_ends():
    rows = [
        {
            "principal_fen": 10_000_000 + i,
            "annual_rate_bp": 490,
            "months": 36,
            "method": m,
            "value_date": date(2024, 1, 31),
        }
        for i in range(5)
        for m in [Method.EQUAL_INSTALMENT]
    ]
    batch = batch_of(rows)
    assert batch.row_due_date[0, :3].tolist() == [
        date(2024, 2, 29),
        date(2024, 3, 31),
        date(2024, 4, 30),
    ]
    for i, row in enumerate(rows):
        assert batch.schedule(i) == schedule(**row)


def test_inputs_as_arrays_and_strings():
    batch = schedules_batch(
        principal_fen=np.array([10_000_000], dtype=np.uint32),
        annual_rate_bp=np.array([490], dtype=np.int16),
        months=np.array([12]),
        method=["等额本息"],
        value_date=np.array(["2026-01-15"]),
    )
    assert batch.row_payment_fen[0, 0] == 855_617
    assert batch.row_due_date[0, 0] == np.datetime64("2026-02-15")


def test_empty_batch():
    batch = schedules_batch(
        principal_fen=[], annual_rate_bp=[], months=[], method=[], value_date=[]
    )
    assert len(batch) == 0
    assert batch.row_principal_fen.shape == (0, 0)


GOOD = {
    "principal_fen": [100, 200, 300],
    "annual_rate_bp": [490, 490, 490],
    "months": [12, 12, 12],
    "method": ["bullet", "bullet", "bullet"],
    "value_date": [date(2026, 1, 15)] * 3,
}


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        ({"principal_fen": [100, 0, 300]}, "principal[1]", "须大于 0"),
        ({"principal_fen": [100, 200, MAX_PRINCIPAL_FEN + 1]}, "principal[2]", "100 亿元"),
        ({"principal_fen": [1.0, 2.0, 3.0]}, "principal", "整数数组"),
        ({"annual_rate_bp": [490, -1, 490]}, "annual_rate[1]", "负数"),
        ({"annual_rate_bp": [10_001, 490, 490]}, "annual_rate[0]", "100%"),
        ({"months": [12, 0, 12]}, "months[1]", "1 至 600"),
        ({"months": [12, 12]}, "months", "长度"),
        ({"method": ["bullet", "annuity", "bullet"]}, "method[1]", "未知的还款方式"),
        ({"method": np.array([0, 1, 4])}, "method[2]", "0 至 3"),
        ({"method": "bullet"}, "method", "数组"),
        ({"value_date": ["2026-01-15", "2026-02-30", "2026-01-15"]}, "value_date[1]", "有效日期"),
        ({"value_date": ["2026-01-15", "2026-01", "2026-01-15"]}, "value_date[1]", "有效日期"),
        (
            {"value_date": [date(2026, 1, 15), datetime(2026, 1, 15), date(2026, 1, 15)]},
            "value_date[1]",
            "须为日期",
        ),
        (
            {"value_date": [date(2026, 1, 15), date(2026, 1, 15), date(9999, 6, 1)]},
            "value_date[2]",
            "9999-12-31",
        ),
        (
            {"value_date": np.array(["2026-01-15"] * 3, dtype="datetime64[s]")},
            "value_date",
            "datetime64[D]",
        ),
    ],
)
def test_invalid_rows_are_named(change, field, fragment):
    with pytest.raises(ScheduleInputError) as info:
        schedules_batch(**{**GOOD, **change})
    assert info.value.field == field
    assert fragment in info.value.message


def test_method_codes_are_the_enum_order():
    assert tuple(Method) == METHODS
    assert [METHOD_CODES[m] for m in Method] == [0, 1, 2, 3]
