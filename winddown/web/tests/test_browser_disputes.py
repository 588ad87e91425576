"""An operator answers a lender's dispute with 不予更正; the lender reads the answer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from winddown.claims.models import Dispute, DisputeStatus
from winddown.claims.services import dispute_raise
from winddown.conftest import SYSTEM, make_lender, register_file, upload_and_activate
from winddown.core.providers import sms as dev_providers
from winddown.demo.generators import register_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13500002222"
NAME = "周雨桐"
LENDER_ID = "440305199203150027"
REASON = "待收本金应为 9,000.00 元，2023年12月的还款并未收到。"
ANSWER = "经核对银行流水，2023年12月8日已向您尾号 6222 的账户还款 1,000.00 元，登记金额无误。"


@pytest.fixture
def open_dispute(institution_a, operator_a, tmp_path):
    rows = [*register_rows(3, seed=41), [NAME, "身份证", LENDER_ID, PHONE, "8000.00", "0", "2"]]
    upload_and_activate(institution_a, operator_a, register_file(tmp_path, rows))
    lender = make_lender(PHONE, name=NAME, id_number=LENDER_ID, password="135790")
    return dispute_raise(lender=lender, institution=institution_a, reason=REASON, actor=SYSTEM)


def test_operator_rejects_dispute_and_lender_sees_answer(
    pages, shot, staff_sign_in, lender_sign_in, operator_a, open_dispute
):
    staff = pages.staff()
    staff_sign_in(staff, operator_a)

    # --- From the dashboard's open-dispute count to the queue and the dispute
    row = staff.locator("tbody tr").filter(has_text="网贷机构A")
    row.get_by_role("link", name="1", exact=True).click()
    expect(staff.get_by_role("heading", name="网贷机构A 债权异议")).to_be_visible()
    queue = staff.locator("tbody tr")
    expect(queue).to_have_count(1)
    expect(queue).to_contain_text(f"{NAME}（135****2222）")
    expect(queue).to_contain_text("8,000.00")
    expect(queue).to_contain_text("待处理")
    shot(staff, "01-queue")
    queue.get_by_role("link").click()
    expect(staff.get_by_role("heading", name="债权异议 待处理")).to_be_visible()
    expect(staff.locator(".panel").first).to_contain_text(REASON)
    expect(staff.locator(".panel").first).to_contain_text("待收本金 8,000.00 元")

    # --- 不予更正 with a one-character answer is refused and the choice is kept
    staff.get_by_label("不予更正（须说明理由）").check()
    staff.get_by_label("答复内容（出借人可见）").fill("否")
    staff.get_by_role("button", name="提交答复").click()
    expect(staff.locator("p.error")).to_have_text("请填写答复内容")
    expect(staff.get_by_label("不予更正（须说明理由）")).to_be_checked()
    expect(staff.get_by_label("答复内容（出借人可见）")).to_have_value("否")
    assert Dispute.objects.get(pk=open_dispute.pk).status == DisputeStatus.OPEN

    staff.get_by_label("答复内容（出借人可见）").fill(ANSWER)
    shot(staff, "02-answer-form")
    staff.get_by_role("button", name="提交答复").click()
    expect(staff.get_by_role("heading", name="债权异议 不予更正")).to_be_visible()
    expect(staff.locator(".panel")).to_contain_text(ANSWER)
    expect(staff.get_by_role("button", name="提交答复")).to_have_count(0)
    shot(staff, "03-answered")

    dispute = Dispute.objects.get(pk=open_dispute.pk)
    assert dispute.status == DisputeStatus.REJECTED
    assert dispute.answer == ANSWER
    assert dispute.answered_by == operator_a
    assert dispute.corrected_version is None
    assert any(
        m.phone == PHONE and "网贷机构A的债权异议已有答复" in m.text for m in dev_providers.OUTBOX
    )
    staff.get_by_role("link", name="‹ 异议列表").click()
    expect(staff.locator("tbody")).to_contain_text("没有异议")

    # --- The lender opens the dispute from 我的
    phone = pages.lender()
    lender_sign_in(phone, PHONE)
    expect(phone).to_have_url(re.compile(r"/m/me/$"))
    expect(phone.get_by_test_id("claim-card")).to_contain_text("待确认")
    phone.get_by_role("link", name=re.compile("网贷机构A.*不予更正")).click()
    expect(phone.get_by_test_id("dispute-status")).to_have_text("不予更正")
    expect(phone.get_by_role("heading", name="网贷机构答复")).to_be_visible()
    expect(phone.get_by_test_id("dispute-answer")).to_have_text(ANSWER)
    expect(phone.get_by_text(REASON)).to_be_visible()
    shot(phone, "04-lender-answer")
