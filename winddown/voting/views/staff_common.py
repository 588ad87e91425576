"""What the staff console pages of voting events share."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.views.decorators.http import require_http_methods

from winddown.accounts.roles import Role
from winddown.voting.models import (
    EventStatus,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


GET_OR_POST = require_http_methods(["GET", "POST"])


BEFORE_OPENING = (
    EventStatus.DRAFT,
    EventStatus.SUBMITTED,
    EventStatus.RETURNED,
    EventStatus.SCHEDULED,
)


FINAL = (EventStatus.COUNTED, EventStatus.PUBLISHED, EventStatus.CANCELLED)


ROSTER_ROLES = (Role.OPERATOR, Role.WG_OFFICER, Role.ASSOCIATION_OFFICER)


SIGNUP_ROLES = (Role.OPERATOR, Role.WG_OFFICER, Role.ASSOCIATION_OFFICER)


def positive_int(raw: str) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 7 else None
