"""A system administrator enters and confirms 2027 in the admin (issue 16): a make-up day
that is a weekday is refused on the page, the corrected year is confirmed, audited and
answers at once; the confirmed year then opens read-only with its amend link."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from winddown.audit.models import AuditEntry
from winddown.workdays import selectors
from winddown.workdays.audit_actions import WorkdaysAction
from winddown.workdays.models import WorkYear
from winddown.workdays.seeding import seed_years

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A hypothetical 2027 for the test, not the real notice.
HOLIDAYS = "2027-01-01..2027-01-03\n2027-02-05..2027-02-11\n2027-04-03 至 2027-04-05"
NOTICE = "国务院办公厅关于2027年部分节假日安排的通知（测试示例，非真实文号）"


@pytest.fixture
def seeded_years():
    seed_years(WorkYear)
    selectors.invalidate()
    yield
    selectors.invalidate()


def test_sysadmin_enters_and_confirms_2027(pages, shot, staff_sign_in, sysadmin, seeded_years):
    page = pages.staff()
    staff_sign_in(page, sysadmin)
    page.goto("/admin/")
    page.get_by_role("link", name="年度节假日安排").click()
    expect(page.locator("#workdays-note")).to_contain_text("目前已确认至 2026 年")
    expect(page.locator("#result_list")).to_contain_text("国办发明电〔2025〕7号")
    page.get_by_role("link", name="增加 年度节假日安排").click()

    page.get_by_label("年份").fill("2027")
    page.get_by_label("放假日期").fill(HOLIDAYS)
    page.get_by_label("调休上班日").fill("2027-02-15, 2027-02-20")  # 02-15 is a Monday
    page.get_by_label("依据通知").fill(NOTICE)
    page.get_by_label("已与国务院办公厅通知逐日核对，确认本年度安排").check()
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text(
        "2027-02-15（周一）本来就是工作日，调休上班日只能是周六或周日"
    )
    shot(page, "refused")
    assert not WorkYear.objects.filter(year=2027).exists()

    page.get_by_label("调休上班日").fill("2027-02-14, 2027-02-20")
    page.get_by_label("已与国务院办公厅通知逐日核对，确认本年度安排").check()
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("2027年的节假日安排已确认并记入审计日志")
    row = page.locator("#result_list tbody tr").filter(has_text="2027")
    expect(row).to_contain_text("已确认")
    expect(row).to_contain_text("13 天（7）")
    shot(page, "confirmed")

    year = WorkYear.objects.get(year=2027)
    assert year.confirmed and year.confirmed_by == sysadmin
    entry = AuditEntry.objects.get(action=WorkdaysAction.YEAR_CONFIRMED)
    assert entry.actor_label == "sysadmin:admin" and entry.before is None
    assert selectors.is_working_day(date(2027, 2, 14))  # Sunday, 调休上班
    assert selectors.filing_dates("AH-01", "2026").deadline == date(2027, 1, 11)

    row.get_by_role("link", name="2027", exact=True).click()
    expect(page.get_by_text("本年度已确认")).to_be_visible()
    expect(page.get_by_role("button", name="保存", exact=True)).to_have_count(0)
    page.get_by_role("link", name="修订此年度").click()
    expect(page.get_by_text("您正在修订已确认的年度")).to_be_visible()
    expect(page.get_by_label("放假日期")).to_have_value(
        "2027-01-01..2027-01-03, 2027-02-05..2027-02-11, 2027-04-03..2027-04-05"
    )
    shot(page, "amend")
