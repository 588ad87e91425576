"""Staff pages of association reporting: an institution's filings and reminders, the entry
page of a filing (cells, explanations, XLSX upload, sign-off, submit, resubmit), the
association's review (return / accept), its dashboard of institutions × periods and the
export of one period. Thin: parse, check the role, call a service or a selector, render."""

from __future__ import annotations

import io

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from winddown.accounts.permissions import staff_required
from winddown.accounts.roles import OVERSIGHT_ROLES, Role
from winddown.audit.services import actor_from_request, record
from winddown.calendar import InvalidPeriod, Period
from winddown.core.errors import DomainError
from winddown.core.file_responses import file_response
from winddown.core.params import page_param
from winddown.indicators import TABLES, Kind
from winddown.indicators.validate import make_key, split_key
from winddown.institutions.selectors import (
    access_institution_by_id,
    operator_institution_id,
    visible_institutions,
)
from winddown.reporting import layout, policies, selectors, services
from winddown.reporting.access import access_filing_by_id, access_version_by_id
from winddown.reporting.audit_actions import ReportingAction

REVIEWERS = (Role.ASSOCIATION_OFFICER,)
OVERSIGHT = (Role.ASSOCIATION_OFFICER, Role.WG_OFFICER, Role.SYSADMIN)
MAX_GROUPS = 50
MAX_UPLOAD_BYTES = 5 * 2**20


@staff_required()
def home(request):
    if request.user.role in OVERSIGHT_ROLES:
        return redirect("reporting:staff-dashboard")
    institution_id = operator_institution_id(request.user)
    if institution_id is None:
        raise Http404("您尚未关联机构")
    return redirect("reporting:staff-institution", institution_id=institution_id)


