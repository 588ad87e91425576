"""Staff console pages of claims registers: uploads and their checks, versions, diffs,
activation, rows (masked; audited reveals) and the dispute queue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from winddown.accounts.permissions import staff_required
from winddown.accounts.roles import PII_FULL_VIEW_ROLES, Role
from winddown.audit.actions import PlatformAction
from winddown.audit.services import actor_from_request, record
from winddown.claims import selectors as claims_selectors
from winddown.claims import services as claims_services
from winddown.claims.access import (
    access_dispute_by_id,
    access_entry_by_id,
    access_import_by_id,
    access_version_by_id,
)
from winddown.claims.importers import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from winddown.claims.models import DisputeStatus, ImportStatus
from winddown.claims.views.lender import evidence_response
from winddown.core.errors import DomainError
from winddown.core.file_responses import file_response
from winddown.core.params import id_param, page_param
from winddown.core.spreadsheets import csv_bytes
from winddown.institutions.selectors import access_institution_by_id


@require_POST
@staff_required(Role.OPERATOR)
def register_upload(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    upload = request.FILES.get("file")
    if upload is None:
        return _upload_error(request, institution, "请选择要上传的登记表文件（CSV 或 XLSX）")
    try:
        job = claims_services.register_import_queue(
            institution=institution, upload=upload, user=request.user
        )
    except DomainError as exc:
        return _upload_error(request, institution, exc.message)
    return redirect("claims:staff-import", import_id=job.pk)


def _upload_error(request, institution, message: str):
    messages.error(request, message)
    return redirect(f"{reverse('web:staff-institution', args=[institution.pk])}#upload")


@staff_required()
def import_detail(request, import_id: int):
    claims_services.stale_imports_fail()  # a killed worker's import shows as failed at once
    job = access_import_by_id(request.user, import_id)
    context = {
        "job": job,
        "institution": job.institution,
        "working": job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING),
    }
    template = "claims/staff/_import_status.html" if request.htmx else "claims/staff/import.html"
    return render(request, template, context)


@staff_required()
def version_detail(request, version_id: int):
    version = access_version_by_id(request.user, version_id)
    claims_services.version_diff_refresh(version)
    kind = request.GET.get("diff", "changed")
    if kind not in ("added", "removed", "changed"):
        kind = "changed"
    page = page_param(request.GET.get("page"))
    per_page = 50
    rows = claims_selectors.version_diff(
        version, kind, limit=per_page, offset=(page - 1) * per_page
    )
    totals = {
        "added": version.diff_added,
        "removed": version.diff_removed,
        "changed": version.diff_changed,
    }
    context = {
        "version": version,
        "institution": version.institution,
        "kind": kind,
        "rows": rows,
        "page": page,
        "has_next": totals[kind] > page * per_page,
        "can_manage": request.user.role == Role.OPERATOR and version.status == "pending",
        "active": claims_selectors.active_register(version.institution),
    }
    return render(request, "claims/staff/version.html", context)


@require_POST
@staff_required(Role.OPERATOR)
def version_activate(request, version_id: int):
    version = access_version_by_id(request.user, version_id)
    try:
        claims_services.version_activate(
            version=version, user=request.user, actor=actor_from_request(request)
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("claims:staff-version", version_id=version.pk)


@require_POST
@staff_required(Role.OPERATOR)
def version_discard(request, version_id: int):
    version = access_version_by_id(request.user, version_id)
    try:
        claims_services.version_discard(version=version, actor=actor_from_request(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("claims:staff-version", version_id=version.pk)


@staff_required()
def version_entries(request, version_id: int):
    version = access_version_by_id(request.user, version_id)
    paginator = Paginator(claims_selectors.version_entries(version), 100)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "claims/staff/entries.html",
        {
            "version": version,
            "institution": version.institution,
            "page": page,
            "can_reveal": request.user.role in PII_FULL_VIEW_ROLES,
        },
    )


@require_POST
@staff_required(*PII_FULL_VIEW_ROLES)
def entry_reveal(request, entry_id: int):
    """htmx: the full ID and mobile number of one row, for roles that need them; audited."""
    entry = access_entry_by_id(request.user, entry_id)
    record(
        actor=actor_from_request(request),
        action=PlatformAction.PII_REVEALED,
        obj=entry,
        institution_id=entry.version.institution_id,
    )
    return render(request, "claims/staff/_entry_revealed.html", {"entry": entry})


def register_template(request):
    """A CSV template Excel opens correctly (UTF-8 with BOM), written by core.spreadsheets."""
    data = csv_bytes(
        [
            REQUIRED_COLUMNS + OPTIONAL_COLUMNS,
            ["张三", "身份证", "110101199003070011", "13800138000", "10000.00", "350.00", "2"],
        ]
    )
    return file_response(
        data,
        content_type="text/csv; charset=utf-8",
        filename="register-template.csv",
        disposition="attachment",
        cache="public, max-age=3600",
    )


@staff_required()
def dispute_queue(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    status = request.GET.get("status", DisputeStatus.OPEN)
    if status not in DisputeStatus.values and status != "all":
        status = DisputeStatus.OPEN
    disputes = claims_selectors.dispute_queue(institution, None if status == "all" else status)
    page = Paginator(disputes, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "claims/staff/disputes.html",
        {
            "institution": institution,
            "page": page,
            "status": status,
            "statuses": DisputeStatus.choices,
        },
    )


@staff_required()
def dispute_detail(request, dispute_id: int):
    dispute = access_dispute_by_id(request.user, dispute_id)
    versions = claims_selectors.institution_versions(dispute.institution).filter(
        status__in=["pending", "active"]
    )
    context = {
        "dispute": dispute,
        "institution": dispute.institution,
        "errors": {},
        "versions": versions,
        "can_answer": request.user.role == Role.OPERATOR,
        "values": {"outcome": DisputeStatus.CORRECTED, "answer": "", "corrected_version": ""},
    }
    if request.method == "POST":
        if not context["can_answer"]:  # oversight roles read it; the institution answers
            raise PermissionDenied("只有本机构的经办人员可以答复异议")
        # Shown again after an error, so a refusal is never silently reset to 已更正.
        context["values"] = {
            key: request.POST.get(key, "") for key in ("outcome", "answer", "corrected_version")
        }
        corrected = None
        corrected_id = id_param(request.POST.get("corrected_version"), label="更正后的版本")
        if corrected_id is not None:
            corrected = versions.filter(pk=corrected_id).first()
        try:
            claims_services.dispute_answer(
                dispute=dispute,
                outcome=request.POST.get("outcome", ""),
                answer=request.POST.get("answer", ""),
                corrected_version=corrected,
                user=request.user,
                actor=actor_from_request(request),
            )
        except DomainError as exc:
            context["errors"] = {exc.field or "form": exc.message}
        else:
            return redirect("claims:staff-dispute", dispute_id=dispute.pk)
    return render(request, "claims/staff/dispute.html", context)


@staff_required()
def dispute_attachment(request, dispute_id: int):
    return evidence_response(access_dispute_by_id(request.user, dispute_id))
