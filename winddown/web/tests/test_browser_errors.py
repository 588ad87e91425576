"""A request that fails behind an htmx button is said in words on the phone, not dropped."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from playwright.sync_api import expect

from winddown.identity import services as identity_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_busy_database_tells_the_lender_to_try_again(pages, shot, monkeypatch):
    real_request_login_code = identity_services.login_code_send

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(identity_services, "login_code_send", locked)
    page = pages.lender()
    page.goto("/m/login/")
    page.fill("#phone", "13912345678")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#htmx-error")).to_have_text("系统繁忙，请稍等几秒后重试")
    shot(page, "busy", full_page=False)

    # A moment later the database is free again: the same button works.
    monkeypatch.setattr(identity_services, "login_code_send", real_request_login_code)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#code-status")).to_contain_text("验证码已发送至 139****5678")
