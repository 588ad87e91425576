"""Provider interfaces. Implementations raise ProviderError for anything that went wrong."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class ProviderError(Exception):
    """The outside service failed. `message` is Chinese for the user; `detail` is for logs."""

    def __init__(self, message: str, *, detail: str = "", retryable: bool = False):
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.retryable = retryable


@dataclass(frozen=True)
class IdentityCheck:
    matched: bool
    reason: str = ""  # Chinese, shown to the lender when not matched


@dataclass(frozen=True)
class LivenessSession:
    token: str
    redirect_url: str  # where the lender records the blink video


@dataclass(frozen=True)
class LivenessResult:
    passed: bool
    reason: str = ""


class SmsSender(Protocol):
    def send_code(self, *, phone: str, code: str, ttl_minutes: int) -> None: ...

    def send_notice(self, *, phone: str, template: str, params: dict[str, str]) -> None: ...


class IdentityVerifier(Protocol):
    def check_identity(self, *, real_name: str, id_number: str) -> IdentityCheck: ...

    def start_liveness(
        self, *, real_name: str, id_number: str, return_url: str
    ) -> LivenessSession: ...

    def liveness_result(self, *, token: str) -> LivenessResult: ...
