"""Hashing and checking six-digit voting passwords (manual 2.2 设置投票密码, 3.2 密码管理).

A six-digit password has only 10^6 values, so no hash alone can protect it once the
database leaks: with 19 MiB Argon2 (OWASP's minimum) one core still tries them all in about
eight hours. The protection is layered:

1. a server-side pepper (``settings.PASSWORD_PEPPER``, never in the database): the digits
   are first HMAC-SHA256'd with it, so a stolen database without the pepper reveals nothing;
2. Argon2id on top, with parameters chosen for the ballot-throughput target (300 ballots/s on
   2 cores, every ballot re-asks the password): 2 MiB and one pass cost ~1.2 ms per check on
   this machine; 8 MiB would cost ~6 ms and 19 MiB ~29 ms — a large share of each ballot's
   CPU budget for a few hours more of an attack that the pepper already stops;
3. five wrong tries lock voting for 15 minutes (services.voting_password_check), so online
   guessing gets 5 tries in 15 minutes, about 480 a day.

Parameters live in settings (VOTING_PASSWORD_ARGON2) and are encoded in each hash, so they
can be raised later: a successful check re-hashes with the current parameters.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from itertools import pairwise

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from django.conf import settings

DEFAULT_ARGON2 = {"time_cost": 1, "memory_cost": 2 * 1024, "parallelism": 1}


def _hasher() -> PasswordHasher:
    params = {**DEFAULT_ARGON2, **getattr(settings, "VOTING_PASSWORD_ARGON2", {})}
    return PasswordHasher(**params)


def _peppered(password: str) -> str:
    return hmac.new(
        settings.PASSWORD_PEPPER.encode(), password.encode(), hashlib.sha256
    ).hexdigest()


def normalize(raw: str) -> str:
    """Full-width digits typed on some phone keyboards become ASCII."""
    return unicodedata.normalize("NFKC", raw or "").strip()


def is_six_digits(password: str) -> bool:
    return len(password) == 6 and password.isascii() and password.isdigit()


def is_too_simple(password: str) -> bool:
    """All one digit, or a run up or down (123456, 987654, 345678)."""
    digits = [int(c) for c in password]
    steps = {b - a for a, b in pairwise(digits)}
    return len(set(digits)) == 1 or steps in ({1}, {-1})


def hash_password(password: str) -> str:
    return _hasher().hash(_peppered(password))


def verify_password(password: str, encoded: str) -> tuple[bool, str | None]:
    """(matches, new hash if the parameters changed and it should be stored)."""
    hasher = _hasher()
    try:
        hasher.verify(encoded, _peppered(password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False, None
    if hasher.check_needs_rehash(encoded):
        return True, hasher.hash(_peppered(password))
    return True, None
