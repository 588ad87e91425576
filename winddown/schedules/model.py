"""Types of the schedules core: the repayment method, an instalment, a schedule, the limits.

Money is ``int`` fen throughout; the annual rate is ``int`` basis points, hundredths of a
percent (``"4.90"`` % -> 490), so the monthly rate is exactly ``annual_rate_bp / 120000``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from winddown.money import MAX_ROW_FEN

#: Principal at most 100 亿元 (the same ceiling as a register row, ``winddown.money``).
MAX_PRINCIPAL_FEN = MAX_ROW_FEN
#: At most 600 monthly periods (50 years).
MAX_MONTHS = 600
#: Annual rate at most 100.00 % (in hundredths of a percent).
MAX_RATE_BP = 10_000
#: The monthly rate is ``annual_rate_bp / MONTHLY_RATE_DENOMINATOR`` exactly:
#: hundredths of a percent (10 000 to one) times 12 months.
MONTHLY_RATE_DENOMINATOR = 10_000 * 12


class ScheduleInputError(ValueError):
    """Invalid input. ``field`` names the JSON field (``principal``, ``annual_rate``,
    ``months``, ``method``, ``value_date``, or an unknown key; ``principal[17]`` for row 17 of
    a batch); ``message`` is bilingual ("中文 / English"), as in ``winddown.rules``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Method(StrEnum):
    """The four repayment methods (regulatory-spec G.1 / G.2)."""

    #: 等额本息: a level instalment (annuity); interest on the outstanding balance.
    EQUAL_INSTALMENT = "equal-instalment"
    #: 等额本金: level principal parts; interest on the outstanding balance.
    EQUAL_PRINCIPAL = "equal-principal"
    #: 先息后本 / 按月付息、到期还本: interest every month, all principal at maturity.
    INTEREST_FIRST = "interest-first"
    #: 到期还本付息: one payment at maturity.
    BULLET = "bullet"

    @property
    def chinese(self) -> str:
        return _CHINESE[self]

    @classmethod
    def parse(cls, value: object, field: str = "method") -> Method:
        """A :class:`Method` from itself, its English id or one of its Chinese names."""
        if isinstance(value, Method):
            return value
        if isinstance(value, str):
            found = _BY_NAME.get(value)
            if found is not None:
                return found
        choices = "、".join(f"{m.value}（{m.chinese}）" for m in cls)
        raise ScheduleInputError(
            field, f"未知的还款方式 {value!r}，可选：{choices} / unknown repayment method"
        )


_CHINESE = {
    Method.EQUAL_INSTALMENT: "等额本息",
    Method.EQUAL_PRINCIPAL: "等额本金",
    Method.INTEREST_FIRST: "先息后本",
    Method.BULLET: "到期还本付息",
}

#: Every accepted spelling. 按月付息，到期还本 is the disclosure standard's own wording
#: (披露标准 3.6.2, 003:L385); 先息后本 is the name in 002:L75.
METHOD_NAMES: dict[str, Method] = {
    **{m.value: m for m in Method},
    "等额本息": Method.EQUAL_INSTALMENT,
    "等额本金": Method.EQUAL_PRINCIPAL,
    "先息后本": Method.INTEREST_FIRST,
    "按月付息、到期还本": Method.INTEREST_FIRST,
    "按月付息，到期还本": Method.INTEREST_FIRST,
    "按月付息,到期还本": Method.INTEREST_FIRST,
    "按月付息到期还本": Method.INTEREST_FIRST,
    "到期还本付息": Method.BULLET,
}
_BY_NAME = METHOD_NAMES


@dataclass(frozen=True, slots=True)
class Instalment:
    """One period of a schedule. ``balance_fen`` is the principal outstanding after it."""

    period: int
    due_date: date
    principal_fen: int
    interest_fen: int
    balance_fen: int

    @property
    def payment_fen(self) -> int:
        return self.principal_fen + self.interest_fen


@dataclass(frozen=True, slots=True)
class Schedule:
    """A repayment schedule: the inputs it was computed from and its instalments.

    ``instalments`` has ``months`` rows, except for :attr:`Method.BULLET` (one row).
    """

    principal_fen: int
    annual_rate_bp: int
    months: int
    method: Method
    value_date: date
    instalments: tuple[Instalment, ...]

    @property
    def total_interest_fen(self) -> int:
        return sum(i.interest_fen for i in self.instalments)

    @property
    def total_payment_fen(self) -> int:
        return self.principal_fen + self.total_interest_fen

    @property
    def maturity_date(self) -> date:
        return self.instalments[-1].due_date

    def balance_after(self, period: int) -> int:
        """Principal outstanding once instalments 1..``period`` are paid (0: the principal).

        This is the amount to reschedule (协商还款 / 分期还款计划) after ``period``::

            schedule(principal_fen=s.balance_after(5), ..., value_date=new_start)
        """
        if period < 0 or period > len(self.instalments):
            raise ValueError(f"period must be within 0..{len(self.instalments)}, got {period}")
        return self.instalments[period - 1].balance_fen if period else self.principal_fen
