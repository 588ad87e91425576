"""Benchmark of the counting-rules engine (winddown.rules).

Generates its own data (seeded), runs, prints figures:

* evaluations per second over 1,000,000 random motions through the Python
  API (``evaluate``), all eight rules, heads up to 10^7, weights up to 10^14
  fen; plus, on a sample, evaluation + full JSON rendering with the Chinese
  sentences (``to_json``), which the lazy explanations make a separate cost;
* an election of 200 candidates for 50 seats: p50 / p99 over 200 runs,
  verdicts only and with full JSON rendering; target < 10 ms;
* peak memory (``resource.getrusage(...).ru_maxrss``).

Usage: ``.venv/bin/python bench/bench_rules.py [--motions N] [--runs N] [--seed N]``
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from winddown.rules import (
    RULES,
    Candidate,
    Election,
    Group,
    Motion,
    Options,
    Tally,
    evaluate,
    evaluate_election,
    to_json,
)

CHUNK = 100_000
MAX_HEADS = 10**7
MAX_WEIGHT = 10**14  # 10^12 yuan in fen


def _ballots(rng: random.Random) -> tuple[Tally, Options]:
    eh = rng.randint(1, MAX_HEADS)
    ew = rng.randint(1, MAX_WEIGHT)
    # participation between 40% and 100%, split yes / no / abstain
    ah = rng.randint(eh * 2 // 5, eh)
    aw = rng.randint(ew * 2 // 5, ew)
    yh = rng.randint(0, ah)
    nh = rng.randint(0, ah - yh)
    bh = ah - yh - nh
    yw = rng.randint(0, aw) if yh else 0
    nw = rng.randint(0, aw - yw) if nh else 0
    bw = aw - yw - nw if bh else 0
    if not nh:
        nw = 0
    return Tally(eh, ew), Options(Tally(yh, yw), Tally(nh, nw), Tally(bh, bw))


def make_motions(rng: random.Random, n: int) -> list[Motion]:
    rule_ids = list(RULES)
    out = []
    for _ in range(n):
        rule = rng.choice(rule_ids)
        if RULES[rule].grouped:
            groups = tuple(Group(f"组{i}", *_ballots(rng)) for i in range(rng.randint(2, 4)))
            out.append(Motion(rule, groups=groups))
            continue
        e, o = _ballots(rng)
        params = {"basis": rng.choice(("heads", "weight"))} if rule == "simple-majority" else {}
        out.append(Motion(rule, e, o, params=params))
    return out


def bench_motions(total: int, seed: int) -> None:
    rng = random.Random(seed)
    done = passed = 0
    elapsed = 0.0
    gen_elapsed = 0.0
    while done < total:
        n = min(CHUNK, total - done)
        t0 = time.perf_counter()
        motions = make_motions(rng, n)
        gen_elapsed += time.perf_counter() - t0
        t0 = time.perf_counter()
        for m in motions:
            if evaluate(m).passed:
                passed += 1
        elapsed += time.perf_counter() - t0
        done += n
    print(f"motions evaluated             : {done:,} ({passed:,} passed)")
    print(f"  data generation (untimed)   : {gen_elapsed:.2f} s")
    print(f"  evaluate() total            : {elapsed:.2f} s")
    print(f"  evaluations per second      : {done / elapsed:,.0f}")
    print(f"  mean per evaluation         : {elapsed / done * 1e6:.2f} us")

    sample = make_motions(rng, 20_000)
    t0 = time.perf_counter()
    for m in sample:
        to_json(evaluate(m))
    t = time.perf_counter() - t0
    print(
        f"  evaluate()+to_json() (20k)  : {len(sample) / t:,.0f} per second "
        "(Chinese sentences rendered)"
    )


def make_election(rng: random.Random) -> Election:
    """200 candidates, 50 seats, up to 50 choices, rule p2p-exit.

    70 strong candidates can meet the rule (heads > 1/2 of participation,
    weight > 1/2 of the outstanding principal), 130 weak ones cannot. The
    50th and 51st strong candidates have identical votes, so the result has
    49 elected and a two-way unresolved tie for the last seat.
    """
    electorate = Tally(1_200_000, 12 * 10**12)
    part = Tally(1_000_000, 10 * 10**12)
    strong = sorted(
        (
            Tally(rng.randint(510_000, 600_000), rng.randint(61 * 10**11, 66 * 10**11))
            for _ in range(70)
        ),
        key=lambda t: (t.weight, t.heads),
        reverse=True,
    )
    strong[50] = strong[49]  # equal votes straddling the 50th seat: an unresolved tie
    cands = [Candidate(f"候选人{i:03d}", t) for i, t in enumerate(strong)]
    for i in range(70, 200):
        h = rng.randint(1, 50_000)
        w = rng.randint(1, 2 * 10**11)
        cands.append(Candidate(f"候选人{i:03d}", Tally(h, w)))
    rng.shuffle(cands)
    return Election("p2p-exit", electorate, part, 50, 50, tuple(cands))


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def bench_election(runs: int, seed: int) -> None:
    election = make_election(random.Random(seed))
    result = evaluate_election(election)  # warm-up and sanity
    assert len(result.elected) == 49 and len(result.unresolved_tie) == 2, result.summary
    plain: list[float] = []
    full: list[float] = []
    for _ in range(runs):
        t0 = time.perf_counter()
        evaluate_election(election)
        plain.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        to_json(evaluate_election(election))
        full.append((time.perf_counter() - t0) * 1000)
    qualified = sum(c.passed for c in result.candidates)
    print(
        f"election 200 candidates / 50 seats: {qualified} qualified, "
        f"{len(result.elected)} elected, {len(result.unresolved_tie)} in unresolved tie"
    )
    p50, p99 = _pct(plain, 0.50), _pct(plain, 0.99)
    print(f"  evaluate_election() over {runs} runs: p50 {p50:.3f} ms, p99 {p99:.3f} ms")
    f50, f99 = _pct(full, 0.50), _pct(full, 0.99)
    print(f"  evaluate_election()+to_json()     : p50 {f50:.3f} ms, p99 {f99:.3f} ms")
    print(f"  target < 10 ms, evaluation p99    : {'OK' if p99 < 10 else 'OVER'}")
    print(f"  target < 10 ms, incl. JSON p99    : {'OK' if f99 < 10 else 'OVER'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--motions", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20190411)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, seed {args.seed}")
    bench_motions(args.motions, args.seed)
    bench_election(args.runs, args.seed)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"peak memory (ru_maxrss)       : {peak_kib / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
