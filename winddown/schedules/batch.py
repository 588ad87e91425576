"""The batch path: schedules of many loans at once, numpy ``int64``, the same numbers.

Same rules and the same results as :func:`winddown.schedules.schedule` (the tests prove it
with hypothesis), computed period by period over arrays of loans instead of instalment by
instalment:

* 等额本金 and 先息后本 have closed forms and are computed for all periods at once;
* 等额本息 runs one vectorised step per period (each interest depends on the balance the
  previous rounding left); its instalment is computed exactly per loan with Python integers
  from the cached annuity fraction of its (rate, months);
* 到期还本付息 is one vectorised row.

Overflow: every intermediate is bounded by ``2·P·bp + 120000 <= 2·10^16`` (asserted below),
except the bullet interest ``2·P·bp·n + 120000``, which can pass ``2^63`` (100 亿元 at
100 % over 600 months); loans where it could take the exact scalar formula instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from .engine import annuity_factor, bullet_interest_fen, validate
from .model import (
    MAX_MONTHS,
    MAX_PRINCIPAL_FEN,
    MAX_RATE_BP,
    METHOD_NAMES,
    MONTHLY_RATE_DENOMINATOR,
    Instalment,
    Method,
    Schedule,
    ScheduleInputError,
)

#: Method codes of :attr:`ScheduleBatch.method_code`: the index in this tuple.
METHODS: tuple[Method, ...] = tuple(Method)
METHOD_CODES: dict[Method, int] = {m: i for i, m in enumerate(METHODS)}
_CODE_BY_NAME = {name: METHOD_CODES[m] for name, m in METHOD_NAMES.items()}

_M = MONTHLY_RATE_DENOMINATOR
_INT64_MAX = int(np.iinfo(np.int64).max)
# Interest on a balance B <= P: 2·B·bp + m. Principal parts, balances and instalments are
# at most P plus one month's interest.
assert 2 * MAX_PRINCIPAL_FEN * MAX_RATE_BP + _M <= _INT64_MAX
# Bullet interest 2·P·bp·n + m stays within int64 when P <= this // (bp·n).
_BULLET_LIMIT = (_INT64_MAX - _M) // 2
# Due dates: datetime64[D] covers years 1..9999 like datetime.date.
_FIRST_DAY = np.datetime64("0001-01-01", "D")
_LAST_MONTH = np.datetime64("9999-12", "M")


@dataclass(frozen=True, slots=True, eq=False)
class ScheduleBatch:
    """Schedules of ``N`` loans as arrays; row ``i`` is loan ``i``, column ``t`` period ``t+1``.

    Inputs (shape ``(N,)``): ``principal_fen``, ``annual_rate_bp``, ``months`` (int64),
    ``method_code`` (int8, index into :data:`METHODS`), ``value_date`` (datetime64[D]).
    ``periods`` (N,): the number of instalments (``months``; 1 for 到期还本付息).
    Instalments (shape ``(N, W)``, ``W`` = the largest ``periods``): ``row_due_date``
    (NaT past a loan's last period), ``row_principal_fen``, ``row_interest_fen`` (0 past the
    last period).
    """

    principal_fen: np.ndarray
    annual_rate_bp: np.ndarray
    months: np.ndarray
    method_code: np.ndarray
    value_date: np.ndarray
    periods: np.ndarray
    row_due_date: np.ndarray
    row_principal_fen: np.ndarray
    row_interest_fen: np.ndarray

    def __len__(self) -> int:
        return len(self.principal_fen)

    @property
    def row_payment_fen(self) -> np.ndarray:
        return self.row_principal_fen + self.row_interest_fen

    @property
    def row_balance_fen(self) -> np.ndarray:
        """Principal outstanding after each period (0 past the last)."""
        return self.principal_fen[:, None] - np.cumsum(self.row_principal_fen, axis=1)

    @property
    def total_interest_fen(self) -> np.ndarray:
        return self.row_interest_fen.sum(axis=1)

    def schedule(self, i: int) -> Schedule:
        """Loan ``i`` as a :class:`Schedule`, equal to what :func:`schedule` returns for it."""
        count = int(self.periods[i])
        principal = int(self.principal_fen[i])
        parts = self.row_principal_fen[i, :count].tolist()
        interests = self.row_interest_fen[i, :count].tolist()
        dates: list[date] = self.row_due_date[i, :count].astype(object).tolist()
        rows = []
        balance = principal
        for k in range(count):
            balance -= parts[k]
            rows.append(Instalment(k + 1, dates[k], parts[k], interests[k], balance))
        return Schedule(
            principal,
            int(self.annual_rate_bp[i]),
            int(self.months[i]),
            METHODS[int(self.method_code[i])],
            self.value_date[i].astype(object),
            tuple(rows),
        )


def _int_array(values: object, field: str) -> np.ndarray:
    a = np.asarray(values)
    if a.ndim != 1:
        raise ScheduleInputError(field, "须为一维数组 / must be a one-dimensional array")
    if a.size == 0:
        return a.astype(np.int64)
    if a.dtype.kind not in "iu":
        raise ScheduleInputError(field, "须为整数数组 / must be an integer array")
    if a.dtype.kind == "u" and a.dtype.itemsize == 8 and int(a.max()) > _INT64_MAX:
        raise ScheduleInputError(f"{field}[{int(a.argmax())}]", "数值过大 / too large")
    return a.astype(np.int64, copy=False)


def _method_codes(values: object) -> np.ndarray:
    if isinstance(values, np.ndarray) and values.dtype.kind in "iu":
        codes = _int_array(values, "method")
        bad = np.flatnonzero((codes < 0) | (codes >= len(METHODS)))
        if bad.size:
            raise ScheduleInputError(
                f"method[{int(bad[0])}]",
                f"方式代码须在 0 至 {len(METHODS) - 1} 之间 / code must be within "
                f"0..{len(METHODS) - 1}",
            )
        return codes.astype(np.int8)
    if isinstance(values, str):
        raise ScheduleInputError("method", "须为数组 / must be an array (one method per loan)")
    names = list(values)  # type: ignore[call-overload]
    get = _CODE_BY_NAME.get
    codes = np.array([get(x, -1) if isinstance(x, str) else -1 for x in names], dtype=np.int8)
    bad = np.flatnonzero(codes < 0)
    if bad.size:
        i = int(bad[0])
        Method.parse(names[i], f"method[{i}]")  # raises, naming the row
    return codes


def _dates(values: object) -> np.ndarray:
    """``datetime64[D]`` from a ``datetime64[D]`` array, ``date`` objects (not ``datetime``) or
    ``YYYY-MM-DD`` strings; anything else names the first offending row."""
    a = np.asarray(values)
    if a.ndim != 1:
        raise ScheduleInputError("value_date", "须为一维数组 / must be a one-dimensional array")
    if a.size == 0:
        return a.astype("datetime64[D]")
    if a.dtype.kind == "M":
        if a.dtype != np.dtype("datetime64[D]"):
            raise ScheduleInputError("value_date", "须为 datetime64[D] / must be datetime64[D]")
        return a
    if a.dtype.kind == "U":
        try:
            d = a.astype("datetime64[D]")
            if (np.datetime_as_string(d, unit="D") == a).all():  # strictly YYYY-MM-DD
                return d
        except ValueError:
            pass
        for i, text in enumerate(a.tolist()):
            try:
                good = str(np.datetime64(text, "D")) == text
            except ValueError:
                good = False
            if not good:
                raise ScheduleInputError(
                    f"value_date[{i}]", f"须为有效日期 YYYY-MM-DD：{text!r} / not a real date"
                )
    if a.dtype.kind == "O":
        for i, x in enumerate(a.tolist()):
            if isinstance(x, datetime) or not isinstance(x, date):
                raise ScheduleInputError(f"value_date[{i}]", "须为日期 / must be a date")
        return a.astype("datetime64[D]")
    raise ScheduleInputError("value_date", "须为日期数组 / must be an array of dates")


def _raise_row(i: int, p, bp, n, code, value) -> None:
    """Re-raise the scalar path's message for row ``i``, the field indexed."""
    try:
        validate(
            principal_fen=int(p[i]),
            annual_rate_bp=int(bp[i]),
            months=int(n[i]),
            method=METHODS[int(code[i])],
            value_date=value[i].astype(object) if not np.isnat(value[i]) else None,
        )
    except ScheduleInputError as exc:
        raise ScheduleInputError(f"{exc.field}[{i}]", exc.message) from None
    raise AssertionError(f"row {i} failed the batch checks but passed validate()")


