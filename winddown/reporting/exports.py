"""XLSX of the association's dashboard (institutions × periods with their states)."""

from __future__ import annotations

from winddown.core.spreadsheets import XlsxWorkbook
from winddown.reporting.layout import texts
from winddown.reporting.selectors import STATE_LABELS, Dashboard


def dashboard_xlsx(board: Dashboard) -> bytes:
    book = XlsxWorkbook()
    sheet = book.sheet(board.table)
    sheet.append(texts([f"{board.table} 报送情况"], bold=True))
    header = ["机构", *(p.label for p in board.periods), "本年逾期报送次数"]
    sheet.append(texts(header, bold=True))
    for inst_id, name, states in board.rows:
        late = board.late_this_year.get(inst_id, 0)
        sheet.append(texts([name, *(STATE_LABELS[s] for s in states), str(late)]))
    return book.to_bytes()
