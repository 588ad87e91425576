"""How long a staff sign-in must wait after failures: increasing delays, never a lockout.

A lockout after N failures lets anyone who knows a username lock that staff member out
(the probe did it with 10 wrong passwords). Instead, after FREE_FAILURES failures within
WINDOW each further try waits twice as long as the last since the latest failure, up to
MAX_DELAY: guessing slows to a few hundred tries a day, and the staff member's own browser,
which carries a device cookie from an earlier full sign-in (accounts/devices.py), is judged
by its own failures only (OWASP, "Slow Down Online Guessing Attacks with Device Cookies").
"""

from __future__ import annotations

from datetime import datetime, timedelta

FREE_FAILURES = 4
MAX_DELAY_SECONDS = 300
WINDOW = timedelta(minutes=30)


def delay_seconds(failures: int) -> int:
    """The wait after `failures` recent failures: 0 up to FREE_FAILURES, then 1, 2, 4 …
    seconds, at most MAX_DELAY_SECONDS."""
    if failures <= FREE_FAILURES:
        return 0
    return min(2 ** min(failures - FREE_FAILURES - 1, 16), MAX_DELAY_SECONDS)


def seconds_to_wait(failures: int, last_failure: datetime | None, now: datetime) -> int:
    """How many more whole seconds a try must wait (0: it may go ahead)."""
    if last_failure is None:
        return 0
    remaining = last_failure + timedelta(seconds=delay_seconds(failures)) - now
    return max(0, int(remaining.total_seconds() + 0.999))
