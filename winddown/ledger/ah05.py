"""Table AH-05 业务发展状况 (spec B.5.5, AH501–AH529) from the ledger: pure Python, integer
fen, no Django. `figures(loans, year, month)` computes every indicator the ledger can give
for one month, each with how it was computed and the loans behind it (drill-down).

Readings (spec I): the as-of time is the month's last day at 24:00 (G.3 point 6, I-8);
"当期" is the month and "当年" the year to the month's end (003 L1183); AH507/AH508 are the
stock at month end (I-4); 代偿 is cumulative since founding (I-5) and only money from a third
party that is neither the borrower nor the platform (B.5 AH521; G.4: a platform-funded risk
reserve is not 代偿; V18: the platform's own money is flagged instead); counts are per loan
(I-7); the top borrowers are ranked by outstanding balance, one borrower per ID number or
credit code (I-10, I-61). Amounts are reported in 万元 with six decimals (I-12: lossless),
percentages, rates and terms with two decimals, half-up.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from winddown.ledger.overdue import Due, Position, Receipt, position

AMOUNT, COUNT, PERCENT, MONTHS = "万元", "笔", "%", "月"
PEOPLE = "人/户"


@dataclass(frozen=True, slots=True)
class Payment:
    source: str  # vocab.Source value
    paid_on: date
    amount_fen: int  # principal + interest + penalty


@dataclass(frozen=True, slots=True)
class LoanFacts:
    id: int
    number: str
    borrower: str  # the borrower's identity key (blind index)
    principal_fen: int
    annual_rate_bp: int
    months: int
    value_date: date
    related_party: bool
    lenders: tuple[str, ...]  # the holders' identity keys
    instalments: tuple[Due, ...]
    receipts: tuple[Receipt, ...]
    payments: tuple[Payment, ...] = ()


@dataclass
class Figure:
    code: str
    name: str
    unit: str
    value: int | None  # fen, a count, or hundredths (percent, months); None: no base
    basis: str  # how it was computed (Chinese)
    loans: list[int] = field(default_factory=list)  # the loans behind it

    @property
    def text(self) -> str | int | None:
        """As the association's table takes it: 万元 with six decimals, counts as integers,
        percentages and terms with two decimals."""
        if self.value is None:
            return None
        if self.unit == AMOUNT:
            return wan_yuan(self.value)
        if self.unit in (PERCENT, MONTHS):
            return hundredths(self.value)
        return self.value


@dataclass
class Flag:
    code: str
    name: str
    amount_fen: int
    count: int
    basis: str
    loans: list[int] = field(default_factory=list)


@dataclass
class Table:
    year: int
    month: int
    as_of: date
    figures: list[Figure]
    flags: list[Flag]

    def figure(self, code: str) -> Figure:
        return next(f for f in self.figures if f.code == code)

    def as_json(self) -> dict:
        return {
            "table": "AH-05",
            "period": f"{self.year:04d}-{self.month:02d}",
            "as_of": self.as_of.isoformat(),
            "figures": {f.code: f.text for f in self.figures},
            "definitions": {
                f.code: {"name": f.name, "unit": f.unit, "basis": f.basis, "loans": len(f.loans)}
                for f in self.figures
            },
            "flags": {
                f.code: {
                    "name": f.name,
                    "amount": wan_yuan(f.amount_fen),
                    "count": f.count,
                    "basis": f.basis,
                }
                for f in self.flags
            },
        }


def wan_yuan(fen: int) -> str:
    """Fen as 万元 with six decimals, exactly (1 万元 = 1,000,000 fen)."""
    sign = "-" if fen < 0 else ""
    whole, rest = divmod(abs(fen), 1_000_000)
    return f"{sign}{whole}.{rest:06d}"


def hundredths(value: int) -> str:
    whole, rest = divmod(value, 100)
    return f"{whole}.{rest:02d}"


def _half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _share(part: int, whole: int) -> int | None:
    """part / whole × 100 in hundredths of a percent, half-up; None without a base."""
    return _half_up(part * 10_000, whole) if whole else None


def _weighted(loans: list[LoanFacts], attribute) -> int | None:
    """Σ(principal × value) / Σ principal, in hundredths of the value's unit, half-up."""
    total = sum(loan.principal_fen for loan in loans)
    if not total:
        return None
    return _half_up(sum(loan.principal_fen * attribute(loan) for loan in loans), total)


