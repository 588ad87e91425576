"""Repayment schedules: pure Python, integer fen, no float, no Django.

Four methods — 等额本息 ``equal-instalment``, 等额本金 ``equal-principal``,
先息后本 / 按月付息、到期还本 ``interest-first``, 到期还本付息 ``bullet`` — with the
monthly rate exactly annual rate / 12 and every amount rounded to the fen by the rules
of issue 17 (README.md), so the principal parts always add up to the principal.

>>> from datetime import date
>>> s = schedule(principal_fen=10_000_000, annual_rate_bp=490, months=12,
...              method="等额本息", value_date=date(2026, 1, 15))
>>> first = s.instalments[0]
>>> first.due_date, first.principal_fen, first.interest_fen, first.payment_fen
(datetime.date(2026, 2, 15), 814784, 40833, 855617)

The batch path (``schedules_batch``: numpy, imported on first use) gives the same numbers
for arrays of loans. See README.md in this directory for the API and the JSON contract.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .dates import add_months, due_date, due_dates
from .engine import (
    annuity_factor,
    annuity_fen,
    bullet_interest_fen,
    monthly_interest_fen,
    schedule,
    validate,
)
from .jsonio import from_json, schedule_json, to_json
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

if TYPE_CHECKING:
    from .batch import ScheduleBatch, schedules_batch

__all__ = [
    "MAX_MONTHS",
    "MAX_PRINCIPAL_FEN",
    "MAX_RATE_BP",
    "METHOD_NAMES",
    "MONTHLY_RATE_DENOMINATOR",
    "Instalment",
    "Method",
    "Schedule",
    "ScheduleBatch",
    "ScheduleInputError",
    "add_months",
    "annuity_factor",
    "annuity_fen",
    "bullet_interest_fen",
    "due_date",
    "due_dates",
    "from_json",
    "monthly_interest_fen",
    "schedule",
    "schedule_json",
    "schedules_batch",
    "to_json",
    "validate",
]


def __getattr__(name: str) -> Any:
    # numpy is imported only when the batch path is used: the CLI and the scalar path
    # start without it.
    if name in ("ScheduleBatch", "schedules_batch"):
        from . import batch

        return getattr(batch, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
