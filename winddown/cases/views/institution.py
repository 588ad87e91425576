"""The reported institution's pages (举报办法 第十三条11): the reports it was notified of,
their deadlines, its answer or rectification. Nothing of the reporter: these pages render
``selectors.InstitutionReport`` only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from winddown.accounts.permissions import staff_required
from winddown.accounts.roles import Role
from winddown.audit.services import actor_from_request
from winddown.cases import selectors, services
from winddown.cases.access import access_notified_report_by_id
from winddown.core.errors import DomainError
from winddown.core.file_responses import file_response
from winddown.institutions.selectors import operator_institution_id


def _institution_id(request) -> int:
    institution_id = operator_institution_id(request.user)
    if institution_id is None:
        raise PermissionDenied("您的账户未关联任何机构")
    return institution_id


@staff_required(Role.OPERATOR)
def report_list(request):
    reports = selectors.institution_reports(_institution_id(request))[:500]
    return render(
        request,
        "cases/institution/reports.html",
        {"reports": [selectors.institution_view(r) for r in reports]},
    )


@staff_required(Role.OPERATOR)
def report_export(request):
    reports = selectors.institution_reports(_institution_id(request))[:10_000]
    return file_response(
        selectors.institution_csv([selectors.institution_view(r) for r in reports]),
        content_type="text/csv; charset=utf-8",
        filename="被举报事项.csv",
        disposition="attachment",
    )


@staff_required(Role.OPERATOR)
def report_detail(request, report_id: int):
    report = access_notified_report_by_id(request.user, report_id)
    errors: dict[str, str] = {}
    answer = ""
    if request.method == "POST":
        answer = request.POST.get("answer", "")
        try:
            services.institution_answer(
                report=report, user=request.user, answer=answer, actor=actor_from_request(request)
            )
        except DomainError as exc:
            errors = {exc.field or "form": exc.message}
        else:
            return redirect("cases:institution-report", report_id=report.pk)
    return render(
        request,
        "cases/institution/report.html",
        {
            "report": selectors.institution_view(report),
            "steps": selectors.timeline(report, for_institution=True),
            "errors": errors,
            "answer": answer,
        },
        status=400 if errors else 200,
    )
