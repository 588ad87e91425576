"""Validating a complete AH-03 (102 indicators) in the pure core, as a filing is checked
on every save and on submit: cells parsed, the B.7 rules and the month-on-month checks
against the previous quarter. Target (issue 19): at most 20 ms per filing.

    python bench/bench_report_validate.py [--filings N] [--seed S]

Prints p50 / p95 / p99 / max in milliseconds over N random complete filings.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from winddown.indicators import TABLES, format_scaled, validate


def random_cells(rng: random.Random) -> dict[str, str]:
    return {
        i.code: format_scaled(rng.randrange(-(10**12) if i.negative else 0, 10**12))
        for i in TABLES["AH-03"].indicators
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--filings", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20261204)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    table = TABLES["AH-03"]
    filings = [(random_cells(rng), random_cells(rng)) for _ in range(args.filings)]
    validate(table, filings[0][0])  # warm-up: rule tables built once per process
    times = []
    findings = 0
    for cells, previous_cells in filings:
        start = time.perf_counter()
        previous = validate(table, previous_cells).values
        report = validate(table, cells, previous=previous)
        times.append((time.perf_counter() - start) * 1000)
        findings += len(report.findings)
    times.sort()
    q = statistics.quantiles(times, n=100)
    print(
        f"AH-03 complete validation ({len(table.indicators)} indicators, previous quarter "
        f"included), {args.filings} filings, {findings / args.filings:.1f} findings each"
    )
    print(
        f"  p50 {q[49]:.3f} ms  p95 {q[94]:.3f} ms  p99 {q[98]:.3f} ms  max {times[-1]:.3f} ms"
        "  (target ≤ 20 ms)"
    )


if __name__ == "__main__":
    main()
