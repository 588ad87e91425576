"""Fixtures for the browser tests: one headless Debian Chromium per session (never a
downloaded browser), a fresh context per page, helpers that sign people in the way they do.

Playwright's sync API keeps an asyncio event loop running in the test thread from the moment
the session's browser starts until the session ends, so Django's guard against ORM calls from
async code would trip on every query made by the browser tests and by any test that runs after
them in the same session: it is switched off here, for the whole session.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from winddown.accounts.models import User
from winddown.conftest import STAFF_PASSWORD, current_totp

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
DEFAULT_TIMEOUT_MS = 10_000

LENDER_DEVICE = {
    "viewport": {"width": 360, "height": 780},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
}
STAFF_DEVICE = {
    "viewport": {"width": 1280, "height": 800},
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (python3 dev.py test installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    playwright = sync_api.sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def live_url(live_server, settings) -> str:
    """The live server's address, with its host allowed."""
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    return live_server.url


class Pages:
    """Opens pages in separate browser contexts (separate cookies: separate people).

    JavaScript errors and Content-Security-Policy violations on any page fail the test
    when it ends."""

    def __init__(self, browser, base_url: str):
        self._browser = browser
        self._base_url = base_url
        self._contexts = []
        self.js_errors: list[str] = []

    def _open(self, device: dict):
        context = self._browser.new_context(base_url=self._base_url, **device)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        self._contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.js_errors.append(f"{page.url}: {error}"))
        page.on("console", lambda message: self._csp_violation(page, message))
        return page

    def _csp_violation(self, page, message) -> None:
        if "Content Security Policy" in message.text:
            self.js_errors.append(f"{page.url}: {message.text}")

    def lender(self):
        """A phone: 360×780, touch."""
        return self._open(LENDER_DEVICE)

    def staff(self):
        """A desktop browser: 1280×800."""
        return self._open(STAFF_DEVICE)

    def close(self) -> None:
        for context in self._contexts:
            context.close()


@pytest.fixture
def pages(browser, live_url) -> Iterator[Pages]:
    opened = Pages(browser, live_url)
    yield opened
    opened.close()
    assert not opened.js_errors, opened.js_errors


@pytest.fixture
def shot(request) -> Callable:
    """shot(page, "step") saves test-artifacts/screenshots/<test>-<step>.png (the whole page,
    or what the screen shows with full_page=False)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"[^\w-]+", "_", request.node.name)

    def take(page, step: str, *, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{test_name}-{step}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def lender_sign_in() -> Callable:
    """Sign a lender in with phone and SMS code; the dev provider shows the code on the page."""
    from playwright.sync_api import expect

    def sign_in(page, phone: str) -> None:
        page.goto("/m/login/")
        page.fill("#phone", phone)
        page.get_by_role("button", name="获取验证码").click()
        code = page.locator("#dev-code b")
        expect(code).to_have_text(re.compile(r"^\d{6}$"))
        page.fill("#code", code.inner_text())
        page.get_by_role("button", name="登录", exact=True).click()
        expect(page).not_to_have_url(re.compile(r"/m/login/"))

    return sign_in


@pytest.fixture
def staff_sign_in() -> Callable:
    """Sign a staff member in with password, then the current TOTP code of their device."""
    from playwright.sync_api import expect

    def sign_in(page, user: User, password: str = STAFF_PASSWORD) -> None:
        page.goto("/staff/login/")
        page.fill("#username", user.username)
        page.fill("#password", password)
        page.get_by_role("button", name="下一步").click()
        expect(page.get_by_role("heading", name="动态口令")).to_be_visible()
        page.fill("#otp", current_totp(user))
        page.get_by_role("button", name="登录").click()
        expect(page.locator("header.top")).to_contain_text(user.display_name or user.username)

    return sign_in
