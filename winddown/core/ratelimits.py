"""Rate limits on requests, counted in the cache (Redis in production, so every worker
counts together). Each domain names its own limits and the error a refusal raises (e.g.
`identity/ratelimits.py`); this module only counts."""

from __future__ import annotations

from django_ratelimit.core import is_ratelimited

from winddown.core.errors import DomainError, ErrorCode


def client_address(group: str, request) -> str:
    """The key for per-address limits. Test clients and some proxies leave REMOTE_ADDR
    empty; those count together."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def check_rate(request, *, group: str, rate: str, error: ErrorCode, key=client_address) -> None:
    """Count this request in `group` ("20/h": 20 an hour) and raise `error` once over."""
    if is_ratelimited(request, group=group, key=key, rate=rate, increment=True):
        raise DomainError(error)
