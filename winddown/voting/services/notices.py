"""SMS and in-app notices to the lenders of an event's electorate.

Each (lender, event, kind) notice exists once (a unique constraint), and the SMS goes out only
when the notice is first created, so a task that runs twice never texts anyone twice.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from winddown.core.providers import ProviderError
from winddown.core.providers.sms import sms_sender
from winddown.identity.selectors import lenders_with_identities
from winddown.voting.models import Ballot, Elector, VotingEvent

if TYPE_CHECKING:
    from winddown.identity.models import Lender

logger = logging.getLogger(__name__)

TEMPLATES = {
    "opened": (
        "{institution}：{title} 已开始",
        "【网贷退出投票】{institution}的“{title}”已开始，截止时间 {closes_at}，请登录参与。",
    ),
    "reminder": (
        "{institution}：{title} 即将截止",
        "【网贷退出投票】{institution}的“{title}”将于 {closes_at} 截止，"
        "您尚未投票，请及时登录投票。",
    ),
    "published": (
        "{institution}：{title} 结果已公布",
        "【网贷退出投票】{institution}的“{title}”结果已公布，请登录查看。",
    ),
    "cancelled": (
        "{institution}：{title} 已取消",
        "【网贷退出投票】{institution}的“{title}”已取消，原因：{reason}。",
    ),
}


def notices_queue(event_id: int, kind: str) -> None:
    from winddown.voting.tasks import notices_task

    notices_task.enqueue(event_id, kind)


def cancellation_notify(event_id: int) -> None:
    notices_queue(event_id, "cancelled")


def recipients(event: VotingEvent, kind: str):
    """Registered lenders in the electorate; for reminders only those who have not voted."""
    electors = Elector.objects.filter(event=event)
    if kind == "reminder":
        voted = Ballot.objects.filter(event=event, is_current=True).values("elector_id")
        electors = electors.exclude(pk__in=voted)
    return lenders_with_identities(electors.values("id_index"))


def notices_send(event_id: int, kind: str) -> int:
    from winddown.voting.models import Notice

    event = VotingEvent.objects.select_related("institution").get(pk=event_id)
    title_template, sms_template = TEMPLATES[kind]
    params = {
        "institution": event.institution.short_name,
        "title": event.title,
        "closes_at": timezone.localtime(event.closes_at).strftime("%Y-%m-%d %H:%M"),
        "reason": event.cancel_reason or "",
    }
    sent = 0
    for lender in recipients(event, kind).iterator(chunk_size=1000):
        try:
            with transaction.atomic():
                Notice.objects.create(
                    lender=lender,
                    event=event,
                    kind=kind,
                    title=title_template.format(**params),
                    body=sms_template.format(**params),
                )
        except IntegrityError:
            continue  # already notified by an earlier run
        try:
            sms_sender().send_notice(phone=lender.phone.value, template=sms_template, params=params)
        except ProviderError as exc:
            logger.warning("notice %s for event %s: SMS failed (%s)", kind, event_id, exc.detail)
        sent += 1
    return sent


def notices_mark_read(lender: Lender) -> int:
    """Mark the lender's unread in-app notices as read (they opened 消息); returns how many."""
    from winddown.voting.models import Notice

    return Notice.objects.filter(lender=lender, read_at__isnull=True).update(read_at=timezone.now())
