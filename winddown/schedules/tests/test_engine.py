"""The scalar path on worked examples: the issue's example, each method, 0 %, the limits."""

from __future__ import annotations

from datetime import date, datetime
from math import gcd

import pytest

from winddown.schedules import (
    MAX_PRINCIPAL_FEN,
    Instalment,
    Method,
    ScheduleInputError,
    annuity_factor,
    annuity_fen,
    monthly_interest_fen,
    schedule,
)

JAN15 = date(2026, 1, 15)


def make(method, principal_fen=10_000_000, annual_rate_bp=490, months=12, value_date=JAN15):
    return schedule(
        principal_fen=principal_fen,
        annual_rate_bp=annual_rate_bp,
        months=months,
        method=method,
        value_date=value_date,
    )


def test_issue_example_equal_instalment():
    s = make("equal-instalment")
    first = s.instalments[0]
    assert first == Instalment(1, date(2026, 2, 15), 814_784, 40_833, 9_185_216)
    assert first.payment_fen == 855_617  # 8556.17
    assert {i.payment_fen for i in s.instalments[:-1]} == {855_617}
    last = s.instalments[-1]
    assert (last.period, last.due_date, last.balance_fen) == (12, date(2027, 1, 15), 0)
    assert last.principal_fen == s.instalments[-2].balance_fen
    assert s.total_interest_fen == sum(i.payment_fen for i in s.instalments) - 10_000_000
    assert s.total_interest_fen == 267_399  # 12 × 8556.17 − 0.05 on the last − 100000.00
    assert s.maturity_date == date(2027, 1, 15)


def test_example_interest_is_exact_half_up():
    # 100000.00 × 4.90 % / 12 = 408.3333… yuan -> 408.33
    assert monthly_interest_fen(10_000_000, 490) == 40_833
    # 60.00 × 4.90 % / 12 = 0.245 yuan exactly -> 0.25 (half-up)
    assert monthly_interest_fen(6_000, 490) == 25
    assert monthly_interest_fen(5_999, 490) == 24


def test_annuity_factor_is_in_lowest_terms_and_exact():
    for bp, n in [(490, 12), (1, 600), (10_000, 600), (3600, 36), (1200, 1), (7, 7)]:
        p, q = annuity_factor(bp, n)
        assert gcd(p, q) == 1
        k, m = bp, 120_000
        # P·k·(m+k)^n / (m·((m+k)^n − m^n)) as a cross-multiplication
        assert p * m * ((m + k) ** n - m**n) == q * k * (m + k) ** n
    assert annuity_factor(0, 7) == (1, 7)


def test_zero_rate_equal_instalment_is_principal_over_n_half_up():
    s = make("equal-instalment", principal_fen=1_000, annual_rate_bp=0, months=3)
    # 10.00 / 3 = 3.333… -> 3.33, 3.33, and the last takes the rest: 3.34
    assert [i.principal_fen for i in s.instalments] == [333, 333, 334]
    assert all(i.interest_fen == 0 for i in s.instalments)
    s = make("equal-instalment", principal_fen=2_000, annual_rate_bp=0, months=3)
    # 20.00 / 3 = 6.666… -> 6.67, 6.67, last 6.66
    assert [i.principal_fen for i in s.instalments] == [667, 667, 666]
    assert annuity_fen(2_000, 0, 3) == 667


def test_tiny_loan_repaid_before_the_last_period():
    # 0.10 yuan over 12 months: the annuity 0.0856 fen·10 rounds to 1 fen a month and the
    # interest to 0, so the loan is repaid in period 10; periods 11 and 12 are zero rows.
    s = make("equal-instalment", principal_fen=10, annual_rate_bp=490, months=12)
    assert [i.principal_fen for i in s.instalments] == [1] * 10 + [0, 0]
    assert [i.balance_fen for i in s.instalments][9:] == [0, 0, 0]
    assert len(s.instalments) == 12


def test_equal_principal():
    s = make("equal-principal", principal_fen=10_000_001, months=12)
    parts = [i.principal_fen for i in s.instalments]
    assert parts[:-1] == [833_333] * 11
    assert parts[-1] == 10_000_001 - 11 * 833_333 == 833_338  # the 5 fen left over
    assert s.instalments[0].interest_fen == monthly_interest_fen(10_000_001, 490)
    assert s.instalments[1].interest_fen == monthly_interest_fen(10_000_001 - 833_333, 490)


