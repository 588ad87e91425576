"""Lenders' complaints to their own institution (001 三、四): the lender's phone pages
(file, read the answer, close or escalate to the association) and the institution's queue
and answer."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from winddown.accounts.permissions import lender_required, staff_required
from winddown.accounts.roles import Role
from winddown.audit.services import actor_from_request
from winddown.cases import complaints, selectors, services
from winddown.cases.access import access_complaint_by_id
from winddown.cases.models import ComplaintStatus, ReportCategory
from winddown.cases.views.institution import _institution_id
from winddown.claims import selectors as claims_selectors
from winddown.core.errors import DomainError
from winddown.identity.permissions import STEP_URLS
from winddown.identity.selectors import lender_for_user


@lender_required
def lender_list(request):
    lender = lender_for_user(request.user)
    return render(
        request,
        "cases/lender/complaints.html",
        {"complaints": selectors.lender_complaints(lender)[:100]},
    )


@lender_required
def lender_new(request):
    lender = lender_for_user(request.user)
    if not lender.is_verified:
        return redirect(STEP_URLS[lender.next_step])
    claims = claims_selectors.lender_claims(lender)
    values = {"institution": request.GET.get("institution", ""), "text": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in values}
        chosen = next(
            (c.institution for c in claims if str(c.institution.pk) == values["institution"]),
            None,
        )
        try:
            complaint = complaints.complaint_file(
                lender=lender,
                institution=chosen,
                text=values["text"],
                actor=actor_from_request(request),
            )
        except DomainError as exc:
            errors = {exc.field or "form": exc.message}
        else:
            return redirect("cases:lender-complaint", complaint_id=complaint.pk)
    return render(
        request,
        "cases/lender/complaint_form.html",
        {"claims": claims, "values": values, "errors": errors},
        status=400 if errors else 200,
    )


def _own(request, complaint_id: int):
    lender = lender_for_user(request.user)
    complaint = selectors.lender_complaints(lender).filter(pk=complaint_id).first()
    if complaint is None:
        raise Http404("投诉不存在")
    return lender, complaint


@lender_required
def lender_detail(request, complaint_id: int, errors=None):
    _, complaint = _own(request, complaint_id)
    return render(
        request,
        "cases/lender/complaint.html",
        {
            "complaint": complaint,
            "can_escalate": complaints.escalation_refusal(complaint, services.today()) is None,
            "categories": ReportCategory.choices,
            "errors": errors or {},
        },
        status=400 if errors else 200,
    )


@require_POST
@lender_required
def lender_close(request, complaint_id: int):
    _, complaint = _own(request, complaint_id)
    try:
        complaints.complaint_close(complaint=complaint, actor=actor_from_request(request))
    except DomainError as exc:
        return lender_detail(request, complaint_id, errors={"form": exc.message})
    return redirect("cases:lender-complaint", complaint_id=complaint.pk)


@require_POST
@lender_required
def lender_escalate(request, complaint_id: int):
    lender, complaint = _own(request, complaint_id)
    try:
        complaints.complaint_escalate(
            complaint=complaint,
            lender=lender,
            categories=request.POST.getlist("categories"),
            actor=actor_from_request(request),
        )
    except DomainError as exc:
        return lender_detail(request, complaint_id, errors={"form": exc.message})
    return redirect("cases:lender-complaint", complaint_id=complaint.pk)


@staff_required(Role.OPERATOR, Role.WG_OFFICER)
def institution_list(request):
    status = request.GET.get("status", "")
    if status not in ComplaintStatus.values:
        status = ""
    if request.user.role == Role.WG_OFFICER:  # the 专班's queue (001 三; spec D.9)
        rows = selectors.taken_over_complaints(status=status)[:500]
    else:
        rows = selectors.institution_complaints(_institution_id(request), status=status)[:500]
    return render(
        request,
        "cases/institution/complaints.html",
        {"complaints": rows, "status": status, "statuses": ComplaintStatus.choices},
    )


@staff_required(Role.OPERATOR, Role.WG_OFFICER)
def institution_detail(request, complaint_id: int):
    complaint = access_complaint_by_id(request.user, complaint_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            complaints.complaint_answer(
                complaint=complaint,
                user=request.user,
                answer=request.POST.get("answer", ""),
                actor=actor_from_request(request),
            )
        except DomainError as exc:
            errors = {exc.field or "form": exc.message}
        else:
            return redirect("cases:institution-complaint", complaint_id=complaint.pk)
    return render(
        request,
        "cases/institution/complaint.html",
        {"complaint": complaint, "errors": errors},
        status=400 if errors else 200,
    )
