"""Staff console: the result announcement (PDF) and the roster (XLSX) of a counted event."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from winddown.accounts.permissions import staff_required
from winddown.audit.services import actor_from_request
from winddown.core.errors import DomainError
from winddown.core.file_responses import file_response
from winddown.voting import exports, policies, selectors
from winddown.voting.models import (
    VotingEvent,
)


def _export_refused(request, event: VotingEvent, exc: DomainError):
    messages.error(request, exc.message)
    return redirect("voting:staff-event", event_id=event.pk)


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    return file_response(
        data, content_type=content_type, filename=filename, disposition="attachment"
    )


@require_GET
@staff_required()
def event_announcement(request, event_id: int):
    event = selectors.access_event_by_id(request.user, event_id)
    try:
        data = exports.announcement_pdf(event)
    except DomainError as exc:
        return _export_refused(request, event, exc)
    return _download(
        data,
        "application/pdf",
        f"{event.institution.short_name}-{event.pk}-表决结果公告.pdf",
    )


@require_GET
@staff_required(*policies.STAFF_READERS)
def event_roster(request, event_id: int):
    event = selectors.access_event_by_id(request.user, event_id)
    try:
        data = exports.export_roster(
            event=event, user=request.user, actor=actor_from_request(request)
        )
    except DomainError as exc:
        return _export_refused(request, event, exc)
    return _download(
        data,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{event.institution.short_name}-{event.pk}-投票名册.xlsx",
    )
