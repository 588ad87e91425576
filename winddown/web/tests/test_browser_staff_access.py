"""Who may open the staff console: another institution's operator gets 页面不存在, anyone
not fully signed in is sent to the staff sign-in; a new account enrols its authenticator."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from winddown.accounts.models import User
from winddown.accounts.roles import Role
from winddown.claims.models import VersionStatus
from winddown.claims.services import register_import
from winddown.conftest import (
    STAFF_PASSWORD,
    SYSTEM,
    make_lender,
    register_file,
    upload_and_activate,
)
from winddown.demo.generators import register_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOT_FOUND = "您要找的页面不存在，或您无权查看。"


@pytest.fixture
def register_a(institution_a, operator_a, tmp_path):
    """网贷机构A: version 1 active, version 2 pending."""
    active = upload_and_activate(
        institution_a,
        operator_a,
        register_file(tmp_path, list(register_rows(3, seed=51)), name="v1.csv"),
    )
    path = register_file(tmp_path, list(register_rows(4, seed=52)), name="v2.csv")
    pending = register_import(
        institution=institution_a,
        open_source=lambda: open(path, "rb"),  # noqa: SIM115 - the importer closes it
        source_name=path.name,
        user=operator_a,
        actor=SYSTEM,
    ).version
    return active, pending


def expect_not_found(page, path: str) -> None:
    response = page.goto(path)
    assert response.status == 404, (path, response.status)
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
    expect(page.get_by_text(NOT_FOUND)).to_be_visible()


def expect_staff_login(page, path: str) -> None:
    page.goto(path)
    expect(page).to_have_url(re.compile(r"/staff/login/\?next=" + re.escape(path) + "$"))
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
    expect(page.locator("header.top")).to_have_count(0)


def test_operator_of_b_cannot_see_or_change_institution_a(
    pages, shot, staff_sign_in, institution_a, institution_b, operator_b, register_a
):
    active, pending = register_a
    page = pages.staff()
    staff_sign_in(page, operator_b)
    table = page.locator("tbody")
    expect(table).to_contain_text("网贷机构B")
    expect(table).not_to_contain_text("网贷机构A")

    a = institution_a.pk
    for path in (
        f"/staff/institutions/{a}/",
        f"/staff/institutions/{a}/disputes/",
        f"/staff/registers/{active.pk}/",
        f"/staff/registers/{pending.pk}/entries/",
    ):
        expect_not_found(page, path)
    shot(page, "01-not-found")

    # Writes are refused the same way, even with a valid CSRF token from B's own session.
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"/staff/registers/{pending.pk}/activate/",
        headers={"X-CSRFToken": csrf, "Referer": page.url},
    )
    assert response.status == 404
    pending.refresh_from_db()
    active.refresh_from_db()
    assert (pending.status, active.status) == (VersionStatus.PENDING, VersionStatus.ACTIVE)

    # B's own institution still opens.
    page.goto(f"/staff/institutions/{institution_b.pk}/")
    expect(page.get_by_role("heading", name=institution_b.full_name)).to_be_visible()


def test_staff_console_needs_a_full_staff_sign_in(
    pages, shot, lender_sign_in, institution_a, operator_a, tmp_path
):
    # Nobody signed in.
    anonymous = pages.staff()
    expect_staff_login(anonymous, "/staff/")
    expect_staff_login(anonymous, f"/staff/institutions/{institution_a.pk}/")
    shot(anonymous, "01-anonymous")

    # Password accepted but no TOTP code yet: still not in.
    anonymous.goto("/staff/login/")
    anonymous.fill("#username", operator_a.username)
    anonymous.fill("#password", STAFF_PASSWORD)
    anonymous.get_by_role("button", name="下一步").click()
    expect(anonymous.get_by_role("heading", name="动态口令")).to_be_visible()
    expect_staff_login(anonymous, "/staff/")

    # A wrong password is refused in Chinese.
    anonymous.fill("#username", operator_a.username)
    anonymous.fill("#password", "not-the-password")
    anonymous.get_by_role("button", name="下一步").click()
    expect(anonymous.get_by_role("alert")).to_have_text("用户名或密码错误")

    # A signed-in lender is not staff.
    phone_number = "13600003333"
    rows = [["吴俊", "身份证", "110101199003070011", phone_number, "100.00", "0", "1"]]
    upload_and_activate(institution_a, operator_a, register_file(tmp_path, rows))
    make_lender(phone_number, name="吴俊", id_number="110101199003070011", password="135790")
    phone = pages.lender()
    lender_sign_in(phone, phone_number)
    expect(phone).to_have_url(re.compile(r"/m/me/$"))
    expect_staff_login(phone, "/staff/")
    expect_staff_login(phone, f"/staff/institutions/{institution_a.pk}/")
    shot(phone, "02-lender-at-staff")
    # ... and is still a signed-in lender afterwards.
    phone.goto("/m/me/")
    expect(phone.get_by_test_id("claim-card")).to_contain_text("100.00")


def totp_code(secret_b32: str, *, step: int | None = None) -> str:
    """What the authenticator shows now, or at the 30-second `step` (counted from 1970)."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    totp = TOTP(key)
    totp.time = time.time() if step is None else step * 30
    return f"{totp.token():06d}"


