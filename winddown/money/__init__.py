"""Money as integer fen (分). `Decimal` only at the edges: parsing input and formatting output.

Plain Python, no Django import.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

FEN_PER_YUAN = 100
# 100 亿元 per lender per register row: far above any real claim, far below int64 overflow
# even when a million rows are summed.
MAX_ROW_FEN = 10**10 * FEN_PER_YUAN

_AMOUNT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_PLAIN = re.compile(r"(\d{1,13})(?:\.(\d{1,2}))?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


class AmountError(ValueError):
    """An amount that cannot be read; ``str(exc)`` is a Chinese message saying what to fix."""


def parse_yuan(raw: str | int | Decimal, *, allow_negative: bool = False) -> int:
    """Parse an amount in yuan into integer fen.

    Accepts full-width digits, surrounding or inner spaces, a leading ¥/￥ and thousands
    separators in the right places ("1,234.50"). Rejects more than two decimals, exponents,
    negative values (unless allowed) and amounts above MAX_ROW_FEN.
    """
    if isinstance(raw, str) and (plain := _PLAIN.fullmatch(raw)):
        # Fast path for the common "12345.67": integer arithmetic only, same result.
        whole, cents = plain.groups()
        fen = int(whole) * FEN_PER_YUAN + (int(cents.ljust(2, "0")) if cents else 0)
        if fen > MAX_ROW_FEN:
            raise AmountError(f"金额“{raw}”超过上限 100 亿元，请核对")
        return fen
    if isinstance(raw, bool):
        raise AmountError("金额不能是布尔值")
    if isinstance(raw, int):
        value = Decimal(raw)
        text = str(raw)
    else:
        text = unicodedata.normalize("NFKC", str(raw))
        text = "".join(text.split()).lstrip("¥").replace("元", "")
        if not text:
            raise AmountError("金额为空")
        if "," in text:
            if not _GROUPED.fullmatch(text):
                raise AmountError(f"金额“{raw}”的千分位逗号位置不对")
            text = text.replace(",", "")
        if not _AMOUNT.fullmatch(text):
            raise AmountError(f"金额“{raw}”不是数字")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise AmountError(f"金额“{raw}”不是数字") from None
    if value.as_tuple().exponent < -2 and value != value.quantize(Decimal("0.01")):
        raise AmountError(f"金额“{raw}”超过两位小数，请精确到分")
    if value < 0 and not allow_negative:
        raise AmountError(f"金额“{raw}”为负数，待收金额不能为负")
    fen = int(value * FEN_PER_YUAN)
    if abs(fen) > MAX_ROW_FEN:
        raise AmountError(f"金额“{raw}”超过上限 100 亿元，请核对")
    return fen


def fen_to_decimal(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def format_yuan(fen: int, *, grouping: bool = True) -> str:
    """1234567 -> "12,345.67" (always two decimals)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), FEN_PER_YUAN)
    whole_text = f"{whole:,}" if grouping else str(whole)
    return f"{sign}{whole_text}.{cents:02d}"
