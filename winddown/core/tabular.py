"""Reading the tables institutions upload (claims registers, loan ledgers, association
filings): CSV in UTF-8 with or without BOM, UTF-16 or GBK/GB18030, and XLSX, as lists of
cell texts, row by row, without ever holding a large file in memory whole.

Plain Python (of Django only the settings of the limits). Each app parses and validates
its own columns on top of this.
Row numbers are the ones a spreadsheet shows: the first row is row 1.

XLSX files are checked before the spreadsheet reader opens them: the reader builds a dense
range from the first to the last used cell, so a 1.5 KB sheet with one cell at XFD1048576
asks for 512 GB and aborts the process. The sheet's declared range (`<dimension>`) and its
actual cells are both checked against `max_columns` and `max_rows` first, reading the
sheet's XML as a stream; the archive itself is checked like a Word document (parts,
unpacked size, compression ratio). Then the sheet is read in a child process with a memory
and a time limit (core/isolation.py; PARSE_MEMORY_BYTES, PARSE_SECONDS), so a workbook the
checks do not foresee fails its own import, never the worker that runs it.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

Opener = Callable[[], BinaryIO]

SNIFF_BYTES = 64 * 1024
XLSX_MAX_ROWS = 1_048_576  # what Excel itself allows
DEFAULT_MAX_COLUMNS = 64  # every template has fewer than 20 columns
MAX_UNPACKED_BYTES = 4 * 2**30  # a million-row sheet unpacks to well under a gigabyte
MAX_RATIO = 500  # unpacked : packed, per part (XML of numbers compresses about 10-30×)
MAX_PARTS = 10_000


@dataclass(frozen=True)
class RowError:
    row: int  # 0 for file-level problems
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "文件"
        column = f"「{self.column}」" if self.column else ""
        return f"{where}{column}：{self.message}"

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class TabularFileError(Exception):
    """The file as a whole cannot be read (wrong format, damaged, too large a sheet ...)."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(map(str, errors)))
        self.errors = errors


def _refuse(message: str) -> TabularFileError:
    return TabularFileError([RowError(0, "", message)])


# --- Format and encoding --------------------------------------------------------------------


def sniff_format(head: bytes) -> str:
    """'csv' or 'xlsx', or raise TabularFileError naming what the file really is."""
    if not head:
        raise _refuse("文件为空，请选择填好数据的表格")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse("这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后上传")
    if head.startswith(b"%PDF"):
        raise _refuse("这是 PDF 文件，请上传 CSV 或 XLSX 格式的表格")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "csv"
    if b"\x00" in head:
        raise _refuse("文件不是文本格式的 CSV，也不是 XLSX，无法读取")
    return "csv"


def detect_encoding(open_source: Opener) -> str:
    """UTF-8 (with or without BOM) or UTF-16 by BOM; otherwise GB18030, which is a superset
    of GBK and GB2312 (what Excel in China saves as "CSV")."""
    with open_source() as stream:
        head = stream.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        with open_source() as stream:
            try:
                while chunk := stream.read(1024 * 1024):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
                return encoding
            except UnicodeDecodeError:
                continue
    raise _refuse("无法识别文件编码，请在 Excel 中另存为“CSV UTF-8”或 CSV 后上传")


# --- CSV ------------------------------------------------------------------------------------


def _csv_records(open_source: Opener, encoding: str) -> Iterator[list[str]]:
    with open_source() as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        first = text.readline()
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
        reader = csv.reader(itertools.chain((first,), text), delimiter=delimiter, strict=False)
        try:
            yield from reader
        except csv.Error as exc:
            raise TabularFileError(
                [RowError(reader.line_num, "", f"CSV 格式错误（{exc}），请检查引号是否成对")]
            ) from None


# --- XLSX -----------------------------------------------------------------------------------

_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([A-Z0-9:$]+)"')
_REF = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]{1,7})")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')


