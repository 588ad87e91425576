"""A reporter's reports over the API (/api/me/reports): file one with evidence, read one's
own and the association's feedback (举报办法 第五条, 第十三条9)."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import ConfigDict

from winddown.api.auth import AUTH, require_lender
from winddown.api.schemas import Text
from winddown.audit.services import actor_from_request
from winddown.cases import selectors, services
from winddown.cases.api.common import ERRORS
from winddown.cases.errors import CasesErrorCode as E
from winddown.cases.models import Report
from winddown.core.ratelimits import check_rate
from winddown.institutions.selectors import all_institutions

lender_router = Router(tags=["投诉举报（举报人）"], auth=AUTH)


class MyReportOut(Schema):
    id: int
    number: str
    institution_id: int
    institution_name: str
    categories: list[str]
    facts: str
    status: str
    status_label: str
    received_on: date
    repeat_of_number: str | None
    feedback: str
    feedback_on: date | None


def _out(report: Report) -> dict:
    return {
        "id": report.pk,
        "number": report.number,
        "institution_id": report.institution_id,
        "institution_name": report.institution.short_name,
        "categories": report.categories,
        "facts": report.facts,
        "status": report.status,
        "status_label": report.get_status_display(),
        "received_on": report.received_on,
        "repeat_of_number": report.repeat_of.number if report.repeat_of_id else None,
        "feedback": report.feedback_text if report.feedback_on else "",
        "feedback_on": report.feedback_on,
    }


class ReportIn(Schema):
    """Form fields (strings on the wire, so not strict), unknown ones refused."""

    model_config = ConfigDict(extra="forbid")

    institution_id: int | None = None
    categories: list[str] = []
    facts: Text = ""
    evidence_text: Text = ""
    reporter_type: str = "lender"
    name: Text = ""  # a person who is not a verified lender: real name and ID number
    id_number: Text = ""


@lender_router.post("", response={201: MyReportOut, **ERRORS}, summary="提交举报（实名）")
def report_file(
    request,
    data: Form[ReportIn],
    evidence: File[list[UploadedFile]] = None,  # type: ignore[assignment]
):
    lender = require_lender(request)
    check_rate(request, group="cases-report", rate="20/h", error=E.TOO_MANY_ATTEMPTS)
    institution = (
        all_institutions().filter(pk=data.institution_id).first() if data.institution_id else None
    )
    report = services.report_file(
        lender=lender,
        institution=institution,
        categories=data.categories,
        facts=data.facts,
        evidence_text=data.evidence_text,
        evidence_files=evidence or [],
        reporter_type=data.reporter_type,
        name=data.name,
        id_number=data.id_number,
        actor=actor_from_request(request),
    )
    return Status(201, _out(report))


@lender_router.get("", response={200: list[MyReportOut], **ERRORS}, summary="我的举报")
def my_reports(request):
    reports = selectors.lender_reports(require_lender(request)).select_related("repeat_of")
    return [_out(r) for r in reports.order_by("-created_at")[:200]]


@lender_router.get("/{report_id}", response={200: MyReportOut, **ERRORS}, summary="我的一件举报")
def my_report(request, report_id: int):
    report = selectors.lender_reports(require_lender(request)).filter(pk=report_id).first()
    if report is None:
        raise Http404("举报不存在")
    return _out(report)
