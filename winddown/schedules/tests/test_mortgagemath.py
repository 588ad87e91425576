"""Cross-check of 等额本息 against an independent implementation: mortgagemath 0.7.1
(a development dependency only; the core never imports it).

How mortgagemath rounds (read from its ``_payment.py`` and ``_schedule.py``), with the
options set below:

* the periodic rate is ``Decimal(annual_rate) / 1200`` in the *current* decimal context
  (28 significant digits by default) — exact when the rate in hundredths of a percent is a
  multiple of 3, otherwise a rounded repeating decimal (4.90 % -> 0.004083333…333);
* the payment is ``P·r·(1+r)^n / ((1+r)^n − 1)`` at 50 digits, quantized to the cent with
  ``payment_rounding`` (ROUND_HALF_UP here; its default is ROUND_UP, the US lenders' way);
  at 0 % it is ``P / n`` quantized the same way;
* each month's interest is ``balance × r`` (a 28-digit product) quantized with
  ``interest_rounding`` (ROUND_HALF_UP, its default), the balance rounded every month
  (``BalanceTracking.ROUND_EACH``, its default), principal = payment − interest, and the
  last row takes the remaining balance — the issue's rules exactly;
* when ``payment − interest >= balance`` before the last period it pays the balance off,
  stops the schedule there and warns (``EarlyPayoffWarning``).

So the two agree row for row, except, and only, in two explained ways:

1. *Early payoff.* mortgagemath stops at the payoff row; we keep all ``months`` rows and
   the rows after the payoff are zero (the ledger gets a row for every due date).
2. *An exact half fen.* Where the exact interest ``B × rate / 12`` is exactly x.5 fen (or
   the exact annuity is), we round half-up the exact value; mortgagemath rounds a 28-digit
   approximation, which can fall just below the half and round down (1 fen less), and the
   rows after it then differ by that fen. With ``prec = 28`` the double rounding of
   ``B × r`` often lands back on the half (60.00 yuan at 4.90 %: both give 0.25), so it is
   rare. The exact interest is a multiple of 1/120000 fen, so nothing but an exact half can
   be near enough to a rounding boundary for 28 digits to matter.
"""

from __future__ import annotations

import random
import warnings
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from winddown.schedules import Method, annuity_factor, schedule

from .strategies import principals, rates

mm = pytest.importorskip("mortgagemath")

VALUE_DATE = date(2026, 1, 15)


def theirs(p: int, bp: int, n: int) -> list[tuple[int, int, int, int]]:
    loan = mm.LoanParams(
        principal=Decimal(p).scaleb(-2),
        annual_rate=Decimal(bp).scaleb(-2),
        term_months=n,
        payment_rounding=mm.PaymentRounding.ROUND_HALF_UP,
        interest_rounding=mm.PaymentRounding.ROUND_HALF_UP,
        balance_tracking=mm.BalanceTracking.ROUND_EACH,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mm.EarlyPayoffWarning)
        rows = mm.amortization_schedule(loan)[1:]  # row 0 is the opening balance
    return [(_fen(r.payment), _fen(r.principal), _fen(r.interest), _fen(r.balance)) for r in rows]


def _fen(amount: Decimal) -> int:
    return int(amount.scaleb(2))  # whole cents: exact


def ours(p: int, bp: int, n: int) -> list[tuple[int, int, int, int]]:
    s = schedule(
        principal_fen=p,
        annual_rate_bp=bp,
        months=n,
        method=Method.EQUAL_INSTALMENT,
        value_date=VALUE_DATE,
    )
    return [(i.payment_fen, i.principal_fen, i.interest_fen, i.balance_fen) for i in s.instalments]


def compare(p: int, bp: int, n: int) -> str:
    """``"same"``, ``"early-payoff"`` or ``"half-fen"``; fails on any other difference."""
    a, b = ours(p, bp, n), theirs(p, bp, n)
    assert 1 <= len(b) <= n == len(a)
    for j, (x, y) in enumerate(zip(a, b, strict=False)):
        if x == y:
            continue
        balance = a[j - 1][3] if j else p
        interest_half = (2 * balance * bp) % 240_000 == 120_000
        num, den = annuity_factor(bp, n)
        payment_half = j == 0 and (2 * p * num) % (2 * den) == den
        assert interest_half or payment_half, (p, bp, n, j, x, y)
        if interest_half:
            assert y[2] == x[2] - 1, (p, bp, n, j, x, y)  # mortgagemath rounded the half down
        return "half-fen"
    assert all(row == (0, 0, 0, 0) for row in a[len(b) :]), (p, bp, n)
    return "same" if len(b) == n else "early-payoff"


def test_many_random_loans():
    rng = random.Random(17)
    seen = {"same": 0, "early-payoff": 0, "half-fen": 0}
    for _ in range(1_500):
        p = rng.choice([rng.randint(1, 5_000), rng.randint(1, 10**9), rng.randint(1, 10**12)])
        bp = rng.choice([0, 490, rng.randint(1, 2_400), rng.randint(0, 10_000)])
        n = rng.choice([1, 2, 12, 36, rng.randint(1, 360)])
        seen[compare(p, bp, n)] += 1
    assert seen["same"] > 1_400
    assert seen["early-payoff"] > 0  # tiny loans among them


@settings(max_examples=100, deadline=None)
@given(principals, rates, st.integers(1, 360))
def test_hypothesis_loans(p, bp, n):
    compare(p, bp, n)


def test_the_issue_example_agrees():
    assert compare(10_000_000, 490, 12) == "same"
    assert theirs(10_000_000, 490, 12)[0] == (855_617, 814_784, 40_833, 9_185_216)


def test_an_exact_half_fen_that_mortgagemath_rounds_down():
    # Balance 2909888444.25 yuan after period 7 at 40 %: the interest is exactly
    # 96996281.475 yuan; half-up gives 96996281.48, mortgagemath's 28 digits .47.
    p, bp, n = 625_976_168_028, 4_000, 12
    a, b = ours(p, bp, n), theirs(p, bp, n)
    assert a[:7] == b[:7]
    assert (a[7][2], b[7][2]) == (9_699_628_148, 9_699_628_147)
    assert compare(p, bp, n) == "half-fen"
    # where the double rounding lands on the half, the two agree: 60.00 at 4.90 % -> 0.25
    assert ours(6_000, 490, 1) == theirs(6_000, 490, 1) == [(6_025, 6_000, 25, 0)]


def test_early_payoff_of_a_tiny_loan():
    # 0.10 yuan over 12 months: both repay it in period 10; mortgagemath stops there
    assert len(theirs(10, 490, 12)) == 10
    assert ours(10, 490, 12)[10:] == [(0, 0, 0, 0)] * 2
    assert compare(10, 490, 12) == "early-payoff"
