"""The staff sign-in page: a stranger guessing passwords slows the username down, and the
staff member's own browser (known from an earlier full sign-in) still gets in; one network
cannot try without end."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from winddown.accounts import throttle
from winddown.accounts.devices import COOKIE
from winddown.audit.models import AuditEntry
from winddown.conftest import STAFF_PASSWORD, current_totp

pytestmark = pytest.mark.django_db


def _password(client: Client, username: str, password: str):
    return client.post("/staff/login/", {"username": username, "password": password})


def _full_sign_in(client: Client, user) -> None:
    response = _password(client, user.username, STAFF_PASSWORD)
    assert response.status_code == 302 and "/staff/login/otp/" in response["Location"]
    response = client.post("/staff/login/otp/", {"otp": current_totp(user)})
    assert response.status_code == 302


def test_the_staff_members_own_browser_gets_in_while_a_stranger_is_slowed(wg_officer, monkeypatch):
    own = Client()
    _full_sign_in(own, wg_officer)
    assert own.cookies[COOKIE]["httponly"]
    own.post("/staff/logout/")

    now = timezone.now()
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    stranger = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(throttle.FREE_FAILURES + 1):
        assert "用户名或密码错误" in _password(stranger, "wg_officer", "guess").content.decode()
    assert "秒后再试" in _password(stranger, "wg_officer", STAFF_PASSWORD).content.decode()
    # A forged or foreign cookie is no key: it is judged like the stranger.
    stranger.cookies[COOKIE] = own.cookies[COOKIE].value[:-2] + "xx"
    assert "秒后再试" in _password(stranger, "wg_officer", STAFF_PASSWORD).content.decode()

    # The known browser goes straight on to the second factor.
    response = _password(own, "wg_officer", STAFF_PASSWORD)
    assert response.status_code == 302 and "/staff/login/otp/" in response["Location"]


def test_one_address_is_limited_across_usernames_without_audit_rows(wg_officer):
    stranger = Client(REMOTE_ADDR="203.0.113.8")
    for n in range(30):
        _password(stranger, f"someone{n}", "guess")
    rows = AuditEntry.objects.count()
    page = _password(stranger, "wg_officer", STAFF_PASSWORD).content.decode()
    assert "当前网络的登录尝试过于频繁" in page
    assert AuditEntry.objects.count() == rows
    # Another network is not affected.
    _full_sign_in(Client(REMOTE_ADDR="198.51.100.2"), wg_officer)
