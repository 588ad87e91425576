"""A register import killed half-way leaves nothing behind, and the re-run succeeds."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from winddown.demo.generators import register_rows, write_register_csv

ROOT = Path(__file__).resolve().parents[3]
SETUP = """
from winddown.accounts.models import User
from winddown.institutions.models import Institution
if not Institution.objects.filter(short_name="崩溃测试").exists():
    Institution.objects.create(full_name="崩溃测试有限公司", short_name="崩溃测试",
        credit_code="91440300MA5DC6QX0G", registered_address="深圳")
    User.objects.create_user("crash_operator", "x" * 12, role="operator")
"""
COUNT = """
from winddown.claims.models import ClaimEntry, RegisterVersion
print(RegisterVersion.objects.count(), ClaimEntry.objects.count())
"""


def _manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )


@pytest.fixture
def database_env(tmp_path, transactional_db, settings):
    env = {**os.environ, "WINDDOWN_VAR_DIR": str(settings.VAR_DIR)}
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        env["WINDDOWN_DATABASE_URL"] = (
            f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        )
    else:
        env["WINDDOWN_DATABASE_URL"] = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
        _manage(env, "migrate", "--no-input")
    _manage(env, "shell", "-c", SETUP)
    return env


def _counts(env) -> tuple[int, int]:
    versions, entries = _manage(env, "shell", "-v", "0", "-c", COUNT).stdout.split()[-2:]
    return int(versions), int(entries)


def test_killed_import_stores_nothing_and_rerun_succeeds(tmp_path, database_env):
    path = write_register_csv(tmp_path / "big.csv", register_rows(60_000, seed=3))
    command = [
        sys.executable,
        "manage.py",
        "import_claims",
        "崩溃测试",
        str(path),
        "--as-user",
        "crash_operator",
    ]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=database_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Kill it once 20,000 of the 60,000 rows have been written inside its transaction.
    for line in process.stderr:
        if "已处理 20,000 行" in line:
            break
    assert process.poll() is None, "import finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert _counts(database_env) == (0, 0)
    done = _manage(
        database_env, "import_claims", "崩溃测试", str(path), "--as-user", "crash_operator"
    )
    assert "第1版" in done.stdout and "出借人数 60,000" in done.stdout
    assert _counts(database_env) == (1, 60_000)
