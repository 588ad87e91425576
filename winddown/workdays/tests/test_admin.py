"""The admin page of the years: a system administrator enters and confirms 2027 through
the service (validated, audited); confirmed years are read-only until "修订此年度"."""

from __future__ import annotations

from datetime import date

import pytest

from winddown.accounts.roles import Role
from winddown.audit.models import AuditEntry
from winddown.conftest import make_staff, staff_signed_in
from winddown.workdays import selectors
from winddown.workdays.audit_actions import WorkdaysAction
from winddown.workdays.dates import format_dates
from winddown.workdays.models import WorkYear

from .helpers import HOLIDAYS_2027, NOTICE_2027, WORKDAYS_2027

pytestmark = pytest.mark.django_db

LIST = "/admin/workdays/workyear/"
ADD = LIST + "add/"


def form_2027(**changes) -> dict:
    return {
        "year": "2027",
        "holidays_text": HOLIDAYS_2027,
        "workdays_text": WORKDAYS_2027,
        "notice": NOTICE_2027,
        "confirmed": "on",
        **changes,
    }


@pytest.fixture
def admin_client(seeded, sysadmin):
    return staff_signed_in(sysadmin)


def test_list_shows_confirmed_years_and_says_absent_ones_are_unconfirmed(admin_client):
    page = admin_client.get(LIST).content.decode()
    assert "年度节假日安排" in page and "2026" in page and "2004" in page
    assert "表中没有的年份视为未确认" in page and "目前已确认至 2026 年" in page
    assert "国办发明电〔2025〕7号" in page and "已确认" in page
    assert "delete_selected" not in page


def test_sysadmin_enters_and_confirms_2027(admin_client, sysadmin):
    page = admin_client.get(ADD).content.decode()
    assert "放假日期" in page and "调休上班日" in page and "依据通知" in page
    response = admin_client.post(ADD, form_2027())
    assert response.status_code == 302, response.content.decode()
    row = WorkYear.objects.get(year=2027)
    assert row.confirmed and row.confirmed_by == sysadmin and len(row.holidays) == 13
    entry = AuditEntry.objects.get(action=WorkdaysAction.YEAR_CONFIRMED)
    assert entry.actor_id == sysadmin.pk and entry.actor_label == "sysadmin:admin"
    assert entry.before is None and entry.after["workdays"] == ["2027-02-14", "2027-02-20"]
    assert selectors.is_working_day(date(2027, 2, 20))
    page = admin_client.get(LIST).content.decode()
    assert "2027年的节假日安排已确认并记入审计日志" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"workdays_text": "2027-02-15"}, "2027-02-15（周一）本来就是工作日"),
        ({"holidays_text": "2027-2-5"}, "放假日期中的“2027-2-5”不是日期"),
        ({"notice": ""}, "已确认的2027年须注明所依据的国务院办公厅通知"),
        ({"year": "2026"}, "该年度已录入"),
    ],
)
def test_refusals_are_shown_on_the_form_and_nothing_is_saved(admin_client, changes, message):
    response = admin_client.post(ADD, form_2027(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WorkYear.objects.filter(year=2027).exists()
    assert not AuditEntry.objects.filter(action__startswith="workdays.").exists()


def test_a_draft_can_be_saved_without_a_notice(admin_client):
    response = admin_client.post(ADD, form_2027(notice="", confirmed=""))
    assert response.status_code == 302
    assert not WorkYear.objects.get(year=2027).confirmed
    assert AuditEntry.objects.filter(action=WorkdaysAction.YEAR_DRAFTED).count() == 1


def test_a_confirmed_year_is_read_only_until_amended(admin_client):
    row = WorkYear.objects.get(year=2026)
    url = f"{LIST}{row.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert "修订此年度" in page and "本年度已确认" in page
    assert 'name="holidays_text"' not in page and 'name="_save"' not in page
    # 国庆节 as the seed has it: the days off holidays.China lists (not Sunday 10-04).
    assert "2026-09-25, 2026-10-01..2026-10-03, 2026-10-05..2026-10-07" in page
    assert admin_client.post(url, {"notice": "x"}).status_code == 403
    assert WorkYear.objects.get(year=2026).notice == row.notice

    page = admin_client.get(url + "?amend=1").content.decode()
    assert 'name="holidays_text"' in page and "您正在修订已确认的年度" in page
    spec = row.spec()
    assert format_dates(spec.holidays) in page  # the form starts from the stored days
    data = {
        "holidays_text": format_dates(spec.holidays | {date(2026, 12, 31)}),
        "workdays_text": format_dates(spec.workdays),
        "notice": row.notice,
        "confirmed": "on",
    }
    response = admin_client.post(url + "?amend=1", data)
    assert response.status_code == 302, response.content.decode()
    entry = AuditEntry.objects.get(action=WorkdaysAction.YEAR_AMENDED)
    assert "2026-12-31" in entry.after["holidays"] and "2026-12-31" not in entry.before["holidays"]
    assert not selectors.is_working_day(date(2026, 12, 31))


def test_years_cannot_be_deleted(admin_client):
    row = WorkYear.objects.get(year=2026)
    assert admin_client.get(f"{LIST}{row.pk}/delete/").status_code == 403
    assert admin_client.post(f"{LIST}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert WorkYear.objects.filter(year=2026).exists()


@pytest.mark.parametrize("role", [Role.WG_OFFICER, Role.ASSOCIATION_OFFICER, Role.OPERATOR])
def test_only_sysadmins_reach_it(seeded, role):
    client = staff_signed_in(make_staff("someone", role))
    for url in (LIST, ADD):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert client.post(ADD, form_2027()).status_code == 302
    assert not WorkYear.objects.filter(year=2027).exists()
