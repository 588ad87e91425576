"""Validation of one filing: every cell against its type and unit, then the cross-checks of
spec B.7 as rules with codes and severities, then the month-on-month checks.

Pure: no Django, no database. ``validate(table, cells, previous=...)`` returns a
:class:`Report` of parsed values and :class:`Finding` s.

Severities (spec B.7: "Rules tagged [doc] come from a formula or a "其中" in the text. The
others are [inferred] and should be warnings"):

* ``error`` — blocks the filing (a cell that cannot be read; a [doc] identity broken);
* ``warning`` — the filing may go ahead with a written explanation, which the association
  sees (the US Call Report's "edit" model: validity edits must be fixed, quality edits
  explained);
* a warning with ``review=True`` is a red flag (V17, V19) routed to the association's
  off-site review.

Cells are keyed by indicator code; a repeated row set (AH‑06 one per product, AH‑07 one per
partner, AH2031–AH2036 one per person) uses ``"AH601#2"`` for the second set (``"AH601"``
is the first).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from .model import Indicator, Kind, Table
from .values import FEN_PER_WAN, SCALE, CellError, format_scaled, parse_cell, uscc_error

ERROR = "error"
WARNING = "warning"

#: Month-on-month: a figure this many times the previous period's (元 entered as 万元).
MOM_FACTOR = 10_000
#: Rounding tolerance per term of an approximate sum: two decimals of 万元 = ±50 元 = 5,000 fen.
TOLERANCE_FEN = FEN_PER_WAN // 200


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str  # "V1" … "V19", "MOM", or "CELL.<kind>"
    severity: str  # error | warning
    codes: tuple[str, ...]  # the indicators concerned (first: where to show it)
    message: str  # Chinese, names the code and what to fix
    instance: int = 1  # the row set (product, partner, person), 1-based
    review: bool = False

    @property
    def key(self) -> str:
        """Stable identity of the finding within a filing: explanations are attached to it."""
        suffix = f"#{self.instance}" if self.instance != 1 else ""
        return f"{self.rule}:{self.codes[0]}{suffix}"

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "rule": self.rule,
            "severity": self.severity,
            "codes": list(self.codes),
            "message": self.message,
            "instance": self.instance,
            "review": self.review,
        }


@dataclass(slots=True)
class Report:
    table: str
    values: dict[str, object] = field(default_factory=dict)  # key → parsed value
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors


def split_key(key: str) -> tuple[str, int]:
    code, _, n = key.partition("#")
    if not n:
        return code, 1
    if not n.isdigit() or int(n) < 1:
        raise ValueError(key)
    return code, int(n)


def make_key(code: str, instance: int) -> str:
    return code if instance == 1 else f"{code}#{instance}"


def instances(table: Table, cells: Mapping[str, object]) -> list[int]:
    """The row sets present (always at least the first for a table without ``per``)."""
    found = {1} if not table.per else set()
    for key in cells:
        found.add(split_key(key)[1])
    return sorted(found)


# --- Rules ------------------------------------------------------------------------------

Getter = Callable[[str], object]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    table: str
    severity: str
    codes: tuple[str, ...]
    text: str  # the rule as the spec writes it
    basis: str
    check: Callable[[Getter], str | None]  # a failure message detail, or None
    review: bool = False


def _wan(fen: int) -> str:
    whole, rest = divmod(abs(fen), FEN_PER_WAN)
    sign = "-" if fen < 0 else ""
    text = f"{whole}.{rest:06d}".rstrip("0").rstrip(".")
    return f"{sign}{text}万元"


def _all(get: Getter, codes: Iterable[str]) -> list[int] | None:
    values = [get(c) for c in codes]
    if any(not isinstance(v, int) for v in values):
        return None  # a blank or unreadable operand: the cell finding says so
    return values


def equals(total: str, *parts: str, minus: tuple[str, ...] = ()):
    def check(get: Getter) -> str | None:
        vals = _all(get, (total, *parts, *minus))
        if vals is None:
            return None
        t = vals[0]
        s = sum(vals[1 : 1 + len(parts)]) - sum(vals[1 + len(parts) :])
        return None if t == s else f"{total}为{_fmt(get, total)}，应等于计算值{_fmt_as(total, s)}"

    return check


def approx(total: str, *parts: str):
    def check(get: Getter) -> str | None:
        vals = _all(get, (total, *parts))
        if vals is None:
            return None
        t, s = vals[0], sum(vals[1:])
        if abs(t - s) <= TOLERANCE_FEN * len(parts):
            return None
        return f"{total}为{_wan(t)}，而{'+'.join(parts)}合计{_wan(s)}"

    return check


def at_most(small: str, *bigs: str, sum_of: tuple[str, ...] = ()):
    """``small`` (or the sum of ``sum_of``) ≤ the first of ``bigs`` (each ≤ the next)."""

    def check(get: Getter) -> str | None:
        chain = [small, *bigs]
        if sum_of:
            vals = _all(get, (*sum_of, bigs[0]))
            if vals is None:
                return None
            if sum(vals[:-1]) > vals[-1]:
                return f"{'、'.join(sum_of)}之和超过{bigs[0]}"
            return None
        vals = _all(get, chain)
        if vals is None:
            return None
        for (a, va), (b, vb) in itertools.pairwise(zip(chain, vals, strict=True)):
            if va > vb:
                return f"{a}（{_fmt(get, a)}）大于{b}（{_fmt(get, b)}）"
        return None

    return check


def positive_flag(code: str, why: str):
    def check(get: Getter) -> str | None:
        v = get(code)
        return f"{code}为{_wan(v)}，{why}" if isinstance(v, int) and v > 0 else None

    return check


def _pct(value: int) -> str:
    return format_scaled(value).rstrip("0").rstrip(".")


def _fmt(get: Getter, code: str) -> str:
    return _fmt_as(code, get(code))


_KINDS: dict[str, Kind] = {}


def _fmt_as(code: str, value: int) -> str:
    kind = _KINDS.get(code)
    if kind is Kind.AMOUNT:
        return _wan(value)
    if kind is Kind.PERCENT:
        return f"{_pct(value)}%"
    return str(value)


def _shareholders(get: Getter) -> str | None:
    shares = [get(c) for c in ("AH2006", "AH2012", "AH2018", "AH2024", "AH2030")]
    known = [s for s in shares if isinstance(s, int)]
    if sum(known) > 100 * SCALE:
        return "前五大股东持股比例（AH2006、AH2012、AH2018、AH2024、AH2030）之和超过100"
    return None


def _shareholder_order(get: Getter) -> str | None:
    codes = ("AH2006", "AH2012", "AH2018", "AH2024", "AH2030")
    shares = [(c, get(c)) for c in codes if isinstance(get(c), int)]
    for (a, va), (b, vb) in itertools.pairwise(shares):
        if va < vb:
            return f"{a}（{_pct(va)}）小于{b}（{_pct(vb)}），股东应按持股比例从高到低填写"
    return None


def _uscc(get: Getter) -> str | None:
    v = get("AH1004")
    if not isinstance(v, str):
        return None
    why = uscc_error(v)
    return f"AH1004：{why}" if why else None


def _operating_profit(get: Getter) -> str | None:
    """I‑21: it is not stated whether AH4013–AH4015 are inside AH4001; warn only when
    neither reading gives AH4016."""
    less = [f"AH40{n:02d}" for n in range(2, 11)]
    vals = _all(get, ("AH4001", *less, "AH4011", "AH4012", "AH4013", "AH4014", "AH4015", "AH4016"))
    if vals is None:
        return None
    revenue, *rest = vals
    minus, plus, inside, target = rest[:9], rest[9:11], rest[11:14], rest[14]
    a = revenue - sum(minus) + sum(plus)
    b = a + sum(inside)
    tol = TOLERANCE_FEN * 15
    if abs(a - target) <= tol or abs(b - target) <= tol:
        return None
    return (
        f"AH4016为{_wan(target)}，按表内加减项计算为{_wan(a)}（不含AH4013–AH4015）或{_wan(b)}（含）"
    )


def _rules() -> tuple[Rule, ...]:
    R = Rule
    sectors = lambda first, n: tuple(f"AH30{k:02d}" for k in range(first, first + n))  # noqa: E731
    return (
        R("V1", "AH-01", ERROR, ("AH1015", "AH1016", "AH1017"), "AH1015 = AH1016 + AH1017",
          "[doc] L738 “数目之和”", equals("AH1015", "AH1016", "AH1017")),
        R("V2", "AH-01", ERROR, ("AH1021", "AH1020"), "AH1021 ≤ AH1020",
          "[doc] “其中” L690", at_most("AH1021", "AH1020")),
        R("V3", "AH-01", ERROR, ("AH1004",), "AH1004 为18位社会信用代码（GB 32100 校验位）",
          "[doc] “18位” L712；校验位 [external]", _uscc),
        R("V4", "AH-02", ERROR, ("AH2006", "AH2012", "AH2018", "AH2024", "AH2030"),
          "Σ AH2006…AH2030 ≤ 100", "[doc] L806, L820", _shareholders),
        R("V4b", "AH-02", WARNING, ("AH2006", "AH2012", "AH2018", "AH2024", "AH2030"),
          "前五大股东按持股比例从高到低", "[inferred] spec B.7 V4", _shareholder_order),
        R("V5", "AH-04", ERROR, ("AH4019", "AH4016", "AH4017", "AH4018"),
          "AH4019 = AH4016 + AH4017 − AH4018", "[doc] L1130",
          equals("AH4019", "AH4016", "AH4017", minus=("AH4018",))),
        R("V6", "AH-04", ERROR, ("AH4021", "AH4019", "AH4020"), "AH4021 = AH4019 − AH4020",
          "[inferred] “减：所得税费用”；spec I‑21 定为硬校验",
          equals("AH4021", "AH4019", minus=("AH4020",))),
        R("V6b", "AH-04", WARNING, ("AH4016", "AH4001"), "营业利润由表内加减项得出",
          "[inferred] spec I‑21（仅提示）", _operating_profit),
        *(R("V7", "AH-03", ERROR, (a, b), f"{a} ≤ {b}", "[doc] “其中”", at_most(a, b))
          for a, b in (("AH3006", "AH3005"), ("AH3034", "AH3033"), ("AH3045", "AH3044"),
                       ("AH3094", "AH3093"))),
        *(R("V7s", "AH-03", WARNING, (parent, *subs), f"Σ{subs[0]}–{subs[-1]} ≤ {parent}",
            "[inferred] spec B.7 V7", at_most(subs[0], parent, sum_of=subs))
          for parent, subs in (("AH3015", sectors(16, 6)), ("AH3065", sectors(66, 6)),
                               ("AH3073", sectors(74, 6)))),
        *(R("V8", "AH-03", WARNING, (t, *p), f"{t} ≈ {' + '.join(p)}", "[inferred] spec B.7 V8",
            approx(t, *p))
          for t, *p in (("AH3004", "AH3005", "AH3012", "AH3013", "AH3014"),
                        ("AH3032", "AH3033", "AH3040", "AH3041", "AH3042"),
                        ("AH3043", "AH3044", "AH3051"), ("AH3029", "AH3030", "AH3031"))),
        R("V9", "AH-03", WARNING, ("AH3001", "AH3064"), "AH3001 ≈ AH3064",
          "[inferred]；固定资产按原价、无形资产按成本（L998、L1006），仅提示", approx("AH3001", "AH3064")),  # noqa: E501
        R("V10", "AH-05", WARNING, ("AH517", "AH515"), "AH515 ≥ AH517 ≥ AH519",
          "[inferred] “以上”分档嵌套", at_most("AH519", "AH517", "AH515")),
        R("V10", "AH-05", WARNING, ("AH518", "AH516"), "AH516 ≥ AH518 ≥ AH520",
          "[inferred] “以上”分档嵌套", at_most("AH520", "AH518", "AH516")),
        R("V11", "AH-05", WARNING, ("AH516", "AH514"), "AH514 ≥ AH516", "[inferred]",
          at_most("AH516", "AH514")),
        R("V11", "AH-05", WARNING, ("AH514", "AH504"), "AH504 ≥ AH514", "[inferred]",
          at_most("AH514", "AH504")),
        R("V11", "AH-05", WARNING, ("AH511", "AH503"), "AH511 ≤ AH503", "[inferred]",
          at_most("AH511", "AH503")),
        R("V11", "AH-05", WARNING, ("AH512", "AH504"), "AH512 ≤ AH504", "[inferred]",
          at_most("AH512", "AH504")),
        R("V12", "AH-05", WARNING, ("AH510", "AH509"), "0 ≤ AH510 ≤ AH509 ≤ 100", "[inferred]",
          _v12),
        R("V15", "AH-05", WARNING, ("AH507", "AH505"), "AH507 ≤ AH505（当前口径，I‑4）",
          "[inferred]", at_most("AH507", "AH505")),
        R("V15", "AH-05", WARNING, ("AH508", "AH506"), "AH508 ≤ AH506（当前口径，I‑4）",
          "[inferred]", at_most("AH508", "AH506")),
        R("V17", "AH-03", WARNING, ("AH3029",), "发放贷款和垫款 > 0 须复核",
          "[inferred] 举报办法 第四条(五) L1452：信息中介不得发放贷款",
          positive_flag("AH3029", "网贷机构不得“发放贷款”（举报办法第四条(五)），请说明款项性质"),
          review=True),
        R("V19", "AH-05", WARNING, ("AH511",), "关联关系借款余额 > 0 须复核",
          "[inferred] L1448“为自身或变相为自身融资”",
          positive_flag("AH511", "可能构成为自身或变相为自身融资，请说明关联借款情况"), review=True),  # noqa: E501
    )  # fmt: skip


def _v12(get: Getter) -> str | None:
    vals = _all(get, ("AH510", "AH509"))
    if vals is None:
        return None
    top1, top10 = vals
    if not 0 <= top1 <= top10 <= 100 * SCALE:
        return f"AH510（{_pct(top1)}）、AH509（{_pct(top10)}）应满足 0 ≤ AH510 ≤ AH509 ≤ 100"
    return None


#: Month-on-month rules (spec B.7 V13, V14): figures that never decrease.
NEVER_DECREASE = {
    "AH-05": ("AH501", "AH502", "AH505", "AH506", "AH521", "AH522"),  # 累计; 代偿 cumulative I‑5
}
WITHIN_YEAR = {"AH-05": ("AH525", "AH526", "AH527")}  # “当年”, reset each January (L1183)


def _register_kinds() -> None:
    from .tables import TABLES

    for table in TABLES.values():
        for i in table.indicators:
            _KINDS[i.code] = i.kind


RULES: tuple[Rule, ...] = _rules()


def rules_for(table: str) -> tuple[Rule, ...]:
    return tuple(r for r in RULES if r.table == table)


# --- The engine -------------------------------------------------------------------------


def _cell_message(ind: Indicator, instance: int, error: CellError, per: str) -> str:
    where = f"第{instance}组" if instance != 1 or per else ""
    return f"{ind.code}「{ind.name}」{where}：{error.message}"


def validate(
    table: Table,
    cells: Mapping[str, object],
    *,
    previous: Mapping[str, object] | None = None,
    same_year_previous: bool = True,
) -> Report:
    """Check every cell of ``cells`` against ``table`` and run its rules.

    ``previous``: the parsed values of the same table's previous period (for the
    month-on-month checks), or None. ``same_year_previous``: whether that period lies in
    the same year (the “当年” figures reset each January).
    """
    if not _KINDS:
        _register_kinds()
    report = Report(table.code)
    by_code = {i.code: i for i in table.indicators}
    for key in cells:
        try:
            code, _n = split_key(key)
        except ValueError:
            code = key
        if code not in by_code:
            report.findings.append(
                Finding(
                    "CELL.unknown",
                    ERROR,
                    (code,),
                    f"{key}不是{table.code}的指标编码，请使用本表模板",
                )
            )
    for n in instances(table, cells):
        for ind in table.indicators:
            if n != 1 and not (table.per or ind.repeats):
                continue
            key = make_key(ind.code, n)
            if n != 1 and ind.repeats and key not in cells:
                continue
            try:
                report.values[key] = parse_cell(ind, cells.get(key))
            except CellError as exc:
                report.values[key] = None
                report.findings.append(
                    Finding(f"CELL.{exc.kind}", ERROR, (ind.code,),
                            _cell_message(ind, n, exc, table.per), n)
                )  # fmt: skip
        get = _getter(report.values, n)
        for rule in rules_for(table.code):
            detail = rule.check(get)
            if detail:
                report.findings.append(
                    Finding(rule.code, rule.severity, rule.codes,
                            f"[{rule.code}] {detail}（规则：{rule.text}；依据：{rule.basis}）",
                            n, rule.review)
                )  # fmt: skip
        if previous is not None:
            report.findings.extend(
                _month_on_month(table, report.values, previous, n, same_year_previous)
            )
    return report


def _getter(values: Mapping[str, object], n: int) -> Getter:
    def get(code: str) -> object:
        return values.get(make_key(code, n))

    return get


def _month_on_month(
    table: Table,
    values: Mapping[str, object],
    previous: Mapping[str, object],
    n: int,
    same_year: bool,
) -> list[Finding]:
    out: list[Finding] = []
    for ind in table.indicators:
        if ind.kind is not Kind.AMOUNT:
            continue
        key = make_key(ind.code, n)
        now, before = values.get(key), previous.get(key)
        if not isinstance(now, int) or not isinstance(before, int) or not now or not before:
            continue
        if abs(now) >= MOM_FACTOR * abs(before) or abs(before) >= MOM_FACTOR * abs(now):
            bigger = abs(now) >= abs(before)
            out.append(
                Finding(
                    "MOM", WARNING, (ind.code,),
                    f"[MOM] {ind.code}「{ind.name}」本期{_wan(now)}，上期{_wan(before)}，相差一万倍以上："  # noqa: E501
                    + ("是否把“元”当作“万元”填写？请换算为万元" if bigger
                       else "上期是否误把“元”当作“万元”？请核对本期单位"),
                    n,
                )
            )  # fmt: skip
    if n == 1:
        for code in NEVER_DECREASE.get(table.code, ()):
            now, before = values.get(code), previous.get(code)
            if isinstance(now, int) and isinstance(before, int) and now < before:
                out.append(
                    Finding("V13", WARNING, (code,),
                            f"[V13] {code}为累计数，本期（{_fmt_as(code, now)}）小于上期"
                            f"（{_fmt_as(code, before)}），请核对", n)
                )  # fmt: skip
        if same_year:
            for code in WITHIN_YEAR.get(table.code, ()):
                now, before = values.get(code), previous.get(code)
                if isinstance(now, int) and isinstance(before, int) and now < before:
                    out.append(
                        Finding("V14", WARNING, (code,),
                                f"[V14] {code}为当年累计数，本期（{_fmt_as(code, now)}）小于同年上期"  # noqa: E501
                                f"（{_fmt_as(code, before)}），请核对", n)
                    )  # fmt: skip
    return out


def cross_check_v16(
    ah05: Mapping[str, object], ah06: Mapping[str, object], *, on: str
) -> Finding | None:
    """Spec B.7 V16 (warning): the products' 已发余额 (AH617, every product) ≈ the
    platform's 借贷余额 (AH503) of the same month. ``on``: the table the finding is shown
    on ("AH-05" or "AH-06")."""
    balance = ah05.get("AH503")
    parts = [v for k, v in ah06.items() if split_key(k)[0] == "AH617" and isinstance(v, int)]
    if not isinstance(balance, int) or not parts:
        return None
    total = sum(parts)
    if abs(total - balance) <= TOLERANCE_FEN * (len(parts) + 1):
        return None
    code = "AH503" if on == "AH-05" else "AH617"
    return Finding(
        "V16", WARNING, (code,),
        f"[V16] 各产品已发余额（AH617）合计{_wan(total)}，与同月借贷余额（AH503）{_wan(balance)}"
        "不一致，请核对（规则：Σ AH617 ≈ AH503；依据：[inferred] spec B.7 V16）",
    )  # fmt: skip
