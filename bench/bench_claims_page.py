"""Server time of a lender's 我的 page (and the claims API) with a 1,000,000-lender register.

Uses the database bench_import.py leaves behind (runs it first if there is none), adds a
verified lender whose ID number is one of the register's rows, then requests the page
through Django's test client in a child process: p50 / p95 / p99 over N requests after
warm-up. Target (issue 2): p95 at most 50 ms.

Usage: .venv/bin/python bench/bench_claims_page.py [--db sqlite|postgres] [--requests 500]
"""

from __future__ import annotations

import argparse
import subprocess

from _setup import OUT, PYTHON, ROOT, database_env, manage

MEASURE = r"""
import csv, statistics, time
from django.test import Client
from django.utils import timezone
from winddown.accounts.models import User
from winddown.identity.models import Lender

with open(FILE, encoding="utf-8-sig") as source:
    rows = csv.reader(source)
    next(rows)
    for index, row in enumerate(rows):
        if index == 654_321 % ROWS:
            name, number = row[0], row[2]
            break
Lender.objects.filter(user__username="bench-lender").delete()
User.objects.filter(username="bench-lender").delete()
user = User.objects.create_user("bench-lender", role="lender")
now = timezone.now()
lender = Lender(
    user=user, real_name=name,
    identity_checked_at=now, agreement_accepted_at=now, liveness_passed_at=now,
)
lender.phone = "13800009999"
lender.id_number = number
lender.save()
client = Client()
client.force_login(user)
for url in ("/m/me/", "/api/me/claims"):
    for _ in range(20):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    print(f"{url:16s} p50 {pick(0.50):6.2f} ms  p95 {pick(0.95):6.2f} ms  p99 {pick(0.99):6.2f} ms"
          f"  ({REQUESTS} requests)")
assert "待收本金" in client.get("/m/me/").content.decode()  # the lender's claim is on the page
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    env = database_env(args.db)
    has_data = args.db == "postgres" or (OUT / "bench.sqlite3").exists()
    count = (
        "from winddown.claims.models import ClaimEntry\n"
        "print(ClaimEntry.objects.filter(version__status='active').count())"
    )
    try:
        active = (
            int(manage(env, "shell", "-v", "0", "-c", count, capture=True).stdout.split()[-1])
            if has_data
            else 0
        )
    except subprocess.CalledProcessError:
        active = 0
    if active < args.rows:
        subprocess.run(
            [PYTHON, "bench/bench_import.py", "--rows", str(args.rows), "--db", args.db],
            cwd=ROOT,
            check=True,
        )
    code = (
        f"FILE = {str(OUT / f'register-{args.rows}.csv')!r}\nROWS = {args.rows}\n"
        f"REQUESTS = {args.requests}\n" + MEASURE
    )
    print(f"{args.db}: active register of {max(active, args.rows):,} lenders")
    manage({**env, "WINDDOWN_ALLOWED_HOSTS": "testserver"}, "shell", "-v", "0", "-c", code)


if __name__ == "__main__":
    main()
