"""Property-based tests (hypothesis) of the scalar path.

The oracle restates the issue's rules with ``fractions.Fraction`` (the annuity straight
from ``P·r·(1+r)^n / ((1+r)^n − 1)``), independently of the integer formulas in engine.py.
"""

from __future__ import annotations

import calendar
from fractions import Fraction
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from winddown.schedules import Method, add_months, schedule

from .strategies import loans


def half_up(x: Fraction) -> int:
    return int((x + Fraction(1, 2)) // 1)


def monthly_rate(bp: int) -> Fraction:
    return Fraction(bp, 100 * 100) / 12  # a percentage with two decimals, over 12 months


def oracle_annuity(p: int, bp: int, n: int) -> int:
    r = monthly_rate(bp)
    if r == 0:
        return half_up(Fraction(p, n))
    growth = (1 + r) ** n
    return half_up(p * r * growth / (growth - 1))


@settings(max_examples=300)
@given(loans())
def test_principal_parts_add_up_and_balances_fall_to_zero(loan):
    s = schedule(**loan)
    rows = s.instalments
    assert sum(i.principal_fen for i in rows) == loan["principal_fen"]
    assert all(i.principal_fen >= 0 and i.interest_fen >= 0 for i in rows)
    balances = [loan["principal_fen"], *(i.balance_fen for i in rows)]
    assert all(a >= b for a, b in pairwise(balances))
    assert balances[-1] == 0
    for before, row in zip(balances, rows, strict=False):
        assert row.balance_fen == before - row.principal_fen
        assert row.payment_fen == row.principal_fen + row.interest_fen
    assert s.total_interest_fen == sum(i.interest_fen for i in rows)
    assert s.total_payment_fen == loan["principal_fen"] + s.total_interest_fen


@settings(max_examples=300)
@given(loans())
def test_periods_and_due_dates(loan):
    s = schedule(**loan)
    start, n = loan["value_date"], loan["months"]
    if loan["method"] is Method.BULLET:
        assert [(i.period, i.due_date) for i in s.instalments] == [(1, add_months(start, n))]
        return
    assert [i.period for i in s.instalments] == list(range(1, n + 1))
    for k, row in enumerate(s.instalments, 1):
        d = row.due_date
        assert (d.year * 12 + d.month) - (start.year * 12 + start.month) == k
        assert d.day == min(start.day, calendar.monthrange(d.year, d.month)[1])


@settings(max_examples=300)
@given(loans(method=st.just(Method.EQUAL_INSTALMENT)))
def test_equal_instalment(loan):
    s = schedule(**loan)
    p, bp, n = loan["principal_fen"], loan["annual_rate_bp"], loan["months"]
    level = oracle_annuity(p, bp, n)
    balance = p
    short = []  # periods before the last whose payment is not the level instalment
    for k, row in enumerate(s.instalments, 1):
        interest = half_up(balance * monthly_rate(bp))
        assert row.interest_fen == interest
        if k == n:
            assert row.principal_fen == balance  # the last takes the remaining balance
        elif level - interest <= balance:
            assert row.payment_fen == level  # level, except the last
        else:
            # a tiny loan whose rounded instalment would take more than is outstanding is
            # repaid here; the rows after it are zero
            assert row.principal_fen == balance
            short.append(k)
        balance = row.balance_fen
    if short:
        first = short[0]
        assert s.instalments[first - 1].balance_fen == 0
        assert all(i.payment_fen == 0 for i in s.instalments[first:])


@settings(max_examples=200)
@given(loans(method=st.just(Method.EQUAL_PRINCIPAL)))
def test_equal_principal(loan):
    s = schedule(**loan)
    p, bp, n = loan["principal_fen"], loan["annual_rate_bp"], loan["months"]
    parts = [i.principal_fen for i in s.instalments]
    assert parts[:-1] == [p // n] * (n - 1)  # rounded down to the fen
    assert parts[-1] == p - (n - 1) * (p // n) >= p // n  # the fen left over go last
    balance = p
    for row in s.instalments:
        assert row.interest_fen == half_up(balance * monthly_rate(bp))
        balance -= row.principal_fen


@settings(max_examples=200)
@given(loans(method=st.just(Method.INTEREST_FIRST)))
def test_interest_first(loan):
    s = schedule(**loan)
    p, bp, n = loan["principal_fen"], loan["annual_rate_bp"], loan["months"]
    assert {i.interest_fen for i in s.instalments} == {half_up(p * monthly_rate(bp))}
    assert [i.principal_fen for i in s.instalments] == [0] * (n - 1) + [p]


@settings(max_examples=200)
@given(loans(method=st.just(Method.BULLET)))
def test_bullet(loan):
    s = schedule(**loan)
    p, bp, n = loan["principal_fen"], loan["annual_rate_bp"], loan["months"]
    (only,) = s.instalments
    assert only.principal_fen == p
    assert only.interest_fen == half_up(p * monthly_rate(bp) * n)
    # rounding once or n times differs by at most half a fen a month
    monthly = schedule(**{**loan, "method": Method.INTEREST_FIRST}).total_interest_fen
    assert 2 * abs(monthly - only.interest_fen) <= n + 1


@settings(max_examples=200)
@given(loans(method=st.sampled_from([Method.EQUAL_PRINCIPAL, Method.INTEREST_FIRST])), st.data())
def test_rescheduling_the_balance_continues_the_plan(loan, data):
    # 协商还款: a new schedule of the outstanding principal from the k-th due date, over the
    # periods left, is the old plan's tail — for interest-first always, for equal-principal
    # when the old plan's leftover fen (p mod n) fit below the new level.
    p, n = loan["principal_fen"], loan["months"]
    if n < 2 or loan["value_date"].day > 28:  # day > 28: the new plan keeps the clamped day
        return
    k = data.draw(st.integers(1, n - 1))
    old = schedule(**loan)
    if loan["method"] is Method.EQUAL_PRINCIPAL and p % n >= n - k:
        return
    new = schedule(
        **{
            **loan,
            "principal_fen": old.balance_after(k),
            "months": n - k,
            "value_date": old.instalments[k - 1].due_date,
        }
    )
    tail = [
        (i.due_date, i.principal_fen, i.interest_fen, i.balance_fen) for i in old.instalments[k:]
    ]
    assert [
        (i.due_date, i.principal_fen, i.interest_fen, i.balance_fen) for i in new.instalments
    ] == tail
