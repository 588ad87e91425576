"""The daily deadline task: warns before each deadline, marks missed ones, once each."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from winddown.audit.models import AuditEntry
from winddown.cases import services
from winddown.cases.audit_actions import CasesAction
from winddown.cases.models import CaseStep
from winddown.cases.tasks import cases_deadlines_task, next_run
from winddown.cases.tests.conftest import file_report
from winddown.conftest import SYSTEM, staff_signed_in

pytestmark = pytest.mark.django_db


def test_warns_then_marks_missed_once_each(reporter, institution_a, handler, association_officer):
    report = file_report(reporter, institution_a)  # acceptance due Mon 2026-03-09
    # Thu 03-05: two working days before → warned.
    sweep = services.deadlines_sweep(day=date(2026, 3, 5))
    assert (sweep.warned, sweep.missed) == (1, 0)
    assert services.deadlines_sweep(day=date(2026, 3, 6)).warned == 0  # once per deadline
    sweep = services.deadlines_sweep(day=date(2026, 3, 10))
    assert (sweep.warned, sweep.missed) == (0, 1)
    assert services.deadlines_sweep(day=date(2026, 3, 11)).missed == 0
    report.refresh_from_db()
    assert (report.warned_kind, report.missed_kind, report.missed_count) == ("accept", "accept", 1)
    notes = list(CaseStep.objects.filter(report=report).values_list("action", flat=True))
    assert CasesAction.DEADLINE_WARNED in notes and CasesAction.DEADLINE_MISSED in notes
    run = AuditEntry.objects.filter(action=CasesAction.DEADLINES_SWEPT).order_by("seq")
    assert run.count() == 4 and run[2].after["missed_ids"] == [report.pk]
    # The queue shows the mark.
    page = staff_signed_in(association_officer).get("/staff/cases/").content.decode()
    assert "已逾期" in page
    # A new deadline clears the mark: accepted late, it now waits for the start.
    report = services.report_accept(report=report, user=handler, actor=SYSTEM)
    assert (report.next_due_kind, report.missed_kind, report.warned_kind) == ("start", "", "")


def test_a_deadline_waiting_for_the_calendar_is_computed_once_the_year_is_confirmed(
    reporter, institution_a, handler, fixed_today
):
    from winddown.workdays import selectors as workdays
    from winddown.workdays.services import year_set

    fixed_today["value"] = date(2026, 12, 1)
    report = file_report(reporter, institution_a)
    services.report_accept(report=report, user=handler, actor=SYSTEM)
    report = services.investigation_start(report=report, user=handler, actor=SYSTEM)
    assert report.next_due is None
    year_set(
        actor=SYSTEM,
        year=2027,
        holidays="2027-01-01..2027-01-03, 2027-02-06..2027-02-12",
        workdays="",
        notice="测试通知",
    )
    workdays.invalidate()
    sweep = services.deadlines_sweep(day=date(2026, 12, 2))
    assert sweep.recomputed == 1
    report.refresh_from_db()
    assert report.next_due_kind == "end" and report.next_due.year == 2027


def test_the_command_and_the_task(reporter, institution_a):
    file_report(reporter, institution_a)
    out = StringIO()
    call_command("cases_deadlines", "--date", "2026-03-10", stdout=out)
    assert "标记逾期 1 件" in out.getvalue()
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        call_command("cases_deadlines", "--date", "10/03/2026")
    result = cases_deadlines_task.enqueue(reschedule=False)
    assert result.return_value["missed"] == 0  # today (2026-03-02 in tests): nothing due yet


def test_next_run_is_one_in_the_morning():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    shanghai = ZoneInfo("Asia/Shanghai")
    assert next_run(datetime(2026, 3, 2, 0, 30, tzinfo=shanghai)).hour == 1
    assert next_run(datetime(2026, 3, 2, 2, 0, tzinfo=shanghai)).day == 3
