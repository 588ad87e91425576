"""Reading one cell of a filing: the text an institution typed or uploaded, checked against
its indicator's type and unit, into a plain value (integers only for numbers).

* Amounts (万元): "本表填报金额单位为“万元”，保留两位以上小数" (L698, L804, L944, L1088,
  L1181, L1253). Up to six decimals are accepted: six decimals of 万元 are one fen, so the
  value is held exactly as integer fen (spec I‑12). A cell that names another unit ("元",
  "亿元") is refused with the conversion to make.
* Percentages: a number of percent without the sign, "例如股东持股比例为13%，则该指标填写
  “13”" (L820); a trailing "%" is tolerated. Held as millionths of a percent.
* Dates: "yyyy-mm-dd"; the standard's own example "2015-1-31" (L700) is accepted too (I‑13).
* Counts: whole numbers (个、人、笔).

Every refusal is a :class:`CellError` whose message (Chinese) names what to type instead;
the caller adds the indicator code and the row.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from .model import Indicator, Kind

FEN_PER_WAN = 1_000_000  # 1 万元 = 10,000 元 = 1,000,000 分
SCALE = 1_000_000  # percentages and other decimals: millionths
MAX_DECIMALS = 6
MAX_FEN = 10**17  # 1,000 亿万元: far above any balance sheet, inside BIGINT
MAX_COUNT = 10**12
TEXT_LIMIT = 2_000
LONG_TEXT_LIMIT = 20_000

_NUMBER = re.compile(r"([+-]?)(\d+)(?:\.(\d+))?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?: 00:00:00)?")
_SEPARATORS = re.compile(r"\s*[;；]\s*")
_RANGE = re.compile(r"\s*(?:至|到|~|～|—|--)\s*")
_OTHER_UNITS = ("亿元", "千元", "百元", "元")
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class CellError(ValueError):
    """A cell that cannot be read; ``kind`` is ``text_in_number``, ``unit``, ``decimals``,
    ``negative``, ``range``, ``date``, ``choice``, ``length`` or ``required``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def normalize(text: object) -> str:
    """NFKC (full-width digits and signs), trimmed; ``None`` is blank."""
    if text is None:
        return ""
    return unicodedata.normalize("NFKC", str(text)).strip()


def _decimal(text: str, *, what: str, allow_negative: bool) -> int:
    """``text`` × 10⁶ as an integer (exact), or CellError."""
    raw = text.replace(" ", "")
    if _GROUPED.fullmatch(raw):
        raw = raw.replace(",", "")
    match = _NUMBER.fullmatch(raw)
    if match is None:
        raise CellError("text_in_number", f"“{text}”不是数字，{what}")
    sign, whole, frac = match.groups()
    frac = frac or ""
    if len(frac) > MAX_DECIMALS:
        raise CellError(
            "decimals", f"“{text}”的小数超过{MAX_DECIMALS}位，请保留至多{MAX_DECIMALS}位小数"
        )
    value = int(whole) * SCALE + int(frac.ljust(MAX_DECIMALS, "0"))
    if sign == "-" and value:
        if not allow_negative:
            raise CellError("negative", f"“{text}”为负数，本指标不能填负数")
        value = -value
    return value


def parse_amount(text: str, *, allow_negative: bool = False) -> int:
    """An amount in 万元 (up to six decimals) as integer fen."""
    body = text
    if body.endswith("万元"):
        body = body[:-2].strip()
    else:
        for unit in _OTHER_UNITS:
            if body.endswith(unit):
                raise CellError(
                    "unit",
                    f"“{text}”的单位是“{unit}”，本表金额单位为“万元”：请换算为万元后只填数字"
                    "（1万元＝10000元，例如 12345.67元 填 1.234567）",
                )
    fen = _decimal(body, what="请只填万元数额（例如 1234.56）", allow_negative=allow_negative)
    if abs(fen) > MAX_FEN:
        raise CellError("range", f"“{text}”万元超出合理范围，请核对单位是否为万元")
    return fen


def parse_count(text: str) -> int:
    body = text
    for unit in ("个", "人", "笔", "户", "支", "家"):
        if body.endswith(unit):
            body = body[: -len(unit)].strip()
            break
    value = _decimal(body, what="请填整数（例如 12）", allow_negative=False)
    if value % SCALE:
        raise CellError("decimals", f"“{text}”不是整数，数量请填整数")
    if value // SCALE > MAX_COUNT:
        raise CellError("range", f"“{text}”超出合理范围，请核对")
    return value // SCALE


def parse_percent(text: str) -> int:
    body = text[:-1].strip() if text.endswith("%") else text
    return _decimal(body, what="请填百分数的数值，不带%号（例如 13%填 13）", allow_negative=False)


