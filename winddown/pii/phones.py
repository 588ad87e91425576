"""Mainland China mobile numbers."""

import re

from winddown.pii.normalize import compact

_MOBILE = re.compile(r"1[3-9]\d{9}")


class PhoneError(ValueError):
    """Invalid mobile number; ``str(exc)`` is a Chinese message saying what to fix."""


def normalize_mobile(raw: str) -> str:
    """Return 11 digits, accepting +86/0086/86 prefixes, spaces, dashes and full-width digits."""
    number = compact(raw).replace("(", "").replace(")", "")
    for prefix in ("+86", "0086", "86"):
        if number.startswith(prefix) and len(number) == len(prefix) + 11:
            number = number[len(prefix) :]
            break
    if not number:
        raise PhoneError("手机号为空")
    if not _MOBILE.fullmatch(number):
        raise PhoneError("手机号应为11位数字且以13至19开头")
    return number
