"""Per-address limit on staff sign-in: one network cannot try passwords for every username
(the probe made 300 tries in 31 s, each writing an audit row). A browser that signed in as
the user before (accounts/devices.py) is not held to it, so a stranger on the staff's own
network cannot keep them out."""

from winddown.accounts.errors import AccountsErrorCode
from winddown.core.ratelimits import check_rate

STAFF_LOGIN_PER_ADDRESS = "30/h"


def check_staff_login_rate(request) -> None:
    check_rate(
        request,
        group="staff-login",
        rate=STAFF_LOGIN_PER_ADDRESS,
        error=AccountsErrorCode.LOGIN_ADDRESS_LIMITED,
    )