def schedules_batch(
    *,
    principal_fen: Sequence[int] | np.ndarray,
    annual_rate_bp: Sequence[int] | np.ndarray,
    months: Sequence[int] | np.ndarray,
    method: Sequence[Method | str] | np.ndarray,
    value_date: Sequence[date] | np.ndarray,
) -> ScheduleBatch:
    """The schedules of many loans; the arguments are those of :func:`schedule`, one per loan.

    ``method`` is a sequence of :class:`Method` (or names), or an integer array of codes
    (:data:`METHOD_CODES`). ``value_date`` is anything ``numpy.asarray(..., "datetime64[D]")``
    accepts (``date`` objects, ISO strings, a ``datetime64[D]`` array). The limits are those
    of :func:`validate`; the first invalid loan raises :class:`ScheduleInputError` with its
    index in the field (``principal[17]``) and the scalar path's message.
    """
    p = _int_array(principal_fen, "principal")
    bp = _int_array(annual_rate_bp, "annual_rate")
    n = _int_array(months, "months")
    code = _method_codes(method)
    value = _dates(value_date)
    for field, a in (("annual_rate", bp), ("months", n), ("method", code), ("value_date", value)):
        if len(a) != len(p):
            raise ScheduleInputError(
                field,
                f"长度 {len(a)} 与 principal 的 {len(p)} 不同 / length differs from principal",
            )
    count = len(p)
    if count:
        with np.errstate(over="ignore"):
            last_month = value.astype("datetime64[M]") + np.clip(n, 0, MAX_MONTHS)
        bad = (
            (p < 1)
            | (p > MAX_PRINCIPAL_FEN)
            | (bp < 0)
            | (bp > MAX_RATE_BP)
            | (n < 1)
            | (n > MAX_MONTHS)
            | np.isnat(value)
            | (value < _FIRST_DAY)
            | (last_month > _LAST_MONTH)
        )
        if bad.any():
            _raise_row(int(np.flatnonzero(bad)[0]), p, bp, n, code, value)

    bullet = METHOD_CODES[Method.BULLET]
    periods = np.where(code == bullet, 1, n)
    width = int(periods.max()) if count else 0
    row_p = np.zeros((count, width), dtype=np.int64)
    row_i = np.zeros((count, width), dtype=np.int64)
    for m, compute in _BY_METHOD.items():
        idx = np.flatnonzero(code == METHOD_CODES[m])
        if not idx.size:
            continue
        whole = idx.size == count
        gp, gi = compute(
            p if whole else p[idx], bp if whole else bp[idx], n if whole else n[idx], width
        )
        if whole:
            row_p, row_i = gp, gi
        else:
            row_p[idx] = gp
            row_i[idx] = gi
    return ScheduleBatch(
        principal_fen=p,
        annual_rate_bp=bp,
        months=n,
        method_code=code,
        value_date=value,
        periods=periods,
        row_due_date=_due_dates(value, n, code == bullet, periods, width),
        row_principal_fen=row_p,
        row_interest_fen=row_i,
    )


