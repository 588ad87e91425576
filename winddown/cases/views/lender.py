"""The reporter's pages, on the phone: file a report (举报办法 第五条; 001 四: an online
channel), see one's reports and the association's feedback (第十三条9)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render

from winddown.accounts.permissions import lender_required
from winddown.audit.services import actor_from_request
from winddown.cases import selectors, services
from winddown.cases.errors import CasesErrorCode as E
from winddown.cases.models import ReportCategory, ReporterType
from winddown.core.errors import DomainError
from winddown.core.ratelimits import check_rate
from winddown.identity.selectors import lender_for_user
from winddown.institutions.selectors import all_institutions


@lender_required
def report_list(request):
    lender = lender_for_user(request.user)
    reports = selectors.lender_reports(lender).order_by("-created_at")[:100]
    return render(request, "cases/lender/reports.html", {"reports": reports})


@lender_required
def report_new(request):
    lender = lender_for_user(request.user)
    institutions = all_institutions()
    values = {"institution": "", "categories": [], "facts": "", "evidence_text": "", "name": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {
            "institution": request.POST.get("institution", ""),
            "categories": request.POST.getlist("categories"),
            "facts": request.POST.get("facts", ""),
            "evidence_text": request.POST.get("evidence_text", ""),
            "name": request.POST.get("name", ""),
            "reporter_type": request.POST.get("reporter_type", ""),
        }
        raw = values["institution"]
        institution = institutions.filter(pk=raw).first() if raw.isdigit() else None
        try:
            # Beyond the daily limit of 3 accepted reports: refused attempts count too.
            check_rate(request, group="cases-report", rate="20/h", error=E.TOO_MANY_ATTEMPTS)
            report = services.report_file(
                lender=lender,
                institution=institution,
                categories=values["categories"],
                facts=values["facts"],
                evidence_text=values["evidence_text"],
                evidence_files=request.FILES.getlist("evidence"),
                reporter_type=values["reporter_type"] or ReporterType.LENDER,
                name=values["name"],
                id_number=request.POST.get("id_number", ""),  # never echoed back
                actor=actor_from_request(request),
            )
        except DomainError as exc:
            errors = {exc.field or "form": exc.message}
        else:
            return redirect("cases:lender-report", report_id=report.pk)
    return render(
        request,
        "cases/lender/report_form.html",
        {
            "lender": lender,
            "institutions": institutions,
            "categories": ReportCategory.choices,
            "reporter_types": [c for c in ReporterType.choices if c[0] != "lender"],
            "values": values,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@lender_required
def report_detail(request, report_id: int):
    lender = lender_for_user(request.user)
    report = selectors.lender_reports(lender).filter(pk=report_id).first()
    if report is None:
        raise Http404("举报不存在")
    return render(request, "cases/lender/report.html", {"report": report})
