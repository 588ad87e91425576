"""Benchmark of the working-day calendar (winddown.calendar).

Builds the seeded calendar (2004–2026, from the ``holidays`` package), generates
1,000,000 random calls ``add_working_days(start, n)`` — start uniform over the
days of 2004–2026 that leave the answer inside the confirmed years, ``n`` uniform
in 0–60 — runs them, and prints figures:

* time to build the calendar from the seed (YearSpecs from ``holidays``, then the
  precomputed day tables), and the tables' size (tracemalloc, on a second build);
* throughput of ``add_working_days``, total seconds and per call (the best of
  ``--repeat`` runs, each over all the calls), and a checksum of the answers;
* the same for ``working_days_between`` and ``is_working_day`` on the same dates;
* peak resident memory of the process (``resource.getrusage``).

Target: one million ``add_working_days`` calls in at most 2 s on the 2-core
development machine. Figures only; nothing asserts a time.

Usage: ``.venv/bin/python bench/bench_calendar.py [--calls N] [--repeat N] [--seed N]``
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from winddown.calendar import Calendar
from winddown.calendar.seed import seed_year_specs

MAX_N = 60
FIRST = date(2004, 1, 1)
LAST = date(2026, 12, 31)


def _starts_limit(cal: Calendar) -> date:
    """The last start day whose 60th working day is still in 2026."""
    limit = LAST
    while cal.working_days_between(limit, LAST) < MAX_N:
        limit -= timedelta(days=1)
    return limit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20260930)
    args = parser.parse_args()

    t0 = time.perf_counter()
    specs = seed_year_specs()
    t1 = time.perf_counter()
    cal = Calendar(specs)
    t2 = time.perf_counter()
    tracemalloc.start()  # a second build, traced, for the size of the tables
    traced = Calendar(specs)
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del traced
    print(f"calendar {cal!r}: {len(specs)} years")
    print(
        f"  seed from holidays {t1 - t0:.3f} s; Calendar(...) {t2 - t1:.3f} s; "
        f"tables {retained / 1024:.0f} KiB retained, {peak / 1024:.0f} KiB peak (tracemalloc)"
    )

    # Every start whose answer stays in the confirmed years, then the random calls.
    limit = _starts_limit(cal)
    first_o, last_o = FIRST.toordinal(), limit.toordinal()
    rng = random.Random(args.seed)
    starts = [date.fromordinal(rng.randint(first_o, last_o)) for _ in range(args.calls)]
    ns = [rng.randint(0, MAX_N) for _ in range(args.calls)]
    print(f"  {args.calls:,} calls: start {FIRST} .. {limit}, n 0..{MAX_N} (seed {args.seed})")

    add = cal.add_working_days
    best = float("inf")
    checksum = 0
    for _ in range(args.repeat):
        t = time.perf_counter()
        out = [add(d, n) for d, n in zip(starts, ns, strict=True)]
        best = min(best, time.perf_counter() - t)
        checksum = sum(d.toordinal() for d in out) % 1_000_003
    print(
        f"add_working_days: {args.calls / best:,.0f} calls/s; {best:.3f} s total; "
        f"{best / args.calls * 1e6:.3f} µs/call (best of {args.repeat}); checksum {checksum}"
    )

    between = cal.working_days_between
    ends = out
    t = time.perf_counter()
    total = sum(between(a, b) for a, b in zip(starts, ends, strict=True))
    dt = time.perf_counter() - t
    print(
        f"working_days_between: {args.calls / dt:,.0f} calls/s; {dt:.3f} s total; "
        f"sum {total:,} (= sum of n: {total == sum(ns)})"
    )

    is_wd = cal.is_working_day
    t = time.perf_counter()
    working = sum(map(is_wd, starts))
    dt = time.perf_counter() - t
    print(f"is_working_day: {args.calls / dt:,.0f} calls/s; {dt:.3f} s total; {working:,} working")

    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS {peak_kib / 1024:.1f} MiB (the process, including the generated calls)")


if __name__ == "__main__":
    main()
