"""Public receipt lookups on a published event of 1,000,000 ballots (issue 15 item 14).

Builds (seeded, untimed) a resolution event, counted by `lifecycle.event_count`, whose ballot log has N entries (default
800,000 lenders' final ballots plus 200,000 earlier ones they changed), straight into the
database with PostgreSQL COPY / SQLite executemany. Then, in child processes:

1. publish: `bundle.write_event_bundle` (bundle written, verified, and the receipt tree file
   built from the rows' leaf hashes and checked against the root), and the tree build alone;
2. lookups: first lookups of distinct random receipts in a fresh process (no cache is
   involved any more), through `results.check_receipt`, the API
   (/api/results/{id}/receipts/{code}) and the public page, p50/p99 and the process's
   peak RSS; each answer must be verified;
3. the old path for comparison: `winddown.verify.inclusion_proof_for_receipt` (the scan of
   the whole bundle that `python -m winddown.verify --receipt` still does offline), for a
   few receipts, and its peak RSS.

Usage: .venv/bin/python bench/bench_receipt_lookup.py [--db postgres|sqlite] [--voters N]
       [--changes N] [--lookups N] [--scans N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess

import _setup
from _closed_event import BUILD_CLOSED_EVENT
from _setup import OUT, PYTHON, ROOT, fresh_database

HOOKS = r"""
from datetime import timedelta
from winddown.voting import ballot_log
receipts = []
def receipt_for(seq):
    receipts.append(ballot_log.new_receipt())
    return receipts[-1]
def choice_for(rng):
    return ("yes", "no", "abstain")[rng.randrange(3)]
def cast_at_for(seq, now):
    return now - timedelta(days=14) + timedelta(microseconds=seq * 997)
"""

BUILD = (
    HOOKS
    + BUILD_CLOSED_EVENT
    + r"""
event = lifecycle.event_count(event.pk)  # the stored result and root, as in production
assert event.merkle_root == merkle.root().hex() and event.merkle_size == len(entries)
sample = random.Random(11).sample(receipts, LOOKUPS + SCANS)
with open(OUT / "receipts-sample.txt", "w") as fp:
    fp.write("\n".join(sample))
print(f"built {VOTERS + CHANGES:,} ballots ({VOTERS:,} lenders) in "
      f"{time.perf_counter() - started:.0f} s (untimed); event {event.pk}")
"""
)

PUBLISH = r"""
import resource, time
from winddown.voting import receipt_tree
from winddown.voting.bundle import bundle_path, write_event_bundle
from winddown.voting.models import VotingEvent

