"""Lenders' in-app messages (/api/notices)."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema

from winddown.api.auth import AUTH, require_lender
from winddown.voting import selectors
from winddown.voting.api.common import (
    ERRORS,
    MAX_LIST,
)
from winddown.voting.models import (
    Notice,
)
from winddown.voting.services import notices

notices_router = Router(tags=["出借人消息"], auth=AUTH)


class NoticeOut(Schema):
    id: int
    event_id: int | None
    kind: str
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None


def _notice_out(notice: Notice) -> dict:
    return {
        "id": notice.pk,
        "event_id": notice.event_id,
        "kind": notice.kind,
        "title": notice.title,
        "body": notice.body,
        "created_at": notice.created_at,
        "read_at": notice.read_at,
    }


@notices_router.get("", response={200: list[NoticeOut], **ERRORS}, summary="我的消息")
def my_notices(request, unread: bool = False):
    rows = selectors.lender_notices(require_lender(request))
    if unread:
        rows = rows.filter(read_at__isnull=True)
    return [_notice_out(n) for n in rows[:MAX_LIST]]


class ReadAllOut(Schema):
    marked: int


@notices_router.post("/read", response={200: ReadAllOut, **ERRORS}, summary="全部标为已读")
def read_all_notices(request):
    return {"marked": notices.notices_mark_read(require_lender(request))}


@notices_router.post("/{notice_id}/read", response={200: NoticeOut, **ERRORS}, summary="标为已读")
def read_notice(request, notice_id: int):
    notice = selectors.lender_notices(require_lender(request)).filter(pk=notice_id).first()
    if notice is None:
        raise Http404("消息不存在")
    if notice.read_at is None:
        # A read mark is the lender's own view state, not a decision: no audit row.
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())
        notice.refresh_from_db(fields=["read_at"])
    return _notice_out(notice)
