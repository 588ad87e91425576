"""Staff console: representative sign-ups of a recruitment and their review."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from winddown.accounts.permissions import staff_required
from winddown.audit.services import actor_from_request
from winddown.core.errors import DomainError
from winddown.core.params import id_param
from winddown.voting import files, policies, selectors
from winddown.voting.errors import VotingErrorCode as E
from winddown.voting.models import (
    EventKind,
)
from winddown.voting.services import lifecycle, signups
from winddown.voting.views.staff_common import (
    GET_OR_POST,
)


@GET_OR_POST
@staff_required(*policies.STAFF_READERS)
def signup_list(request, event_id: int):
    event = lifecycle.event_advance_if_due(
        selectors.access_event_by_id(request.user, event_id), quiet=True
    )
    if event.kind != EventKind.RECRUITMENT:
        raise Http404("该活动不是出借人代表征集")
    refusal = policies.signup_review_refusal(request.user, event)
    errors: dict = {}
    values: dict = {}
    if request.method == "POST":
        if refusal is not None:
            if refusal.http_status == 403:
                raise PermissionDenied(refusal.message)
            messages.error(request, refusal.message)
            return redirect("voting:staff-event-signups", event_id=event.pk)
        signup = selectors.access_signup_by_id(
            request.user, id_param(request.POST.get("signup"), label="报名") or 0
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
    shown = list(selectors.event_signups(event).order_by("created_at"))
    # Shown in full: on a GET, and again with a refused review's errors; audited each time.
    full = signups.signups_reveal(
        user=request.user, event=event, signups=shown, actor=actor_from_request(request)
    )
    rows = []
    for signup in shown:
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
    return render(
        request,
        "voting/staff/signups.html",
        {
            "event": event,
            "institution": event.institution,
            "rows": rows,
            "can_review": refusal is None,
            "full": full,
        },
        status=400 if errors else 200,
    )


def _signup_file(request, signup_id: int, which: str):
    return files.signup_file(selectors.access_signup_by_id(request.user, signup_id), which)


@require_GET
@staff_required(*policies.STAFF_READERS)
def signup_photo(request, signup_id: int):
    return _signup_file(request, signup_id, "photo")


@require_GET
@staff_required(*policies.STAFF_READERS)
def signup_resume(request, signup_id: int):
    return _signup_file(request, signup_id, "resume")
