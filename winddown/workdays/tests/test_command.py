"""manage.py workdays: answers on stdout; exit 2 for malformed input, 3 for a year that is
not confirmed (named)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from winddown.audit.models import AuditEntry
from winddown.workdays.audit_actions import WorkdaysAction
from winddown.workdays.management.commands.workdays import Refusal
from winddown.workdays.models import WorkYear
from winddown.workdays.seeding import seed_years

from .helpers import HOLIDAYS_2027, NOTICE_2027, WORKDAYS_2027

ROOT = Path(__file__).resolve().parents[3]
SET_2027 = [
    "set-year",
    "2027",
    "--holidays",
    HOLIDAYS_2027,
    "--workdays",
    WORKDAYS_2027,
    "--notice",
    NOTICE_2027,
]


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


def refused(*args: str) -> Refusal:
    with pytest.raises(Refusal) as info:
        run(*args)
    return info.value


@pytest.mark.parametrize(
    ("args", "answer"),
    [
        (("is-working", "2026-10-10"), "true"),  # Saturday, 调休上班 (国办发明电〔2025〕7号)
        (("is-working", "2026-10-11"), "false"),
        (("is-working", "2026-02-23"), "false"),  # Monday in 春节
        (("is-working", "2005-12-31"), "true"),  # Saturday worked (国办发明电〔2005〕35号)
        (("add", "2026-09-30", "3"), "2026-10-10"),
        (("add", "2026-10-10", "-3"), "2026-09-30"),
        (("add", "2026-10-03", "0"), "2026-10-03"),
        (("due", "AH-05", "2026-09"), "2026-10-13"),
        (("due", "ah-07", "2026-04"), "2026-05-11"),
        (("due", "AH03", "2025-Q1"), "2025-04-21"),
        (("due", "AH-01", "2025"), "2026-01-12"),
    ],
)
def test_answers(seeded, args, answer):
    assert run(*args) == answer + "\n"


def test_due_as_json(seeded):
    assert json.loads(run("due", "AH-05", "2026-01", "--json")) == {
        "table": "AH-05",
        "period": "2026-01",
        "due": "2026-02-06",
        "deadline": "2026-02-10",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("is-working", "2026/10/10"), "日期“2026/10/10”不是日期，应写作 YYYY-MM-DD"),
        (("is-working", "2026-02-30"), "不是有效的日期"),
        (("add", "2026-10-10", "three"), "工作日数“three”不是整数"),
        (("add", "2026-10-10", "1.5"), "不是整数"),
        (("due", "AH-08", "2026-09"), "采集表“AH-08”不存在，应为 AH-01、"),
        (("due", "AH-05", "2026-13"), "报送期间格式不正确：'2026-13'"),
        (("due", "AH-05", "2026-Q3"), "AH-05 按月度报送"),
        (("set-year", "2027", "--holidays", "", "--workdays", "2027-02-15", "--notice", "x"),
         "调休上班日：2027-02-15（周一）本来就是工作日"),
        (("set-year", "2027", "--holidays", "2027-02-07..2027-02-05", "--workdays", "",
          "--notice", "x"), "放假日期中的“2027-02-07..2027-02-05”的结束日早于开始日"),
        (("set-year", "2027", "--holidays", "", "--workdays", "", "--notice", " "),
         "依据通知：已确认的2027年须注明所依据的国务院办公厅通知"),
        (("set-year", "27", "--holidays", "", "--workdays", "", "--notice", "x"),
         "年份应为2000–2100之间的整数"),
    ],
)  # fmt: skip
def test_malformed_input_exits_2(seeded, args, message):
    refusal = refused(*args)
    assert refusal.returncode == 2 and message in str(refusal)
    assert not WorkYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize(
    "args",
    [
        ("is-working", "2027-01-04"),
        ("add", "2026-12-28", "5"),
        ("due", "AH-01", "2026"),  # 2027-01-10
        ("due", "AH-05", "2026-12"),
    ],
)
def test_an_unconfirmed_year_exits_3_and_is_named(seeded, args):
    refusal = refused(*args)
    assert refusal.returncode == 3
    assert str(refusal).startswith("2027年的节假日安排尚未确认（需国务院办公厅通知）")
    assert "manage.py workdays set-year 2027" in str(refusal)


def test_set_year_then_2027_answers(seeded):
    out = run(*SET_2027)
    assert out.startswith("2027年已确认：放假 13 天（其中周一至周五 7 天）")
    assert "2027-02-05..2027-02-11" in out and "调休上班 2 天：2027-02-14, 2027-02-20" in out
    assert run("is-working", "2027-02-14") == "true\n"
    assert run("is-working", "2027-02-08") == "false\n"
    assert run("due", "AH-01", "2026") == "2027-01-11\n"  # 01-10 is a Sunday
    entry = AuditEntry.objects.get(action=WorkdaysAction.YEAR_CONFIRMED)
    assert entry.actor_label == "manage.py workdays set-year" and entry.actor_id is None
    assert entry.before is None and entry.after["workdays"] == ["2027-02-14", "2027-02-20"]
    row = WorkYear.objects.get(year=2027)
    assert row.confirmed_by is None and row.confirmed_by_label == "manage.py workdays set-year"
    run(*SET_2027[:5], "2027-02-14, 2027-02-20, 2027-09-26", *SET_2027[6:])
    entry = AuditEntry.objects.get(action=WorkdaysAction.YEAR_AMENDED)
    assert entry.before["workdays"] == ["2027-02-14", "2027-02-20"]


def test_argument_errors_through_call_command(seeded):
    with pytest.raises(CommandError, match="set-year"):
        run("no-such-thing")
    with pytest.raises(CommandError, match="--notice"):
        run("set-year", "2027", "--holidays", "", "--workdays", "")


# --- the real command line: exit codes and streams --------------------------------------


def _manage(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def database_env(tmp_path, transactional_db, settings):
    """A migrated database the child processes share (the test database on PostgreSQL, a
    fresh SQLite file migrated by the real `migrate` otherwise)."""
    env = {**os.environ, "WINDDOWN_VAR_DIR": str(settings.VAR_DIR)}
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        env["WINDDOWN_DATABASE_URL"] = (
            f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        )
        seed_years(WorkYear)
    else:
        env["WINDDOWN_DATABASE_URL"] = f"sqlite:///{tmp_path / 'workdays.sqlite3'}"
        migrated = _manage(env, "migrate", "--no-input", "-v", "0")
        assert migrated.returncode == 0, migrated.stderr
    return env


def test_exit_codes_from_the_command_line(database_env):
    env = database_env
    done = _manage(env, "workdays", "is-working", "2026-10-10")
    assert (done.returncode, done.stdout, done.stderr) == (0, "true\n", "")

    done = _manage(env, "workdays", "is-working", "2026-13-01")
    assert done.returncode == 2 and done.stdout == ""
    assert (
        done.stderr.strip() == "日期“2026-13-01”不是有效的日期，应写作 YYYY-MM-DD，例如 2026-10-10"
    )
    done = _manage(env, "workdays", "due", "AH-05")  # argparse: missing PERIOD
    assert done.returncode == 2 and "PERIOD" in done.stderr

    done = _manage(env, "workdays", "due", "AH-01", "2026")
    assert done.returncode == 3 and done.stdout == ""
    assert done.stderr.startswith("2027年的节假日安排尚未确认")

    done = _manage(env, "workdays", *SET_2027)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("2027年已确认")
    done = _manage(env, "workdays", "due", "AH-01", "2026")
    assert (done.returncode, done.stdout) == (0, "2027-01-11\n")
