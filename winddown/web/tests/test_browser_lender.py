"""A new lender on a phone: sign-in by SMS code, real name and ID number, liveness, voting
password, then confirming one claim and disputing another with a PNG as evidence."""

from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import expect

from winddown.accounts.roles import Role
from winddown.claims.models import Confirmation, Dispute, DisputeStatus
from winddown.conftest import make_institution, make_staff, register_file, upload_and_activate
from winddown.demo.generators import register_rows, resident_id
from winddown.identity.models import Lender
from winddown.pii.masking import mask_id_number
from winddown.testing import sample_png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13912345678"
NAME = "李晓明"


def id_number_ending_in_x(seed: int = 7) -> str:
    rng = random.Random(seed)
    while not (number := resident_id(rng)).endswith("X"):
        pass
    return number


def full_width(text: str) -> str:
    """What a Chinese input method in full-width mode types: "１１０…ｘ"."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in text)


@pytest.fixture
def registers(tmp_path):
    """网贷机构A owes the lender 12,345.67 yuan, 网贷机构B 880.00 yuan."""
    id_number = id_number_ending_in_x()
    institution_a = make_institution("网贷机构A", "91440300MA5DC6QX0G")
    institution_b = make_institution("网贷机构B", "91440101MA59Q1WXXK")
    for institution, seed, principal, interest in (
        (institution_a, 11, "12345.67", "456.78"),
        (institution_b, 12, "880.00", "0.00"),
    ):
        operator = make_staff(f"op-{seed}", Role.OPERATOR, institution)
        rows = [
            *register_rows(4, seed=seed),
            [NAME, "身份证", id_number, PHONE, principal, interest, "3"],
        ]
        upload_and_activate(
            institution, operator, register_file(tmp_path, rows, name=f"register-{seed}.csv")
        )
    return id_number, institution_a, institution_b


def test_new_lender_verifies_confirms_and_disputes(pages, shot, registers):
    id_number, institution_a, institution_b = registers
    page = pages.lender()

    # --- Sign in with an SMS code (htmx puts the status line and, in dev, the code on the page)
    page.goto("/m/login/")
    expect(page.get_by_role("heading", name="网贷机构退出投票")).to_be_visible()
    page.fill("#phone", PHONE)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#code-status")).to_contain_text("验证码已发送至 139****5678")
    code = page.locator("#dev-code b")
    expect(code).to_have_text(re.compile(r"^\d{6}$"))
    shot(page, "01-login-code")
    page.fill("#code", code.inner_text())
    page.get_by_role("button", name="登录", exact=True).click()

    # --- Real name and ID number: a wrong check digit first, then full-width with a small x
    expect(page).to_have_url(re.compile(r"/m/identity/$"))
    expect(page.get_by_role("heading", name="实名信息登记")).to_be_visible()
    page.get_by_placeholder("请输入真实姓名").fill(NAME)
    wrong = id_number[:17] + "0"
    page.get_by_placeholder("18位身份证号码").fill(wrong)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_role("alert")).to_have_text("身份证号码校验位不正确，请核对是否抄错")
    expect(page.get_by_placeholder("请输入真实姓名")).to_have_value(NAME)
    expect(page.get_by_role("checkbox")).to_be_checked()
    shot(page, "02-identity-bad-check-digit")
    page.get_by_placeholder("18位身份证号码").fill(full_width(id_number[:17] + "x"))
    page.get_by_role("button", name="下一步").click()

    # --- Liveness through the offline provider's stand-in page
    expect(page).to_have_url(re.compile(r"/m/liveness/$"))
    expect(page.get_by_role("heading", name="人脸活体验证")).to_be_visible()
    page.get_by_role("button", name="开始录制").click()
    expect(page).to_have_url(re.compile(r"/m/dev/liveness/"))
    expect(page.get_by_text("开发模式：此页面代替活体检测服务商的录制页面")).to_be_visible()
    page.get_by_role("button", name="录制").click()
    expect(page.get_by_role("heading", name="身份认证成功")).to_be_visible()
    masked = mask_id_number(id_number)
    assert masked == f"{id_number[:3]}{'*' * 12}{id_number[-3:]}"
    expect(page.locator(".msg")).to_contain_text(f"{NAME}（{masked}）")
    shot(page, "03-verified")

    lender = Lender.objects.get(phone_index=Lender.phone.index(PHONE))
    assert lender.real_name == NAME
    assert lender.id_number.value == id_number  # stored canonical: ASCII digits, capital X
    assert lender.id_index == Lender.id_number.index(id_number)
    assert lender.next_step == "password"

    # --- Voting password: too simple, then mismatched, then a good one
    page.get_by_role("link", name="设置投票密码").click()
    expect(page.get_by_role("heading", name="设置投票密码")).to_be_visible()
    password, confirm = page.get_by_placeholder("6位数字"), page.get_by_placeholder("再次输入")
    password.fill("123456")
    confirm.fill("123456")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_role("alert")).to_have_text(
        "投票密码过于简单（不能是相同或连续的数字），请换一个"
    )
    password.fill("135790")
    confirm.fill("135791")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_role("alert")).to_have_text("两次输入的投票密码不一致")
    shot(page, "04-password-mismatch")
    password.fill("135790")
    confirm.fill("135790")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_role("heading", name="投票密码设置成功")).to_be_visible()
    lender.refresh_from_db()
    assert lender.next_step == "done"

    # --- 我的: one card per institution, the amounts exactly as registered
    page.get_by_role("link", name="查看我的债权").click()
    expect(page).to_have_url(re.compile(r"/m/me/$"))
    cards = page.get_by_test_id("claim-card")
    expect(cards).to_have_count(2)
    card_a = cards.filter(has_text=institution_a.full_name)
    card_b = cards.filter(has_text=institution_b.full_name)
    expect(card_a.get_by_test_id("principal")).to_have_text("12,345.67 元 待收本金")
    expect(card_a).to_contain_text("456.78 元")
    expect(card_a).to_contain_text("待确认")
    expect(card_b.get_by_test_id("principal")).to_have_text("880.00 元 待收本金")
    expect(page.locator(".cells")).to_contain_text(NAME)
    shot(page, "05-me")

    # --- Confirm 网贷机构A
    card_a.click()
    expect(page.get_by_test_id("principal")).to_have_text("12,345.67 元 待收本金")
    page.get_by_role("button", name="信息无误，确认债权").click()
    expect(page.get_by_role("heading", name="已确认")).to_be_visible()
    expect(page.get_by_role("button", name="信息无误，确认债权")).to_have_count(0)
    shot(page, "06-confirmed")
    confirmation = Confirmation.objects.get(lender=lender, institution=institution_a)
    assert (confirmation.principal_fen, confirmation.interest_fen) == (1_234_567, 45_678)
    assert confirmation.voided_at is None

    # --- Dispute 网贷机构B with a PNG: a too-short reason first
    page.get_by_role("link", name="‹ 我的").click()
    expect(card_a).to_contain_text("已确认")
    card_b.click()
    page.get_by_role("link", name="信息有误，提出异议").click()
    expect(page.locator(".navbar")).to_contain_text("提出异议")
    page.locator("textarea[name=reason]").fill("不对")
    page.get_by_role("button", name="提交异议").click()
    expect(page.get_by_role("alert")).to_have_text(
        "请填写异议理由（5至2000字），说明哪项金额不对、应为多少"
    )
    reason = "待收本金应为 1,080.00 元：2024年3月还有一笔 200 元的出借未计入，见截图。"
    page.locator("textarea[name=reason]").fill(reason)
    page.locator("input[name=attachment]").set_input_files(
        files=[{"name": "还款记录.png", "mimeType": "image/png", "buffer": sample_png()}]
    )
    shot(page, "07-dispute-form")
    page.get_by_role("button", name="提交异议").click()

    expect(page).to_have_url(re.compile(r"/m/disputes/\d+/$"))
    expect(page.get_by_test_id("dispute-status")).to_have_text("待处理")
    expect(page.get_by_text(reason)).to_be_visible()
    expect(page.locator(".card").first).to_contain_text("880.00 元")
    attachment_link = page.get_by_role("link", name="查看证明材料：还款记录.png")
    expect(attachment_link).to_be_visible()
    expect(page.get_by_text("网贷机构答复后，我们会以短信通知您。")).to_be_visible()
    shot(page, "08-dispute-open")

    dispute = Dispute.objects.get(lender=lender, institution=institution_b)
    assert dispute.status == DisputeStatus.OPEN
    assert dispute.principal_fen == 88_000
    assert dispute.attachment_type == "image/png"
    # The evidence is stored encrypted and comes back byte for byte, to its owner only.
    response = page.request.get(attachment_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "image/png"
    assert response.body() == sample_png()

    # --- 我的 shows the dispute under way and lists it
    page.get_by_role("link", name="‹ 我的").click()
    expect(card_b).to_contain_text("异议处理中")
    expect(card_a).to_contain_text("已确认")
    expect(page.locator(".cells").last).to_contain_text("网贷机构B")
    expect(page.locator(".cells").last).to_contain_text("待处理")
    # On a phone the fixed tab bar must not cover the end of the page.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    logout = page.get_by_role("button", name="退出登录")
    expect(logout).to_be_in_viewport()
    assert (
        logout.bounding_box()["y"] + logout.bounding_box()["height"]
        <= (page.locator("nav.tabbar").bounding_box()["y"])
    )
    shot(page, "09-me-after")
    shot(page, "10-me-bottom-of-screen", full_page=False)
