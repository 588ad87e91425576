"""Shared set-up for the benches: data files, a fresh database, child processes.

Benches run Django in child processes (the way operators run `manage.py`), so the figures
include start-up and the peak memory is that of the process doing the work. They run with
DEBUG off, as in production.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "winddown_bench"
SETUP_INSTITUTION = """
from winddown.accounts.models import User
from winddown.audit.services import Actor
from winddown.institutions.models import Institution
from winddown.institutions.services import membership_set
institution, _ = Institution.objects.get_or_create(short_name="基准机构", defaults=dict(
    full_name="基准测试信息咨询有限公司", credit_code="91440300MA5DC6QX0G",
    registered_address="深圳"))
operator = User.objects.filter(username="bench_operator").first() or User.objects.create_user(
    "bench_operator", "x" * 12, role="operator")
membership_set(actor=Actor.system("bench"), user=operator, institution=institution)
"""


def register_file(rows: int) -> Path:
    """A generated register of `rows` lenders (cached in bench/out/)."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"register-{rows}.csv"
    if not path.exists():
        started = time.perf_counter()
        code = (
            "from pathlib import Path\n"
            "from winddown.demo.generators import register_rows, write_register_csv\n"
            f"write_register_csv(Path({str(path)!r}), register_rows({rows}, seed=42))"
        )
        subprocess.run([PYTHON, "-c", code], cwd=ROOT, check=True)
        print(
            f"generated {path.name} ({path.stat().st_size / 2**20:.0f} MiB) in "
            f"{time.perf_counter() - started:.0f} s"
        )
    return path


def database_env(kind: str) -> dict[str, str]:
    env = {**os.environ, "WINDDOWN_DEBUG": "0", "PYTHONPATH": str(ROOT)}
    if kind == "postgres":
        env["WINDDOWN_DATABASE_URL"] = f"{PG_SERVER}/{PG_DATABASE}"
    else:
        env["WINDDOWN_DATABASE_URL"] = f"sqlite:///{OUT / 'bench.sqlite3'}"
    return env


def fresh_database(kind: str) -> dict[str, str]:
    """Drop and recreate the bench database, migrate it, add an institution and operator."""
    env = database_env(kind)
    if kind == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {PG_DATABASE}")
    else:
        for suffix in ("", "-wal", "-shm"):
            (OUT / f"bench.sqlite3{suffix}").unlink(missing_ok=True)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "shell", "-v", "0", "-c", SETUP_INSTITUTION)
    return env


def manage(env: dict[str, str], *args: str, capture: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    )


def timed_child(env: dict[str, str], *args: str) -> tuple[float, float, str]:
    """Run `manage.py args` and return (seconds, peak RSS MiB of the largest process, stdout)."""
    started = time.perf_counter()
    done = manage(env, *args, capture=True)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kib / 1024, done.stdout
