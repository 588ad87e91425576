"""Filing deadlines of the association's reporting (信息报送), as settings.

报送标准 一、(一) 信息报送指标表报送时间及要求一览表 (003:L639–648):

    频度  采集表代码  采集表名称                  报送时间
    年度  AH-01       基本情况采集指标表          年后1月10日前
    年度  AH-02       股东、董监高信息采集指标表  年后1月10日前
    季度  AH-03       资产负债采集指标表          季后20日前
    季度  AH-04       利润情况采集指标表          季后20日前
    月度  AH-05       业务发展状况采集指标表      月后10日前
    月度  AH-06       产品情况采集指标表          月后10日前
    月度  AH-07       合作机构情况采集指标表      月后10日前

报送标准 (二)4 (L658): "数据信息报送时间逢国家法定节假日及双休日顺延。"

The sources disagree (spec B.6 #1, I‑1): 报送办法 第四条(五) (L543) says
"网络借贷信息中介机构应当在每月前 5 个工作日内，报送截至上上一个月末经网络借贷信息
中介机构撮合交易的如下信息" — the 5th working day of the month, not the 10th day.
So a deadline is a *rule*, held as data, and the platform's choice is a setting:

* :class:`DayOfMonthAfter` — "月后10日前": day D of the month after the period,
  counting that day (I‑16: "On or before X, 24:00 ... Switchable to strict";
  H row 19: "Default: on or before the 10th day after month-end; if that day is a
  holiday or weekend, the next WD"), rolled forward when it is not a working day.
* :class:`NthWorkingDayAfter` — "每月前5个工作日内": the N-th working day of the
  month after the period (H: "'每月前5个工作日内': WD 1–5 of the month, inclusive").
* :class:`LatestOf` — the last of several readings: "overdue only after all have passed".

Defaults (:data:`STANDARD_RULES`, :data:`DEFAULT_SCHEDULES`) follow the spec:
the standard's table for every table, except AH‑05 whose schedule is I‑1:
"Remind and show as 'due' at (a) [5th WD]. Mark 'overdue/non-compliant' only
after both (a) and (b) [月后10日前, rolled] have passed". The reference month is
the month just ended (I‑2 (b), "offset = 1 month"), not 报送办法's "上上一个月末".

Every deadline is a date whose cut-off is 24:00 Asia/Shanghai (民法典 第二百零三条;
I‑17: "23:59:59 Asia/Shanghai on the last day").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

from .errors import RuleError
from .periods import KIND_NAMES, Period, PeriodKind, last_day_of_month

if TYPE_CHECKING:  # pragma: no cover
    from .core import Calendar

_ORDINAL_MONTHS = {1: "次月", 2: "第二个月", 3: "第三个月", 4: "第四个月"}


def _month_words(k: int) -> str:
    return _ORDINAL_MONTHS.get(k, f"第{k}个月")


def _int(value: object, name: str, lo: int, hi: int) -> int:
    if type(value) is not int or not lo <= value <= hi:
        raise RuleError(
            f"{name} 须为 {lo}–{hi} 的整数 / {name} must be an int {lo}–{hi}: {value!r}"
        )
    return value


def _bool(value: object, name: str) -> bool:
    if type(value) is not bool:
        raise RuleError(f"{name} 须为 True 或 False / {name} must be a bool: {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class DayOfMonthAfter:
    """Day ``day`` of the ``month``-th month after the period ("月后10日前").

    * ``month``: 1 = the month right after the period ("月后", "季后", and for a
      year "年后1月"); ``DayOfMonthAfter(30, month=4)`` on a year is "每年4月30日前"
      (报送办法 第四条: "第（三）项信息应当于每年4月30日前报送").
    * ``inclusive`` (default ``True``): the day itself is the last day on time —
      "X日前" read as *on or before* X (spec I‑16, recommended default; H: "'X日前'
      (a calendar date): taken as *on or before* X. The wording is ambiguous").
      ``False`` is the strict reading: the last day is the day before X.
    * ``roll`` (default ``True``): a last day that is not a working day moves to
      the next working day — 报送标准 (二)4: "数据信息报送时间逢国家法定节假日及
      双休日顺延"; 民法典 第二百零三条. A Saturday or Sunday that is a make-up
      working day is a working day and does not move (2026-10-10).

    So for ``2026-09`` the default rule gives 2026-10-10 (a 调休 Saturday), for
    ``2026-04`` it gives 2026-05-11 (05-10 is a Sunday).
    """

    day: int
    month: int = 1
    inclusive: bool = True
    roll: bool = True
    kind: ClassVar[str] = "day-of-month-after"

    def __post_init__(self) -> None:
        _int(self.day, "day", 1, 31)
        _int(self.month, "month", 1, 12)
        _bool(self.inclusive, "inclusive")
        _bool(self.roll, "roll")

    def deadline(self, calendar: Calendar, period: Period | str) -> date:
        """The last day on time for ``period``."""
        period = Period.parse(period)
        y, m = period.month_after(self.month)
        if self.day > last_day_of_month(y, m).day:
            raise RuleError(
                f"{y}年{m}月没有{self.day}日，规则不适用于{period.name} / "
                f"{y}-{m:02d} has no day {self.day}; the rule cannot apply to {period.label}"
            )
        d = date(y, m, self.day)
        if not self.inclusive:
            d -= timedelta(days=1)
        return calendar.roll_forward(d) if self.roll else d

    def describe(self) -> str:
        text = f"期后{_month_words(self.month)}{self.day}日前"
        text += "（含当日）" if self.inclusive else "（不含当日，即前一日为最后一日）"
        if self.roll:
            text += "，逢国家法定节假日及双休日顺延至下一工作日"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "day": self.day,
            "month": self.month,
            "inclusive": self.inclusive,
            "roll": self.roll,
        }


@dataclass(frozen=True, slots=True)
class NthWorkingDayAfter:
    """The ``n``-th working day of the ``month``-th month after the period
    ("每月前5个工作日内").

    报送办法 第四条(五): "应当在每月前 5 个工作日内，报送"; spec H: "'每月前5个工作日内':
    WD 1–5 of the month, inclusive". Counting starts on the 1st of that month (the
    period's last day is not counted, 民法典 第二百零一条). For ``2026-09`` and
    ``n = 5`` that is 2026-10-13: 10-08, 10-09, 10-10 (调休 Saturday), 10-12, 10-13.
    A month with fewer than ``n`` working days raises :class:`RuleError`.
    """

    n: int
    month: int = 1
    kind: ClassVar[str] = "nth-working-day-after"

    def __post_init__(self) -> None:
        _int(self.n, "n", 1, 23)
        _int(self.month, "month", 1, 12)

    def deadline(self, calendar: Calendar, period: Period | str) -> date:
        period = Period.parse(period)
        y, m = period.month_after(self.month)
        d = calendar.add_working_days(date(y, m, 1) - timedelta(days=1), self.n)
        if (d.year, d.month) != (y, m):
            raise RuleError(
                f"{y}年{m}月不足{self.n}个工作日 / {y}-{m:02d} has fewer than {self.n} working days"
            )
        return d

    def describe(self) -> str:
        return f"期后{_month_words(self.month)}前{self.n}个工作日内"

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "n": self.n, "month": self.month}


@dataclass(frozen=True, slots=True)
class LatestOf:
    """The latest of several rules' deadlines: on time until every reading has
    passed (spec I‑1: "Mark 'overdue/non-compliant' only after both (a) and (b)
    have passed")."""

    rules: tuple[Rule, ...]
    kind: ClassVar[str] = "latest-of"

    def __post_init__(self) -> None:
        rules = tuple(self.rules) if isinstance(self.rules, (list, tuple)) else None
        if not rules or not all(isinstance(r, RULE_TYPES) for r in rules):
            raise RuleError("rules 须为至少一条规则 / rules must be one or more rules")
        object.__setattr__(self, "rules", rules)

    def deadline(self, calendar: Calendar, period: Period | str) -> date:
        period = Period.parse(period)
        return max(rule.deadline(calendar, period) for rule in self.rules)

    def describe(self) -> str:
        return "以下各项中最晚者：" + "；".join(r.describe() for r in self.rules)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "rules": [r.as_dict() for r in self.rules]}


Rule = DayOfMonthAfter | NthWorkingDayAfter | LatestOf
RULE_TYPES = (DayOfMonthAfter, NthWorkingDayAfter, LatestOf)


def rule_from_dict(data: Mapping[str, Any]) -> Rule:
    """Inverse of ``rule.as_dict()`` (for settings stored as JSON). Raises :class:`RuleError`."""
    if not isinstance(data, Mapping):
        raise RuleError("规则须为 JSON 对象 / a rule must be a mapping")
    kind = data.get("kind")
    fields = {
        DayOfMonthAfter.kind: ({"day"}, {"month", "inclusive", "roll"}),
        NthWorkingDayAfter.kind: ({"n"}, {"month"}),
        LatestOf.kind: ({"rules"}, set()),
    }
    if kind not in fields:
        raise RuleError(f"未知的规则类型 {kind!r} / unknown rule kind (known: {', '.join(fields)})")
    required, optional = fields[kind]
    keys = set(data) - {"kind"}
    if not required <= keys or not keys <= required | optional:
        raise RuleError(
            f"规则 {kind} 的字段须为 {sorted(required)}，可选 {sorted(optional)} / "
            f"fields of {kind}: required {sorted(required)}, optional {sorted(optional)}"
        )
    args = {k: data[k] for k in keys}
    if kind == LatestOf.kind:
        if not isinstance(args["rules"], (list, tuple)):
            raise RuleError("rules 须为列表 / rules must be a list")
        return LatestOf(tuple(rule_from_dict(r) for r in args["rules"]))
    if kind == DayOfMonthAfter.kind:
        return DayOfMonthAfter(**args)
    return NthWorkingDayAfter(**args)


#: The standard's deadline for each kind of period (报送标准 一、(一)), with
#: the spec's readings (H rows 12, 19, 20; I‑16): the day counted, rolled forward.
STANDARD_RULES: Mapping[PeriodKind, Rule] = MappingProxyType(
    {
        "month": DayOfMonthAfter(10),  # 月后10日前
        "quarter": DayOfMonthAfter(20),  # 季后20日前
        "year": DayOfMonthAfter(10),  # 年后1月10日前
    }
)


@dataclass(frozen=True, slots=True)
class FilingSchedule:
    """When one table is due and when it becomes overdue.

    ``due`` is the day the platform shows the filing as due and reminds;
    ``deadline`` is the last day on time (overdue from the next day).
    ``source`` names the texts and the spec items the choice follows.
    """

    table: str
    frequency: PeriodKind
    due: Rule
    deadline: Rule
    source: str

    def __post_init__(self) -> None:
        if not isinstance(self.due, RULE_TYPES) or not isinstance(self.deadline, RULE_TYPES):
            raise RuleError("due 和 deadline 须为规则 / due and deadline must be rules")
        if self.frequency not in KIND_NAMES:
            raise RuleError(f"frequency 须为 year / quarter / month: {self.frequency!r}")


@dataclass(frozen=True, slots=True)
class FilingDates:
    """The dates of one filing: shown as due from ``due``, overdue after ``deadline``."""

    table: str
    period: Period
    due: date
    deadline: date


_MONTHLY_I1 = FilingSchedule(
    table="AH-05",
    frequency="month",
    due=NthWorkingDayAfter(5),
    deadline=LatestOf((NthWorkingDayAfter(5), DayOfMonthAfter(10))),
    source="报送办法 第四条(五)“每月前 5 个工作日内”与报送标准“月后10日前”冲突（spec B.6 #1）；"
    "按 spec I‑1：第5个工作日提示到期，两者均届满后方为逾期",
)


def _standard(table: str, frequency: PeriodKind, words: str) -> FilingSchedule:
    rule = STANDARD_RULES[frequency]
    return FilingSchedule(
        table=table,
        frequency=frequency,
        due=rule,
        deadline=rule,
        source=f"报送标准 一、(一)“{words}”，(二)4 逢国家法定节假日及双休日顺延（spec H）",
    )


#: The default schedule of every table, by code.
DEFAULT_SCHEDULES: Mapping[str, FilingSchedule] = MappingProxyType(
    {
        "AH-01": _standard("AH-01", "year", "年后1月10日前"),
        "AH-02": _standard("AH-02", "year", "年后1月10日前"),
        "AH-03": _standard("AH-03", "quarter", "季后20日前"),
        "AH-04": _standard("AH-04", "quarter", "季后20日前"),
        "AH-05": _MONTHLY_I1,
        "AH-06": _standard("AH-06", "month", "月后10日前"),
        "AH-07": _standard("AH-07", "month", "月后10日前"),
    }
)


def filing_deadline(calendar: Calendar, period: Period | str, rule: Rule | None = None) -> date:
    """The last day on time to file for ``period`` (``"2025"``, ``"2026-Q3"``, ``"2026-09"``).

    ``rule`` defaults to the standard's rule for the kind of period
    (:data:`STANDARD_RULES`: 月后10日前 / 季后20日前 / 年后1月10日前, the day
    counted, rolled forward). Raises :class:`~winddown.calendar.errors.InvalidPeriod`
    for a malformed period and :class:`~winddown.calendar.errors.UnconfirmedYear`
    when the deadline falls in (or must roll through) a year not confirmed.
    """
    period = Period.parse(period)
    if rule is None:
        rule = STANDARD_RULES[period.kind]
    elif not isinstance(rule, RULE_TYPES):
        raise RuleError(f"不是报送期限规则 / not a filing-deadline rule: {rule!r}")
    return rule.deadline(calendar, period)


def filing_dates(
    calendar: Calendar,
    period: Period | str,
    table: str,
    schedules: Mapping[str, FilingSchedule] = DEFAULT_SCHEDULES,
) -> FilingDates:
    """Due and overdue dates of ``table`` (``"AH-05"``) for ``period``.

    The period must match the table's frequency (AH‑05 is monthly: ``"2026-09"``).
    """
    period = Period.parse(period)
    schedule = schedules.get(table)
    if schedule is None:
        raise RuleError(
            f"未知的采集表 {table!r} / unknown table (known: {', '.join(sorted(schedules))})"
        )
    if schedule.frequency != period.kind:
        raise RuleError(
            f"{table} 按{KIND_NAMES[schedule.frequency]}报送，{period.label} 是"
            f"{KIND_NAMES[period.kind]}期间 / {table} is filed per {schedule.frequency}, "
            f"{period.label} is a {period.kind}"
        )
    return FilingDates(
        table=table,
        period=period,
        due=schedule.due.deadline(calendar, period),
        deadline=schedule.deadline.deadline(calendar, period),
    )
