"""The association's reporting dashboard and period export at scale.

Builds a fresh SQLite bench database (bench/out/bench.sqlite3): N institutions (1,000),
each with AH-05 filings for the last M monthly periods (36) in a mix of states, and for the
latest month complete submitted AH-05, AH-06 (two products) and AH-07 (two partners)
versions. Then, in a child process with DEBUG off, through Django's test client signed in as
an association officer (password + TOTP, the real way):

* GET /staff/reporting/dashboard/?table=AH-05&periods=36 (the counts over every institution,
  a page of 100 institutions × 36 periods) — p50 / p95 / p99 over R requests (target, issue
  19: p95 ≤ 200 ms); the same filtered to 逾期; and GET /api/reporting/dashboard;
* GET /staff/reporting/export.xlsx?period=<latest> — seconds (best of 3) and size
  (target: ≤ 10 s for 1,000 institutions).

    python bench/bench_reporting.py [--institutions 1000] [--months 36] [--requests 100]
"""

from __future__ import annotations

import argparse
import subprocess

from _setup import PYTHON, ROOT, database_env, fresh_database

BUILD = r"""
import random, time
from django.db import transaction
from django.utils import timezone
from winddown.indicators import TABLES, Kind, format_scaled
from winddown.institutions.models import Institution
from winddown.reporting.models import Filing, FilingVersion
from winddown.reporting.selectors import periods_back
from winddown.reporting import deadlines

rng = random.Random(20261204)
started = time.perf_counter()
with transaction.atomic():
    Institution.objects.bulk_create([
        Institution(full_name=f"基准{n:04d}信息咨询有限公司", short_name=f"基准{n:04d}",
                    credit_code=f"91BENCH{n:011d}", registered_address="合肥市")
        for n in range(N)
    ], batch_size=1000)
    ids = list(Institution.objects.filter(short_name__startswith="基准").values_list("pk", flat=True))
    periods = periods_back("month", MONTHS)
    dl = {p.label: deadlines.dates("AH-05", p) for p in periods}
    filings = []
    for i in ids:
        for p in periods:
            r = rng.random()
            if r < 0.05:
                continue  # not filed
            status = "accepted" if r < 0.7 else "submitted" if r < 0.9 else "returned" if r < 0.95 else "draft"
            due, deadline = dl[p.label]
            filings.append(Filing(institution_id=i, table="AH-05", period=p.label, status=status,
                                  due=due, deadline=deadline, late=rng.random() < 0.1,
                                  first_submitted_at=timezone.now() if status != "draft" else None))
    Filing.objects.bulk_create(filings, batch_size=2000)

    def cells(table, groups=1):
        out = {}
        for g in range(1, groups + 1):
            for ind in table.indicators:
                key = ind.code if g == 1 else f"{ind.code}#{g}"
                if ind.kind is Kind.AMOUNT:
                    out[key] = format_scaled(rng.randrange(10**12))
                elif ind.kind in (Kind.COUNT,):
                    out[key] = str(rng.randrange(10**6))
                elif ind.kind in (Kind.PERCENT, Kind.NUMBER):
                    out[key] = format_scaled(rng.randrange(10**8))
                elif ind.kind is Kind.DATE_RANGE:
                    out[key] = "2019-01-01至2020-12-31"
                else:
                    out[key] = "基准测试文字内容" * 3
        return out

    latest = periods[0].label
    versions = []
    for table, groups in (("AH-05", 1), ("AH-06", 2), ("AH-07", 2)):
        if table != "AH-05":
            Filing.objects.bulk_create([
                Filing(institution_id=i, table=table, period=latest, status="submitted") for i in ids
            ], batch_size=2000)
        Filing.objects.filter(table=table, period=latest).update(status="submitted")
        for fid in Filing.objects.filter(table=table, period=latest).values_list("pk", flat=True):
            versions.append(FilingVersion(filing_id=fid, number=1, status="submitted",
                                          definitions_version="bench", cells=cells(TABLES[table], groups)))
    FilingVersion.objects.bulk_create(versions, batch_size=500)
print(f"built {N} institutions, {len(filings)} AH-05 filings over {MONTHS} months, "
      f"{len(versions)} complete versions for {latest} in {time.perf_counter() - started:.1f} s")
"""

MEASURE = r"""
import time, statistics
from winddown.accounts.roles import Role
from winddown.conftest import make_staff, staff_signed_in
from winddown.reporting.selectors import periods_back
from winddown.api.tests.conftest import staff_token, ApiClient

from winddown.accounts.models import User
User.objects.filter(username__startswith="bench_association").delete()
client = staff_signed_in(make_staff("bench_association", Role.ASSOCIATION_OFFICER))
# a TOTP code is accepted once: the API client signs in as a second officer
api = ApiClient(staff_token(make_staff("bench_association_api", Role.ASSOCIATION_OFFICER)))

def measure(label, call):
    for _ in range(5):
        assert call().status_code == 200
    times = []
    for _ in range(REQUESTS):
        t = time.perf_counter()
        r = call()
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    print(f"{label:48s} p50 {pick(0.5):7.1f} ms  p95 {pick(0.95):7.1f} ms  p99 {pick(0.99):7.1f} ms  ({REQUESTS} requests)")

page = client.get(f"/staff/reporting/dashboard/?table=AH-05&periods={MONTHS}")
import re
total = int(re.search(r"共 (\d+) 家机构", page.content.decode()).group(1))
assert total >= N, "every institution counted"
assert page.content.decode().count("<tr>") >= min(N, 100), "a page of 100 institutions"
measure(f"dashboard page {N} x {MONTHS}", lambda: client.get(f"/staff/reporting/dashboard/?table=AH-05&periods={MONTHS}"))
measure(f"dashboard page, state=overdue", lambda: client.get(f"/staff/reporting/dashboard/?table=AH-05&periods={MONTHS}&state=overdue"))
measure(f"GET /api/reporting/dashboard {N} x {MONTHS}", lambda: api.get("/api/reporting/dashboard", {"table": "AH-05", "periods": MONTHS}))
latest = periods_back("month", 1)[0].label
best = None
for _ in range(3):
    t = time.perf_counter()
    r = client.get(f"/staff/reporting/export.xlsx?period={latest}")
    seconds = time.perf_counter() - t
    assert r.status_code == 200
    best = seconds if best is None else min(best, seconds)
print(f"export {latest} (AH-05, AH-06 x2, AH-07 x2) for {N} institutions: {best:.2f} s best of 3, {len(r.content) / 2**20:.1f} MiB")
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--institutions", type=int, default=1000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--reuse", action="store_true", help="measure the last built database")
    args = parser.parse_args()
    env = database_env("sqlite") if args.reuse else fresh_database("sqlite")
    env["DJANGO_SETTINGS_MODULE"] = "winddown.settings"
    env["WINDDOWN_ALLOWED_HOSTS"] = "testserver"
    head = (
        "import django; django.setup()\n"
        f"N = {args.institutions}; MONTHS = {args.months}; REQUESTS = {args.requests}\n"
    )
    if not args.reuse:
        subprocess.run([PYTHON, "-c", head + BUILD], cwd=ROOT, env=env, check=True)
    subprocess.run([PYTHON, "-c", head + MEASURE], cwd=ROOT, env=env, check=True)


if __name__ == "__main__":
    main()
