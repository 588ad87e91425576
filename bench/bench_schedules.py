"""Benchmark of the schedules core (winddown.schedules).

Generates its own data (seeded), runs, prints figures:

* 1,000,000 random 36-month loans (mixed methods: 40 % 等额本息, 25 % 等额本金, 25 % 先息后本,
  10 % 到期还本付息; annual rates 0.00–24.00 % with two decimals; principals 1,000–1,000,000
  yuan, log-uniform; value dates 2015–2020, month ends included) through the batch path
  ``schedules_batch``, in chunks of ``--chunk`` loans: seconds, loans/s, instalments/s;
* the exact scalar path ``schedule()`` on a sample of the same loans, for comparison;
* a check that the batch gave the scalar path's numbers on ``--check`` random loans (untimed);
* peak memory (``resource.getrusage(...).ru_maxrss``).

Usage: ``.venv/bin/python bench/bench_schedules.py [--loans N] [--months N] [--chunk N]
[--scalar N] [--check N] [--seed N]``
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from winddown.schedules import Method, schedule, schedules_batch
from winddown.schedules.batch import METHOD_CODES

MIX = {
    Method.EQUAL_INSTALMENT: 0.40,
    Method.EQUAL_PRINCIPAL: 0.25,
    Method.INTEREST_FIRST: 0.25,
    Method.BULLET: 0.10,
}


def generate(loans: int, months: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    principal = np.rint(10 ** rng.uniform(5, 8, loans)).astype(np.int64)  # fen: 1e3..1e6 yuan
    rate = rng.integers(0, 2401, loans, dtype=np.int64)  # hundredths of a percent
    codes = rng.choice([METHOD_CODES[m] for m in MIX], size=loans, p=list(MIX.values())).astype(
        np.int8
    )
    first = np.datetime64("2015-01-01", "D").astype(np.int64)
    last = np.datetime64("2020-12-31", "D").astype(np.int64)
    value = rng.integers(first, last + 1, loans).astype("datetime64[D]")
    # one loan in ten valued on a month's last day, to exercise the clamping
    ends = rng.random(loans) < 0.1
    month = value.astype("datetime64[M]")
    value[ends] = (month[ends] + 1).astype("datetime64[D]") - 1
    return {
        "principal_fen": principal,
        "annual_rate_bp": rate,
        "months": np.full(loans, months, dtype=np.int64),
        "method": codes,
        "value_date": value,
    }


def _row(data: dict[str, np.ndarray], i: int) -> dict[str, object]:
    return {
        "principal_fen": int(data["principal_fen"][i]),
        "annual_rate_bp": int(data["annual_rate_bp"][i]),
        "months": int(data["months"][i]),
        "method": list(Method)[int(data["method"][i])],
        "value_date": data["value_date"][i].astype(object),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loans", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--chunk", type=int, default=100_000, help="loans per batch call")
    parser.add_argument("--scalar", type=int, default=20_000, help="loans through schedule()")
    parser.add_argument("--check", type=int, default=2_000, help="loans compared with schedule()")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()

    started = time.perf_counter()
    data = generate(args.loans, args.months, args.seed)
    print(
        f"generated {args.loans:,} loans of {args.months} months "
        f"in {time.perf_counter() - started:.2f} s"
    )

    instalments = 0
    interest = 0
    checked = 0
    rng = np.random.default_rng(args.seed + 1)
    per_chunk = max(1, -(-args.check // max(1, -(-args.loans // args.chunk))))
    check_seconds = 0.0
    started = time.perf_counter()
    for lo in range(0, args.loans, args.chunk):
        chunk = {k: v[lo : lo + args.chunk] for k, v in data.items()}
        batch = schedules_batch(**chunk)
        instalments += int(batch.periods.sum())
        interest += int(batch.total_interest_fen.sum())
        if checked < args.check:  # untimed: compared with the exact scalar path
            t = time.perf_counter()
            for i in rng.choice(len(batch), size=min(per_chunk, len(batch)), replace=False):
                assert batch.schedule(int(i)) == schedule(**_row(chunk, int(i))), int(i) + lo
                checked += 1
            check_seconds += time.perf_counter() - t
    seconds = time.perf_counter() - started - check_seconds
    print(
        f"batch  (schedules_batch, chunks of {args.chunk:,}): {args.loans:,} loans, "
        f"{instalments:,} instalments in {seconds:.2f} s -> {args.loans / seconds:,.0f} loans/s, "
        f"{instalments / seconds:,.0f} instalments/s; total interest {interest / 100:,.2f} yuan"
    )
    print(
        f"check: {checked:,} random loans identical to schedule() "
        f"({check_seconds:.2f} s, not counted)"
    )

    if args.scalar:
        sample = min(args.scalar, args.loans)
        started = time.perf_counter()
        for i in range(sample):
            schedule(**_row(data, i))
        seconds = time.perf_counter() - started
        print(
            f"scalar (schedule(), one loan at a time): {sample:,} loans in {seconds:.2f} s -> "
            f"{sample / seconds:,.0f} loans/s; {args.loans:,} loans would take "
            f"{args.loans * seconds / sample:.0f} s"
        )

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (ru_maxrss): {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
