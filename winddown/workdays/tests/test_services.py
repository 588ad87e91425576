"""Entering, confirming and amending a year: validated by the core, audited."""

from __future__ import annotations

from datetime import date

import pytest

from winddown.accounts.roles import Role
from winddown.audit.models import AuditEntry
from winddown.audit.services import Actor
from winddown.calendar import UnconfirmedYear
from winddown.conftest import make_staff
from winddown.core.errors import DomainError
from winddown.workdays import selectors
from winddown.workdays.audit_actions import WorkdaysAction
from winddown.workdays.models import WorkYear
from winddown.workdays.services import year_set

from .helpers import HOLIDAYS_2027, NOTICE_2027, WORKDAYS_2027

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system("tests")


def set_2027(actor=SYSTEM, **changes):
    values = {
        "year": 2027,
        "holidays": HOLIDAYS_2027,
        "workdays": WORKDAYS_2027,
        "notice": NOTICE_2027,
        **changes,
    }
    return year_set(actor=actor, **values)


def test_confirming_2027_stores_exact_days_and_audits(seeded):
    admin = make_staff("admin", Role.SYSADMIN)
    row = set_2027(actor=Actor(admin.pk, admin.audit_label))
    assert row.confirmed and row.confirmed_by == admin and row.confirmed_at is not None
    assert row.confirmed_by_label == "sysadmin:admin"
    assert row.holidays[:4] == ["2027-01-01", "2027-01-02", "2027-01-03", "2027-02-05"]
    assert len(row.holidays) == 13 and row.workdays == ["2027-02-14", "2027-02-20"]
    entry = AuditEntry.objects.get(action=WorkdaysAction.YEAR_CONFIRMED)
    assert entry.before is None and entry.after == row.audit_snapshot()
    assert entry.actor_id == admin.pk and entry.object_id == str(row.pk)
    assert entry.object_type == "workdays.workyear"
    assert selectors.is_working_day(date(2027, 2, 14))  # Sunday, 调休上班
    assert not selectors.is_working_day(date(2027, 2, 8))  # Monday in 春节
    assert selectors.filing_dates("AH-01", "2026").deadline == date(2027, 1, 11)


def test_amending_a_confirmed_year_is_audited_with_before_and_after(seeded):
    set_2027()
    set_2027(workdays="2027-02-14, 2027-02-20, 2027-09-26")
    entry = AuditEntry.objects.get(action=WorkdaysAction.YEAR_AMENDED)
    assert entry.before["workdays"] == ["2027-02-14", "2027-02-20"]
    assert entry.after["workdays"] == ["2027-02-14", "2027-02-20", "2027-09-26"]
    assert entry.before["confirmed"] and entry.after["confirmed"]
    assert selectors.is_working_day(date(2027, 9, 26))


def test_amending_a_seeded_year_when_the_next_notice_moves_its_december(seeded):
    """The notice for the next year can move the last days of December (元旦), as the
    notice for 2019 did for 2018-12-29 and 12-31: the confirmed year is amended."""
    row = WorkYear.objects.get(year=2026)
    spec = row.spec()
    year_set(
        actor=SYSTEM,
        year=2026,
        holidays=spec.holidays | {date(2026, 12, 31)},
        workdays=spec.workdays,
        notice=spec.notice + "；12月31日放假：国务院办公厅关于2027年部分节假日安排的通知（示例）",
    )
    assert not selectors.is_working_day(date(2026, 12, 31))
    entry = AuditEntry.objects.get(action=WorkdaysAction.YEAR_AMENDED)
    assert "2026-12-31" in entry.after["holidays"] and "2026-12-31" not in entry.before["holidays"]


def test_saving_the_same_year_again_writes_nothing(seeded):
    set_2027()
    count = AuditEntry.objects.count()
    set_2027(holidays=HOLIDAYS_2027.replace("，", ", "))
    assert AuditEntry.objects.count() == count


def test_draft_then_confirm_then_withdraw(seeded):
    row = set_2027(confirm=False)
    assert not row.confirmed and row.confirmed_at is None
    with pytest.raises(UnconfirmedYear):
        selectors.is_working_day(date(2027, 2, 14))
    set_2027()
    assert selectors.is_working_day(date(2027, 2, 14))
    set_2027(confirm=False)
    with pytest.raises(UnconfirmedYear):
        selectors.is_working_day(date(2027, 2, 14))
    actions = list(
        AuditEntry.objects.filter(action__startswith="workdays.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        WorkdaysAction.YEAR_DRAFTED,
        WorkdaysAction.YEAR_CONFIRMED,
        WorkdaysAction.YEAR_UNCONFIRMED,
    ]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"workdays": "2027-02-15"}, "workdays", "2027-02-15（周一）本来就是工作日"),
        ({"notice": "  "}, "notice", "已确认的2027年须注明所依据的国务院办公厅通知"),
        ({"holidays": "2028-01-01"}, "holidays", "2028-01-01 不在2027年内"),
        ({"holidays": "2027-02-30"}, "holidays", "放假日期中的“2027-02-30”不是有效的日期"),
        ({"workdays": "2027-02-05..2027-02-06"}, "workdays", "本来就是工作日"),
        ({"workdays": "2027-01-02"}, "workdays", "2027-01-02 同时是放假日和上班日"),
        ({"year": "二〇二七"}, "year", "年份应为2000–2100之间的整数"),
        ({"year": 2101}, "year", "年份应为2000–2100之间的整数"),
        ({"notice": "通" * 2001}, "notice", "依据通知不能超过2000个字"),
    ],
)
def test_refusals_name_the_field_in_chinese(seeded, changes, field, message):
    with pytest.raises(DomainError) as info:
        set_2027(**changes)
    assert info.value.field == field and message in info.value.message
    assert info.value.http_status == 400
    assert not WorkYear.objects.filter(year=2027).exists()
    assert not AuditEntry.objects.filter(action__startswith="workdays.").exists()


def test_a_draft_needs_no_notice(seeded):
    row = set_2027(notice="", confirm=False)
    assert not row.confirmed and row.notice == ""
