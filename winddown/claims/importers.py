"""Reading claims-register files (CSV in UTF-8 with or without BOM, UTF-16 or GBK/GB18030,
and XLSX: read by `core.tabular`) into validated rows or row errors.

Plain Python: no database access. `read_register` takes a callable that opens a fresh
binary stream, because CSV needs two passes (encoding detection, then parsing) and large
files are never held in memory whole.

Row numbers are the ones a spreadsheet shows: the header is row 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from winddown.core import tabular
from winddown.core.tabular import Opener, RowError, is_blank, raw_records
from winddown.core.tabular import TabularFileError as RegisterFileError
from winddown.money import AmountError, parse_yuan
from winddown.pii.idnumbers import IdNumberError, IdType, parse_id_document, parse_id_type
from winddown.pii.normalize import clean_text
from winddown.pii.phones import PhoneError, normalize_mobile

NAME, ID_TYPE, ID_NUMBER, PHONE = "姓名", "证件类型", "证件号码", "手机号"
PRINCIPAL, INTEREST, LOAN_COUNT = "待收本金(元)", "待收利息(元)", "出借笔数"
REQUIRED_COLUMNS = (NAME, ID_TYPE, ID_NUMBER, PHONE, PRINCIPAL)
OPTIONAL_COLUMNS = (INTEREST, LOAN_COUNT)
# Header spellings seen in real files, after NFKC folding and space removal.
HEADER_ALIASES = {
    "待收本金": PRINCIPAL,
    "待收利息": INTEREST,
    "手机号码": PHONE,
    "证件号": ID_NUMBER,
    "出借人姓名": NAME,
}
MAX_NAME_CHARS = 50
__all__ = ["Opener", "RegisterFileError", "RowError", "is_blank", "raw_records"]
MAX_LOAN_COUNT = 1_000_000


@dataclass(frozen=True, slots=True)
class RegisterRow:
    row: int
    name: str
    id_type: IdType
    id_number: str
    phone: str
    principal_fen: int
    interest_fen: int
    loan_count: int | None
    key: object  # the identity key from `index_of` (the blind index when importing)


@dataclass
class Header:
    columns: list[str]  # canonical names in file order ("" for blank trailing columns)
    has_interest: bool = field(init=False)
    has_loan_count: bool = field(init=False)

    def __post_init__(self) -> None:
        self.has_interest = INTEREST in self.columns
        self.has_loan_count = LOAN_COUNT in self.columns


# --- Header ---------------------------------------------------------------------------------


def canonical_header(raw: str) -> str:
    name = tabular.canonical_header(raw)
    return HEADER_ALIASES.get(name, name)


def parse_header(record: list[str], row: int = 1) -> Header:
    columns = [canonical_header(cell) for cell in record]
    while columns and not columns[-1]:
        columns.pop()
    errors: list[RowError] = []
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    expected = "、".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
    for position, column in enumerate(columns, start=1):
        if not column:
            errors.append(RowError(row, f"第{position}列", "表头为空，请删除该列或填写列名"))
        elif column not in known:
            errors.append(
                RowError(row, column, f"未知的列名，请删除该列或改为以下之一：{expected}")
            )
        elif columns.index(column) != position - 1:
            errors.append(RowError(row, column, "列名重复，请只保留一列"))
    for column in REQUIRED_COLUMNS:
        if column not in columns:
            errors.append(RowError(row, column, "缺少必填列，请按模板添加该列"))
    if errors:
        raise RegisterFileError(errors)
    return Header(columns)


# --- Rows -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckedRow:
    """One row after the per-row checks: the valid value or its errors, plus the identity
    key and name that the in-order duplicate check needs (even when other cells are bad)."""

    row: int
    value: RegisterRow | None
    errors: list[RowError]
    key: object | None
    name: str


class RowValidator:
    """Per-row checks. Stateless, so rows can be checked in any order or process."""

    def __init__(self, header: Header, index_of: Callable[[IdType, str], object] | None = None):
        self.header = header
        self._positions = {name: i for i, name in enumerate(header.columns) if name}
        # `index_of` keys rows by blind index when importing (small and never the number).
        self._key = index_of or (lambda id_type, number: (id_type, number))

    def _cell(self, record: list[str], column: str) -> str:
        position = self._positions.get(column)
        if position is None or position >= len(record):
            return ""
        return record[position]

    def check(self, row: int, record: list[str]) -> CheckedRow:
        errors: list[RowError] = []
        extra = [c for c in record[len(self.header.columns) :] if c.strip()]
        if extra:
            errors.append(RowError(row, "", "该行的列数多于表头，请检查是否多了逗号或单元格"))

        name = clean_text(self._cell(record, NAME))
        if not name:
            errors.append(RowError(row, NAME, "姓名为空，请填写出借人姓名"))
        elif len(name) > MAX_NAME_CHARS:
            errors.append(RowError(row, NAME, f"姓名超过{MAX_NAME_CHARS}个字，请核对"))

        id_type = None
        try:
            id_type = parse_id_type(self._cell(record, ID_TYPE))
        except IdNumberError as exc:
            errors.append(RowError(row, ID_TYPE, str(exc)))
        id_number = None
        raw_number = self._cell(record, ID_NUMBER)
        if raw_number.startswith("#EXCELNUM:"):
            errors.append(
                RowError(
                    row,
                    ID_NUMBER,
                    "证件号码被 Excel 存成了数字，末几位已丢失；请将该列设为“文本”格式后重新填写",
                )
            )
        elif id_type is not None:
            try:
                id_number = parse_id_document(id_type, raw_number).number
            except IdNumberError as exc:
                errors.append(RowError(row, ID_NUMBER, str(exc)))

        phone = None
        try:
            phone = normalize_mobile(self._cell(record, PHONE))
        except PhoneError as exc:
            errors.append(RowError(row, PHONE, f"{exc}，请填写出借人在平台注册的手机号"))

        principal = self._amount(row, record, PRINCIPAL, errors, required=True)
        interest = self._amount(row, record, INTEREST, errors, required=False)
        loan_count = self._loan_count(row, record, errors)

        key = None
        if id_type is not None and id_number is not None and name:
            key = self._key(id_type, id_number)
        value = None
        if not errors:
            value = RegisterRow(
                row, name, id_type, id_number, phone, principal, interest or 0, loan_count, key
            )
        return CheckedRow(row, value, errors, key, name)

    def _amount(self, row, record, column, errors, *, required: bool) -> int | None:
        raw = self._cell(record, column)
        if not raw.strip():
            if required:
                errors.append(RowError(row, column, "金额为空，请填写（没有请填 0）"))
            return None
        try:
            return parse_yuan(raw)
        except AmountError as exc:
            errors.append(RowError(row, column, str(exc)))
            return None

    def _loan_count(self, row, record, errors) -> int | None:
        raw = clean_text(self._cell(record, LOAN_COUNT)).replace(",", "")
        if not raw:
            return None
        if raw.endswith(".0"):
            raw = raw[:-2]
        if not raw.isdigit() or int(raw) > MAX_LOAN_COUNT:
            errors.append(RowError(row, LOAN_COUNT, "出借笔数应为不小于0的整数"))
            return None
        return int(raw)


class DuplicateFinder:
    """One lender, one row: applied in file order, so the first row is the one kept."""

    def __init__(self) -> None:
        self._seen: dict[object, tuple[int, str]] = {}

    def check(self, row: int, key: object | None, name: str) -> RowError | None:
        if key is None:
            return None
        seen = self._seen.setdefault(key, (row, name))
        if seen[0] == row:
            return None
        if seen[1] != name:
            message = f"与第{seen[0]}行证件号码相同但姓名不同，请核对是哪一位出借人"
        else:
            message = f"与第{seen[0]}行是同一出借人，请合并为一行（金额相加）"
        return RowError(row, ID_NUMBER, message)


def read_header(open_source: Opener) -> tuple[Header, Iterator[tuple[int, list[str]]]]:
    """Parse the header (raising RegisterFileError if it is wrong); return it with the
    remaining non-blank records and their row numbers."""
    records = enumerate(raw_records(open_source), start=1)
    header_row, header_record = 0, []
    for header_row, header_record in records:  # noqa: B007 - both are used after the loop
        if not is_blank(header_record):
            break
    if is_blank(header_record):
        raise RegisterFileError([RowError(0, "", "文件中没有表头和数据，请使用登记表模板")])
    header = parse_header(header_record, header_row)
    return header, ((number, record) for number, record in records if not is_blank(record))


def read_register(
    open_source: Opener, index_of: Callable[[IdType, str], object] | None = None
) -> tuple[Header, Iterator[RegisterRow | list[RowError]]]:
    """Header and a lazy stream of rows, each a RegisterRow or the list of its errors."""
    header, records = read_header(open_source)
    validator = RowValidator(header, index_of)
    duplicates = DuplicateFinder()

    def rows() -> Iterator[RegisterRow | list[RowError]]:
        for number, record in records:
            checked = validator.check(number, record)
            duplicate = duplicates.check(number, checked.key, checked.name)
            if duplicate is not None:
                yield [*checked.errors, duplicate]
            else:
                yield checked.value or checked.errors

    return header, rows()
