"""XLSX of the association's dashboard (institutions × periods with their states)."""

from __future__ import annotations

import io

from winddown.reporting.layout import _text_cell
from winddown.reporting.selectors import STATE_LABELS, Dashboard


def dashboard_xlsx(board: Dashboard) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(board.table)
    sheet.append([_text_cell(sheet, f"{board.table} 报送情况", bold=True)])
    header = ["机构", *(p.label for p in board.periods), "本年逾期报送次数"]
    sheet.append([_text_cell(sheet, h, bold=True) for h in header])
    for inst_id, name, states in board.rows:
        late = board.late_this_year.get(inst_id, 0)
        sheet.append(
            [_text_cell(sheet, v) for v in [name, *(STATE_LABELS[s] for s in states), str(late)]]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
