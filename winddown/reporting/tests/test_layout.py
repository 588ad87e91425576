"""The standard's layout: what the template writes, the upload reads back (a property),
every user cell is text, and wrong layouts are named."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from winddown.core.errors import DomainError
from winddown.indicators import TABLES
from winddown.reporting import layout

TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
    max_size=20,
).map(str.strip)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(sorted(TABLES)), st.data())
def test_upload_reads_back_what_the_template_wrote(code, data):
    table = TABLES[code]
    cells = {i.code: data.draw(TEXT) for i in table.indicators}
    if table.per:
        cells |= {f"{i.code}#2": data.draw(TEXT) for i in table.indicators}
        cells[f"{table.indicators[0].code}#2"] = "第二组"  # the second set is not empty
    content = layout.template_xlsx(table, cells=cells)
    read = layout.read_upload(table, lambda: io.BytesIO(content))
    assert {k: v for k, v in read.items() if v} == {k: v for k, v in cells.items() if v}


def test_user_cells_are_written_as_text_never_formulas():
    cells = {"AH3001": '=HYPERLINK("http://x")', "AH3002": "0012.50"}
    content = layout.template_xlsx(TABLES["AH-03"], cells=cells)
    sheet = load_workbook(io.BytesIO(content)).active
    rows = {row[1].value: row[-1] for row in sheet.iter_rows(min_row=4)}
    assert rows["AH3001"].data_type == "s" and rows["AH3001"].value.startswith("=HYPERLINK")
    assert rows["AH3002"].value == "0012.50"


@pytest.mark.parametrize(
    ("cells_of", "expected"),
    [("AH-05", "AH-05的模板"), ("AH-04", "AH-04的模板")],
)
def test_another_tables_layout_is_named(cells_of, expected):
    content = layout.template_xlsx(TABLES[cells_of])
    with pytest.raises(DomainError) as exc:
        layout.read_upload(TABLES["AH-03"], lambda: io.BytesIO(content))
    assert expected in exc.value.message


def test_missing_rows_and_not_a_spreadsheet():
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "指标编码", "指标名称", "频度", "单位", "填报内容"])
    sheet.append(["1", "AH3001", "一、资产合计", "季度", "万元", "1"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(DomainError, match="缺少101个指标行"):
        layout.read_upload(TABLES["AH-03"], lambda: io.BytesIO(out.getvalue()))
    with pytest.raises(DomainError):
        layout.read_upload(TABLES["AH-03"], lambda: io.BytesIO(b"%PDF-1.4 not a table"))