def figures(loans: Iterable[LoanFacts], year: int, month: int) -> Table:
    """Every AH-05 indicator the ledger computes for `year`-`month`."""
    as_of = month_end(year, month)
    month_start, year_start = date(year, month, 1), date(year, 1, 1)
    started: list[LoanFacts] = []
    positions: dict[int, Position] = {}
    for loan in loans:
        if loan.value_date > as_of:
            continue
        started.append(loan)
        positions[loan.id] = position(loan.principal_fen, loan.instalments, loan.receipts, as_of)
    live = [loan for loan in started if positions[loan.id].outstanding_principal_fen > 0]
    overdue = [loan for loan in live if positions[loan.id].is_overdue]
    this_month = [loan for loan in started if loan.value_date >= month_start]
    this_year = [loan for loan in started if loan.value_date >= year_start]

    def balance(group: Iterable[LoanFacts]) -> int:
        return sum(positions[loan.id].outstanding_principal_fen for loan in group)

    def ids(group: Iterable[LoanFacts]) -> list[int]:
        return [loan.id for loan in group]

    def lenders(group: Iterable[LoanFacts]) -> int:
        return len({key for loan in group for key in loan.lenders})

    total_balance = balance(live)
    by_borrower: dict[str, int] = {}
    borrower_loans: dict[str, list[int]] = {}
    for loan in live:
        by_borrower[loan.borrower] = (
            by_borrower.get(loan.borrower, 0) + positions[loan.id].outstanding_principal_fen
        )
        borrower_loans.setdefault(loan.borrower, []).append(loan.id)
    ranked = sorted(by_borrower, key=lambda key: (-by_borrower[key], key))
    top10, top1 = ranked[:10], ranked[:1]
    related = [loan for loan in live if loan.related_party]
    buckets = {
        days: [loan for loan in overdue if positions[loan.id].in_bucket(days)]
        for days in (30, 60, 90)
    }
    compensated: dict[int, int] = {}
    platform: dict[int, int] = {}
    reserve: dict[int, int] = {}
    for loan in started:
        for payment in loan.payments:
            if payment.paid_on > as_of:
                continue
            target = {"third_party": compensated, "platform": platform, "risk_reserve": reserve}
            bucket = target.get(payment.source)
            if bucket is not None:
                bucket[loan.id] = bucket.get(loan.id, 0) + payment.amount_fen

    at = f"截至 {as_of.isoformat()} 24:00"
    received = "（收到 = 资金实际划付至出借人银行账户，即有划付出借人日期且不晚于统计时点）"
    result = [
        Figure(
            "AH501",
            "平台成立以来的累计借贷金额",
            AMOUNT,
            sum(loan.principal_fen for loan in started),
            f"起息日不晚于 {as_of.isoformat()} 的全部借款本金之和",
            ids(started),
        ),
        Figure(
            "AH502",
            "平台成立以来的累计借贷笔数",
            COUNT,
            len(started),
            f"起息日不晚于 {as_of.isoformat()} 的借款笔数",
            ids(started),
        ),
        Figure(
            "AH503",
            "借贷余额",
            AMOUNT,
            total_balance,
            f"{at}出借人尚未收到的借款本金之和{received}",
            ids(live),
        ),
        Figure(
            "AH504", "借贷余额笔数", COUNT, len(live), f"{at}仍有未收回本金的借款笔数", ids(live)
        ),
        Figure(
            "AH505",
            "累计出借人数量",
            PEOPLE,
            lenders(started),
            "出借过上述借款的出借人，按证件号码去重（同一出借人多次出借计为 1）",
            ids(started),
        ),
        Figure(
            "AH506",
            "累计借款人数量",
            PEOPLE,
            len({loan.borrower for loan in started}),
            "上述借款的借款人，按证件号码或统一社会信用代码去重",
            ids(started),
        ),
        Figure(
            "AH507",
            "当期出借人数量",
            PEOPLE,
            lenders(live),
            f"{at}仍有待收本金的出借人数（按解释7“当前出借人数量”取时点存量，规格 I-4）",
            ids(live),
        ),
        Figure(
            "AH508",
            "当期借款人数量",
            PEOPLE,
            len({loan.borrower for loan in live}),
            f"{at}仍有待还本金的借款人数（时点存量，规格 I-4）",
            ids(live),
        ),
        Figure(
            "AH509",
            "前十大借款人待还金额占比",
            PERCENT,
            _share(sum(by_borrower[k] for k in top10), total_balance),
            "借款余额最多的 10 户借款人的余额之和 ÷ 借贷余额（AH503）× 100（规格 I-10）",
            [i for k in top10 for i in borrower_loans[k]],
        ),
        Figure(
            "AH510",
            "最大单一借款人待还金额占比",
            PERCENT,
            _share(sum(by_borrower[k] for k in top1), total_balance),
            "借款余额最多的 1 户借款人的余额 ÷ 借贷余额（AH503）× 100",
            [i for k in top1 for i in borrower_loans[k]],
        ),
        Figure(
            "AH511",
            "关联关系借款余额",
            AMOUNT,
            balance(related),
            "标记为关联关系（持股或表决权 5% 以上等，规格 B.5 AH511）的借款人的借款余额",
            ids(related),
        ),
        Figure(
            "AH512",
            "关联关系借款余额笔数",
            COUNT,
            len(related),
            "上述关联关系借款中仍有余额的笔数",
            ids(related),
        ),
        Figure(
            "AH513",
            "逾期金额",
            AMOUNT,
            sum(positions[loan.id].overdue_fen for loan in overdue),
            f"{at}已到期（到期日次日起）而出借人未收到的本金和利息之和，不含罚息{received}",
            ids(overdue),
        ),
        Figure(
            "AH514",
            "逾期笔数",
            COUNT,
            len(overdue),
            "有逾期金额的借款笔数（按借款计，规格 I-7）",
            ids(overdue),
        ),
    ]
    for days, codes in (
        (30, ("AH515", "AH516")),
        (60, ("AH517", "AH518")),
        (90, ("AH519", "AH520")),
    ):
        group = buckets[days]
        rule = f"逾期天数 = 统计时点 − 最早一期未足额收到的到期日；大于 {days} 天（不含 {days} 天）"
        result.append(
            Figure(
                codes[0],
                f"逾期{days}天（不含）以上金额",
                AMOUNT,
                balance(group),
                f"{rule}的借款的剩余本金之和（本金余额口径，不含利息）",
                ids(group),
            )
        )
        result.append(
            Figure(
                codes[1],
                f"逾期{days}天（不含）以上笔数",
                COUNT,
                len(group),
                f"{rule}的借款笔数",
                ids(group),
            )
        )
    result += [
        Figure("AH521", "代偿金额", AMOUNT, sum(compensated.values()),
               f"成立以来至 {as_of.isoformat()}，资金来源为“第三方代偿”的还款（本金、利息、罚息）"
               "之和；不含平台自有资金（规格 V18）和风险准备金（规格 G.4）", sorted(compensated)),
        Figure("AH522", "代偿笔数", COUNT, len(compensated),
               "有第三方代偿还款的借款笔数（按借款计）", sorted(compensated)),
        Figure("AH523", "当期个体直接借贷发生额的加权平均利率(%)", PERCENT,
               _weighted(this_month, lambda loan: loan.annual_rate_bp),
               f"起息日在 {year}年{month}月 的借款，以借款本金为权重的年化利率平均值",
               ids(this_month)),
        Figure("AH524", "当期个体直接借贷发生额的加权平均期限(月)", MONTHS,
               _weighted(this_month, lambda loan: loan.months * 100),
               f"起息日在 {year}年{month}月 的借款，以借款本金为权重的期限（月）平均值",
               ids(this_month)),
        Figure("AH525", "当年个体直接借贷累计借款金额", AMOUNT,
               sum(loan.principal_fen for loan in this_year),
               f"起息日在 {year}-01-01 至 {as_of.isoformat()} 的借款本金之和", ids(this_year)),
        Figure("AH526", "当年个体直接借贷累计借款笔数", COUNT, len(this_year),
               f"起息日在 {year}-01-01 至 {as_of.isoformat()} 的借款笔数", ids(this_year)),
        Figure("AH527", "当年个体直接借贷出借人数量", PEOPLE, lenders(this_year),
               "当年借款的出借人，按证件号码去重", ids(this_year)),
        Figure("AH528", "当年个体直接借贷发生额的加权平均利率(%)", PERCENT,
               _weighted(this_year, lambda loan: loan.annual_rate_bp),
               "当年借款以借款本金为权重的年化利率平均值", ids(this_year)),
        Figure("AH529", "当年个体直接借贷发生额的加权平均期限(月)", MONTHS,
               _weighted(this_year, lambda loan: loan.months * 100),
               "当年借款以借款本金为权重的期限（月）平均值", ids(this_year)),
    ]  # fmt: skip
    flags = [
        Flag("V18", "平台自有资金向出借人兑付（非代偿，需专项工作组复核）",
             sum(platform.values()), len(platform),
             "资金来源为“平台自有资金”的还款：计为出借人已收到，不计入 AH521/AH522",
             sorted(platform)),
        Flag("RISK_RESERVE", "风险准备金兑付（不计入代偿）", sum(reserve.values()), len(reserve),
             "资金来源为“风险准备金”的还款（平台提取的准备金，规格 G.4 不视为第三方代偿）",
             sorted(reserve)),
        Flag("V19", "关联关系借款余额大于 0", balance(related), len(related),
             "可能“为自身或变相为自身融资”（规格 B.7 V19）", ids(related)),
    ]  # fmt: skip
    return Table(year, month, as_of, result, flags)
