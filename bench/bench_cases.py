"""The association's case queue and the daily deadline task with 100,000 open reports.

Creates a fresh database (SQLite by default, bench/out/bench-cases.sqlite3; or PostgreSQL),
adds 20 institutions and N open reports (states and deadlines spread over the weeks around
the chosen day), then in child processes:

* the queue page (``/staff/cases/``, view + template + queries, a signed-in association
  officer, first page of 50 ordered by deadline) and the queue API (``/api/cases/reports``):
  p50 / p95 / p99 over R requests after warm-up; target p95 ≤ 100 ms;
* the daily task ``manage.py cases_deadlines --date DAY`` over the N open reports: the first
  run (marks every warned and missed case) and a second one the same day (nothing left to
  mark); target ≤ 30 s.

Usage: .venv/bin/python bench/bench_cases.py [--db sqlite|postgres] [--cases 100000]
       [--requests 300]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import time

from _setup import OUT, PG_SERVER, PYTHON, ROOT, manage

PG_DATABASE = "winddown_bench_cases"
DAY = "2026-11-16"

GENERATE = r"""
import random, time
from datetime import date, timedelta
from winddown.accounts.models import User
from winddown.audit.services import Actor
from winddown.cases import services
from winddown.cases.models import Report, Designation
from winddown.institutions.models import Institution

rng = random.Random(20)
started = time.perf_counter()
institutions = [
    Institution.objects.create(
        short_name=f"基准机构{i:02d}", full_name=f"基准机构{i:02d}信息咨询有限公司",
        credit_code=f"BENCH{i:013d}", registered_address="合肥",
    )
    for i in range(20)
]
officer = User.objects.create_user("bench_officer", "x" * 12, role="association_officer")
services.officer_designate(user=officer, designation=Designation.HANDLER,
                           actor=Actor.system("bench"))
day = date.fromisoformat(DAY)
states = [("received", "accept"), ("accepted", "start"), ("investigating", "end"),
          ("investigated", "decide"), ("decided", "answer"), ("decided", "feedback")]
batch = []
for n in range(CASES):
    status, kind = rng.choice(states)
    due = day + timedelta(days=rng.randrange(-20, 90))
    batch.append(Report(
        number=f"JB2026-{n + 1:06d}", institution=rng.choice(institutions), channel="online",
        reporter_type="lender", categories=["R03"], facts="基准测试举报事实" * 5,
        received_on=day - timedelta(days=30), reporter_index=f"{rng.getrandbits(128):032x}",
        status=status, next_due=due, next_due_kind=kind, is_open=True,
    ))
    if len(batch) == 5000:
        Report.objects.bulk_create(batch)
        batch = []
Report.objects.bulk_create(batch)
print(f"generated {Report.objects.count()} open reports in {time.perf_counter() - started:.1f} s")
"""

MEASURE = r"""
import json, time
from django.test import RequestFactory
from winddown.accounts.models import User
from winddown.cases.views import staff
from winddown.cases.api.staff import queue as api_queue

user = User.objects.get(username="bench_officer")
user.is_verified = lambda: True  # the TOTP step, as the middleware would have it
factory = RequestFactory()

def page():
    request = factory.get("/staff/cases/")
    request.user = user
    request.htmx = False
    response = staff.queue(request)
    assert response.status_code == 200 and b"JB2026-" in response.content
    return response

def api():
    request = factory.get("/api/cases/reports")
    request.user = user
    request.auth = user
    rows = api_queue(request, limit=50)
    assert len(rows) == 50
    json.dumps(rows, default=str)

for name, call in (("page /staff/cases/", page), ("api  /api/cases/reports", api)):
    for _ in range(20):
        call()
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    print(f"queue {name:26s} p50 {pick(0.50):6.2f} ms  p95 {pick(0.95):6.2f} ms  "
          f"p99 {pick(0.99):6.2f} ms  ({REQUESTS} requests, {CASES} open cases)")
"""


def env_for(kind: str) -> dict[str, str]:
    env = {**os.environ, "WINDDOWN_DEBUG": "0", "PYTHONPATH": str(ROOT)}
    if kind == "postgres":
        env["WINDDOWN_DATABASE_URL"] = f"{PG_SERVER}/{PG_DATABASE}"
    else:
        env["WINDDOWN_DATABASE_URL"] = f"sqlite:///{OUT / 'bench-cases.sqlite3'}"
    return env


def fresh(kind: str) -> dict[str, str]:
    env = env_for(kind)
    OUT.mkdir(parents=True, exist_ok=True)
    if kind == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {PG_DATABASE}")
    else:
        for suffix in ("", "-wal", "-shm"):
            (OUT / f"bench-cases.sqlite3{suffix}").unlink(missing_ok=True)
    manage(env, "migrate", "--no-input", "-v", "0")
    return env


def shell(env: dict[str, str], code: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", "shell", "-v", "0", "-c", code], cwd=ROOT, env=env, check=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    env = fresh(args.db)
    shell(env, f"CASES = {args.cases}\nDAY = {DAY!r}\n" + GENERATE)
    shell(env, f"CASES = {args.cases}\nREQUESTS = {args.requests}\n" + MEASURE)
    for label in ("first run", "second run, same day"):
        started = time.perf_counter()
        done = manage(env, "cases_deadlines", "--date", DAY, capture=True)
        seconds = time.perf_counter() - started
        print(f"daily task ({label}): {done.stdout.strip()}; process {seconds:.2f} s")


if __name__ == "__main__":
    main()
