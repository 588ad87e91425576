"""The standard's layout on paper: the XLSX template an institution downloads and fills in,
reading it back, and the association's export of one period.

The standard's tables have the columns 序号, 指标编码, 指标名称, 频度, 填报内容 (spec B.4);
the template adds 单位 and, for AH‑02, the 子编号. AH‑06 and AH‑07 repeat per product /
partner: one 填报内容 column per set ("第1组", "第2组" …). AH2031–AH2036 repeat per person:
the row is added again for each one ("可依次添加", L822).

Every cell a user typed is written as text (never a formula or a number Excel would
reformat: a cell beginning with "=" stays text).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, BinaryIO

from winddown.core.errors import DomainError
from winddown.core.spreadsheets import Cell, XlsxWorkbook
from winddown.core.tabular import TabularFileError, raw_records
from winddown.indicators import TABLES, Table
from winddown.indicators.validate import make_key, split_key
from winddown.reporting.errors import ReportingErrorCode as E

if TYPE_CHECKING:
    pass

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 5_000
MAX_COLUMNS = 64
CODE_HEADER = "指标编码"
_GROUP = re.compile(r"第(\d+)组")
_TITLE = re.compile(r"表\s*(AH-0\d)")


def texts(values: Iterable[object], *, bold: bool = False) -> list[Cell]:
    """A row of text cells (core/spreadsheets: never a formula or a number, "=…" and "001"
    stay as typed), empty where there is nothing."""
    return [Cell(None if v in (None, "") else str(v), bold=bold) for v in values]


def _groups(table: Table, cells: dict[str, str]) -> int:
    if not table.per:
        return 1
    found = [split_key(k)[1] for k in cells] or [1]
    return max(found)


def _header(table: Table, value_headers: Sequence[str]) -> list[str]:
    sub = ["子编号"] if table.code == "AH-02" else []
    return ["序号", CODE_HEADER, *sub, "指标名称", "频度", "单位", *value_headers]


def _rows(table: Table, cells: dict[str, str], groups: int) -> Iterable[list[str]]:
    for ind in table.indicators:
        sub = [ind.sub] if table.code == "AH-02" else []
        head = [str(ind.row), ind.code, *sub, ind.name, ind.frequency.label, ind.unit]
        if ind.repeats:
            persons = sorted({split_key(k)[1] for k in cells if split_key(k)[0] == ind.code}) or [1]
            for n in persons:
                yield [*head, cells.get(make_key(ind.code, n), "")]
            continue
        yield [*head, *(cells.get(make_key(ind.code, n), "") for n in range(1, groups + 1))]


def template_xlsx(table: Table, *, cells: dict[str, str] | None = None, title: str = "") -> bytes:
    """The table as a workbook in the standard's layout, with ``cells`` filled in (a
    draft) or empty (the template)."""
    cells = cells or {}
    groups = _groups(table, cells) if table.per else 1
    if table.per:
        groups = max(groups, 1)
    value_headers = [f"第{n}组" for n in range(1, groups + 1)] if table.per else ["填报内容"]
    book = XlsxWorkbook()
    sheet = book.sheet(table.code)
    sheet.widths((6, 10, 40, 8, 8, 30, 30, 30))
    sheet.append(texts([f"表 {table.code} {table.heading}"], bold=True))
    note = title or f"{table.frequency.label}报送，{table.deadline}。" + "；".join(table.notes)
    sheet.append(texts([note]))
    sheet.append(texts(_header(table, value_headers), bold=True))
    for row in _rows(table, cells, groups):
        sheet.append(texts(row))
    return book.to_bytes()


def _layout_error(table: Table, detail: str) -> DomainError:
    return DomainError(E.UPLOAD_LAYOUT, field="file", table=table.code, detail=detail)


def _owner(code: str) -> str | None:
    for t in TABLES.values():
        if code in t.codes:
            return t.code
    return None


def read_upload(table: Table, open_source: Callable[[], BinaryIO]) -> dict[str, str]:
    """The cells of an upload in ``table``'s layout, or a DomainError naming what is
    wrong (another table's layout, a missing or unknown code, a file that is not a table)."""
    try:
        records = raw_records(open_source, max_columns=MAX_COLUMNS, max_rows=MAX_ROWS)
        header_at, header, title = None, None, None
        rows: list[tuple[int, list[str]]] = []
        for number, record in enumerate(records, 1):
            if number > MAX_ROWS:
                raise _layout_error(table, f"超过{MAX_ROWS}行")
            cleaned = [c.strip() for c in record]
            if header is None:
                joined = " ".join(cleaned)
                found = _TITLE.search(joined)
                if found and title is None:
                    title = found.group(1)
                if CODE_HEADER in cleaned:
                    header_at, header = number, cleaned
                continue
            if any(cleaned):
                rows.append((number, cleaned))
    except TabularFileError as exc:
        raise DomainError(E.UPLOAD_UNREADABLE, field="file", detail=str(exc)) from None
    if title and title != table.code:
        raise _layout_error(table, f"文件标题是“表 {title}”，这是{title}的模板")
    if header is None:
        raise _layout_error(table, f"找不到“{CODE_HEADER}”表头行")
    code_col = header.index(CODE_HEADER)
    if table.per:
        value_cols = [
            (i, int(m.group(1))) for i, h in enumerate(header) if (m := _GROUP.fullmatch(h))
        ]
    else:
        value_cols = [(i, 1) for i, h in enumerate(header) if h == "填报内容"]
    if not value_cols:
        wanted = "“第1组”“第2组”…" if table.per else "“填报内容”"
        raise _layout_error(table, f"第{header_at}行缺少{wanted}列")
    cells: dict[str, str] = {}
    seen: dict[str, int] = {}
    for number, record in rows:
        code = record[code_col].upper() if code_col < len(record) else ""
        if not code:
            continue
        if code not in table.codes:
            owner = _owner(code)
            if owner:
                raise _layout_error(table, f"第{number}行的指标编码 {code} 属于{owner}")
            raise _layout_error(table, f"第{number}行的指标编码“{code}”不在本表")
        indicator = table.indicator(code)
        seen[code] = seen.get(code, 0) + 1
        if seen[code] > 1 and not indicator.repeats:
            raise _layout_error(table, f"第{number}行的指标编码 {code} 重复出现")
        for col, group in value_cols:
            value = record[col] if col < len(record) else ""
            n = seen[code] if indicator.repeats else group
            if value or (n == 1):
                cells[make_key(code, n)] = value
    missing = [c for c in table.codes if c not in seen]
    if missing:
        shown = "、".join(missing[:5]) + ("等" if len(missing) > 5 else "")
        raise _layout_error(table, f"缺少{len(missing)}个指标行：{shown}")
    if table.per:  # drop empty groups entirely
        groups = {split_key(k)[1] for k, v in cells.items() if v}
        cells = {
            k: v for k, v in cells.items() if split_key(k)[1] in groups or split_key(k)[1] == 1
        }
    return cells


def export_period_xlsx(period: str, tables: Iterable[Table], filings: Iterable) -> bytes:
    """One period across institutions, one sheet per table in the standard's layout:
    the indicator rows, then one column per institution (per product / partner set for
    AH‑06 / AH‑07). ``filings`` are (institution full name, credit code, table, status,
    version number, late, cells) tuples."""
    by_table: dict[str, list] = {}
    for f in filings:
        by_table.setdefault(f[2], []).append(f)
    book = XlsxWorkbook()
    for table in tables:
        sheet = book.sheet(table.code)
        entries = by_table.get(table.code, [])
        columns = []  # (label lines, cells, group)
        for name, credit, _t, status, number, late, cells in entries:
            groups = _groups(table, cells) if table.per else 1
            for g in range(1, groups + 1):
                columns.append((name, credit, status, number, late, cells, g))
        sheet.append(texts([f"表 {table.code} {table.heading}　报送期 {period}"], bold=True))
        pad = [""] * (len(_header(table, [])) - 1)
        states = [
            f"{c[2]}（第{c[3]}版）{'·逾期' if c[4] else ''}" + (f" 第{c[6]}组" if table.per else "")
            for c in columns
        ]
        for label, values, bold in (
            ("填报机构", [c[0] for c in columns], True),
            ("社会信用代码", [c[1] for c in columns], False),
            ("状态（版本）", states, False),
        ):
            sheet.append(texts([*pad, label, *values], bold=bold))
        sheet.append(texts(_header(table, []), bold=True))
        for ind in table.indicators:
            sub = [ind.sub] if table.code == "AH-02" else []
            head = [str(ind.row), ind.code, *sub, ind.name, ind.frequency.label, ind.unit]
            if ind.repeats:
                values = [
                    "；".join(
                        v for k, v in sorted(c[5].items()) if split_key(k)[0] == ind.code and v
                    )
                    for c in columns
                ]
            else:
                values = [c[5].get(make_key(ind.code, c[6]), "") for c in columns]
            sheet.append(texts([*head, *values]))
    return book.to_bytes()