def test_interest_first_matches_the_disclosure_standard_formula():
    # 披露标准 3.6.2: 每月应还利息 X×Y/12，应还总利息 X×Y/12×Z，应还本金 X
    s = make("先息后本", months=6)
    assert [i.interest_fen for i in s.instalments] == [40_833] * 6
    assert [i.principal_fen for i in s.instalments] == [0] * 5 + [10_000_000]
    assert [i.balance_fen for i in s.instalments] == [10_000_000] * 5 + [0]
    assert s.total_interest_fen == 6 * 40_833


def test_bullet_rounds_once():
    s = make("到期还本付息", months=6)
    assert len(s.instalments) == 1
    only = s.instalments[0]
    assert (only.period, only.due_date, only.principal_fen, only.balance_fen) == (
        1,
        date(2026, 7, 15),
        10_000_000,
        0,
    )
    # 100000.00 × 4.90 % / 12 × 6 = 2450.00 exactly (interest-first rounds each month: 2449.98)
    assert only.interest_fen == 245_000
    assert make("interest-first", months=6).total_interest_fen == 244_998


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("equal-instalment", Method.EQUAL_INSTALMENT),
        ("等额本息", Method.EQUAL_INSTALMENT),
        ("等额本金", Method.EQUAL_PRINCIPAL),
        ("先息后本", Method.INTEREST_FIRST),
        ("按月付息、到期还本", Method.INTEREST_FIRST),
        ("按月付息，到期还本", Method.INTEREST_FIRST),
        ("按月付息到期还本", Method.INTEREST_FIRST),
        ("到期还本付息", Method.BULLET),
        (Method.BULLET, Method.BULLET),
    ],
)
def test_method_names(name, method):
    assert Method.parse(name) is method
    assert make(name).method is method


def test_rescheduling_is_schedule_on_the_outstanding_balance():
    old = make("equal-instalment")
    outstanding = old.balance_after(5)
    assert outstanding == old.instalments[4].balance_fen
    assert old.balance_after(0) == 10_000_000
    new = make("等额本金", principal_fen=outstanding, months=24, value_date=date(2026, 9, 1))
    assert sum(i.principal_fen for i in new.instalments) == outstanding
    assert new.instalments[0].due_date == date(2026, 10, 1)
    with pytest.raises(ValueError):
        old.balance_after(13)


@pytest.mark.parametrize(
    ("kwargs", "field", "fragment"),
    [
        ({"principal_fen": 0}, "principal", "须大于 0"),
        ({"principal_fen": -1}, "principal", "须大于 0"),
        ({"principal_fen": MAX_PRINCIPAL_FEN + 1}, "principal", "100 亿元"),
        ({"principal_fen": 1.5}, "principal", "须为整数"),
        ({"principal_fen": True}, "principal", "布尔"),
        ({"annual_rate_bp": -1}, "annual_rate", "负数"),
        ({"annual_rate_bp": 10_001}, "annual_rate", "100%"),
        ({"months": 0}, "months", "1 至 600"),
        ({"months": 601}, "months", "1 至 600"),
        ({"method": "annuity"}, "method", "未知的还款方式"),
        ({"value_date": "2026-01-15"}, "value_date", "须为日期"),
        ({"value_date": datetime(2026, 1, 15)}, "value_date", "须为日期"),
        ({"value_date": date(9999, 1, 1)}, "value_date", "9999-12-31"),
    ],
)
def test_invalid_inputs_name_the_field(kwargs, field, fragment):
    args = {"method": "bullet", **kwargs}
    with pytest.raises(ScheduleInputError) as info:
        make(**args)
    assert info.value.field == field
    assert fragment in info.value.message
    assert str(info.value).startswith(f"{field}: ")


def test_limits_are_inclusive():
    for method in Method:
        s = make(method, principal_fen=MAX_PRINCIPAL_FEN, annual_rate_bp=10_000, months=600)
        assert sum(i.principal_fen for i in s.instalments) == MAX_PRINCIPAL_FEN
    assert make("bullet", principal_fen=1, annual_rate_bp=0, months=1).total_interest_fen == 0
    assert make("bullet", months=600, value_date=date(9949, 12, 31)).maturity_date == date(
        9999, 12, 31
    )


def test_docstring_examples():
    import doctest

    import winddown.schedules
    import winddown.schedules.dates

    for module in (winddown.schedules, winddown.schedules.dates):
        assert doctest.testmod(module).failed == 0
