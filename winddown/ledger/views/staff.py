"""Staff console pages of the loan ledger (namespace "ledger"): the ledgers an officer or
operator may see, an institution's ledger and its upload, import results."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from winddown.accounts.permissions import staff_required
from winddown.accounts.roles import Role
from winddown.audit.services import actor_from_request
from winddown.core.errors import DomainError
from winddown.institutions.selectors import access_institution_by_id, visible_institutions
from winddown.ledger import selectors, services
from winddown.ledger.access import access_import_by_id
from winddown.ledger.importers import OPTIONAL, REQUIRED, FileKind


@staff_required()
def ledger_index(request):
    rows = [
        (institution, selectors.active_ledger(institution))
        for institution in visible_institutions(request.user).order_by("short_name")
    ]
    return render(request, "ledger/staff/index.html", {"rows": rows})


@staff_required()
def ledger_overview(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    context = {
        "institution": institution,
        "ledger": selectors.active_ledger(institution),
        "versions": selectors.ledger_versions(institution)[:20],
        "imports": selectors.ledger_imports(institution),
        "can_upload": request.user.role == Role.OPERATOR,
        "columns": [(kind.label, REQUIRED[kind], OPTIONAL[kind]) for kind in FileKind],
        "limit_mb": services.UPLOAD_LIMIT_MB,
    }
    return render(request, "ledger/staff/overview.html", context)


@require_POST
@staff_required(Role.OPERATOR)
def ledger_upload(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    uploads = request.FILES.getlist("files")
    try:
        result = services.ledger_upload(
            institution=institution,
            uploads=uploads,
            user=request.user,
            actor=actor_from_request(request),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("ledger:staff-overview", institution_id=institution.pk)
    return redirect("ledger:staff-import", import_id=result.record.pk)


@staff_required()
def import_detail(request, import_id: int):
    job = access_import_by_id(request.user, import_id)
    return render(request, "ledger/staff/import.html", {"job": job, "institution": job.institution})