def column_number(letters: str) -> int:
    """A1-style column letters as a number: A = 1, Z = 26, AA = 27, XFD = 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _attributes(element: bytes) -> dict[str, str]:
    return {
        name.decode().rpartition(":")[2]: value.decode()
        for name, value in _ATTRIBUTE.findall(element)
    }


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    """The part of the workbook's first sheet (what the reader opens as sheet 0). Read with
    patterns rather than an XML parser: these two small parts are all that is needed, and
    a hostile file gets no entity expansion."""
    try:
        workbook = _small_part(archive, "xl/workbook.xml")
        rels = _small_part(archive, "xl/_rels/workbook.xml.rels")
        first = _SHEET.search(workbook)
        rel_id = _attributes(first.group(0)).get("id") if first else None
        for element in _RELATIONSHIP.findall(rels):
            attributes = _attributes(element)
            if rel_id and attributes.get("Id") == rel_id:
                target = attributes.get("Target", "").lstrip("/")
                return target if target.startswith("xl/") else f"xl/{target}"
    except KeyError:
        pass
    raise _refuse("XLSX 文件已损坏或不是 Excel 工作簿，请重新导出")


def _small_part(archive: zipfile.ZipFile, name: str, limit: int = 4 * 2**20) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise _refuse("XLSX 文件的结构异常（工作簿目录过大），请重新导出")
    return archive.read(info)


def check_xlsx(data: bytes, *, max_columns: int, max_rows: int) -> None:
    """Refuse, before any spreadsheet reader opens it, an XLSX whose archive unpacks out of
    proportion or whose first sheet declares or uses cells beyond `max_columns` columns or
    `max_rows` rows."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse("XLSX 文件已损坏或不是 Excel 工作簿，请重新导出") from None
    if len(infos) > MAX_PARTS or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise _refuse("XLSX 文件解压后过大，不像是正常的表格，请另存为 CSV 后上传")
    for info in infos:
        if info.file_size > 1 << 20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse("XLSX 文件的压缩比异常（疑似压缩炸弹），请另存为 CSV 后上传")
    sheet = _first_sheet_path(archive)

    def too_large(columns: int, rows: int) -> TabularFileError:
        return _refuse(
            f"表格范围过大（{columns} 列 × {rows} 行），超出模板允许的 {max_columns} 列 × "
            f"{max_rows} 行；请删除表格右侧和下方多余的单元格（或另存为 CSV）后重新上传"
        )

    try:
        with archive.open(sheet) as stream:
            head = stream.read(SNIFF_BYTES)
            declared = _DIMENSION.search(head)
            if declared:
                refs = [_REF.fullmatch(r) for r in declared.group(1).decode().split(":")]
                if all(refs):
                    columns = max(column_number(r.group(1)) for r in refs)
                    rows = max(int(r.group(2)) for r in refs)
                    if columns > max_columns or rows > max_rows:
                        raise too_large(columns, rows)
            carry = b""
            chunk = head
            while chunk:
                block = carry + chunk
                for match in _CELL_REF.finditer(block):
                    columns, rows = column_number(match.group(1).decode()), int(match.group(2))
                    if columns > max_columns or rows > max_rows:
                        raise too_large(columns, rows)
                carry = block[-64:]  # a reference cut at the block's end is read again
                chunk = stream.read(1 << 20)
    except KeyError:
        raise _refuse("XLSX 文件已损坏（找不到第一张工作表），请重新导出") from None
    except (zipfile.BadZipFile, OSError, EOFError):
        raise _refuse("XLSX 文件已损坏或不是 Excel 工作簿，请重新导出") from None


# What the parent may receive from the child: rows as JSON, a batch per frame.
XLSX_BATCH_ROWS = 5_000
MAX_PARSED_BYTES = 4 * 2**30


class XlsxRefused(ValueError):
    """The child's refusal of a workbook; its message is the Chinese one for the user."""


