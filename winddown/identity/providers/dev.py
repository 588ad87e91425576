"""Offline identity checks for development and the demo: every well-formed identity passes;
liveness happens on a local page (``/m/dev/liveness/<token>``) where pressing "录制" passes."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.core.cache import cache
from django.urls import reverse

from winddown.identity.providers.base import IdentityCheck, LivenessResult, LivenessSession

_LIVENESS_KEY = "dev-liveness:{}"


def mark_liveness_passed(token: str) -> None:
    """Called by the dev liveness page when the lender presses "录制"."""
    cache.set(_LIVENESS_KEY.format(token), True, timeout=600)


class DevIdentityVerifier:
    def check_identity(self, *, real_name: str, id_number: str) -> IdentityCheck:
        return IdentityCheck(matched=True)

    def liveness_start(self, *, real_name: str, id_number: str, return_url: str) -> LivenessSession:
        token = secrets.token_urlsafe(16)
        url = reverse("identity:dev-liveness", args=[token]) + "?" + urlencode({"next": return_url})
        return LivenessSession(token=token, redirect_url=url)

    def liveness_result(self, *, token: str) -> LivenessResult:
        if cache.get(_LIVENESS_KEY.format(token)):
            return LivenessResult(passed=True)
        return LivenessResult(passed=False, reason="未检测到眨眼动作，请重新录制")
