"""Staff console: the list of events, an event's page with its timeline, the working
group's review and publication, live participation and cancellation.

Choices stay sealed while an event is open: the pages show participation (selectors.progress)
and nothing per option or candidate until the event has been counted.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django_tasks.base import TaskResultStatus

from winddown.accounts.permissions import staff_required
from winddown.accounts.roles import Role
from winddown.audit.services import actor_from_request
from winddown.core.errors import DomainError
from winddown.core.params import id_param
from winddown.institutions.selectors import access_institution_by_id, visible_institutions
from winddown.rules.text import fraction_name
from winddown.voting import policies, results, selectors
from winddown.voting.errors import VotingErrorCode as E
from winddown.voting.models import (
    EventKind,
    EventStatus,
    VotingEvent,
)
from winddown.voting.services import authoring, lifecycle
from winddown.voting.tally import OPTION_LABELS, event_options
from winddown.voting.views.staff_common import (
    GET_OR_POST,
)

PROGRESS_POLL_SECONDS = 10


def _progress_context(event: VotingEvent) -> dict:
    """Participation only — never a figure per option or candidate."""
    progress = selectors.progress(event)
    quorum = None
    weight_share = progress.weight_share.text
    if progress.quorum_numerator:
        weight_share = progress.weight_share.text_against(
            progress.quorum_numerator, progress.quorum_denominator
        )
        quorum = {
            "fraction": fraction_name(progress.quorum_numerator, progress.quorum_denominator),
            "reached": progress.quorum_reached,
        }
    heads_share = progress.heads_share.text
    return {
        "event": event,
        "progress": progress,
        "heads_share": heads_share,
        "weight_share": weight_share,
        "quorum": quorum,
        "polling": event.status == EventStatus.OPEN,
        "poll_seconds": PROGRESS_POLL_SECONDS,
        "now": timezone.now(),
    }


def _result_context(event: VotingEvent) -> dict:
    if not policies.can_announce(event) or not event.result:
        return {}
    return {"view": results.result_view(event)}


def _detail(request, event: VotingEvent, errors: dict | None = None, status: int = 200):
    context = {
        "event": event,
        "institution": event.institution,
        "rule": results.rule_description(event),
        "options": [OPTION_LABELS[o] for o in event_options(event)]
        if event.kind == EventKind.RESOLUTION
        else [],
        "candidates": list(event.candidates.all()),
        "attachments": list(event.attachments.all()),
        "timeline": selectors.event_timeline(event),
        "errors": errors or {},
        "signup_count": selectors.event_signups(event).count()
        if event.kind == EventKind.RECRUITMENT
        else 0,
        "result_url": f"/events/{event.pk}/result/",
        **policies.staff_actions(request.user, event),
        **_result_context(event),
    }
    if event.status == EventStatus.OPEN:
        context.update(_progress_context(event))
    return render(request, "voting/staff/event_detail.html", context, status=status)


@staff_required()
def event_list(request):
    events = selectors.staff_events(request.user).order_by("-opens_at", "-pk")
    status = request.GET.get("status", "")
    if status in EventStatus.values:
        events = events.filter(status=status)
    else:
        status = ""
    institution = id_param(request.GET.get("institution"), label="机构")
    if institution is not None:
        events = events.filter(institution_id=institution)
    queue = []
    if request.user.role == Role.WG_OFFICER:
        queue = list(
            selectors.staff_events(request.user)
            .filter(status=EventStatus.SUBMITTED)
            .order_by("submitted_at")
        )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "voting/staff/event_list.html",
        {
            "page": page,
            "queue": queue,
            "status": status,
            "statuses": EventStatus.choices,
            "institution": institution,
            "institutions": visible_institutions(request.user),
        },
    )


@require_GET
@staff_required()
def institution_events(request, institution_id: int):
    """htmx: the events section of an institution's page."""
    institution = access_institution_by_id(request.user, institution_id)
    if not request.htmx:
        return redirect(f"{reverse('voting:staff-events')}?institution={institution.pk}")
    events = selectors.staff_events(request.user).filter(institution=institution)
    return render(
        request,
        "voting/staff/_institution_events.html",
        {
            "institution": institution,
            "events": events.order_by("-opens_at", "-pk")[:20],
            "total": events.count(),
            "can_create": request.user.role == Role.OPERATOR,
        },
    )


@GET_OR_POST
@staff_required()
def event_detail(request, event_id: int):
    event = lifecycle.event_advance_if_due(
        selectors.access_event_by_id(request.user, event_id), quiet=True
    )
    if request.method != "POST":
        return _detail(request, event)
    action = request.POST.get("action", "")
    if request.user.role != Role.WG_OFFICER or action not in ("approve", "return", "publish"):
        raise PermissionDenied("您的角色无权执行此操作")
    actor = actor_from_request(request)
    try:
        if action == "approve":
            authoring.event_approve(event=event, user=request.user, actor=actor)
            messages.success(request, "已批准。活动将在开始时间自动开始。")
        elif action == "return":
            authoring.event_return(
                event=event,
                user=request.user,
                comment=request.POST.get("comment", ""),
                actor=actor,
            )
            messages.success(request, "已退回经办人修改。")
        else:
            _publish(request, event)
    except DomainError as exc:
        event.refresh_from_db()
        field = exc.field if exc.field in ("comment",) else action
        return _detail(request, event, errors={field: exc.message}, status=exc.http_status)
    return redirect("voting:staff-event", event_id=event.pk)


def _publish(request, event: VotingEvent) -> None:
    result = lifecycle.event_publish_request(event=event, user=request.user)
    if result.status == TaskResultStatus.FAILED:
        messages.error(request, "公布失败：结果包未通过自检，请联系系统管理员。")
    elif result.status == TaskResultStatus.SUCCESSFUL:
        messages.success(request, "结果已公布，并已通知出借人。")
    else:
        messages.success(request, "正在生成结果包并公布，完成后本页显示“已公布”。")


@require_GET
@staff_required()
def event_progress(request, event_id: int):
    """htmx: the live participation panel (every 10 s while the event is open)."""
    event = lifecycle.event_advance_if_due(
        selectors.access_event_by_id(request.user, event_id), quiet=True
    )
    if event.status != EventStatus.OPEN:
        return render(request, "voting/staff/_progress_closed.html", {"event": event})
    return render(request, "voting/staff/_progress.html", _progress_context(event))


@GET_OR_POST
@staff_required()
def event_cancel(request, event_id: int):
    event = lifecycle.event_advance_if_due(
        selectors.access_event_by_id(request.user, event_id), quiet=True
    )
    refusal = policies.cancel_refusal(request.user, event)
    if refusal is not None and refusal.error_code == E.ROLE_FORBIDDEN:
        raise PermissionDenied(refusal.message)
    if refusal is not None:
        messages.error(request, refusal.message)
        return redirect("voting:staff-event", event_id=event.pk)
    was_open = event.status not in policies.BEFORE_OPENING
    context = {"event": event, "institution": event.institution, "was_open": was_open}
    context["errors"], context["reason"] = {}, ""
    if request.method == "POST":
        context["reason"] = request.POST.get("reason", "")
        try:
            authoring.event_cancel(
                event=event,
                user=request.user,
                reason=context["reason"],
                actor=actor_from_request(request),
            )
        except DomainError as exc:
            context["errors"] = {exc.field or "form": exc.message}
        else:
            note = "，已通知全部有表决权的出借人" if was_open else ""
            messages.success(request, f"活动已取消{note}。")
            return redirect("voting:staff-event", event_id=event.pk)
    status = 400 if context["errors"] else 200
    return render(request, "voting/staff/event_cancel.html", context, status=status)