def _interest(balance: np.ndarray, bp: np.ndarray) -> np.ndarray:
    """Half-up ``balance × bp / 120000`` (the same formula as ``monthly_interest_fen``)."""
    return (2 * balance * bp + _M) // (2 * _M)


def _annuities(p: np.ndarray, bp: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Each loan's 等额本息 instalment, exact: Python integers, one fraction per (rate, n)."""
    keys, inverse = np.unique(bp * (MAX_MONTHS + 1) + n, return_inverse=True)
    factors = [annuity_factor(*divmod(int(k), MAX_MONTHS + 1)) for k in keys]
    nums = [f[0] for f in factors]
    dens = [2 * f[1] for f in factors]
    out = [
        (2 * x * nums[j] + dens[j] // 2) // dens[j]
        for x, j in zip(p.tolist(), inverse.ravel().tolist(), strict=True)
    ]
    return np.array(out, dtype=np.int64)


def _equal_instalment(p, bp, n, width):
    level = _annuities(p, bp, n)
    balance = p.copy()
    last = n - 1
    out_p = np.empty((len(p), width), dtype=np.int64)
    out_i = np.empty((len(p), width), dtype=np.int64)
    for t in range(width):
        interest = _interest(balance, bp)
        # After the last period the balance is 0, so the interest and the part are 0.
        part = np.minimum(level - interest, balance)
        np.copyto(part, balance, where=last == t)
        balance -= part
        out_p[:, t] = part
        out_i[:, t] = interest
    return out_p, out_i


def _equal_principal(p, bp, n, width):
    level = p // n
    t = np.arange(width)
    active = t[None, :] < n[:, None]
    last = t[None, :] == (n - 1)[:, None]
    balance_before = np.where(active, p[:, None] - level[:, None] * t[None, :], 0)
    parts = np.where(last, balance_before, np.where(active, level[:, None], 0))
    return parts, _interest(balance_before, bp[:, None])


def _interest_first(p, bp, n, width):
    t = np.arange(width)
    active = t[None, :] < n[:, None]
    last = t[None, :] == (n - 1)[:, None]
    parts = np.where(last, p[:, None], 0)
    return parts, np.where(active, _interest(p, bp)[:, None], 0)


def _bullet(p, bp, n, width):
    out_p = np.zeros((len(p), width), dtype=np.int64)
    out_i = np.zeros((len(p), width), dtype=np.int64)
    out_p[:, 0] = p
    factor = bp * n
    safe = p <= _BULLET_LIMIT // np.maximum(factor, 1)
    out_i[:, 0] = np.where(safe, (2 * np.where(safe, p, 0) * factor + _M) // (2 * _M), 0)
    for j in np.flatnonzero(~safe).tolist():  # the exact scalar formula, Python integers
        out_i[j, 0] = bullet_interest_fen(int(p[j]), int(bp[j]), int(n[j]))
    return out_p, out_i


_BY_METHOD = {
    Method.EQUAL_INSTALMENT: _equal_instalment,
    Method.EQUAL_PRINCIPAL: _equal_principal,
    Method.INTEREST_FIRST: _interest_first,
    Method.BULLET: _bullet,
}


def _due_dates(value, n, bullet, periods, width):
    """Period ``t+1``'s due date: ``t+1`` months on (``n`` for a bullet), day clamped.

    Integer arithmetic on days since 1970-01-01, with one table of the first day and the
    length of every month the batch can reach (calendar conversions are numpy's slow part).
    """
    out = np.full((len(value), width), np.iinfo(np.int64).min, dtype=np.int64)  # NaT
    if not len(value):
        return out.view("datetime64[D]")
    month = value.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    lo = int(month.min())
    hi = int(month.max()) + max(width, int(n.max())) + 1
    starts = np.arange(lo, hi + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    lengths = np.diff(starts)
    month -= lo
    day0 = value.astype(np.int64) - starts[month]  # day of the month − 1
    for t in range(width):
        target = month + np.where(bullet, n, 1) if t == 0 else month + (t + 1)
        due = starts[target] + np.minimum(day0, lengths[target] - 1)
        out[:, t] = np.where(t < periods, due, out[:, t])
    return out.view("datetime64[D]")


__all__ = ["METHODS", "METHOD_CODES", "ScheduleBatch", "schedules_batch"]
