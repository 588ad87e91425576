"""Reading the three ledger files (issue 17 item 3): loans, holdings and repayments, as CSV
(UTF-8 or GBK/GB18030) or XLSX through `core.tabular`, each recognised by its headers, which
may come in any order.

Plain Python: no database access. Row checks (`LoanParser`, `HoldingParser`,
`RepaymentParser`) return a value or its errors; the cross-file checks (a loan's holdings
add up to its principal; every repayment names an existing loan and period and does not
exceed what that period asks) are in `CrossChecks`, which the import service feeds in file
order. Errors name the file, the row (as a spreadsheet shows it: the header is row 1) and
the column, and say what to fix; they never quote an ID number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

from winddown.core import tabular
from winddown.core.tabular import Opener, TabularFileError, is_blank, raw_records
from winddown.ledger.vocab import (
    PRODUCT_BY_NAME,
    PRODUCT_LABELS,
    SOURCE_BY_NAME,
    SOURCE_LABELS,
    BorrowerKind,
    Product,
    Source,
)
from winddown.money import AmountError, format_yuan, parse_yuan
from winddown.pii.idnumbers import IdNumberError, normalize_resident_id
from winddown.pii.normalize import clean_text
from winddown.schedules import MAX_MONTHS, METHOD_NAMES, Method, Schedule, schedule


class FileKind(StrEnum):
    LOANS = "loans"
    HOLDINGS = "holdings"
    REPAYMENTS = "repayments"

    @property
    def label(self) -> str:
        return {"loans": "借款文件", "holdings": "出借文件", "repayments": "还款文件"}[self]


# Column names (issue 17 item 3).
LOAN_NO = "借款编号"
BORROWER_NAME, BORROWER_ID = "借款人姓名", "借款人证件号码"
PRODUCT, PRINCIPAL, RATE, TERM, METHOD, VALUE_DATE = (
    "产品类型",
    "借款本金(元)",
    "年化利率(%)",
    "期限(月)",
    "还款方式",
    "起息日",
)
GUARANTOR, RELATED, COLLATERAL = "担保方", "关联关系", "抵押物"
LENDER_NAME, LENDER_ID, AMOUNT = "出借人姓名", "出借人证件号码", "出借本金(元)"
PERIOD, PAID_ON, PAID_PRINCIPAL, PAID_INTEREST, PENALTY, SOURCE, RECEIVED_ON = (
    "期次",
    "还款日期",
    "还款本金(元)",
    "还款利息(元)",
    "罚息(元)",
    "资金来源",
    "划付出借人日期",
)

REQUIRED = {
    FileKind.LOANS: (
        LOAN_NO,
        BORROWER_NAME,
        BORROWER_ID,
        PRODUCT,
        PRINCIPAL,
        RATE,
        TERM,
        METHOD,
        VALUE_DATE,
    ),
    FileKind.HOLDINGS: (LOAN_NO, LENDER_NAME, LENDER_ID, AMOUNT),
    FileKind.REPAYMENTS: (
        LOAN_NO,
        PERIOD,
        PAID_ON,
        PAID_PRINCIPAL,
        PAID_INTEREST,
        PENALTY,
        SOURCE,
        RECEIVED_ON,
    ),
}
OPTIONAL = {
    FileKind.LOANS: (GUARANTOR, RELATED, COLLATERAL),
    FileKind.HOLDINGS: (),
    FileKind.REPAYMENTS: (),
}
# The column that tells the files apart.
SIGNATURE = {BORROWER_ID: FileKind.LOANS, LENDER_ID: FileKind.HOLDINGS, PERIOD: FileKind.REPAYMENTS}
HEADER_ALIASES = {
    "借款本金": PRINCIPAL,
    "年化利率": RATE,
    "期限": TERM,
    "出借本金": AMOUNT,
    "还款本金": PAID_PRINCIPAL,
    "还款利息": PAID_INTEREST,
    "罚息": PENALTY,
    "借款期限(月)": TERM,
}
MAX_NAME_CHARS = 100
MAX_LOAN_NO_CHARS = 64
#: Above this the operator is warned (not refused): the judicial ceiling on private lending
#: rates the issue names (24 %).
RATE_WARNING_BP = 2400
MAX_RATE_BP = 10_000


@dataclass(frozen=True)
class LedgerError:
    """One problem, named by file, row and column."""

    file: str  # the file's name as uploaded
    row: int  # 0 for the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "文件"
        column = f"「{self.column}」" if self.column else ""
        return f"{self.file} {where}{column}：{self.message}"

    def as_dict(self) -> dict:
        return {"file": self.file, "row": self.row, "column": self.column, "message": self.message}


class LedgerFileError(Exception):
    def __init__(self, errors: list[LedgerError]):
        super().__init__("; ".join(map(str, errors)))
        self.errors = errors


# --- Cells ----------------------------------------------------------------------------------

_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?: 00:00:00)?")


class CellError(ValueError):
    pass


def _clean(value: str) -> str:
    """`clean_text`, with a fast path for the plain ASCII cells that are most of a ledger
    (NFKC leaves printable ASCII unchanged)."""
    if value.isascii() and value.isprintable() and value == value.strip() and "  " not in value:
        return value
    return clean_text(value)


def parse_date(raw: str) -> date:
    """yyyy-mm-dd; unpadded months and days and an XLSX date's midnight are accepted
    (spec I-13)."""
    text = _clean(raw)
    match = _DATE.fullmatch(text)
    if not match:
        raise CellError(f"日期“{text}”格式不对，应为 yyyy-mm-dd（例如 2026-01-15）")
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        raise CellError(f"日期“{text}”不存在，请核对") from None


def parse_rate_bp(raw: str) -> int:
    """An annual rate in percent with at most two decimals ("9.80", "9.8%") as hundredths
    of a percent."""
    text = _clean(raw).removesuffix("%").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CellError(f"年化利率“{text}”不是数字，请填写百分数（例如 9.80 表示 9.80%）") from None
    if not value.is_finite():
        raise CellError(f"年化利率“{text}”不是数字")
    if value < 0:
        raise CellError(f"年化利率“{text}”为负数，请核对")
    if value != value.quantize(Decimal("0.01")):
        raise CellError(f"年化利率“{text}”超过两位小数，请保留到 0.01%")
    bp = int(value * 100)
    if bp > MAX_RATE_BP:
        raise CellError(f"年化利率“{text}”超过 100%，请核对是否多写了位数")
    return bp


def parse_count(raw: str, *, low: int, high: int, what: str) -> int:
    text = _clean(raw).removesuffix(".0")
    if not text.isdigit() or not low <= int(text) <= high:
        raise CellError(f"{what}应为{low}至{high}之间的整数，收到“{text}”")
    return int(text)


def parse_identity(raw: str) -> tuple[BorrowerKind, str]:
    """A person's resident ID number (GB 11643-1999) or a company's unified social credit
    code (GB 32100-2015)."""
    text = clean_text(raw).replace(" ", "").upper()
    if text.startswith("#EXCELNUM:"):
        raise CellError(
            "证件号码被 Excel 存成了数字，末几位已丢失；请将该列设为“文本”格式后重新填写"
        )
    if len(text) == 18 and text[:17].isdigit():
        try:
            return BorrowerKind.PERSON, normalize_resident_id(text)
        except IdNumberError as exc:
            person_error = str(exc)
        try:
            return BorrowerKind.COMPANY, uscc.validate(text)
        except StdnumError:
            raise CellError(person_error) from None
    try:
        return BorrowerKind.COMPANY, uscc.validate(text)
    except StdnumError:
        raise CellError(
            "证件号码既不是有效的18位居民身份证号码，也不是有效的统一社会信用代码，请核对"
        ) from None


# --- Header ---------------------------------------------------------------------------------


def canonical_header(raw: str) -> str:
    name = tabular.canonical_header(raw).replace("（", "(").replace("）", ")")
    return HEADER_ALIASES.get(name, name)


@dataclass
class Header:
    kind: FileKind
    columns: list[str]

    def position(self, column: str) -> int | None:
        try:
            return self.columns.index(column)
        except ValueError:
            return None


def parse_header(record: list[str], file: str, row: int = 1) -> Header:
    columns = [canonical_header(cell) for cell in record]
    while columns and not columns[-1]:
        columns.pop()
    kinds = {SIGNATURE[c] for c in columns if c in SIGNATURE}
    if len(kinds) != 1:
        raise LedgerFileError(
            [
                LedgerError(
                    file,
                    row,
                    "",
                    "无法识别文件类型：借款文件须有“借款人证件号码”列，出借文件须有“出借人证件号码”列，"
                    "还款文件须有“期次”列（三者只能有其一）",
                )
            ]
        )
    kind = kinds.pop()
    known = set(REQUIRED[kind]) | set(OPTIONAL[kind])
    expected = "、".join(REQUIRED[kind] + OPTIONAL[kind])
    errors = []
    for position, column in enumerate(columns, start=1):
        if not column:
            errors.append(
                LedgerError(file, row, f"第{position}列", "表头为空，请删除该列或填写列名")
            )
        elif column not in known:
            errors.append(
                LedgerError(
                    file, row, column, f"{kind.label}中没有这一列，请删除或改为以下之一：{expected}"
                )
            )
        elif columns.index(column) != position - 1:
            errors.append(LedgerError(file, row, column, "列名重复，请只保留一列"))
    for column in REQUIRED[kind]:
        if column not in columns:
            errors.append(
                LedgerError(file, row, column, f"{kind.label}缺少必填列，请按模板添加该列")
            )
    if errors:
        raise LedgerFileError(errors)
    return Header(kind, columns)


def read_header(open_source: Opener, file: str) -> tuple[Header, Iterator[tuple[int, list[str]]]]:
    """The file's header (LedgerFileError if it is wrong or the file unreadable) and its
    remaining non-blank records with their row numbers."""
    try:
        records = enumerate(raw_records(open_source), start=1)
        header_row, header_record = 0, []
        for header_row, header_record in records:  # noqa: B007 - used after the loop
            if not is_blank(header_record):
                break
    except TabularFileError as exc:
        raise LedgerFileError(
            [LedgerError(file, e.row, e.column, e.message) for e in exc.errors]
        ) from None
    if is_blank(header_record):
        raise LedgerFileError([LedgerError(file, 0, "", "文件中没有表头和数据，请使用台账模板")])
    header = parse_header(header_record, file, header_row)

    def rest() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, record in records:
                if not is_blank(record):
                    yield number, record
        except TabularFileError as exc:
            raise LedgerFileError(
                [LedgerError(file, e.row, e.column, e.message) for e in exc.errors]
            ) from None

    return header, rest()


def detect_kind(open_source: Opener, file: str) -> FileKind:
    header, _ = read_header(open_source, file)
    return header.kind


# --- Rows -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoanRow:
    row: int
    number: str
    borrower_name: str
    borrower_kind: BorrowerKind
    borrower_id: str
    product: Product
    principal_fen: int
    annual_rate_bp: int
    months: int
    method: Method
    value_date: date
    guarantor: str
    collateral: str
    related_party: bool

    def schedule(self) -> Schedule:
        return schedule(
            principal_fen=self.principal_fen,
            annual_rate_bp=self.annual_rate_bp,
            months=self.months,
            method=self.method,
            value_date=self.value_date,
        )


@dataclass(frozen=True, slots=True)
class HoldingRow:
    row: int
    loan_number: str
    lender_name: str
    lender_kind: BorrowerKind
    lender_id: str
    amount_fen: int


@dataclass(frozen=True, slots=True)
class RepaymentRow:
    row: int
    loan_number: str
    period: int
    paid_on: date
    principal_fen: int
    interest_fen: int
    penalty_fen: int
    source: Source
    lenders_received_on: date | None


class _RowParser:
    def __init__(self, header: Header, file: str):
        self.file = file
        self._positions = {name: i for i, name in enumerate(header.columns) if name}
        self._width = len(header.columns)

    def cell(self, record: list[str], column: str) -> str:
        position = self._positions.get(column)
        if position is None or position >= len(record):
            return ""
        return record[position]

    def error(self, row: int, column: str, message: str) -> LedgerError:
        return LedgerError(self.file, row, column, message)

    def start(self, row: int, record: list[str]) -> list[LedgerError]:
        if len(record) > self._width and any(c.strip() for c in record[self._width :]):
            return [self.error(row, "", "该行的列数多于表头，请检查是否多了逗号或单元格")]
        return []

    def text(self, row, record, column, errors, *, required=True, limit=MAX_NAME_CHARS) -> str:
        value = _clean(self.cell(record, column))
        if required and not value:
            errors.append(self.error(row, column, "为空，请填写"))
        elif len(value) > limit:
            errors.append(self.error(row, column, f"超过{limit}个字，请核对"))
        return value

    def amount(self, row, record, column, errors) -> int | None:
        raw = self.cell(record, column)
        if not raw.strip():
            errors.append(self.error(row, column, "金额为空，请填写（没有请填 0）"))
            return None
        try:
            return parse_yuan(raw)
        except AmountError as exc:
            errors.append(self.error(row, column, str(exc).replace("待收金额", "金额")))
            return None

    def parsed(self, row, record, column, errors, parse):
        try:
            return parse(self.cell(record, column))
        except CellError as exc:
            errors.append(self.error(row, column, str(exc)))
            return None


class LoanParser(_RowParser):
    def check(self, row: int, record: list[str]) -> tuple[LoanRow | None, list[LedgerError]]:
        errors = self.start(row, record)
        number = self.text(row, record, LOAN_NO, errors, limit=MAX_LOAN_NO_CHARS)
        name = self.text(row, record, BORROWER_NAME, errors)
        identity = self.parsed(row, record, BORROWER_ID, errors, parse_identity)
        product = None
        raw_product = _clean(self.cell(record, PRODUCT))
        if raw_product in PRODUCT_BY_NAME:
            product = PRODUCT_BY_NAME[raw_product]
        else:
            choices = "、".join(PRODUCT_LABELS.values())
            errors.append(
                self.error(row, PRODUCT, f"未知的产品类型“{raw_product}”，应为：{choices}")
            )
        principal = self.amount(row, record, PRINCIPAL, errors)
        if principal == 0:
            errors.append(self.error(row, PRINCIPAL, "借款本金应大于 0"))
        rate = self.parsed(row, record, RATE, errors, parse_rate_bp)
        months = self.parsed(
            row,
            record,
            TERM,
            errors,
            lambda raw: parse_count(raw, low=1, high=MAX_MONTHS, what="期限（月）"),
        )
        method = METHOD_NAMES.get(_clean(self.cell(record, METHOD)).replace(" ", ""))
        if method is None:
            errors.append(
                self.error(
                    row,
                    METHOD,
                    f"未知的还款方式“{_clean(self.cell(record, METHOD))}”，"
                    "应为：等额本息、等额本金、先息后本、到期还本付息",
                )
            )
        value_date = self.parsed(row, record, VALUE_DATE, errors, parse_date)
        guarantor = self.text(row, record, GUARANTOR, errors, required=False)
        collateral = self.text(row, record, COLLATERAL, errors, required=False, limit=200)
        related = False
        raw_related = _clean(self.cell(record, RELATED))
        if raw_related in ("是", "Y", "y", "1"):
            related = True
        elif raw_related not in ("", "否", "N", "n", "0"):
            errors.append(self.error(row, RELATED, f"关联关系应填“是”或“否”，收到“{raw_related}”"))
        if errors:
            return None, errors
        kind, borrower_id = identity
        return (
            LoanRow(
                row,
                number,
                name,
                kind,
                borrower_id,
                product,
                principal,
                rate,
                months,
                method,
                value_date,
                guarantor,
                collateral,
                related,
            ),
            [],
        )


class HoldingParser(_RowParser):
    def check(self, row: int, record: list[str]) -> tuple[HoldingRow | None, list[LedgerError]]:
        errors = self.start(row, record)
        number = self.text(row, record, LOAN_NO, errors, limit=MAX_LOAN_NO_CHARS)
        name = self.text(row, record, LENDER_NAME, errors)
        identity = self.parsed(row, record, LENDER_ID, errors, parse_identity)
        amount = self.amount(row, record, AMOUNT, errors)
        if amount == 0:
            errors.append(self.error(row, AMOUNT, "出借本金应大于 0"))
        if errors:
            return None, errors
        kind, lender_id = identity
        return HoldingRow(row, number, name, kind, lender_id, amount), []


class RepaymentParser(_RowParser):
    def check(self, row: int, record: list[str]) -> tuple[RepaymentRow | None, list[LedgerError]]:
        errors = self.start(row, record)
        number = self.text(row, record, LOAN_NO, errors, limit=MAX_LOAN_NO_CHARS)
        period = self.parsed(
            row,
            record,
            PERIOD,
            errors,
            lambda raw: parse_count(raw, low=1, high=MAX_MONTHS, what="期次"),
        )
        paid_on = self.parsed(row, record, PAID_ON, errors, parse_date)
        principal = self.amount(row, record, PAID_PRINCIPAL, errors)
        interest = self.amount(row, record, PAID_INTEREST, errors)
        penalty = self.amount(row, record, PENALTY, errors)
        source = SOURCE_BY_NAME.get(_clean(self.cell(record, SOURCE)))
        if source is None:
            choices = "、".join(SOURCE_LABELS.values())
            errors.append(
                self.error(
                    row,
                    SOURCE,
                    f"未知的资金来源“{_clean(self.cell(record, SOURCE))}”，应为：{choices}",
                )
            )
        received = None
        if _clean(self.cell(record, RECEIVED_ON)):
            received = self.parsed(row, record, RECEIVED_ON, errors, parse_date)
        if paid_on and received and received < paid_on:
            errors.append(self.error(row, RECEIVED_ON, "划付出借人日期早于还款日期，请核对"))
        if errors:
            return None, errors
        return (
            RepaymentRow(
                row, number, period, paid_on, principal, interest, penalty, source, received
            ),
            [],
        )


PARSERS = {
    FileKind.LOANS: LoanParser,
    FileKind.HOLDINGS: HoldingParser,
    FileKind.REPAYMENTS: RepaymentParser,
}


def read_rows(open_source: Opener, file: str, expected: FileKind | None = None):
    """The header and a lazy stream of (row value or None, errors) for one file."""
    header, records = read_header(open_source, file)
    if expected is not None and header.kind is not expected:
        raise LedgerFileError(
            [LedgerError(file, 1, "", f"这是{header.kind.label}，不是{expected.label}")]
        )
    parser = PARSERS[header.kind](header, file)
    return header, (parser.check(number, record) for number, record in records)


# --- Cross-file checks ----------------------------------------------------------------------


@dataclass(slots=True)
class _LoanFacts:
    """What the cross-file checks keep of a loan (small: a million of them stay in memory
    while the holdings and repayments files are read)."""

    row: int
    index: int
    principal_fen: int
    value_date: date
    annual_rate_bp: int
    months: int
    method: Method
    held_fen: int = 0


#: A period's running totals are kept in one int: principal × 2^41 + interest (each at most
#: 100 亿元 = 10^12 fen < 2^40), keyed by loan index × 1024 + period (periods ≤ 600).
_SHIFT = 1 << 41


@dataclass
class CrossChecks:
    """The checks across rows and files, fed in file order: loans first, then holdings and
    repayments (issue 17 item 3)."""

    files: dict[FileKind, str]
    loans: dict[str, _LoanFacts] = field(default_factory=dict)
    borrowers: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)
    paid: dict[int, int] = field(default_factory=dict)
    borrower_count: int = 0
    warnings: list[LedgerError] = field(default_factory=list)
    _schedule_cache: dict[str, Schedule] = field(default_factory=dict)

    def _error(self, kind: FileKind, row: int, column: str, message: str) -> LedgerError:
        return LedgerError(self.files[kind], row, column, message)

    def loan(self, loan: LoanRow) -> list[LedgerError]:
        errors = []
        seen = self.loans.get(loan.number)
        if seen is not None:
            return [self._error(FileKind.LOANS, loan.row, LOAN_NO, f"与第{seen.row}行借款编号重复")]
        key = (loan.borrower_kind.value, loan.borrower_id)
        first = self.borrowers.setdefault(key, (loan.row, loan.borrower_name))
        if first[1] != loan.borrower_name:
            errors.append(
                self._error(
                    FileKind.LOANS,
                    loan.row,
                    BORROWER_NAME,
                    f"与第{first[0]}行证件号码相同但借款人姓名不同，请核对是哪一位借款人",
                )
            )
        if loan.annual_rate_bp > RATE_WARNING_BP:
            self.warnings.append(
                self._error(
                    FileKind.LOANS,
                    loan.row,
                    RATE,
                    f"年化利率 {format_yuan(loan.annual_rate_bp)}% 高于 24%，已接受，请核对合同",
                )
            )
        if not errors:
            self.loans[loan.number] = _LoanFacts(
                loan.row,
                len(self.loans),
                loan.principal_fen,
                loan.value_date,
                loan.annual_rate_bp,
                loan.months,
                loan.method,
            )
        return errors

    def holding(self, holding: HoldingRow) -> list[LedgerError]:
        facts = self.loans.get(holding.loan_number)
        if facts is None:
            return [
                self._error(
                    FileKind.HOLDINGS,
                    holding.row,
                    LOAN_NO,
                    f"借款编号“{holding.loan_number}”不在借款文件中",
                )
            ]
        facts.held_fen += holding.amount_fen
        return []

    def holdings_done(self) -> list[LedgerError]:
        """Every loan's holdings add up to its principal."""
        errors = []
        for number, facts in self.loans.items():
            if facts.held_fen != facts.principal_fen:
                errors.append(
                    self._error(
                        FileKind.HOLDINGS,
                        0,
                        AMOUNT,
                        f"借款“{number}”（借款文件第{facts.row}行）的出借本金合计 "
                        f"{format_yuan(facts.held_fen)} 元，与借款本金 "
                        f"{format_yuan(facts.principal_fen)} 元不符，请补齐或更正该借款的出借记录",
                    )
                )
        return errors

    def schedule_of(self, number: str) -> Schedule:
        cached = self._schedule_cache.get(number)
        if cached is None:
            if len(self._schedule_cache) > 4096:
                self._schedule_cache.clear()
            facts = self.loans[number]
            cached = self._schedule_cache[number] = schedule(
                principal_fen=facts.principal_fen,
                annual_rate_bp=facts.annual_rate_bp,
                months=facts.months,
                method=facts.method,
                value_date=facts.value_date,
            )
        return cached

    def repayment(self, repayment: RepaymentRow) -> list[LedgerError]:
        error = self._error
        facts = self.loans.get(repayment.loan_number)
        if facts is None:
            return [
                error(
                    FileKind.REPAYMENTS,
                    repayment.row,
                    LOAN_NO,
                    f"借款编号“{repayment.loan_number}”不在借款文件中",
                )
            ]
        errors = []
        plan = self.schedule_of(repayment.loan_number)
        if repayment.period > len(plan.instalments):
            return [
                error(
                    FileKind.REPAYMENTS,
                    repayment.row,
                    PERIOD,
                    f"借款“{repayment.loan_number}”只有 {len(plan.instalments)} 期，"
                    f"没有第{repayment.period}期",
                )
            ]
        if repayment.paid_on < facts.value_date:
            errors.append(
                error(
                    FileKind.REPAYMENTS,
                    repayment.row,
                    PAID_ON,
                    f"还款日期早于该借款的起息日 {facts.value_date.isoformat()}，请核对",
                )
            )
        due = plan.instalments[repayment.period - 1]
        key = facts.index * 1024 + repayment.period
        principal, interest = divmod(self.paid.get(key, 0), _SHIFT)
        principal += repayment.principal_fen
        interest += repayment.interest_fen
        if principal > due.principal_fen:
            errors.append(
                error(
                    FileKind.REPAYMENTS,
                    repayment.row,
                    PAID_PRINCIPAL,
                    f"第{repayment.period}期累计还款本金 {format_yuan(principal)} 元超过应还本金 "
                    f"{format_yuan(due.principal_fen)} 元",
                )
            )
        if interest > due.interest_fen:
            errors.append(
                error(
                    FileKind.REPAYMENTS,
                    repayment.row,
                    PAID_INTEREST,
                    f"第{repayment.period}期累计还款利息 {format_yuan(interest)} 元超过应还利息 "
                    f"{format_yuan(due.interest_fen)} 元",
                )
            )
        self.paid[key] = principal * _SHIFT + interest
        return errors
