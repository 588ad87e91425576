"""Background tasks with retries, for every app.

django-tasks (database backend, `manage.py db_worker`) runs a task once; a task that fails
for a passing reason — the database was busy (SQLite's single writer, a PostgreSQL deadlock
or timeout), an outside service timed out — should run again a little later instead of
failing for good. `retrying_task` is `django_tasks.task` plus that: on a transient error the
task enqueues itself again after an exponential backoff (on a backend that cannot defer,
such as the immediate one in tests, at once), up to `retries` times, then fails with the
error (an attempt that scheduled the next one ends without a value). Tasks must be
idempotent: the platform's are (each step re-checks its state under a
lock before it writes).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.utils import timezone
from django_tasks import task

from winddown.core.db_errors import is_busy
from winddown.core.providers import ProviderError

logger = logging.getLogger(__name__)
ATTEMPT = "_attempt"


def is_transient(exc: BaseException) -> bool:
    """A failure the same task may not meet a little later."""
    return is_busy(exc) or (isinstance(exc, ProviderError) and exc.retryable)


def retrying_task(
    *,
    retries: int = 3,
    backoff_seconds: float = 30.0,
    transient: Callable[[BaseException], bool] = is_transient,
    **task_options: Any,
):
    def decorator(func: Callable):
        @wraps(func)
        def run(*args, **kwargs):
            attempt = kwargs.pop(ATTEMPT, 0)
            try:
                return func(*args, **kwargs)
            except Exception as exc:
                if attempt >= retries or not transient(exc):
                    raise
                delay = timedelta(seconds=backoff_seconds * 2**attempt)
                logger.warning(
                    "task %s failed (%s); attempt %d of %d again in %s",
                    func.__name__,
                    exc,
                    attempt + 2,
                    retries + 1,
                    delay,
                )
                again = wrapped
                if again.get_backend().supports_defer:
                    again = wrapped.using(run_after=timezone.now() + delay)
                again.enqueue(*args, **kwargs, **{ATTEMPT: attempt + 1})
                return None

        wrapped = task(**task_options)(run)
        return wrapped

    return decorator
