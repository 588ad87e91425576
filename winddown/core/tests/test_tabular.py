"""Uploaded tables are read without ever letting a hostile XLSX take the process down: a
1.5 KB sheet with a cell at XFD1048576 (the spreadsheet reader would ask for 512 GB and
abort) is refused before the reader opens it, in milliseconds and within a few megabytes."""

from __future__ import annotations

import io
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from winddown.core.tabular import TabularFileError, check_xlsx, column_number, raw_records

REPO = Path(__file__).resolve().parents[3]
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
    '.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)


def sparse_xlsx(*cells: str, dimension: str = "") -> bytes:
    """An XLSX whose first sheet holds "x" in each of `cells` (e.g. "A1", "XFD1048576")."""
    rows: dict[int, list[str]] = {}
    for ref in cells:
        letters = "".join(c for c in ref if c.isalpha())
        rows.setdefault(int(ref[len(letters) :]), []).append(ref)
    body = "".join(
        f'<row r="{row}">'
        + "".join(f'<c r="{ref}" t="inlineStr"><is><t>x</t></is></c>' for ref in refs)
        + "</row>"
        for row, refs in sorted(rows.items())
    )
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
        f'org/spreadsheetml/2006/main">{declared}<sheetData>{body}</sheetData></worksheet>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def opener(data: bytes):
    return lambda: io.BytesIO(data)


def test_column_letters():
    assert [column_number(c) for c in ("A", "Z", "AA", "ZZ", "XFD")] == [1, 26, 27, 702, 16384]


@pytest.mark.parametrize(
    ("cells", "dimension"),
    [
        (("A1", "XFD1048576"), ""),  # the probe's 1.5 KB bomb
        (("A1", "ZZ200000"), ""),  # 4.4 GB just to read the header
        (("A1", "B2"), "A1:XFD1048576"),  # a declared range beyond the template
    ],
)
def test_a_sheet_beyond_the_template_is_refused_before_it_is_read(cells, dimension):
    data = sparse_xlsx(*cells, dimension=dimension)
    assert len(data) < 2048
    started = time.perf_counter()
    with pytest.raises(TabularFileError) as refused:
        list(raw_records(opener(data)))
    assert time.perf_counter() - started < 1
    assert "表格范围过大" in str(refused.value) and "请删除表格右侧和下方多余的单元格" in str(
        refused.value
    )


def test_the_refusal_costs_little_memory_in_a_fresh_process(tmp_path):
    """Read in a child process whose address space is capped at 1 GiB: the bomb is refused
    with the message, where the reader alone would abort the process."""
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(sparse_xlsx("A1", "XFD1048576"))
    code = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30));"
        "from winddown.core.tabular import raw_records, TabularFileError\n"
        f"try:\n    list(raw_records(lambda: open({str(path)!r}, 'rb')))\n"
        "except TabularFileError as exc:\n    print('refused', exc)"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    assert "refused" in run.stdout and "16384 列" in run.stdout


def test_an_ordinary_workbook_reads_as_before():
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "证件号码", "待收本金(元)"])
    sheet.append(["张三", "110101199003070011", 1000.5])
    buffer = io.BytesIO()
    book.save(buffer)
    check_xlsx(buffer.getvalue(), max_columns=64, max_rows=1_048_576)
    assert list(raw_records(opener(buffer.getvalue()))) == [
        ["姓名", "证件号码", "待收本金(元)"],
        ["张三", "110101199003070011", "1000.5"],
    ]


def test_a_damaged_or_disguised_archive_is_refused_with_what_to_do():
    with pytest.raises(TabularFileError, match="XLSX 文件已损坏"):
        list(raw_records(opener(b"PK\x03\x04" + b"\x00" * 100)))
    with pytest.raises(TabularFileError, match="旧版 Excel"):
        list(raw_records(opener(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)))
