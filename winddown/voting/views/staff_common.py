"""What the staff console pages of voting events share."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.views.decorators.http import require_http_methods

SHANGHAI = ZoneInfo("Asia/Shanghai")


GET_OR_POST = require_http_methods(["GET", "POST"])


def positive_int(raw: str) -> int | None:
    """A small count typed into a form (seats, choices); anything else is None, which the
    service names as missing."""
    raw = (raw or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 7 else None
