"""The exact scalar path: one loan, Python integers, no float and no Decimal.

The rules are those of issue 17 (quoted in README.md). With the monthly rate
``r = k / m`` (``k = annual_rate_bp``, ``m = 120000``, reduced by their gcd):

* interest on a balance ``B`` is ``B·k/m`` rounded half-up: ``(2·B·k + m) // (2·m)``;
* the 等额本息 instalment ``A = P·r·(1+r)^n / ((1+r)^n − 1)`` is the fraction
  ``P·k·(m+k)^n / (m·((m+k)^n − m^n))``, rounded half-up the same way.
"""

from __future__ import annotations

import operator
from datetime import date, datetime
from functools import lru_cache
from math import gcd

from .dates import add_months, due_dates
from .model import (
    MAX_MONTHS,
    MAX_PRINCIPAL_FEN,
    MAX_RATE_BP,
    MONTHLY_RATE_DENOMINATOR,
    Instalment,
    Method,
    Schedule,
    ScheduleInputError,
)


def _half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half-up, for non-negative numerator, denominator > 0."""
    return (2 * numerator + denominator) // (2 * denominator)


def monthly_interest_fen(balance_fen: int, annual_rate_bp: int) -> int:
    """One month's interest on ``balance_fen``: balance × annual rate / 12, half-up to the fen."""
    return _half_up(balance_fen * annual_rate_bp, MONTHLY_RATE_DENOMINATOR)


@lru_cache(maxsize=8192)
def annuity_factor(annual_rate_bp: int, months: int) -> tuple[int, int]:
    """The annuity factor ``r(1+r)^n / ((1+r)^n − 1)`` as a fraction ``(p, q)`` in lowest terms.

    With ``r = k/m`` in lowest terms, ``a = (m+k)^n`` and ``b = m^n``, the factor is
    ``k·a / (m·(a − b))``. ``k`` divides ``a − b`` (``m + k ≡ m`` mod ``k``) and ``a`` is prime
    to ``m`` and to ``a − b``, so ``a / (m·(a − b)/k)`` is already in lowest terms.
    At 0 % the factor is its limit ``1/n``.
    """
    if annual_rate_bp == 0:
        return 1, months
    k, m = annual_rate_bp, MONTHLY_RATE_DENOMINATOR
    g = gcd(k, m)
    k, m = k // g, m // g
    a = (m + k) ** months
    b = m**months
    return a, m * ((a - b) // k)


def annuity_fen(principal_fen: int, annual_rate_bp: int, months: int) -> int:
    """The 等额本息 instalment: the annuity formula, exactly, rounded half-up to the fen."""
    p, q = annuity_factor(annual_rate_bp, months)
    return _half_up(principal_fen * p, q)


def bullet_interest_fen(principal_fen: int, annual_rate_bp: int, months: int) -> int:
    """到期还本付息: principal × monthly rate × n, rounded half-up once."""
    return _half_up(principal_fen * annual_rate_bp * months, MONTHLY_RATE_DENOMINATOR)


def _integer(value: object, field: str) -> int:
    if isinstance(value, bool):
        raise ScheduleInputError(
            field, "须为整数，不能是布尔值 / must be an integer, not a boolean"
        )
    try:
        return operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise ScheduleInputError(field, "须为整数 / must be an integer") from None


def validate(
    *,
    principal_fen: object,
    annual_rate_bp: object,
    months: object,
    method: object,
    value_date: object,
) -> tuple[int, int, int, Method, date]:
    """Check the inputs of :func:`schedule`; return them normalised.

    Valid: ``1 <= principal_fen <= MAX_PRINCIPAL_FEN`` (100 亿元),
    ``0 <= annual_rate_bp <= MAX_RATE_BP`` (100.00 %), ``1 <= months <= MAX_MONTHS`` (600),
    a :class:`Method` (or its English id or Chinese name), a :class:`datetime.date` (not a
    ``datetime``) whose last due date is no later than 9999-12-31.
    Raises :class:`ScheduleInputError` naming the JSON field.
    """
    principal = _integer(principal_fen, "principal")
    if principal <= 0:
        raise ScheduleInputError("principal", "须大于 0 / must be greater than 0")
    if principal > MAX_PRINCIPAL_FEN:
        raise ScheduleInputError(
            "principal", "超过上限 100 亿元 / above the limit of 10000000000.00 yuan"
        )
    rate = _integer(annual_rate_bp, "annual_rate")
    if rate < 0:
        raise ScheduleInputError("annual_rate", "不能为负数 / must not be negative")
    if rate > MAX_RATE_BP:
        raise ScheduleInputError("annual_rate", "年利率不能超过 100% / at most 100.00 (percent)")
    n = _integer(months, "months")
    if not 1 <= n <= MAX_MONTHS:
        raise ScheduleInputError(
            "months", f"期数须在 1 至 {MAX_MONTHS} 之间 / must be within 1..{MAX_MONTHS}"
        )
    m = Method.parse(method)
    if isinstance(value_date, datetime) or not isinstance(value_date, date):
        raise ScheduleInputError("value_date", "须为日期 / must be a date")
    add_months(value_date, n)  # the last due date must exist
    return principal, rate, n, m, value_date


def schedule(
    *,
    principal_fen: int,
    annual_rate_bp: int,
    months: int,
    method: Method | str,
    value_date: date,
) -> Schedule:
    """The repayment schedule of one loan (see README.md for the rounding rules).

    Also the rescheduling function (协商还款 / 分期还款计划): pass the outstanding principal
    (e.g. ``old.balance_after(k)``) as ``principal_fen`` and the new start as ``value_date``.
    """
    p, bp, n, m, start = validate(
        principal_fen=principal_fen,
        annual_rate_bp=annual_rate_bp,
        months=months,
        method=method,
        value_date=value_date,
    )
    if m is Method.BULLET:
        interest = bullet_interest_fen(p, bp, n)
        rows: tuple[Instalment, ...] = (Instalment(1, add_months(start, n), p, interest, 0),)
    else:
        rows = tuple(_rows(p, bp, n, m, due_dates(start, n)))
    return Schedule(p, bp, n, m, start, rows)


def _rows(p: int, bp: int, n: int, m: Method, dates: tuple[date, ...]) -> list[Instalment]:
    out = []
    balance = p
    if m is Method.INTEREST_FIRST:
        interest = monthly_interest_fen(p, bp)
        for k, due in enumerate(dates, 1):
            principal = p if k == n else 0
            out.append(Instalment(k, due, principal, interest, p - principal))
        return out
    level = p // n if m is Method.EQUAL_PRINCIPAL else annuity_fen(p, bp, n)
    for k, due in enumerate(dates, 1):
        interest = monthly_interest_fen(balance, bp)
        if k == n:
            principal = balance
        elif m is Method.EQUAL_PRINCIPAL:
            principal = level
        else:
            # Never more than is outstanding: a tiny loan whose rounded-up instalment would
            # repay it before the last period is repaid there, and later rows are zero.
            principal = min(level - interest, balance)
        balance -= principal
        out.append(Instalment(k, due, principal, interest, balance))
    return out