def parse_number(text: str, *, allow_negative: bool) -> int:
    return _decimal(text, what="请填数值（例如 6.3）", allow_negative=allow_negative)


def parse_date(text: str) -> date:
    match = _DATE.fullmatch(text)
    if match is None:
        raise CellError("date", f"“{text}”不是日期，请按 yyyy-mm-dd 填写（例如 2015-01-31）")
    y, m, d = map(int, match.groups())
    try:
        return date(y, m, d)
    except ValueError:
        raise CellError("date", f"“{text}”不是存在的日期，请核对年月日") from None


def uscc_error(code: str) -> str | None:
    """Why ``code`` is not a valid 统一社会信用代码 (GB 32100‑2015), or None."""
    if len(code) != 18:
        return f"社会信用代码应为18位，现为{len(code)}位"
    body = code.upper()
    if any(c not in _USCC_ALPHABET for c in body):
        return "社会信用代码含有不允许的字符（不使用 I、O、S、V、Z）"
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(body[:17], _USCC_WEIGHTS, strict=True))
    if _USCC_ALPHABET[(31 - total % 31) % 31] != body[17]:
        return "社会信用代码校验位不正确，请核对是否抄错"
    return None


def parse_cell(indicator: Indicator, raw: object) -> object:
    """The value of ``raw`` for ``indicator``, ``None`` when blank (and allowed).

    Amounts → fen (int); counts → int; percentages and numbers → millionths (int);
    dates → :class:`date`; AH1006 → (注册资本, 实缴资本) in fen; AH1010 → tuple of dates;
    AH705 → (start, end); text → str.
    """
    text = normalize(raw)
    kind = indicator.kind
    if not text:
        if indicator.required and kind is not Kind.ATTACHMENT:
            raise CellError("required", "未填写；本指标必填，数值无则填 0，文字无则填“无”")
        return None
    if kind is Kind.AMOUNT:
        return parse_amount(text, allow_negative=indicator.negative)
    if kind is Kind.COUNT:
        return parse_count(text)
    if kind is Kind.PERCENT:
        return parse_percent(text)
    if kind is Kind.NUMBER:
        return parse_number(text, allow_negative=indicator.negative)
    if kind is Kind.DATE:
        return parse_date(text)
    if kind is Kind.DATES:
        return tuple(parse_date(part) for part in _SEPARATORS.split(text) if part)
    if kind is Kind.DATE_RANGE:
        parts = _RANGE.split(text)
        if len(parts) != 2:
            raise CellError(
                "date",
                f"“{text}”不是日期区间，请填“起始日期至终止日期”，例如 2019-01-01至2020-12-31",
            )
        start, end = parse_date(parts[0]), parse_date(parts[1])
        if end < start:
            raise CellError("date", f"“{text}”的终止日期早于起始日期")
        return (start, end)
    if kind is Kind.AMOUNT_PAIR:
        parts = [p for p in re.split(r"\s*[;；,，、]\s*", text) if p]
        if len(parts) != 2:
            raise CellError(
                "text_in_number",
                f"“{text}”应为两个万元数额：注册资本；实缴资本（例如 5000；3000）",
            )
        return (parse_amount(parts[0]), parse_amount(parts[1]))
    if kind is Kind.ENUM:
        if text not in indicator.choices:
            raise CellError("choice", f"“{text}”不是可选值，请填{'、'.join(indicator.choices)}之一")
        return text
    limit = LONG_TEXT_LIMIT if kind is Kind.LONG_TEXT else TEXT_LIMIT
    if len(text) > limit:
        raise CellError("length", f"内容超过{limit}字，请精简")
    return text


def format_value(indicator: Indicator, value: object) -> str:
    """The canonical text of a parsed value (万元 with six decimals; ISO dates)."""
    if value is None:
        return ""
    kind = indicator.kind
    if kind is Kind.AMOUNT:
        return format_scaled(value)
    if kind is Kind.AMOUNT_PAIR:
        return "；".join(format_scaled(v) for v in value)
    if kind in (Kind.PERCENT, Kind.NUMBER):
        return format_scaled(value)
    if kind is Kind.COUNT:
        return str(value)
    if kind is Kind.DATE:
        return value.isoformat()
    if kind is Kind.DATES:
        return "；".join(d.isoformat() for d in value)
    if kind is Kind.DATE_RANGE:
        return f"{value[0].isoformat()}至{value[1].isoformat()}"
    return str(value)


def format_scaled(value: int) -> str:
    """Millionths (or fen of 万元) as a decimal with six places: 1234560000 → "1234.560000"."""
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), SCALE)
    return f"{sign}{whole}.{frac:06d}"
