"""AH-05 for one institution and month from the ledger left in the bench database by
bench_ledger_import.py (`manage.py ledger_figures AH-05 基准机构 2026-09 --json`).

Figures: wall time end to end (Django start-up included) and peak RSS. Target (issue 17):
1,000,000 loans in at most 10 s on PostgreSQL.

Usage: .venv/bin/python bench/bench_ledger_figures.py [--db sqlite|postgres] [--period 2026-09]
"""

from __future__ import annotations

import argparse
import json

import _setup
from _setup import database_env, timed_child


def main() -> None:
    # Its own database: other benches may be using winddown_bench at the same time.
    _setup.PG_DATABASE = "winddown_bench_ledger"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--period", default="2026-09")
    args = parser.parse_args()
    env = database_env(args.db)
    seconds, peak_mib, out = timed_child(
        env, "ledger_figures", "AH-05", "基准机构", args.period, "--json"
    )
    document = json.loads(out)
    figures = document["figures"]
    print(
        f"{args.db}: AH-05 {args.period} over {figures['AH502']:,} loans in {seconds:.1f} s, "
        f"peak RSS {peak_mib:.0f} MiB; AH503 {figures['AH503']} 万元, AH514 {figures['AH514']}, "
        f"AH519 {figures['AH519']} 万元"
    )


if __name__ == "__main__":
    main()
