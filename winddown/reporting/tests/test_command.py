import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_report_tables_json(capsys):
    call_command("report_tables", "--json")
    data = json.loads(capsys.readouterr().out)
    assert len(data) == 7
    assert sum(len(t["indicators"]) for t in data) == 241
    assert data[0]["table"] == "AH-01" and data[0]["name"] == "基本情况采集指标表"
    assert data[0]["frequency"] == "annual"
    assert data[0]["indicators"][0] == {"code": "AH1001", "name": "法人机构全称", "unit": ""}
    ah05 = next(t for t in data if t["table"] == "AH-05")
    assert ah05["frequency"] == "monthly"
    assert ah05["indicators"][0]["code"] == "AH501" and ah05["indicators"][0]["unit"] == "万元"


def test_report_tables_one_table_full(capsys):
    call_command("report_tables", "--json", "--full", "--table", "ah-03")
    (table,) = json.loads(capsys.readouterr().out)
    assert len(table["indicators"]) == 102
    assert table["indicators"][0]["source"] == "003:L831"


def test_report_tables_unknown_table():
    with pytest.raises(CommandError, match="AH-09"):
        call_command("report_tables", "--table", "AH-09")


@pytest.mark.django_db
def test_reporting_remind_lists_and_audits_once_a_day(institution_a, capsys):
    from winddown.audit.models import AuditEntry
    from winddown.workdays import selectors as workdays
    from winddown.workdays.models import WorkYear
    from winddown.workdays.seeding import seed_years

    seed_years(WorkYear)
    workdays.invalidate()
    call_command("reporting_remind", "--date", "2026-10-05")
    call_command("reporting_remind", "--date", "2026-10-05")
    out = capsys.readouterr().out
    assert "网贷机构A\tAH-07\t2026-09" in out and "overdue" in out
    assert AuditEntry.objects.filter(action="reporting.reminders_sent").count() == 1
    with pytest.raises(CommandError):
        call_command("reporting_remind", "--date", "5 Oct")
