"""What the staff console pages of voting events share."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.views.decorators.http import require_http_methods

from winddown.accounts.roles import Role
from winddown.core.errors import DomainError
from winddown.voting.models import (
    EventStatus,
    VotingEvent,
)
from winddown.voting.services import casting

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


def brought_up_to_date(event: VotingEvent) -> VotingEvent:
    """Apply an opening or closing that is due (as the worker would), so the page never
    shows a stale status."""
    try:
        return casting.ensure_current(event)
    except DomainError:  # e.g. no active register: the worker logs it; show what we have
        return event