def _xlsx_records(open_source: Opener, *, max_columns: int, max_rows: int) -> Iterator[list[str]]:
    from django.conf import settings

    from winddown.core.isolation import IsolationFailure, stream_isolated

    with open_source() as raw:
        data = raw.read()
    check_xlsx(data, max_columns=max_columns, max_rows=max_rows)  # fast, in this process
    memory = getattr(settings, "PARSE_MEMORY_BYTES", 2 * 2**30)
    frames = stream_isolated(
        "winddown.core.tabular:xlsx_rows_isolated",
        data,
        arguments=(str(max_columns), str(max_rows)),
        memory_bytes=memory,
        seconds=getattr(settings, "PARSE_SECONDS", 600),
        max_output_bytes=MAX_PARSED_BYTES,
    )
    del data
    try:
        for frame in frames:
            yield from json.loads(frame)
    except IsolationFailure as failure:
        prefix = f"{XlsxRefused.__name__}: "
        if failure.reason == "error" and failure.detail.startswith(prefix):
            raise _refuse(failure.detail.removeprefix(prefix)) from None
        if failure.reason in ("memory", "time"):
            raise _refuse(
                f"XLSX 文件过大或过于复杂，无法在限定的内存（{_size(memory)}）"
                "和时间内读取；请另存为 CSV（UTF-8）后上传，或拆分为多个文件"
            ) from None
        raise _refuse("XLSX 文件已损坏或不是 Excel 工作簿，请重新导出") from None


def _size(size: int) -> str:
    return f"{size / 2**30:.0f} GB" if size >= 2**30 else f"{size // 2**20} MB"


def xlsx_rows_isolated(data: bytes, max_columns: str, max_rows: str) -> Iterator[bytes]:
    """For core.isolation: the first sheet's rows as cell texts, in JSON batches."""
    from python_calamine import CalamineWorkbook

    try:
        check_xlsx(data, max_columns=int(max_columns), max_rows=int(max_rows))
    except TabularFileError as refused:
        raise XlsxRefused(refused.errors[0].message) from None
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
    except Exception:
        raise XlsxRefused("XLSX 文件已损坏或不是 Excel 工作簿，请重新导出") from None
    del data
    rows = (([cell_text(value) for value in values]) for values in sheet.iter_rows())
    while batch := list(itertools.islice(rows, XLSX_BATCH_ROWS)):
        yield json.dumps(batch, ensure_ascii=False).encode()


def cell_text(value: object) -> str:
    """Cells as the text a person sees. Whole floats lose their ".0"; long numbers that
    Excel stored as floats are marked (#EXCELNUM:) so an ID-number check can explain the
    damage."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) >= 1e15:
            return f"#EXCELNUM:{value:.0f}"
        return str(Decimal(repr(value)).normalize()) if not value.is_integer() else str(int(value))
    return str(value)


# --- Records --------------------------------------------------------------------------------


def raw_records(
    open_source: Opener, *, max_columns: int = DEFAULT_MAX_COLUMNS, max_rows: int = XLSX_MAX_ROWS
) -> Iterator[list[str]]:
    """Every record of the file (CSV or the first sheet of an XLSX) as cell texts."""
    with open_source() as stream:
        kind = sniff_format(stream.read(SNIFF_BYTES))
    if kind == "xlsx":
        return _xlsx_records(open_source, max_columns=max_columns, max_rows=max_rows)
    return _csv_records(open_source, detect_encoding(open_source))


def canonical_header(raw: str) -> str:
    """A header cell as compared with a template's names: NFKC-folded, no spaces, no BOM."""
    return "".join(unicodedata.normalize("NFKC", raw).split()).replace("\ufeff", "")


def is_blank(record: list[str]) -> bool:
    # The first cell is almost always filled: decide on it before looking further.
    if record and record[0] and not record[0].isspace():
        return False
    return not any(cell.strip() for cell in record)
