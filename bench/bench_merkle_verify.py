"""Benchmark of the Merkle tree (winddown.merkle) and the bundle verifier (winddown.verify).

Generates (seeded) a resolution vote of 1,000,000 lenders who cast 4,000,000
ballots: each lender's final ballot plus 3,000,000 earlier ballots they later
changed, spread over the two-week voting period and interleaved by time (so a
lender's final ballot is always their last entry). Then prints:

* Merkle root over 1,000,000 leaf hashes (target <= 10 s);
* ``write_bundle`` time and bundle size for the 4,000,000-entry log;
* ``python -m winddown.verify`` wall time on that bundle, as a user runs it
  (target <= 30 s), with its default of two processes and with ``--jobs 1``;
* peak RSS of the verifier process (and of this script, generation included).

Data generation is outside every timed section. The bundle goes to
``bench/out/`` (git-ignored).

Usage: ``.venv/bin/python bench/bench_merkle_verify.py [--voters N] [--changes N] [--seed N]``
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import subprocess
import sys
import time
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from winddown.merkle import leaf_hashes, root  # noqa: E402
from winddown.rules import to_json  # noqa: E402
from winddown.verify import (  # noqa: E402
    FORMAT,
    BallotLine,
    evaluate_tally,
    tally_ballots,
    write_bundle,
)

OUT = ROOT / "bench" / "out"
PERIOD_SECONDS = 14 * 86400
OPTIONS = ("yes", "no", "abstain")


def mib(kib: int) -> str:
    return f"{kib / 1024:,.0f} MiB"


def generate(voters: int, changes: int, seed: int):
    """Arrays describing the log, in seq order: voter index, choice index,
    seconds after opening; plus pseudonyms, receipts and weights."""
    if voters > 2**20:
        raise SystemExit("at most 1,048,576 voters (20-bit index)")
    rng = random.Random(seed)
    entries = voters + changes
    # every lender votes once, 3,000,000 extra ballots go to random lenders
    owner = list(range(voters)) + [rng.randrange(voters) for _ in range(changes)]
    # a random instant for each ballot; sort by (instant, random tiebreak)
    keys = [(rng.randrange(PERIOD_SECONDS) << 42) | (rng.getrandbits(22) << 20) | v for v in owner]
    del owner
    keys.sort()
    voter_of = array("I", (k & 0xFFFFF for k in keys))
    seconds = array("I", (k >> 42 for k in keys))
    del keys
    # choices: earlier ballots uniformly random, final ballots 60 / 25 / 15 %
    choice = array("B", (rng.randrange(3) for _ in range(entries)))
    seen = bytearray(voters)
    for i in range(entries - 1, -1, -1):  # walk back: the first time a voter is met is final
        v = voter_of[i]
        if not seen[v]:
            seen[v] = 1
            r = rng.random()
            choice[i] = 0 if r < 0.60 else (1 if r < 0.85 else 2)
    pseudonyms = [f"{rng.getrandbits(128):032x}" for _ in range(voters)]
    receipts = base64.b32encode(rng.randbytes(10 * entries)).decode()
    weights = array(
        "Q", (rng.randint(100_00, 5_000_000_00) // rng.randint(1, 50) for _ in range(voters))
    )
    return voter_of, seconds, choice, pseudonyms, receipts, weights


def ballot_lines(data):
    voter_of, seconds, choice, pseudonyms, receipts, weights = data
    for i in range(len(voter_of)):
        v = voter_of[i]
        s = seconds[i] + 3600  # opens 2026-12-01T01:00:00Z
        day, rest = divmod(s, 86400)
        yield BallotLine(
            i + 1,
            pseudonyms[v],
            receipts[16 * i : 16 * i + 16],
            OPTIONS[choice[i]],
            weights[v],
            f"2026-12-{1 + day:02d}T{rest // 3600:02d}:{rest // 60 % 60:02d}:{rest % 60:02d}Z",
        )


def manifest_for(data) -> dict:
    weights = data[5]
    total = sum(weights)
    return {
        "format": FORMAT,
        "event": {
            "id": 1,
            "institution": "基准机构",
            "title": "基准测试：良性退出方案表决",
            "kind": "resolution",
            "opens_at": "2026-12-01T01:00:00Z",
            "closes_at": "2026-12-15T01:00:00Z",
        },
        "rule": {"id": "p2p-exit", "params": {}},
        "electorate": {"heads": len(weights) * 11 // 10, "weight_fen": total * 10 // 9},
        "resolution": {"options": list(OPTIONS)},
        "hash_alg": "sha256",
    }


def run_child(*args: str) -> tuple[float, int, object, str]:
    """Run a child process; wall seconds, exit status, rusage (peak RSS of the
    largest process of its tree, CPU of the whole tree), output."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    out = proc.stdout.read() if proc.stdout else b""
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, proc.returncode, usage, out.decode()


