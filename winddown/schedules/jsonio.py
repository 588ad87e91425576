"""JSON edge: decimal strings in, decimal strings out (see README.md for the contract).

The core works on ``int`` fen and ``int`` hundredths of a percent; this module is the only
place where they are parsed from and formatted to strings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from winddown.money import format_yuan

from .engine import schedule
from .model import MAX_PRINCIPAL_FEN, MAX_RATE_BP, Schedule, ScheduleInputError

FIELDS = ("principal", "annual_rate", "months", "method", "value_date")

_DECIMAL = re.compile(r"([0-9]+)(?:\.([0-9]{1,2}))?")
_TOO_MANY_DECIMALS = re.compile(r"-?[0-9]+\.[0-9]{3,}")
_NEGATIVE = re.compile(r"-[0-9]+(?:\.[0-9]*)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_hundredths(value: object, field: str, *, what: str, example: str) -> int:
    """A non-negative amount with at most two decimals, in hundredths.

    Accepts a decimal string (``"4.90"``, ``"4.9"``, ``"5"``) or a JSON integer
    (``5`` = 5.00). Refuses JSON non-integer numbers (binary floats cannot carry fen
    exactly: send a string), booleans, signs, exponents, spaces, thousands separators.
    """
    if isinstance(value, bool):
        raise ScheduleInputError(
            field, f"{what}不能是布尔值 / must be a decimal string, not a boolean"
        )
    if isinstance(value, int):
        if value < 0:
            raise ScheduleInputError(field, "不能为负数 / must not be negative")
        return value * 100
    if isinstance(value, float):
        raise ScheduleInputError(
            field,
            f'{what}请以字符串给出，如 "{example}" / give it as a decimal string, e.g. "{example}"',
        )
    if not isinstance(value, str):
        raise ScheduleInputError(
            field, f'{what}须为字符串，如 "{example}" / must be a decimal string'
        )
    if match := _DECIMAL.fullmatch(value):
        whole, frac = match.groups()
        if len(whole) > 20:  # far above every limit; spares int() a huge string
            return 10**22
        return int(whole) * 100 + int((frac or "").ljust(2, "0"))
    if _TOO_MANY_DECIMALS.fullmatch(value):
        raise ScheduleInputError(field, f"{what}至多两位小数 / at most two decimals")
    if _NEGATIVE.fullmatch(value):
        raise ScheduleInputError(field, "不能为负数 / must not be negative")
    raise ScheduleInputError(
        field, f'{what}格式不对：{value!r}，应如 "{example}" / not a decimal like "{example}"'
    )


def parse_principal(value: object) -> int:
    """``"100000.00"`` -> 10000000 fen; 1 fen to 100 亿元."""
    fen = parse_hundredths(value, "principal", what="金额", example="100000.00")
    if fen == 0:
        raise ScheduleInputError("principal", "须大于 0 / must be greater than 0")
    if fen > MAX_PRINCIPAL_FEN:
        raise ScheduleInputError(
            "principal", "超过上限 100 亿元 / above the limit of 10000000000.00 yuan"
        )
    return fen


def parse_annual_rate(value: object) -> int:
    """A percentage: ``"4.90"`` -> 490 hundredths of a percent; 0 to 100.00."""
    bp = parse_hundredths(value, "annual_rate", what="年利率（百分数）", example="4.90")
    if bp > MAX_RATE_BP:
        raise ScheduleInputError("annual_rate", "年利率不能超过 100% / at most 100.00 (percent)")
    return bp


def parse_months(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScheduleInputError("months", "期数须为整数，如 12 / must be a JSON integer, e.g. 12")
    return value  # the range is checked by the core


def parse_date(value: object) -> date:
    """A real calendar date written ``YYYY-MM-DD``."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ScheduleInputError(
            "value_date", '起息日须写作 "YYYY-MM-DD"，如 "2026-01-15" / must be "YYYY-MM-DD"'
        )
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ScheduleInputError("value_date", f"不是有效日期：{value} / not a real date") from None


def from_json(doc: object) -> dict[str, Any]:
    """The keyword arguments of :func:`~winddown.schedules.schedule` from a parsed document."""
    if not isinstance(doc, Mapping):
        raise ScheduleInputError("(document)", "须为 JSON 对象 / must be a JSON object")
    for key in doc:
        if key not in FIELDS:
            raise ScheduleInputError(
                str(key), f"未知字段 / unknown field (allowed: {', '.join(FIELDS)})"
            )
    for key in FIELDS:
        if key not in doc:
            raise ScheduleInputError(key, "缺少此字段 / missing")
    method = doc["method"]
    if not isinstance(method, str):
        raise ScheduleInputError("method", "须为字符串 / must be a string")
    return {
        "principal_fen": parse_principal(doc["principal"]),
        "annual_rate_bp": parse_annual_rate(doc["annual_rate"]),
        "months": parse_months(doc["months"]),
        "method": method,
        "value_date": parse_date(doc["value_date"]),
    }


def _yuan(fen: int) -> str:
    return format_yuan(fen, grouping=False)


def to_json(result: Schedule) -> dict[str, Any]:
    """``{"instalments": [...], "total_interest": "..."}``; amounts as decimal strings."""
    return {
        "instalments": [
            {
                "period": i.period,
                "due_date": i.due_date.isoformat(),
                "principal": _yuan(i.principal_fen),
                "interest": _yuan(i.interest_fen),
                "payment": _yuan(i.payment_fen),
                "balance": _yuan(i.balance_fen),
            }
            for i in result.instalments
        ],
        "total_interest": _yuan(result.total_interest_fen),
    }


def schedule_json(doc: object) -> dict[str, Any]:
    """``to_json(schedule(**from_json(doc)))``."""
    return to_json(schedule(**from_json(doc)))
