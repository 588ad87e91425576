"""Reporting periods: a year (``2025``), a quarter (``2026-Q3``), a month (``2026-09``).

报送标准 总体填报要求 3: "数据信息按月报送的，统计时点为统计月末最后一日 24 时；数据
信息按季度报送的，统计时点为统计季度末最后一日 24 时；数据信息按年度报送的，统计时点
为统计年度末最后一日 24 时。" — a period ends on its last day, and deadlines
("月后10日前", "季后20日前", "年后1月10日前") count from the day after.

Text forms are strict: four ASCII digits for the year, ``Q1``–``Q4`` (capital
Q) for quarters, two digits ``01``–``12`` for months. Anything else raises
:class:`~winddown.calendar.errors.InvalidPeriod`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from .errors import InvalidPeriod

PeriodKind = Literal["year", "quarter", "month"]
KINDS: tuple[PeriodKind, ...] = ("year", "quarter", "month")
KIND_NAMES = {"year": "年度", "quarter": "季度", "month": "月度"}
_QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")

_SHAPE = re.compile(r"([0-9]{4})(?:-(.*))?", re.DOTALL)
_QUARTER = re.compile(r"Q([0-9]+)")
_MONTH = re.compile(r"[0-9]{2}")


def last_day_of_month(year: int, month: int) -> date:
    """The last day of ``month`` in ``year``."""
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Period:
    """A reporting period. ``index`` is the quarter (1–4), the month (1–12), or 1 for a year."""

    kind: PeriodKind
    year: int
    index: int = 1

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InvalidPeriod(self.kind, "期间类型须为 year / quarter / month")
        if type(self.year) is not int or not 1 <= self.year <= 9998:
            raise InvalidPeriod(self.year, "年份须为 0001–9998")
        top = {"year": 1, "quarter": 4, "month": 12}[self.kind]
        if type(self.index) is not int or not 1 <= self.index <= top:
            raise InvalidPeriod(self.index, f"{KIND_NAMES[self.kind]}序号须为 1–{top}")

    @classmethod
    def parse(cls, text: str | Period) -> Period:
        """``"2025"`` → year, ``"2026-Q3"`` → quarter, ``"2026-09"`` → month.

        A :class:`Period` is returned unchanged. Raises :class:`InvalidPeriod`.
        """
        if isinstance(text, Period):
            return text
        if not isinstance(text, str):
            raise InvalidPeriod(text, "须为文字")
        shape = _SHAPE.fullmatch(text)
        if shape is None:
            raise InvalidPeriod(text)
        year = int(shape.group(1))
        if year == 0:
            raise InvalidPeriod(text, "年份不能为 0000")
        rest = shape.group(2)
        if rest is None:
            return cls("year", year)
        quarter = _QUARTER.fullmatch(rest)
        if quarter is not None:
            q = int(quarter.group(1))
            if not 1 <= q <= 4:
                raise InvalidPeriod(text, "季度须为 Q1–Q4")
            return cls("quarter", year, q)
        if _MONTH.fullmatch(rest):
            m = int(rest)
            if not 1 <= m <= 12:
                raise InvalidPeriod(text, "月份须为 01–12")
            return cls("month", year, m)
        raise InvalidPeriod(text)

    @property
    def first_month(self) -> int:
        return {"year": 1, "quarter": 3 * self.index - 2, "month": self.index}[self.kind]

    @property
    def last_month(self) -> int:
        return {"year": 12, "quarter": 3 * self.index, "month": self.index}[self.kind]

    @property
    def first_day(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def last_day(self) -> date:
        """The period's last day: its statistic time point is 24:00 of this day (标准 (二)3)."""
        return last_day_of_month(self.year, self.last_month)

    def month_after(self, k: int = 1) -> tuple[int, int]:
        """``(year, month)`` of the ``k``-th month after the period's last month
        (``k = 1``: the month right after — "月后", "季后", "年后1月")."""
        m0 = self.year * 12 + (self.last_month - 1) + k
        return m0 // 12, m0 % 12 + 1

    @property
    def label(self) -> str:
        """The text form: ``2025``, ``2026-Q3``, ``2026-09``."""
        if self.kind == "year":
            return f"{self.year:04d}"
        if self.kind == "quarter":
            return f"{self.year:04d}-Q{self.index}"
        return f"{self.year:04d}-{self.index:02d}"

    @property
    def name(self) -> str:
        """The Chinese name: ``2025年度``, ``2026年第三季度``, ``2026年9月``."""
        if self.kind == "year":
            return f"{self.year}年度"
        if self.kind == "quarter":
            return f"{self.year}年{_QUARTER_NAMES[self.index - 1]}"
        return f"{self.year}年{self.index}月"

    def __str__(self) -> str:
        return self.label


def parse_period(text: str | Period) -> Period:
    """Same as :meth:`Period.parse`."""
    return Period.parse(text)