def test_new_staff_account_enrols_authenticator_on_its_one_time_link(
    pages, shot, staff_sign_in, sysadmin, institution_a
):
    # The system administrator creates an operator account in the console: no initial
    # password, a one-time link shown once.
    admin = pages.staff()
    staff_sign_in(admin, sysadmin)
    admin.get_by_role("link", name="账户").click()
    expect(admin.get_by_role("heading", name="工作人员账户")).to_be_visible()
    admin.get_by_label("用户名").fill("operator_new")
    admin.get_by_label("姓名").fill("孙经办")
    admin.get_by_label("角色").select_option(label="机构经办人")
    admin.get_by_label("所属机构（机构经办人必填）").select_option(label="网贷机构A")
    admin.get_by_role("button", name="创建").click()
    expect(admin.locator("tbody tr").filter(has_text="operator_new")).to_contain_text("网贷机构A")
    link = admin.locator("#link-url").inner_text()
    assert "/staff/enrol/" in link
    user = User.objects.get(username="operator_new")
    assert user.role == Role.OPERATOR and not user.has_usable_password()
    assert not TOTPDevice.objects.filter(user=user).exists()

    # The link: set a password, scan the QR code, confirm a code.
    page = pages.staff()
    page.goto(link)
    expect(page.get_by_role("heading", name="设置密码和动态口令")).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret), secret
    shot(page, "01-enrol")

    code = totp_code(secret)
    page.get_by_label("新密码（至少10位，不能过于简单）").fill("Kaiyuan-Ops-2026")
    page.get_by_label("再次输入新密码").fill("Kaiyuan-Ops-2026")
    page.get_by_label("验证器显示的6位口令").fill(f"{(int(code) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="完成绑定并登录").click()
    expect(page.get_by_role("alert")).to_have_text("动态口令不正确，请查看身份验证器中的最新口令")
    expect(page.locator("#totp-secret")).to_have_text(secret)  # the same secret, not a new one
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    page.wait_for_timeout(1100)  # django-otp makes one wait a second after a wrong code
    page.get_by_label("新密码（至少10位，不能过于简单）").fill("Kaiyuan-Ops-2026")
    page.get_by_label("再次输入新密码").fill("Kaiyuan-Ops-2026")
    page.get_by_label("验证器显示的6位口令").fill(totp_code(secret))
    page.get_by_role("button", name="完成绑定并登录").click()
    expect(page).to_have_url(re.compile(r"/staff/$"))
    expect(page.locator("header.top")).to_contain_text("孙经办 · 机构经办人")
    expect(page.locator("tbody")).to_contain_text("网贷机构A")
    shot(page, "02-signed-in")
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1

    # Signing in again asks for the code of the enrolled authenticator, not a new QR code.
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
    page.fill("#username", "operator_new")
    page.fill("#password", "Kaiyuan-Ops-2026")
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_role("heading", name="动态口令")).to_be_visible()
    # The step after the one just used (which cannot be replayed). Not "now + 30 s": if the
    # enrolment code crossed a step boundary, the device has synced its drift to the past.
    used = TOTPDevice.objects.get(user=user, confirmed=True).last_t
    page.fill("#otp", totp_code(secret, step=used + 1))
    page.get_by_role("button", name="登录").click()
    expect(page.locator("header.top")).to_contain_text("孙经办")
