"""The association's pages for reports: the queue by deadline, recording a report that came
by phone, e-mail or letter, a case with its timeline and the handling steps, the reporter's
identity (designated handlers only, audited), the evidence and the CSV export.

Masking (举报办法 第二条、第十二条): every page here shows the reporter as a pseudonym; only
``reporter_reveal`` (POST, designated handlers, audited) shows who it is."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from winddown.accounts.permissions import staff_required
from winddown.accounts.roles import Role
from winddown.audit.services import actor_from_request
from winddown.cases import policies, selectors, services
from winddown.cases.access import access_report_by_id
from winddown.cases.models import (
    Channel,
    DueKind,
    Outcome,
    RejectReason,
    ReportCategory,
    ReporterType,
    ReportEvidence,
    ReportStatus,
)
from winddown.core.errors import DomainError
from winddown.core.file_responses import file_response
from winddown.institutions.selectors import all_institutions

ASSOCIATION = Role.ASSOCIATION_OFFICER


def _page_number(request) -> int:
    raw = request.GET.get("page", "1")
    return max(int(raw), 1) if raw.isdigit() and len(raw) < 7 else 1


@staff_required(ASSOCIATION)
def queue(request):
    status = request.GET.get("status", "")
    if status not in ReportStatus.values:
        status = ""
    page = _page_number(request)
    rows = selectors.queue(
        status=status, limit=selectors.QUEUE_PAGE, offset=(page - 1) * selectors.QUEUE_PAGE
    )
    today = timezone.localdate()
    return render(
        request,
        "cases/staff/queue.html",
        {
            "rows": [(r, selectors.days_left(r, today)) for r in rows],
            "status": status,
            "statuses": [(s, label) for s, label in ReportStatus.choices if s != "archived"],
            "page": page,
            "has_next": len(rows) == selectors.QUEUE_PAGE,
            "kinds": dict(DueKind.choices),
            "is_handler": policies.is_handler(request.user),
        },
    )


@staff_required(ASSOCIATION)
def queue_export(request):
    rows = selectors.queue(limit=10_000)
    return file_response(
        selectors.queue_csv(rows),
        content_type="text/csv; charset=utf-8",
        filename="投诉举报待办.csv",
        disposition="attachment",
    )


@staff_required(ASSOCIATION)
def record(request):
    if not policies.is_handler(request.user):
        raise PermissionDenied("只有协会指定的投诉举报专人可以登记举报")
    institutions = all_institutions()
    values = {
        "channel": "phone",
        "institution": "",
        "categories": [],
        "facts": "",
        "evidence_text": "",
        "received_on": timezone.localdate().isoformat(),
        "reporter_type": "public",
        "handler_opinion": "",
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in values}
        values["categories"] = request.POST.getlist("categories")
        raw = values["institution"]
        institution = institutions.filter(pk=raw).first() if raw.isdigit() else None
        try:
            received_on = date.fromisoformat(values["received_on"])
        except ValueError:
            errors = {"received_on": "投诉举报收到时间应为“年-月-日”格式的日期"}
        else:
            try:
                report = services.report_record(
                    user=request.user,
                    channel=values["channel"],
                    institution=institution,
                    categories=values["categories"],
                    facts=values["facts"],
                    received_on=received_on,
                    reporter_type=values["reporter_type"],
                    name=request.POST.get("name", ""),
                    id_number=request.POST.get("id_number", ""),
                    phone=request.POST.get("phone", ""),
                    contact=request.POST.get("contact", ""),
                    evidence_text=values["evidence_text"],
                    evidence_files=request.FILES.getlist("evidence"),
                    handler_opinion=values["handler_opinion"],
                    actor=actor_from_request(request),
                )
            except DomainError as exc:
                errors = {exc.field or "form": exc.message}
            else:
                return redirect("cases:staff-report", report_id=report.pk)
    return render(
        request,
        "cases/staff/record.html",
        {
            "institutions": institutions,
            "channels": [c for c in Channel.choices if c[0] in ("phone", "email", "letter")],
            "categories": ReportCategory.choices,
            "reporter_types": ReporterType.choices,
            "values": values,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _detail_context(request, report, errors=None) -> dict:
    handler = policies.is_handler(request.user)
    return {
        "report": report,
        "steps": selectors.timeline(report),
        "evidence": list(report.evidence.all()) if handler else [],
        "evidence_count": report.evidence.count(),
        "is_handler": handler,
        "is_secretary_general": policies.is_secretary_general(request.user),
        "available": set(policies.available_steps(report)) if handler else set(),
        "reject_reasons": [c for c in RejectReason.choices if c[0] != "duplicate"],
        "outcomes": Outcome.choices,
        "days_left": selectors.days_left(report, timezone.localdate()),
        "errors": errors or {},
        "repeats": list(report.repeats.values_list("number", flat=True)),
    }


@staff_required(ASSOCIATION)
def detail(request, report_id: int):
    report = access_report_by_id(request.user, report_id)
    return render(request, "cases/staff/report.html", _detail_context(request, report))


def _int(raw: str, *, default: int) -> int:
    raw = (raw or "").strip()
    if not raw:
        return default
    return int(raw) if raw.isdigit() and len(raw) < 4 else 0  # 0: refused by the service


STEPS = {
    "accept": lambda r, u, p, a: services.report_accept(
        report=r, user=u, opinion=p.get("text", ""), actor=a
    ),
    "reject": lambda r, u, p, a: services.report_reject(
        report=r, user=u, reason=p.get("reason", ""), opinion=p.get("text", ""), actor=a
    ),
    "start": lambda r, u, p, a: services.investigation_start(report=r, user=u, actor=a),
    "extend": lambda r, u, p, a: services.investigation_extend(
        report=r, user=u, stage_report=p.get("text", ""), actor=a
    ),
    "end": lambda r, u, p, a: services.investigation_end(
        report=r, user=u, findings=p.get("text", ""), actor=a
    ),
    "decide": lambda r, u, p, a: services.report_decide(
        report=r, user=u, outcome=p.get("outcome", ""), decision_text=p.get("text", ""), actor=a
    ),
    "notify": lambda r, u, p, a: services.institution_notify(
        report=r,
        user=u,
        notice_text=p.get("text", ""),
        answer_days=_int(p.get("answer_days", ""), default=10),
        actor=a,
    ),
    "publish": lambda r, u, p, a: services.report_publish(
        report=r, user=u, note=p.get("text", ""), actor=a
    ),
    "refer": lambda r, u, p, a: services.report_refer(
        report=r, user=u, note=p.get("text", ""), actor=a
    ),
    "feedback": lambda r, u, p, a: services.feedback_send(
        report=r, user=u, text=p.get("text", ""), actor=a
    ),
    "archive": lambda r, u, p, a: services.report_archive(report=r, user=u, actor=a),
    "malicious": lambda r, u, p, a: services.report_mark_malicious(
        report=r, user=u, reason=p.get("text", ""), actor=a
    ),
}


@require_POST
@staff_required(ASSOCIATION)
def step(request, report_id: int, step: str):
    if step not in STEPS:
        raise Http404("没有该办理步骤")
    report = access_report_by_id(request.user, report_id)
    try:
        STEPS[step](report, request.user, request.POST, actor_from_request(request))
    except DomainError as exc:
        report.refresh_from_db()
        context = _detail_context(request, report, {step: exc.message})
        return render(request, "cases/staff/report.html", context, status=exc.http_status)
    return redirect("cases:staff-report", report_id=report.pk)


@require_POST
@staff_required(ASSOCIATION)
def reporter_reveal(request, report_id: int):
    report = access_report_by_id(request.user, report_id)
    try:
        identity = services.reporter_reveal(
            report=report, user=request.user, actor=actor_from_request(request)
        )
    except DomainError as exc:
        raise PermissionDenied(exc.message) from None
    return render(request, "cases/staff/_reporter.html", {"identity": identity, "report": report})


@staff_required(ASSOCIATION)
def evidence(request, report_id: int, evidence_id: int):
    report = access_report_by_id(request.user, report_id)
    if not policies.is_handler(request.user):
        # Evidence may name the reporter: handlers only, like the identity.
        raise PermissionDenied("只有协会指定的投诉举报专人可以查看证据材料")
    item = ReportEvidence.objects.filter(report=report, pk=evidence_id).first()
    if item is None:
        raise Http404("证据材料不存在")
    return file_response(
        item.file.chunks(), content_type=item.content_type, filename=item.name, disposition="inline"
    )


@staff_required(ASSOCIATION)
def report_form_pdf(request, report_id: int):
    """The 《投诉举报信息处理单》 as a PDF; like the case page it names no reporter, and the
    facts are the masked notice once one was written (handlers read the original)."""
    from winddown.audit.services import record
    from winddown.cases import documents
    from winddown.cases.audit_actions import CasesAction

    report = access_report_by_id(request.user, report_id)
    if not policies.is_handler(request.user) and not report.notice_text:
        raise PermissionDenied("举报原文仅投诉举报专人可见；通知机构后可导出处理单")
    data = documents.report_form_pdf(report)
    record(
        actor=actor_from_request(request),
        action=CasesAction.DOCUMENT_DOWNLOADED,
        obj=report,
        institution_id=report.institution_id,
        after={"document": "report_form"},
    )
    return file_response(
        data,
        content_type="application/pdf",
        filename=f"投诉举报信息处理单-{report.number}.pdf",
        disposition="inline",
    )
