"""Benchmark of the distribution core (winddown.distribution).

Generates 1,000,000 claims (seeded; realistic: many small, few large: log-normal
principal around 20,000 yuan, a long tail to 5,000,000 yuan, interest up to 15 % of
principal, 1 % disputed where a case asks for it), then times ``allocate`` alone, the
figure the issue bounds (at most 5 s in the core), for:

* a pool of 30 % of outstanding principal, pro rata;
* the same with small-claims-first (T = 10,000 yuan);
* the same with a minimum payment (M = 100 yuan) and 1 % disputed claims;
* a pool of principal + half the interest (the interest tier is the one that is short;
  half the remainders tie);
* every claim 10,000 yuan: every remainder ties, the leftover fen go by id (the worst case);

and, once, the JSON edge (``from_json`` + ``allocate`` + ``to_json`` of the same round,
without the ``json`` module's own parsing and printing). Prints wall-clock seconds (and CPU
seconds: the machine is shared, so the two differ when others are busy), claims per second
and peak memory (``ru_maxrss``, the whole process: the claims themselves included).

Usage: ``python bench/bench_distribution.py [--claims N] [--seed N] [--repeat N] [--no-json]``
"""

from __future__ import annotations

import argparse
import math
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from winddown.distribution import (
    Claim,
    Policy,
    allocate,
    format_amount,
    from_json,
    to_json,
)

YUAN = 100


def make_claims(n: int, seed: int) -> list[Claim]:
    rng = random.Random(seed)
    # Ids in random order, objects built one after the other (as rows read from a database
    # are): shuffling a built list instead would scatter the claims in memory and time the
    # cache misses of that artificial layout.
    numbers = list(range(n))
    rng.shuffle(numbers)
    claims = []
    for i in numbers:
        principal = min(int(rng.lognormvariate(math.log(20_000), 1.3) * YUAN), 5_000_000 * YUAN)
        principal = max(principal, 1)
        interest = principal * rng.randint(0, 1500) // 10_000
        claims.append(Claim(f"L{i:08d}", principal, interest))
    return claims


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(label: str, pool: int, claims: list[Claim], policy: Policy, repeat: int) -> None:
    best = cpu = math.inf
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        a = allocate(pool, claims, policy)
        best = min(best, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    assert a.pool_fen + a.carried_fen == a.paid_fen + a.held_fen + a.reserved_fen + a.left_fen
    print(
        f"{label:<38} {best:6.2f} s (CPU {cpu:.2f} s)  {len(claims) / best:>9,.0f} claims/s  "
        f"paid {format_amount(a.paid_fen)}  held {format_amount(a.held_fen)}  "
        f"reserved {format_amount(a.reserved_fen)}  left {format_amount(a.left_fen)}  "
        f"peak {peak_mib():,.0f} MiB"
    )


def run_json(pool: int, claims: list[Claim]) -> None:
    doc = {
        "pool": format_amount(pool),
        "claims": [
            {
                "id": c.id,
                "principal": format_amount(c.principal_fen),
                "interest": format_amount(c.interest_fen),
            }
            for c in claims
        ],
        "small_claims_first": "0",
    }
    t0 = time.perf_counter()
    parsed = from_json(doc)
    t1 = time.perf_counter()
    a = allocate(parsed.pool_fen, parsed.claims, parsed.policy)
    t2 = time.perf_counter()
    to_json(a)
    t3 = time.perf_counter()
    print(
        f"{'JSON edge, pro rata 30 %':<38} {t3 - t0:6.2f} s  (from_json {t1 - t0:.2f} s, "
        f"allocate {t2 - t1:.2f} s, to_json {t3 - t2:.2f} s)  peak {peak_mib():,.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs per case")
    parser.add_argument("--no-json", action="store_true", help="skip the JSON-edge figure")
    args = parser.parse_args()

    t0 = time.perf_counter()
    claims = make_claims(args.claims, args.seed)
    rng = random.Random(args.seed + 1)
    disputed = [
        Claim(c.id, c.principal_fen, c.interest_fen, disputed=rng.random() < 0.01) for c in claims
    ]
    principal = sum(c.principal_fen for c in claims)
    interest = sum(c.interest_fen for c in claims)
    print(
        f"{args.claims:,} claims generated in {time.perf_counter() - t0:.1f} s: principal "
        f"{format_amount(principal)} yuan, interest {format_amount(interest)} yuan, "
        f"peak {peak_mib():,.0f} MiB"
    )
    pool = principal * 3 // 10
    run("pro rata, pool 30 % of principal", pool, claims, Policy(), args.repeat)
    run("small claims first (T = 10,000 yuan)", pool, claims, Policy(10_000 * YUAN), args.repeat)
    run(
        "min payment 100 yuan, 1 % disputed",
        pool,
        disputed,
        Policy(min_payment_fen=100 * YUAN),
        args.repeat,
    )
    run(
        "pool = principal + interest / 2",
        principal + interest // 2,
        claims,
        Policy(),
        args.repeat,
    )
    equal = [Claim(c.id, 1_000_000, 0) for c in claims]  # all 10,000.00: every remainder ties
    run(
        "all claims equal (ties broken by id)",
        len(equal) * 1_000_000 * 3 // 10 + len(equal) // 2,
        equal,
        Policy(),
        args.repeat,
    )
    if not args.no_json:
        run_json(pool, claims)


if __name__ == "__main__":
    main()
