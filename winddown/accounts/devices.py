"""Device cookies: a browser in which a staff member completed password and TOTP is known.

After a full sign-in the browser gets a signed cookie naming the user and a random device
id. A sign-in from a browser presenting a valid cookie for that username is throttled by its
own failures, not by the strangers' (accounts/throttle.py), and not by the per-address limit
a stranger on the same network may have used up.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core import signing

COOKIE = "wd_staff_device"
SALT = "winddown.accounts.staff-device"
MAX_AGE_SECONDS = 90 * 24 * 3600


def device_cookie_set(response, user_id: int) -> None:
    value = signing.dumps({"u": user_id, "d": secrets.token_urlsafe(16)}, salt=SALT)
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE_SECONDS,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


def known_device(raw: str | None, user_id: int | None) -> str | None:
    """The device id of `raw`, the browser's cookie, if it is valid and was issued to
    `user_id`; else None."""
    if not raw or user_id is None:
        return None
    try:
        data = signing.loads(raw, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user_id:
        return None
    device = data.get("d")
    return device if isinstance(device, str) and 0 < len(device) <= 64 else None
