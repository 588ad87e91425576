"""Background work of cases (runs in the task worker: ``manage.py db_worker``)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from winddown.cases import services
from winddown.core.tasks import retrying_task

#: When the daily deadline task runs, local time (Asia/Shanghai).
RUN_AT = time(1, 0)


def next_run(now: datetime) -> datetime:
    local = timezone.localtime(now)
    run = local.replace(hour=RUN_AT.hour, minute=RUN_AT.minute, second=0, microsecond=0)
    return run if run > local else run + timedelta(days=1)


@retrying_task()
def cases_deadlines_task(reschedule: bool = True) -> dict:
    """Warn before each deadline and mark missed ones (services.deadlines_sweep), then, on a
    backend that can defer, enqueue itself for 01:00 tomorrow. ``manage.py cases_deadlines``
    from cron does the same and is the safety net; running both is harmless (idempotent)."""
    sweep = services.deadlines_sweep()
    if reschedule:
        again = cases_deadlines_task
        if again.get_backend().supports_defer:
            again.using(run_after=next_run(timezone.now())).enqueue(reschedule=True)
    return {"day": sweep.day.isoformat(), "warned": sweep.warned, "missed": sweep.missed}
