"""Staff console: representative sign-ups of a recruitment and their review."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from winddown.accounts.permissions import staff_required
from winddown.accounts.roles import PII_FULL_VIEW_ROLES, Role
from winddown.audit.actions import PlatformAction
from winddown.audit.services import actor_from_request
from winddown.core.errors import DomainError
from winddown.voting import files, selectors
from winddown.voting.errors import VotingErrorCode as E
from winddown.voting.event_audit import record_event
from winddown.voting.models import (
    EventKind,
    EventStatus,
)
from winddown.voting.services import lifecycle, signups
from winddown.voting.views.staff_common import (
    GET_OR_POST,
    SIGNUP_ROLES,
    positive_int,
)


@GET_OR_POST
@staff_required(*SIGNUP_ROLES)
def signup_list(request, event_id: int):
    event = lifecycle.event_advance_if_due(
        selectors.access_event_by_id(request.user, event_id), quiet=True
    )
    if event.kind != EventKind.RECRUITMENT:
        raise Http404("该活动不是出借人代表征集")
    full = request.user.role in PII_FULL_VIEW_ROLES
    can_review = request.user.role == Role.WG_OFFICER and event.status in (
        EventStatus.CLOSED,
        EventStatus.PUBLISHED,
    )
    errors: dict = {}
    values: dict = {}
    if request.method == "POST":
        if not can_review:
            if request.user.role != Role.WG_OFFICER:
                raise PermissionDenied("只有专项工作组可以审核报名")
            messages.error(
                request,
                DomainError(
                    E.WRONG_STATUS,
                    status=event.get_status_display(),
                    action="审核报名（须在征集截止后）",
                ).message,
            )
            return redirect("voting:staff-event-signups", event_id=event.pk)
        signup = selectors.access_signup_by_id(
            request.user, positive_int(request.POST.get("signup")) or 0
        )
        if signup.event_id != event.pk:
            raise Http404("报名不存在")
        decision = request.POST.get("decision", "")
        try:
            if decision not in ("approve", "reject"):
                raise DomainError(E.SIGNUP_FIELD, field="decision", detail="请选择通过或不通过")
            signups.signup_review(
                signup=signup,
                approve=decision == "approve",
                reason=request.POST.get("reason", ""),
                user=request.user,
                actor=actor_from_request(request),
            )
        except DomainError as exc:
            errors[signup.pk] = exc.message
            values[signup.pk] = request.POST.get("reason", "")
        else:
            word = "通过" if decision == "approve" else "不通过"
            messages.success(request, f"已将“{signup.name}”的报名审核为{word}。")
            url = reverse("voting:staff-event-signups", args=[event.pk])
            return redirect(f"{url}#signup-{signup.pk}")
    rows = []
    for signup in selectors.event_signups(event).order_by("created_at"):
        id_number = signup.id_number.value if full else signup.id_number.masked
        phone = signup.phone.value if full else signup.phone.masked
        rows.append(
            {
                "signup": signup,
                "id_number": id_number,
                "phone": phone,
                "error": errors.get(signup.pk, ""),
                "reason": values.get(signup.pk, signup.review_reason),
            }
        )
    if full and rows:  # shown in full: on a GET, and again with a refused review's errors
        record_event(
            actor=actor_from_request(request),
            action=PlatformAction.PII_REVEALED,
            event=event,
            after={"signups": len(rows)},
        )
    return render(
        request,
        "voting/staff/signups.html",
        {
            "event": event,
            "institution": event.institution,
            "rows": rows,
            "can_review": can_review,
            "full": full,
        },
        status=400 if errors else 200,
    )


def _signup_file(request, signup_id: int, which: str):
    return files.signup_file(selectors.access_signup_by_id(request.user, signup_id), which)


@require_GET
@staff_required(*SIGNUP_ROLES)
def signup_photo(request, signup_id: int):
    return _signup_file(request, signup_id, "photo")


@require_GET
@staff_required(*SIGNUP_ROLES)
def signup_resume(request, signup_id: int):
    return _signup_file(request, signup_id, "resume")
