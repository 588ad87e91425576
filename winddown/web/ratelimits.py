"""Per-address limits on the endpoints that cost money or invite guessing. Per-number limits
live in the identity services (they need the database anyway)."""

from django_ratelimit.core import is_ratelimited

from winddown.core.errors import DomainError
from winddown.identity.errors import IdentityErrorCode

SMS_PER_ADDRESS = "20/h"
LOGIN_PER_ADDRESS = "60/h"


def _client_address(group: str, request) -> str:
    # Test clients and some proxies leave REMOTE_ADDR empty; count those together.
    return request.META.get("REMOTE_ADDR") or "unknown"


def check_sms_rate(request) -> None:
    if is_ratelimited(
        request, group="sms-send", key=_client_address, rate=SMS_PER_ADDRESS, increment=True
    ):
        raise DomainError(IdentityErrorCode.SMS_IP_LIMIT)


def check_login_rate(request) -> None:
    if is_ratelimited(
        request, group="lender-login", key=_client_address, rate=LOGIN_PER_ADDRESS, increment=True
    ):
        raise DomainError(IdentityErrorCode.LOGIN_RATE_LIMITED)
