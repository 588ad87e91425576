"""The shape of the association's indicator tables (报送标准, 003:L629–1310; spec B.4–B.5).

A table is data: one :class:`Table` declaration lists its :class:`Indicator` rows exactly as
the standard writes them (code, name, frequency, unit), so a revised standard is a change
of data, not of forms (报送标准 (二)5 L660: "相关指标在填报期间如有变化，以填报时要求为准";
spec I‑64: each filing stores the definition-set version it was filed under).

The standard states no data type (spec B.4); :class:`Kind` is the inferred one from the
spec's 类型/单位 column. Amounts are in 万元 (每表填报说明); six decimals of 万元 are exactly
one fen, so every amount is held as integer fen (spec I‑12).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

#: The version of the definition set below (报送标准 as quoted in spec B.5, wave 2).
DEFINITIONS_VERSION = "ahifa-2019-spec-b5"


class Frequency(StrEnum):
    ANNUAL = "annual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"

    @property
    def label(self) -> str:
        return {"annual": "年度", "quarterly": "季度", "monthly": "月度"}[self.value]

    @property
    def period_kind(self) -> str:
        """The kind of :class:`winddown.calendar.Period` a filing of this frequency covers."""
        return {"annual": "year", "quarterly": "quarter", "monthly": "month"}[self.value]


ANNUAL, QUARTERLY, MONTHLY = Frequency.ANNUAL, Frequency.QUARTERLY, Frequency.MONTHLY


class Kind(StrEnum):
    """The data type of a cell (spec B.4 类型/单位, [inferred] where the standard is silent)."""

    TEXT = "text"
    LONG_TEXT = "long_text"
    DATE = "date"  # yyyy-mm-dd (unpadded accepted, I‑13)
    DATES = "dates"  # several dates separated by ；/; (AH1010)
    DATE_RANGE = "date_range"  # 起～止 (AH705)
    AMOUNT = "amount"  # 万元, up to six decimals → integer fen (I‑12)
    AMOUNT_PAIR = "amount_pair"  # AH1006 注册资本；实缴资本 (I‑27)
    COUNT = "count"  # whole number (个, 人, 笔)
    PERCENT = "percent"  # a number of percent without the sign ("13" for 13 %)
    NUMBER = "number"  # a decimal with its own unit (月, 元/股)
    ENUM = "enum"  # one of ``choices``
    OPEN_ENUM = "open_enum"  # ``choices`` are examples; other text allowed (AH706)
    ATTACHMENT = "attachment"  # a file (AH614 合同模板, optional)


NUMERIC_KINDS = frozenset({Kind.AMOUNT, Kind.COUNT, Kind.PERCENT, Kind.NUMBER})

_DEFAULT_UNITS = {Kind.AMOUNT: "万元", Kind.AMOUNT_PAIR: "万元", Kind.PERCENT: "%"}


@dataclass(frozen=True, slots=True)
class Indicator:
    row: int  # 序号
    code: str  # 指标编码 as written: AH1001, AH501 (not re-padded, spec B.6 #18)
    name: str  # 指标名称 as written
    frequency: Frequency
    kind: Kind
    unit: str = ""
    sub: str = ""  # AH-02 子编号 (1.1 … 8.2.2), as written
    required: bool = True  # R* → required; C / O → not (spec B.4)
    negative: bool = False  # "以“-”号填列" rows may be negative
    choices: tuple[str, ...] = ()
    repeats: bool = False  # AH2031–AH2036: one value per director / supervisor / executive
    line: str = ""  # where the row is in 003

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "unit": self.unit}

    def as_full_dict(self) -> dict:
        return {
            "row": self.row,
            "code": self.code,
            "sub": self.sub,
            "name": self.name,
            "frequency": self.frequency.value,
            "unit": self.unit,
            "kind": self.kind.value,
            "required": self.required,
            "negative": self.negative,
            "choices": list(self.choices),
            "repeats": self.repeats,
            "source": f"003:{self.line}",
        }


def ind(
    row: int,
    code: str,
    name: str,
    frequency: Frequency,
    kind: Kind,
    *,
    unit: str | None = None,
    sub: str = "",
    required: bool = True,
    negative: bool = False,
    choices: tuple[str, ...] = (),
    repeats: bool = False,
    line: str = "",
) -> Indicator:
    return Indicator(
        row=row,
        code=code,
        name=name,
        frequency=frequency,
        kind=kind,
        unit=_DEFAULT_UNITS.get(kind, "") if unit is None else unit,
        sub=sub,
        required=required,
        negative=negative,
        choices=choices,
        repeats=repeats,
        line=line,
    )


@dataclass(frozen=True, slots=True)
class Table:
    """One 采集指标表. ``per`` names what a row set repeats for (AH‑06: one per product,
    AH‑07: one per partner institution; spec B.5.6–B.5.7 [inferred]); empty: one row set."""

    code: str  # AH-01
    name: str  # the overview's name (报送标准 一、(一), L639–648)
    heading: str  # the table's own heading, where it differs (spec B.6 #13)
    frequency: Frequency  # the overview's 频度 (AH-06: 月度, its rows say 季度, B.6 #4)
    deadline: str  # 报送时间 as written
    source: str
    indicators: tuple[Indicator, ...]
    per: str = ""
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        codes = [i.code for i in self.indicators]
        if len(set(codes)) != len(codes):
            raise ValueError(f"{self.code}: duplicate indicator codes")

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.indicators)

    def indicator(self, code: str) -> Indicator:
        for i in self.indicators:
            if i.code == code:
                return i
        raise KeyError(code)

    def as_dict(self) -> dict:
        return {
            "table": self.code,
            "name": self.name,
            "frequency": self.frequency.value,
            "indicators": [i.as_dict() for i in self.indicators],
        }

    def as_full_dict(self) -> dict:
        return {
            "table": self.code,
            "name": self.name,
            "heading": self.heading,
            "frequency": self.frequency.value,
            "deadline": self.deadline,
            "source": self.source,
            "per": self.per,
            "notes": list(self.notes),
            "indicators": [i.as_full_dict() for i in self.indicators],
        }
