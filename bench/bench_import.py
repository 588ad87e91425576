"""Importing a generated register into a new version: validation, encryption and storage.

Figures: wall time end to end (`manage.py import_claims`, Django start-up included), rows/s,
peak RSS of the importing process (its worker processes are smaller), on SQLite and on
PostgreSQL. Target (issue 2): 1,000,000 rows in at most 60 s with at most 1 GiB.

Usage: .venv/bin/python bench/bench_import.py [--rows 1000000] [--db sqlite|postgres|both]
Leaves the imported (and activated) register in the bench database for bench_claims_page.py.
"""

from __future__ import annotations

import argparse
import os
import sys

from _setup import fresh_database, manage, register_file, timed_child

ACTIVATE = """
from winddown.accounts.models import User
from winddown.audit.services import Actor
from winddown.claims.models import RegisterVersion
from winddown.claims.services import version_activate
user = User.objects.get(username="bench_operator")
version = RegisterVersion.objects.get(status="pending")
version_activate(version=version, user=user, actor=Actor(user.pk, "bench"))
"""


def run(kind: str, rows: int) -> dict:
    path = register_file(rows)
    env = fresh_database(kind)
    seconds, peak_mib, out = timed_child(
        env, "import_claims", "基准机构", str(path), "--as-user", "bench_operator"
    )
    manage(env, "shell", "-v", "0", "-c", ACTIVATE)
    return {
        "db": kind,
        "rows": rows,
        "seconds": seconds,
        "rows_per_s": rows / seconds,
        "peak_mib": peak_mib,
        "summary": out.strip().splitlines(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    for kind in kinds:
        result = run(kind, args.rows)
        verdict = "OK" if result["seconds"] <= 60 and result["peak_mib"] <= 1024 else "OVER TARGET"
        print(
            f"{kind:9s} {result['rows']:,} rows in {result['seconds']:.1f} s = "
            f"{result['rows_per_s']:,.0f} rows/s, "
            f"peak RSS {result['peak_mib']:.0f} MiB  [{verdict}]"
        )
        for line in result["summary"]:
            print(f"          {line}")


if __name__ == "__main__":
    main()