event = VotingEvent.objects.get(title="基准表决")
started = time.perf_counter()
path = write_event_bundle(event)
publish = time.perf_counter() - started
event.bundle_path = path
event.status = "published"
event.save(update_fields=["bundle_path", "status"])
tree = receipt_tree.tree_path(event)
started = time.perf_counter()
receipt_tree.tree_write(event)
build = time.perf_counter() - started
print(f"publication (bundle written + verified + tree file): {publish:.1f} s; "
      f"tree file alone: {build:.1f} s, {tree.stat().st_size / 2**20:.0f} MiB "
      f"(bundle {bundle_path(event).stat().st_size / 2**20:.0f} MiB); "
      f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
"""

LOOKUPS_CODE = r"""
import resource, statistics, time
from django.test import Client
from winddown.voting import results
from winddown.voting.models import VotingEvent

event = VotingEvent.objects.get(title="基准表决")
codes = (OUT / "receipts-sample.txt").read_text().split()[:LOOKUPS]
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def report(label, times):
    times = sorted(times)
    p = lambda q: times[min(len(times) - 1, int(q * len(times)))] * 1000
    print(f"  {label:<28} n={len(times):>5}  p50 {p(0.50):6.2f} ms  p99 {p(0.99):6.2f} ms  "
          f"max {times[-1] * 1000:6.2f} ms")

client = Client(HTTP_HOST="localhost")  # each request from its own address (rate limit)
# Warm the URL resolver, ninja and the templates with an unknown receipt (404, no lookup).
client.get(f"/api/results/{event.pk}/receipts/{'A' * 16}", REMOTE_ADDR="9.9.9.9")
client.get(f"/events/{event.pk}/receipt/", {"code": "A" * 16}, REMOTE_ADDR="9.9.9.9")
third = len(codes) // 3
times, superseded = [], 0
for code in codes[:third]:
    started = time.perf_counter()
    check = results.check_receipt(event, code)
    times.append(time.perf_counter() - started)
    assert check.verified, code
    superseded += check.superseded
report("check_receipt (presenter)", times)
times = []
for i, code in enumerate(codes[third:2 * third]):
    started = time.perf_counter()
    response = client.get(f"/api/results/{event.pk}/receipts/{code}", REMOTE_ADDR=f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}")
    times.append(time.perf_counter() - started)
    assert response.status_code == 200 and response.json()["verified"], response.content
report("GET /api/results/…/receipts", times)
times = []
for i, code in enumerate(codes[2 * third:]):
    started = time.perf_counter()
    response = client.get(f"/events/{event.pk}/receipt/", {"code": code}, REMOTE_ADDR=f"11.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}")
    times.append(time.perf_counter() - started)
    assert response.status_code == 200 and "✓ 已核验" in response.content.decode()
report("GET /events/…/receipt/ (page)", times)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"  every answer verified ({superseded} superseded); peak RSS {rss:.0f} MiB "
      f"({rss - rss0:+.0f} MiB over the process after Django set-up)")
"""

SCAN = r"""
import resource, time
from winddown.verify import inclusion_proof_for_receipt
from winddown.voting.bundle import bundle_path
from winddown.voting.models import VotingEvent

event = VotingEvent.objects.get(title="基准表决")
codes = (OUT / "receipts-sample.txt").read_text().split()[LOOKUPS:LOOKUPS + SCANS]
for code in codes:
    started = time.perf_counter()
    info = inclusion_proof_for_receipt(bundle_path(event), code)
    seconds = time.perf_counter() - started
    assert info["verified"]
    print(f"  old bundle scan, receipt at index {info['index']:>9,}: {seconds * 1000:7.0f} ms")
print(f"  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--voters", type=int, default=800_000)
    parser.add_argument("--changes", type=int, default=200_000)
    parser.add_argument("--lookups", type=int, default=3000)
    parser.add_argument("--scans", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    # A database of its own: another bench may be using winddown_bench at the same time.
    _setup.PG_DATABASE = "winddown_bench_receipts"
    # Bundles and tree files in bench/out/ too, not in the development var/ folder; each
    # run starts without the previous run's (another root, another file name).
    var = OUT / "receipt-var"
    shutil.rmtree(var / "private" / "bundles", ignore_errors=True)
    os.environ["WINDDOWN_VAR_DIR"] = str(var)
    env = fresh_database(args.db)
    env["WINDDOWN_ALLOWED_HOSTS"] = "localhost"
    prelude = (
        "from pathlib import Path\n"
        f"OUT = Path({str(OUT)!r})\n"
        f"VOTERS = {args.voters}\nCHANGES = {args.changes}\n"
        f"LOOKUPS = {args.lookups}\nSCANS = {args.scans}\n"
    )
    print(f"{args.db}: {args.voters + args.changes:,} ballots in the log")

    def child(code: str) -> None:
        subprocess.run(
            [PYTHON, "manage.py", "shell", "-v", "0", "-c", prelude + code],
            cwd=ROOT,
            env=env,
            check=True,
        )

    child(BUILD)
    child(PUBLISH)
    print("first lookups of distinct receipts (fresh process):")
    child(LOOKUPS_CODE)
    print("for comparison, the scan the lookups used to do:")
    child(SCAN)


if __name__ == "__main__":
    main()
