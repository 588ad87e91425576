"""Generated ledgers for tests, the demo and the bench: the three files of issue 17 item 3
with a realistic mix (loans paid on time, paid late, in default; borrowers' payments not
yet passed on to lenders; third-party 代偿; payments from the platform's own funds).

Plain Python (no Django), deterministic for a seed.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from stdnum.cn import ric, uscc

from winddown.money import format_yuan
from winddown.schedules import schedule

LOAN_HEADER = [
    "借款编号",
    "借款人姓名",
    "借款人证件号码",
    "产品类型",
    "借款本金(元)",
    "年化利率(%)",
    "期限(月)",
    "还款方式",
    "起息日",
    "担保方",
    "关联关系",
]
HOLDING_HEADER = ["借款编号", "出借人姓名", "出借人证件号码", "出借本金(元)"]
REPAYMENT_HEADER = [
    "借款编号",
    "期次",
    "还款日期",
    "还款本金(元)",
    "还款利息(元)",
    "罚息(元)",
    "资金来源",
    "划付出借人日期",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"
PRODUCTS = ["信用贷", "信用贷", "车贷", "企业贷", "房产抵押贷", "其他"]
METHODS = ["等额本息", "等额本息", "等额本金", "先息后本", "到期还本付息"]
GUARANTORS = ["", "", "", "安信融资担保有限公司", "中汇融资担保有限公司"]


def resident_id(rng: random.Random) -> str:
    birth = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 40))
    area = rng.choice(["110101", "440305", "310104", "330106"])
    body = f"{area}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return body + ric.calc_check_digit(body + "0")


def credit_code(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + "440300" + "".join(rng.choice(alphabet) for _ in range(9))
    return body + uscc.calc_check_digit(body)


def chinese_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


@dataclass(frozen=True)
class LedgerFiles:
    loans: Path
    holdings: Path
    repayments: Path

    @property
    def all(self) -> list[Path]:
        return [self.loans, self.holdings, self.repayments]


def _split(total_fen: int, parts: int, rng: random.Random) -> list[int]:
    """`parts` positive amounts in whole yuan (the last takes the rest) adding up to total."""
    if parts == 1 or total_fen < parts * 100:
        return [total_fen]
    cuts = sorted(rng.sample(range(1, total_fen // 100), parts - 1))
    amounts = [(b - a) * 100 for a, b in zip([0, *cuts], cuts, strict=False)]
    return [*amounts, total_fen - sum(amounts)]


def ledger_rows(
    loans: int,
    *,
    seed: int = 1,
    as_of: date = date(2026, 9, 30),
    lenders: int | None = None,
    lender_pool: list[tuple[str, str]] | None = None,
) -> Iterator[tuple[str, list]]:
    """("loans" | "holdings" | "repayments", row) in an order a file writer can stream.
    `lender_pool` ((name, resident ID number) pairs) makes the holders known people, e.g.
    the lenders of a demo claims register."""
    rng = random.Random(seed)
    pool: dict[int, tuple[str, str]] = dict(enumerate(lender_pool or []))
    pool_size = len(pool) if pool else (lenders or max(10, loans * 2))
    numbers: set[str] = set()
    borrowers = []
    while len(borrowers) < max(3, loans * 3 // 4):
        name, number = chinese_name(rng), resident_id(rng)
        if number not in numbers:  # one person per number (random numbers can collide)
            numbers.add(number)
            borrowers.append((name, number))
    borrowers += [(f"深圳某{rng.randrange(100)}科技有限公司", credit_code(rng)) for _ in range(3)]
    span = (as_of - date(2023, 1, 1)).days
    for index in range(loans):
        number = f"JK{seed:02d}{index + 1:07d}"
        name, id_number = rng.choice(borrowers)
        principal_fen = rng.randrange(10, 500) * 100_000
        rate_bp = rng.choice((600, 800, 980, 1000, 1200, 1500, 1800))
        months = rng.choice((6, 12, 12, 24, 36))
        method = rng.choice(METHODS)
        value_date = date(2023, 1, 1) + timedelta(days=rng.randrange(span))
        related = rng.random() < 0.02
        yield (
            "loans",
            [
                number,
                name,
                id_number,
                rng.choice(PRODUCTS),
                format_yuan(principal_fen, grouping=False),
                f"{rate_bp // 100}.{rate_bp % 100:02d}",
                str(months),
                method,
                value_date.isoformat(),
                rng.choice(GUARANTORS),
                "是" if related else "否",
            ],
        )
        for amount in _split(principal_fen, rng.choice((1, 2, 3, 4)), rng):
            lender = rng.randrange(pool_size)
            if lender not in pool:
                lender_rng = random.Random(seed * 1_000_003 + lender)
                pool[lender] = (chinese_name(lender_rng), resident_id(lender_rng))
            lender_name, lender_id = pool[lender]
            yield (
                "holdings",
                [number, lender_name, lender_id, format_yuan(amount, grouping=False)],
            )
        plan = schedule(
            principal_fen=principal_fen,
            annual_rate_bp=rate_bp,
            months=months,
            method=method,
            value_date=value_date,
        )
        fate = rng.random()
        default_from = None
        if fate < 0.25:  # stops paying at some period
            default_from = rng.randrange(1, len(plan.instalments) + 1)
        for instalment in plan.instalments:
            due = instalment.due_date
            if due > as_of:
                break
            if default_from is not None and instalment.period >= default_from:
                roll = rng.random()
                if roll < 0.15:
                    source = "第三方代偿"
                elif roll < 0.2:
                    source = "平台自有资金"
                else:
                    break
                paid_on = min(due + timedelta(days=rng.randrange(35, 95)), as_of)
            else:
                source = "借款人"
                paid_on = due + timedelta(days=rng.choice((0, 0, 0, 0, 3, 12)))
                if paid_on > as_of:
                    break
            received = paid_on + timedelta(days=rng.choice((0, 1, 2)))
            received_text = received.isoformat() if received <= as_of else ""
            if rng.random() < 0.01:
                received_text = ""  # money held back from lenders
            yield (
                "repayments",
                [
                    number,
                    str(instalment.period),
                    paid_on.isoformat(),
                    format_yuan(instalment.principal_fen, grouping=False),
                    format_yuan(instalment.interest_fen, grouping=False),
                    format_yuan((paid_on - due).days * 50 if paid_on > due else 0, grouping=False),
                    source,
                    received_text,
                ],
            )


def write_ledger(
    folder: Path,
    loans: int,
    *,
    seed: int = 1,
    as_of: date = date(2026, 9, 30),
    lenders: int | None = None,
    lender_pool: list[tuple[str, str]] | None = None,
    encodings: tuple[str, str, str] = ("utf-8-sig", "gb18030", "utf-8"),
) -> LedgerFiles:
    """The three files as CSV (by default UTF-8 with BOM, GBK and plain UTF-8)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = LedgerFiles(folder / "借款.csv", folder / "出借.csv", folder / "还款.csv")
    handles = {
        "loans": open(files.loans, "w", newline="", encoding=encodings[0]),  # noqa: SIM115
        "holdings": open(files.holdings, "w", newline="", encoding=encodings[1]),  # noqa: SIM115
        "repayments": open(files.repayments, "w", newline="", encoding=encodings[2]),  # noqa: SIM115
    }
    try:
        writers = {kind: csv.writer(handle) for kind, handle in handles.items()}
        writers["loans"].writerow(LOAN_HEADER)
        writers["holdings"].writerow(HOLDING_HEADER)
        writers["repayments"].writerow(REPAYMENT_HEADER)
        rows = ledger_rows(loans, seed=seed, as_of=as_of, lenders=lenders, lender_pool=lender_pool)
        for kind, row in rows:
            writers[kind].writerow(row)
    finally:
        for handle in handles.values():
            handle.close()
    return files


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8") -> Path:
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path
