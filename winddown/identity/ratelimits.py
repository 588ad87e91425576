"""Per-address limits on the endpoints that cost money or invite guessing (SMS codes and
lender sign-in). Per-number limits live in the identity services (they need the database
anyway)."""

from winddown.core.ratelimits import check_rate
from winddown.identity.errors import IdentityErrorCode

SMS_PER_ADDRESS = "20/h"
LOGIN_PER_ADDRESS = "60/h"


def check_sms_rate(request) -> None:
    check_rate(
        request, group="sms-send", rate=SMS_PER_ADDRESS, error=IdentityErrorCode.SMS_IP_LIMIT
    )


def check_login_rate(request) -> None:
    check_rate(
        request,
        group="lender-login",
        rate=LOGIN_PER_ADDRESS,
        error=IdentityErrorCode.LOGIN_RATE_LIMITED,
    )