@staff_required()
def institution_filings(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    filings = selectors.filings_of(institution.pk)
    context = {
        "institution": institution,
        "filings": filings,
        "reminders": selectors.reminders_for(institution.pk),
        "late_this_year": selectors.late_count(institution.pk, timezone.localdate().year),
        "tables": TABLES.values(),
        "can_file": policies.can_file(request.user, institution.pk),
        "warning_limit": selectors.WARNINGS_BEFORE_CENSURE,
    }
    return render(request, "reporting/staff/institution.html", context)


@require_POST
@staff_required(Role.OPERATOR)
def filing_new(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    try:
        version = services.filing_draft(
            user=request.user,
            actor=actor_from_request(request),
            institution=institution,
            table=request.POST.get("table", ""),
            period=request.POST.get("period", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reporting:staff-institution", institution_id=institution.pk)
    return redirect("reporting:staff-filing", filing_id=version.filing_id)


def _groups(table, cells, wanted: str | None) -> int:
    if not table.per:
        return 1
    have = max([split_key(k)[1] for k in cells] or [1])
    if wanted and wanted.isascii() and wanted.isdigit():
        return max(1, min(page_param(wanted), MAX_GROUPS))
    return have


def _persons(code, cells) -> list[int]:
    return sorted({split_key(k)[1] for k in cells if split_key(k)[0] == code}) or [1]


def _rows(table, version, groups: int, extra_person: bool):
    findings_by_code: dict[str, list] = {}
    for f in version.findings:
        findings_by_code.setdefault(f["codes"][0], []).append(f)
    rows = []
    for ind in table.indicators:
        if ind.repeats:
            persons = _persons(ind.code, version.cells)
            if extra_person:
                persons = [*persons, persons[-1] + 1]
            keys = [make_key(ind.code, n) for n in persons]
        else:
            keys = [make_key(ind.code, n) for n in range(1, groups + 1)]
        rows.append(
            {
                "indicator": ind,
                "cells": [(k, version.cells.get(k, "")) for k in keys],
                "findings": findings_by_code.get(ind.code, []),
                "long": ind.kind is Kind.LONG_TEXT,
                "prefilled": [k for k in keys if k in version.prefilled],
            }
        )
    return rows


@staff_required()
def filing_detail(request, filing_id: int, errors: dict | None = None, posted: dict | None = None):
    filing = access_filing_by_id(request.user, filing_id)
    table = TABLES[filing.table]
    versions = list(selectors.versions(filing))
    version = versions[0]
    if posted:  # a refused save: show what was typed, not what is stored
        version.cells = {**version.cells, **posted}
    groups = _groups(table, version.cells, request.GET.get("groups"))
    can_file = policies.can_file(request.user, filing.institution_id)
    context = {
        "filing": filing,
        "table": table,
        "version": version,
        "versions": versions,
        "rows": _rows(table, version, groups, request.GET.get("person") == "add"),
        "groups": range(1, groups + 1),
        "next_groups": groups + 1,
        "warnings": [f for f in version.findings if f["severity"] == "warning"],
        "blocking": [f for f in version.findings if f["severity"] == "error"],
        "editable": version.editable and can_file,
        "can_file": can_file,
        "can_resubmit": can_file and policies.resubmit_refusal(filing) is None,
        "can_review": policies.can_review(request.user, filing),
        "errors": errors or {},
        "state": selectors.STATE_LABELS[
            selectors.state_of(filing.status, filing.deadline, timezone.localdate())
        ],
    }
    return render(request, "reporting/staff/filing.html", context, status=400 if errors else 200)


def _failed(request, filing_id: int, exc: DomainError, posted: dict | None = None):
    messages.error(request, exc.message)
    return filing_detail(
        request, filing_id, errors={exc.field or "form": exc.message}, posted=posted
    )


@require_POST
@staff_required(Role.OPERATOR)
def filing_save(request, filing_id: int):
    filing = access_filing_by_id(request.user, filing_id)
    version = filing.versions.order_by("-number").first()
    cells = {k.removeprefix("cell-"): v for k, v in request.POST.items() if k.startswith("cell-")}
    explanations = {
        k.removeprefix("explain-"): v for k, v in request.POST.items() if k.startswith("explain-")
    }
    explanations = {k: v for k, v in explanations.items() if v.strip()}
    try:
        services.filing_save(
            user=request.user,
            actor=actor_from_request(request),
            version=version,
            cells=cells,
            explanations=explanations,
            strict=False,
        )
    except DomainError as exc:
        return _failed(request, filing.pk, exc, posted=cells)
    messages.success(request, "已保存")
    return redirect("reporting:staff-filing", filing_id=filing.pk)


@require_POST
@staff_required(Role.OPERATOR)
def filing_upload(request, filing_id: int):
    filing = access_filing_by_id(request.user, filing_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择按模板填写的 XLSX 文件")
        return redirect("reporting:staff-filing", filing_id=filing.pk)
    if upload.size > MAX_UPLOAD_BYTES:
        messages.error(request, "文件超过 5 MB，请只上传本表模板")
        return redirect("reporting:staff-filing", filing_id=filing.pk)
    data = upload.read()
    version = filing.versions.order_by("-number").first()
    try:
        services.filing_upload(
            user=request.user,
            actor=actor_from_request(request),
            version=version,
            open_source=lambda: io.BytesIO(data),
            source_name=upload.name,
        )
    except DomainError as exc:
        return _failed(request, filing.pk, exc)
    messages.success(request, f"已读取 {upload.name}")
    return redirect("reporting:staff-filing", filing_id=filing.pk)


@require_POST
@staff_required(Role.OPERATOR)
def filing_submit(request, filing_id: int):
    """Sign-off for the legal representative, then submission, in one step of the page."""
    filing = access_filing_by_id(request.user, filing_id)
    version = filing.versions.order_by("-number").first()
    actor = actor_from_request(request)
    if request.POST.get("confirm") != "yes":
        return _failed(
            request,
            filing.pk,
            DomainError(services.E.NOT_SIGNED, field="confirm"),
        )
    try:
        version = services.filing_sign(
            user=request.user, actor=actor, version=version,
            signatory=request.POST.get("signatory", ""),
        )  # fmt: skip
        services.filing_submit(user=request.user, actor=actor, version=version)
    except DomainError as exc:
        return _failed(request, filing.pk, exc)
    messages.success(request, f"已提交第{version.number}版")
    return redirect("reporting:staff-filing", filing_id=filing.pk)


@require_POST
@staff_required(Role.OPERATOR)
def filing_delay(request, filing_id: int):
    from datetime import date

    filing = access_filing_by_id(request.user, filing_id)
    try:
        expected = date.fromisoformat(request.POST.get("expected", "").strip())
    except ValueError:
        return _failed(
            request, filing.pk,
            DomainError(
                services.E.DELAY_INVALID, field="expected", detail="预计报送日期应写作 2026-10-20"
            ),
        )  # fmt: skip
    try:
        services.filing_delay_explain(
            user=request.user, actor=actor_from_request(request), filing=filing,
            reason=request.POST.get("reason", ""), expected=expected,
        )  # fmt: skip
    except DomainError as exc:
        return _failed(request, filing.pk, exc)
    messages.success(request, "已向协会说明")
    return redirect("reporting:staff-filing", filing_id=filing.pk)


@require_POST
@staff_required(Role.OPERATOR)
def filing_resubmit(request, filing_id: int):
    filing = access_filing_by_id(request.user, filing_id)
    try:
        services.filing_resubmit(
            user=request.user, actor=actor_from_request(request), filing=filing,
            reason=request.POST.get("reason", ""),
        )  # fmt: skip
    except DomainError as exc:
        return _failed(request, filing.pk, exc)
    return redirect("reporting:staff-filing", filing_id=filing.pk)


@require_POST
@staff_required(*REVIEWERS)
def filing_review(request, filing_id: int):
    filing = access_filing_by_id(request.user, filing_id)
    decision = request.POST.get("decision")
    comment = request.POST.get("comment", "")
    actor = actor_from_request(request)
    try:
        if decision == "accept":
            services.filing_accept(user=request.user, actor=actor, filing=filing, comment=comment)
        elif decision == "return":
            services.filing_return(user=request.user, actor=actor, filing=filing, comment=comment)
        else:
            raise DomainError(services.E.COMMENT_REQUIRED, field="decision")
    except DomainError as exc:
        return _failed(request, filing.pk, exc)
    messages.success(request, "已接收" if decision == "accept" else "已退回，机构将看到您的意见")
    return redirect("reporting:staff-filing", filing_id=filing.pk)


@staff_required()
def template_download(request, table: str):
    t = TABLES.get(table.upper())
    if t is None:
        raise Http404("采集表不存在")
    return file_response(
        layout.template_xlsx(t),
        content_type=layout.XLSX,
        filename=f"{t.code}-template.xlsx",
        disposition="attachment",
    )


@staff_required()
def version_download(request, version_id: int):
    version = access_version_by_id(request.user, version_id)
    filing = version.filing
    table = TABLES[filing.table]
    title = (
        f"{filing.institution.full_name}　报送期 {filing.period}　"
        f"第{version.number}版（{version.get_status_display()}）"
    )
    return file_response(
        layout.template_xlsx(table, cells=version.cells, title=title),
        content_type=layout.XLSX,
        filename=f"{filing.table}-{filing.period}-v{version.number}.xlsx",
        disposition="attachment",
    )


def _dashboard_args(request):
    table = request.GET.get("table", "AH-05").upper()
    if table not in TABLES:
        table = "AH-05"
    kind = TABLES[table].frequency.period_kind
    raw = request.GET.get("periods", "")
    count = (
        min(page_param(raw), 36)
        if raw.isascii() and raw.isdigit()
        else {"month": 12, "quarter": 8, "year": 3}[kind]
    )
    state = request.GET.get("state", "")
    if state not in selectors.STATE_LABELS:
        state = ""
    return table, selectors.periods_back(kind, count), state, count


@staff_required(*OVERSIGHT)
def dashboard(request):
    table, periods, state, count = _dashboard_args(request)
    board = selectors.dashboard(
        institutions=visible_institutions(request.user),
        table=table,
        periods=periods,
        state=state,
        page=page_param(request.GET.get("page")),
    )
    css = {
        "submitted": "ok",
        "accepted": "ok",
        "overdue": "bad",
        "returned": "bad",
        "draft": "warn",
    }
    cells = {k: (label, css.get(k, "")) for k, label in selectors.STATE_LABELS.items()}
    rows = [
        (inst_id, name, [cells[s] for s in states], board.late_this_year.get(inst_id, 0))
        for inst_id, name, states in board.rows
    ]
    context = {
        "board": board,
        "rows": rows,
        "counts": [
            (k, label, board.counts.get(k, 0)) for k, label in selectors.STATE_LABELS.items()
        ],
        "table": TABLES[table],
        "tables": TABLES.values(),
        "state": state,
        "count": count,
        "states": selectors.STATE_LABELS,
        "labels": selectors.STATE_LABELS,
        "warning_limit": selectors.WARNINGS_BEFORE_CENSURE,
    }
    return render(request, "reporting/staff/dashboard.html", context)


@staff_required(*OVERSIGHT)
def dashboard_export(request):
    from winddown.reporting.exports import dashboard_xlsx

    table, periods, state, _count = _dashboard_args(request)
    board = selectors.dashboard(
        institutions=visible_institutions(request.user),
        table=table,
        periods=periods,
        state=state,
        per_page=10**6,  # the export has every institution
    )
    return file_response(
        dashboard_xlsx(board),
        content_type=layout.XLSX,
        filename=f"reporting-{table}-dashboard.xlsx",
        disposition="attachment",
    )


@staff_required(*OVERSIGHT)
def period_export(request):
    """One period across all institutions in the standard's layout (issue 19 §5)."""
    raw = request.GET.get("period", "").strip()
    try:
        period = Period.parse(raw)
    except InvalidPeriod:
        messages.error(request, f"报送期“{raw}”不存在，应写作 2025、2026-Q3 或 2026-09")
        return redirect("reporting:staff-dashboard")
    tables = selectors.tables_of_period(period)
    filings = [f for t in tables for f in selectors.period_filings(t.code, period.label)]
    content = layout.export_period_xlsx(period.label, tables, filings)
    record(
        actor=actor_from_request(request),
        action=ReportingAction.PERIOD_EXPORTED,
        object_type="reporting.period",
        object_id=period.label,
        after={"tables": [t.code for t in tables], "filings": len(filings)},
    )
    return file_response(
        content,
        content_type=layout.XLSX,
        filename=f"reporting-{period.label}.xlsx",
        disposition="attachment",
    )
