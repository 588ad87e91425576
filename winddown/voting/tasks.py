"""Timed steps of voting events, run by the task worker (`manage.py db_worker`). Each step
re-checks the event's state under its lock, so a retry or a second delivery changes nothing;
a busy database or an SMS gateway timeout is retried (`core.tasks.retrying_task`)."""

from django_tasks import task

from winddown.core.tasks import retrying_task
from winddown.voting.services import lifecycle, notices


@retrying_task()
def open_event_task(event_id: int) -> str:
    return lifecycle.event_open(event_id).status


@retrying_task()
def close_event_task(event_id: int) -> str:
    """Close at the closing time and count at once (manual: 计票 automatically)."""
    return lifecycle.event_count(event_id).status


@retrying_task()
def remind_task(event_id: int) -> int:
    return notices.notices_send(event_id, "reminder")


@retrying_task()
def notices_task(event_id: int, kind: str) -> int:
    return notices.notices_send(event_id, kind)


@task()
def publish_task(event_id: int, user_id: int) -> str:
    from winddown.accounts.selectors import user_by_id
    from winddown.audit.services import Actor
    from winddown.voting.models import VotingEvent

    user = user_by_id(user_id)
    event = VotingEvent.objects.get(pk=event_id)
    return lifecycle.event_publish(
        event=event, user=user, actor=Actor(user.pk, user.audit_label)
    ).status
