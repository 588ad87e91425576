"""Background tasks run again after a passing failure (busy database, an outside service's
timeout), a few times with growing pauses, and fail for good on anything else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from winddown.core.providers import ProviderError
from winddown.core.tasks import retrying_task

CALLS: list[str] = []
PLAN: list[BaseException | None] = []


def _next_outcome(label: str) -> str:
    CALLS.append(label)
    outcome = PLAN.pop(0) if PLAN else None
    if outcome is not None:
        raise outcome
    return f"done {label}"


@retrying_task(retries=2, backoff_seconds=10)
def flaky(label: str) -> str:
    return _next_outcome(label)


@pytest.fixture(autouse=True)
def _fresh():
    CALLS.clear()
    PLAN.clear()


def busy() -> OperationalError:
    return OperationalError("database is locked")


def test_a_busy_database_is_retried_until_the_task_succeeds():
    PLAN.extend([busy(), ProviderError("短信服务响应超时", retryable=True)])
    result = flaky.enqueue("a")
    assert CALLS == ["a", "a", "a"]
    assert result.status == TaskResultStatus.SUCCESSFUL


def test_a_task_that_keeps_failing_gives_up_after_its_retries():
    PLAN.extend([busy(), busy(), busy(), busy()])
    with pytest.raises(OperationalError):
        flaky.call("b", _attempt=2)  # the last retry, as the worker runs it
    assert CALLS == ["b"]
    CALLS.clear()
    PLAN[:] = [busy(), busy(), busy(), busy()]
    flaky.enqueue("b")
    assert CALLS == ["b", "b", "b"]  # the first run and two retries, then no more
    assert len(PLAN) == 1


@pytest.mark.parametrize(
    "error", [ValueError("bad input"), ProviderError("号码停机", retryable=False)]
)
def test_other_failures_are_not_retried(error):
    PLAN.append(error)
    result = flaky.enqueue("c")
    assert CALLS == ["c"] and result.status == TaskResultStatus.FAILED


@pytest.mark.django_db
def test_on_the_database_queue_a_retry_waits_out_its_backoff(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    PLAN.append(busy())
    flaky.call("d", _attempt=1)  # the worker running the first retry
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs == {"args": ["d"], "kwargs": {"_attempt": 2}}
    wait = retry.run_after - timezone.now()
    assert timedelta(seconds=15) < wait <= timedelta(seconds=20)  # 10 s × 2**1
