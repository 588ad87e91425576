"""The identity provider's interface. Implementations raise `core.providers.ProviderError`
for anything that went wrong."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


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


class IdentityVerifier(Protocol):
    def check_identity(self, *, real_name: str, id_number: str) -> IdentityCheck: ...

    def liveness_start(
        self, *, real_name: str, id_number: str, return_url: str
    ) -> LivenessSession: ...

    def liveness_result(self, *, token: str) -> LivenessResult: ...
