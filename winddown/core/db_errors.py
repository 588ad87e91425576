"""Database errors that mean "busy, try again", not "broken".

SQLite has one writer: a request that waits longer than the busy timeout for another
writer (a large register import, say) fails with "database is locked". On PostgreSQL a
deadlock, a serialization failure, a lock or statement timeout end the same way. In each
case the transaction was rolled back and the same request will succeed a moment later, so
the person gets 503 and a message saying so instead of a bare server error.
"""

from django.db import OperationalError

# deadlock_detected, serialization_failure, lock_not_available, query_canceled (timeouts)
BUSY_SQLSTATES = frozenset({"40P01", "40001", "55P03", "57014"})


def is_busy(exc: BaseException | None) -> bool:
    if not isinstance(exc, OperationalError):
        return False
    if getattr(exc.__cause__, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    return "database is locked" in str(exc) or "database table is locked" in str(exc)