def phase_root(args) -> None:
    rng = random.Random(args.seed)
    leaves = leaf_hashes(rng.randbytes(80) for _ in range(args.leaves))
    started = time.perf_counter()
    r = root(leaves)
    seconds = time.perf_counter() - started
    print(
        f"merkle root, {args.leaves:,} leaf hashes (sha256): {seconds:.2f} s  [target <= 10 s]  "
        f"{r.hex()[:16]}..."
    )
    started = time.perf_counter()
    r = root(leaves, "sm3")
    seconds = time.perf_counter() - started
    print(f"merkle root, {args.leaves:,} leaf hashes, sm3 internal nodes: {seconds:.2f} s")


def phase_write(args, path: Path) -> None:
    entries = args.voters + args.changes
    started = time.perf_counter()
    data = generate(args.voters, args.changes, args.seed)
    manifest = manifest_for(data)
    gen_seconds = time.perf_counter() - started
    started = time.perf_counter()
    tally = tally_ballots(
        manifest,
        ((data[3][v], OPTIONS[c], data[5][v]) for v, c in zip(data[0], data[2], strict=True)),
    )
    manifest["declared"] = {"tally": tally, "result": to_json(evaluate_tally(manifest, tally))}
    count_seconds = time.perf_counter() - started
    print(
        f"generated {entries:,} entries of {args.voters:,} lenders in {gen_seconds:.1f} s (not "
        f"timed below); tally_ballots {count_seconds:.1f} s; declared passed="
        f"{manifest['declared']['result']['passed']}"
    )
    started = time.perf_counter()
    for _ in ballot_lines(data):
        pass
    lines_seconds = time.perf_counter() - started
    started = time.perf_counter()
    written = write_bundle(path, manifest, ballot_lines(data))
    write_seconds = time.perf_counter() - started
    print(
        f"write_bundle, {entries:,} entries: {write_seconds:.1f} s (of which making the "
        f"BallotLine objects from the generated arrays ~{lines_seconds:.1f} s), "
        f"{path.stat().st_size / 2**20:,.0f} MiB, root {written['merkle']['root'][:16]}..."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=1_000_000)
    parser.add_argument("--changes", type=int, default=3_000_000)
    parser.add_argument("--leaves", type=int, default=1_000_000, help="leaves for the root timing")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--skip-single", action="store_true", help="skip the --jobs 1 run")
    parser.add_argument("--reuse", action="store_true", help="reuse an existing bundle")
    parser.add_argument("--phase", choices=["root", "write"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    entries = args.voters + args.changes
    path = OUT / f"bundle-{args.voters}-{args.changes}-{args.seed}.zip"
    if args.phase == "root":
        phase_root(args)
        return 0
    if args.phase == "write":
        phase_write(args, path)
        return 0

    # Each phase runs in its own process (started from this small one), so
    # peak RSS figures are those of the phase alone.
    print(
        f"winddown.merkle / winddown.verify bench ({os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]})"
    )
    me = [str(Path(__file__).resolve()), *sys.argv[1:]]
    _s, status, _u, out = run_child(*me, "--phase", "root")
    print(out, end="")
    if not (args.reuse and path.exists()):
        _s, status, usage, out = run_child(*me, "--phase", "write")
        print(out, end="")
        print(f"  peak RSS of the generate + write process: {mib(usage.ru_maxrss)}")
        if status != 0:
            return 1
    print(f"bundle: {path.relative_to(ROOT)}, {path.stat().st_size / 2**20:,.0f} MiB")

    runs = [("default: 2 processes if a core is idle", ())]
    if not args.skip_single:
        runs.append(("--jobs 1", ("--jobs", "1")))
    report = ""
    for label, extra in runs:
        seconds, status, usage, out = run_child("-m", "winddown.verify", str(path), *extra)
        cpu = usage.ru_utime + usage.ru_stime
        print(
            f"python -m winddown.verify ({label}), {entries:,} entries: {seconds:.1f} s wall, "
            f"{cpu:.1f} s CPU, exit {status}, peak RSS {mib(usage.ru_maxrss)}  [target <= 30 s]"
        )
        if status != 0:
            print(out)
            return 1
        report = report or out
    print(f"load average after the runs: {os.getloadavg()[0]:.1f}")
    print("verifier report:")
    print("\n".join("  " + line for line in report.strip().splitlines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
