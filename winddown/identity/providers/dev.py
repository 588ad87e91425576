"""Offline providers for development and the demo.

Codes are written to the server log (logger ``winddown.sms``) and kept in `OUTBOX` so tests
and the demo can read them. Every well-formed identity passes the identity check; liveness
happens on a local page (``/m/dev/liveness/<token>``) where pressing "录制" passes.
"""

from __future__ import annotations

import logging
import secrets
from collections import deque
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.cache import cache
from django.urls import reverse

from winddown.identity.providers.base import IdentityCheck, LivenessResult, LivenessSession

logger = logging.getLogger("winddown.sms")


@dataclass(frozen=True)
class SentMessage:
    phone: str
    text: str
    code: str = ""


OUTBOX: deque[SentMessage] = deque(maxlen=1000)
_LIVENESS_KEY = "dev-liveness:{}"


def mark_liveness_passed(token: str) -> None:
    """Called by the dev liveness page when the lender presses "录制"."""
    cache.set(_LIVENESS_KEY.format(token), True, timeout=600)


def last_code_for(phone: str) -> str | None:
    for message in reversed(OUTBOX):
        if message.phone == phone and message.code:
            return message.code
    return None


class DevSmsSender:
    def send_code(self, *, phone: str, code: str, ttl_minutes: int) -> None:
        text = f"【网贷退出投票】您的验证码为 {code}，{ttl_minutes} 分钟内有效。"
        OUTBOX.append(SentMessage(phone=phone, text=text, code=code))
        logger.info("DEV SMS to %s: %s", phone, text)

    def send_notice(self, *, phone: str, template: str, params: dict[str, str]) -> None:
        text = template.format(**params)
        OUTBOX.append(SentMessage(phone=phone, text=text))
        logger.info("DEV SMS to %s: %s", phone, text)


class DevIdentityVerifier:
    def check_identity(self, *, real_name: str, id_number: str) -> IdentityCheck:
        return IdentityCheck(matched=True)

    def start_liveness(self, *, real_name: str, id_number: str, return_url: str) -> LivenessSession:
        token = secrets.token_urlsafe(16)
        url = reverse("identity:dev-liveness", args=[token]) + "?" + urlencode({"next": return_url})
        return LivenessSession(token=token, redirect_url=url)

    def liveness_result(self, *, token: str) -> LivenessResult:
        if cache.get(_LIVENESS_KEY.format(token)):
            return LivenessResult(passed=True)
        return LivenessResult(passed=False, reason="未检测到眨眼动作，请重新录制")
