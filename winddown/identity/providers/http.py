"""Identity and liveness checks through the platform's gateway (`core.providers.gateway`,
which documents the signing, retries and errors every call shares). Endpoints:

``POST /identity/verify``
    ``{"name": "张小英", "id_number": "440305199203150027"}`` →
    ``{"matched": true|false, "reason": "<Chinese, why not matched; may be empty>"}``.

``POST /liveness/sessions``
    ``{"name", "id_number", "return_url"}`` → ``{"token": "<1-128 chars>", "redirect_url":
    "https://..."}``. The lender is sent to ``redirect_url`` to record the video; the
    gateway sends them back to ``return_url`` when done.

``GET /liveness/sessions/{token}`` (token percent-encoded)
    → ``{"status": "passed"|"failed"|"pending", "reason": "<Chinese, optional>"}``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from winddown.core.providers.gateway import (
    REASON_CHARS,
    Gateway,
    InvalidReply,
    Scrubber,
    reply_text,
)
from winddown.identity.providers.base import IdentityCheck, LivenessResult, LivenessSession
from winddown.pii.masking import mask_id_number, mask_name

IDENTITY_SERVICE = "实名核验服务"
LIVENESS_SERVICE = "活体检测服务"
PENDING_REASON = "检测尚未完成，请完成录制后再试"


class HttpIdentityVerifier:
    def __init__(self, gateway: Gateway):
        self.gateway = gateway

    @staticmethod
    def _masks(real_name: str, id_number: str) -> dict[str, str]:
        return {real_name: mask_name(real_name), id_number: mask_id_number(id_number)}

    @staticmethod
    def _who(real_name: str, id_number: str) -> str:
        return f"name={mask_name(real_name)} id_number={mask_id_number(id_number)}"

    def check_identity(self, *, real_name: str, id_number: str) -> IdentityCheck:
        masks = self._masks(real_name, id_number)
        scrub = Scrubber(masks)

        def parse(data: dict[str, Any]) -> IdentityCheck:
            matched = data.get("matched")
            if not isinstance(matched, bool):
                raise InvalidReply("field 'matched' missing or not a boolean")
            if matched:
                return IdentityCheck(matched=True)
            reason = scrub(reply_text(data, "reason", limit=REASON_CHARS))
            return IdentityCheck(matched=False, reason=reason)

        return self.gateway.post(
            "/identity/verify",
            {"name": real_name, "id_number": id_number},
            service=IDENTITY_SERVICE,
            sensitive=masks,
            log_context=self._who(real_name, id_number),
            parse=parse,
        )

    def liveness_start(self, *, real_name: str, id_number: str, return_url: str) -> LivenessSession:
        def parse(data: dict[str, Any]) -> LivenessSession:
            token = reply_text(data, "token", required=True)
            if len(token) > 128:  # Lender.liveness_token holds 128 characters
                raise InvalidReply("field 'token' longer than 128 characters")
            redirect_url = reply_text(data, "redirect_url", required=True)
            parts = urlsplit(redirect_url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise InvalidReply("field 'redirect_url' is not an absolute http(s) URL")
            return LivenessSession(token=token, redirect_url=redirect_url)

        return self.gateway.post(
            "/liveness/sessions",
            {"name": real_name, "id_number": id_number, "return_url": return_url},
            service=LIVENESS_SERVICE,
            sensitive=self._masks(real_name, id_number),
            log_context=self._who(real_name, id_number),
            parse=parse,
        )

    def liveness_result(self, *, token: str) -> LivenessResult:
        def parse(data: dict[str, Any]) -> LivenessResult:
            status = data.get("status")
            if status == "passed":
                return LivenessResult(passed=True)
            if status == "pending":
                return LivenessResult(passed=False, reason=PENDING_REASON)
            if status == "failed":
                return LivenessResult(passed=False, reason=reply_text(data, "reason", limit=200))
            raise InvalidReply(f"field 'status' is {status!r}, not passed/failed/pending")

        short = token[:6] + "…" if len(token) > 6 else token
        return self.gateway.get(
            f"/liveness/sessions/{quote(token, safe='')}",
            service=LIVENESS_SERVICE,
            sensitive={quote(token, safe=""): short} if token else None,
            log_context=f"token={short}",
            parse=parse,
        )
