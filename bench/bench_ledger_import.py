"""Importing a generated loan ledger (issue 17): the loans, holdings and repayments files
checked across files, encrypted and stored as a new version with `manage.py import_ledger`.

Figures: wall time end to end (Django start-up included), rows/s over the three files, peak
RSS of the importing process. Target (issue 17): 1,000,000 loans, 3,000,000 holdings and
10,000,000 repayments in at most 10 minutes on PostgreSQL with at most 2 GiB. The default
size is small (the machine is shared); pass --loans 1000000 for the target size.

Usage: .venv/bin/python bench/bench_ledger_import.py [--loans 20000] [--db sqlite|postgres]
Leaves the imported ledger in the bench database for bench_ledger_figures.py.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

import _setup
from _setup import OUT, PYTHON, ROOT, fresh_database, timed_child


def ledger_files(loans: int) -> list[str]:
    folder = OUT / f"ledger-{loans}"
    if not (folder / "还款.csv").exists():
        started = time.perf_counter()
        code = (
            "from pathlib import Path\n"
            "from winddown.ledger.samples import write_ledger\n"
            f"write_ledger(Path({str(folder)!r}), {loans}, seed=42)"
        )
        subprocess.run([PYTHON, "-c", code], cwd=ROOT, check=True)
        print(f"generated {folder.name} in {time.perf_counter() - started:.0f} s")
    return [str(folder / name) for name in ("借款.csv", "出借.csv", "还款.csv")]


def count_rows(paths: list[str]) -> int:
    total = 0
    for path in paths:
        with open(path, "rb") as handle:
            total += sum(1 for _ in handle) - 1
    return total


def main() -> None:
    # Its own database: other benches may be using winddown_bench at the same time.
    _setup.PG_DATABASE = "winddown_bench_ledger"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loans", type=int, default=20_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    paths = ledger_files(args.loans)
    rows = count_rows(paths)
    env = fresh_database(args.db)
    try:
        seconds, peak_mib, out = timed_child(
            env, "import_ledger", "基准机构", *paths, "--as-user", "bench_operator"
        )
    except subprocess.CalledProcessError as exc:
        sys.exit(f"import_ledger failed:\n{exc.stderr[-3000:]}")
    print(out.strip())
    print(
        f"{args.db}: {args.loans:,} loans, {rows:,} rows in {seconds:.1f} s = "
        f"{rows / seconds:,.0f} rows/s, peak RSS {peak_mib:.0f} MiB"
    )


if __name__ == "__main__":
    main()
