"""Association reporting over the staff API: the tables, drafts, cells and explanations,
XLSX upload, sign-off and submission, resubmission, the association's review, the
dashboard, and publishing the disclosure column. Every call checks the role and the
institution boundary (404 and an audited denial across institutions) as the pages do."""

from __future__ import annotations

import io
from datetime import date, datetime

from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from winddown.accounts.roles import Role
from winddown.api.auth import AUTH, require_staff
from winddown.api.schemas import DetailOut, ErrorOut, StrictSchema, ValidationErrorOut
from winddown.audit.services import actor_from_request
from winddown.core.errors import DomainError
from winddown.indicators import format_scaled, tables_json
from winddown.institutions.selectors import access_institution_by_id, visible_institutions
from winddown.reporting import disclosure, selectors, services
from winddown.reporting.access import access_filing_by_id
from winddown.reporting.api.public import DisclosureOut, disclosure_out
from winddown.reporting.errors import ReportingErrorCode as E
from winddown.reporting.models import Filing, FilingVersion

staff_router = Router(tags=["信息报送（工作人员、机构系统直连）"], auth=AUTH)

ERRORS = {
    400: ErrorOut,
    401: DetailOut,
    403: DetailOut,
    404: DetailOut,
    409: ErrorOut,
    422: ValidationErrorOut,
}
MAX_UPLOAD_BYTES = 5 * 2**20


class ReportIndicatorOut(Schema):
    code: str
    name: str
    unit: str
    row: int
    sub: str
    frequency: str
    kind: str
    required: bool
    negative: bool
    choices: list[str]
    repeats: bool
    source: str


class ReportTableOut(Schema):
    table: str
    name: str
    heading: str
    frequency: str
    deadline: str
    source: str
    per: str
    notes: list[str]
    indicators: list[ReportIndicatorOut]


class ReportFindingOut(Schema):
    key: str
    rule: str
    severity: str
    codes: list[str]
    message: str
    instance: int
    review: bool


class ReportAmountOut(Schema):
    key: str
    amount_fen: int
    amount: str  # 万元, six decimals


class ReportVersionOut(Schema):
    id: int
    number: int
    status: str
    reason: str
    definitions_version: str
    source: str
    cells: dict[str, str]
    amounts: list[ReportAmountOut]
    findings: list[ReportFindingOut]
    explanations: dict[str, str]
    prefilled: list[str]
    signatory: str
    signed_at: datetime | None
    submitted_at: datetime | None
    review_comment: str
    reviewed_at: datetime | None
    created_at: datetime


class ReportFilingOut(Schema):
    id: int
    institution_id: int
    table: str
    period: str
    status: str
    state: str
    due: date | None
    deadline: date | None
    late: bool
    first_submitted_at: datetime | None
    delay_reason: str
    delay_expected: date | None
    current: ReportVersionOut | None


class ReportFilingIn(StrictSchema):
    table: str
    period: str


class ReportCellsIn(StrictSchema):
    cells: dict[str, str] = {}
    explanations: dict[str, str] = {}
    replace: bool = False


class ReportSubmitIn(StrictSchema):
    signatory: str
    confirm: bool


class ReportReasonIn(StrictSchema):
    reason: str


class ReportDelayIn(StrictSchema):
    reason: str
    expected: str  # YYYY-MM-DD


class ReportCommentIn(StrictSchema):
    comment: str = ""


class ReportDashboardRowOut(Schema):
    institution_id: int
    short_name: str
    states: list[str]
    late_this_year: int


class ReportDashboardOut(Schema):
    total: int
    page: int
    per_page: int
    table: str
    periods: list[str]
    counts: dict[str, int]
    rows: list[ReportDashboardRowOut]


class ReportItemIn(StrictSchema):
    label: str
    value: str
    item: str = ""


class ReportDisclosureIn(StrictSchema):
    section: str
    title: str = ""
    items: list[ReportItemIn] = []
    signatory: str
    occurred_at: datetime | None = None
    filing_id: int | None = None  # operations: the AH-05 filing of the month


def version_out(v: FilingVersion) -> dict:
    amounts = [
        {"key": k, "amount_fen": fen, "amount": format_scaled(fen)}
        for k, fen in sorted(v.amounts_fen.items())
    ]
    return {
        "id": v.pk,
        "number": v.number,
        "status": v.status,
        "reason": v.reason,
        "definitions_version": v.definitions_version,
        "source": v.source,
        "cells": v.cells,
        "amounts": amounts,
        "findings": v.findings,
        "explanations": v.explanations,
        "prefilled": v.prefilled,
        "signatory": v.signatory,
        "signed_at": v.signed_at,
        "submitted_at": v.submitted_at,
        "review_comment": v.review_comment,
        "reviewed_at": v.reviewed_at,
        "created_at": v.created_at,
    }


def filing_out(f: Filing) -> dict:
    from django.utils import timezone

    current = f.versions.order_by("-number").first()
    return {
        "id": f.pk,
        "institution_id": f.institution_id,
        "table": f.table,
        "period": f.period,
        "status": f.status,
        "state": selectors.state_of(f.status, f.deadline, timezone.localdate()),
        "due": f.due,
        "deadline": f.deadline,
        "late": f.late,
        "first_submitted_at": f.first_submitted_at,
        "delay_reason": f.delay_reason,
        "delay_expected": f.delay_expected,
        "current": version_out(current) if current else None,
    }


def _current(filing: Filing) -> FilingVersion:
    return filing.versions.order_by("-number").first()


@staff_router.get(
    "/reporting/tables", response={200: list[ReportTableOut], **ERRORS}, summary="采集指标表"
)
def list_tables(request):
    require_staff(request)
    return tables_json(full=True)


@staff_router.get(
    "/reporting/institutions/{institution_id}/filings",
    response={200: list[ReportFilingOut], **ERRORS},
    summary="机构的报送",
)
def list_filings(request, institution_id: int):
    institution = access_institution_by_id(require_staff(request), institution_id)
    return [filing_out(f) for f in selectors.filings_of(institution.pk)[:500]]


@staff_router.post(
    "/reporting/institutions/{institution_id}/filings",
    response={201: ReportFilingOut, **ERRORS},
    summary="创建报送草稿（平台预填）",
)
def create_filing(request, institution_id: int, payload: ReportFilingIn):
    user = require_staff(request, Role.OPERATOR)
    institution = access_institution_by_id(user, institution_id)
    version = services.filing_draft(
        user=user, actor=actor_from_request(request), institution=institution,
        table=payload.table, period=payload.period,
    )  # fmt: skip
    return Status(201, filing_out(version.filing))


@staff_router.get(
    "/reporting/filings/{filing_id}", response={200: ReportFilingOut, **ERRORS}, summary="报送详情"
)
def get_filing(request, filing_id: int):
    return filing_out(access_filing_by_id(require_staff(request), filing_id))


@staff_router.get(
    "/reporting/filings/{filing_id}/versions",
    response={200: list[ReportVersionOut], **ERRORS},
    summary="报送的全部版本",
)
def list_versions(request, filing_id: int):
    filing = access_filing_by_id(require_staff(request), filing_id)
    return [version_out(v) for v in selectors.versions(filing)]


@staff_router.put(
    "/reporting/filings/{filing_id}/cells",
    response={200: ReportFilingOut, **ERRORS},
    summary="填报指标、说明提示（整表校验，有无法识别的内容则不保存）",
)
def put_cells(request, filing_id: int, payload: ReportCellsIn):
    user = require_staff(request, Role.OPERATOR)
    filing = access_filing_by_id(user, filing_id)
    services.filing_save(
        user=user, actor=actor_from_request(request), version=_current(filing),
        cells=payload.cells, explanations=payload.explanations, source="api",
        replace=payload.replace,
    )  # fmt: skip
    return filing_out(filing)


@staff_router.post(
    "/reporting/filings/{filing_id}/upload",
    response={200: ReportFilingOut, **ERRORS},
    summary="上传按标准格式填写的 XLSX",
)
def upload(request, filing_id: int, file: File[UploadedFile]):
    user = require_staff(request, Role.OPERATOR)
    filing = access_filing_by_id(user, filing_id)
    if file.size > MAX_UPLOAD_BYTES:
        raise DomainError(E.UPLOAD_UNREADABLE, field="file", detail="文件超过 5 MB")
    data = file.read()
    services.filing_upload(
        user=user, actor=actor_from_request(request), version=_current(filing),
        open_source=lambda: io.BytesIO(data), source_name=file.name or "upload.xlsx",
    )  # fmt: skip
    return filing_out(filing)


@staff_router.post(
    "/reporting/filings/{filing_id}/submit",
    response={200: ReportFilingOut, **ERRORS},
    summary="代法定代表人确认并提交",
)
def submit(request, filing_id: int, payload: ReportSubmitIn):
    user = require_staff(request, Role.OPERATOR)
    filing = access_filing_by_id(user, filing_id)
    if not payload.confirm:
        raise DomainError(E.NOT_SIGNED, field="confirm")
    actor = actor_from_request(request)
    version = services.filing_sign(
        user=user, actor=actor, version=_current(filing), signatory=payload.signatory
    )
    services.filing_submit(user=user, actor=actor, version=version)
    filing.refresh_from_db()
    return filing_out(filing)


@staff_router.post(
    "/reporting/filings/{filing_id}/delay",
    response={200: ReportFilingOut, **ERRORS},
    summary="期限前说明不能按时报送的原因及预计报送时间",
)
def delay(request, filing_id: int, payload: ReportDelayIn):
    user = require_staff(request, Role.OPERATOR)
    filing = access_filing_by_id(user, filing_id)
    try:
        expected = date.fromisoformat(payload.expected.strip())
    except ValueError:
        raise DomainError(
            E.DELAY_INVALID, field="expected", detail="预计报送日期应写作 YYYY-MM-DD"
        ) from None
    filing = services.filing_delay_explain(
        user=user, actor=actor_from_request(request), filing=filing,
        reason=payload.reason, expected=expected,
    )  # fmt: skip
    return filing_out(filing)


@staff_router.post(
    "/reporting/filings/{filing_id}/resubmit",
    response={200: ReportFilingOut, **ERRORS},
    summary="更正重报（新版本，须写明原因）",
)
def resubmit(request, filing_id: int, payload: ReportReasonIn):
    user = require_staff(request, Role.OPERATOR)
    filing = access_filing_by_id(user, filing_id)
    services.filing_resubmit(
        user=user, actor=actor_from_request(request), filing=filing, reason=payload.reason
    )
    filing.refresh_from_db()
    return filing_out(filing)


@staff_router.post(
    "/reporting/filings/{filing_id}/return",
    response={200: ReportFilingOut, **ERRORS},
    summary="协会退回（须写明意见）",
)
def return_filing(request, filing_id: int, payload: ReportCommentIn):
    user = require_staff(request, Role.ASSOCIATION_OFFICER)
    filing = access_filing_by_id(user, filing_id)
    services.filing_return(
        user=user, actor=actor_from_request(request), filing=filing, comment=payload.comment
    )
    filing.refresh_from_db()
    return filing_out(filing)


@staff_router.post(
    "/reporting/filings/{filing_id}/accept",
    response={200: ReportFilingOut, **ERRORS},
    summary="协会接收",
)
def accept_filing(request, filing_id: int, payload: ReportCommentIn):
    user = require_staff(request, Role.ASSOCIATION_OFFICER)
    filing = access_filing_by_id(user, filing_id)
    services.filing_accept(
        user=user, actor=actor_from_request(request), filing=filing, comment=payload.comment
    )
    filing.refresh_from_db()
    return filing_out(filing)


@staff_router.get(
    "/reporting/dashboard",
    response={200: ReportDashboardOut, **ERRORS},
    summary="报送情况（机构×报送期）",
)
def dashboard(
    request, table: str = "AH-05", periods: int = 12, state: str = "", page: int = 1,
    per_page: int = 100,
):  # fmt: skip
    user = require_staff(request, Role.ASSOCIATION_OFFICER, Role.WG_OFFICER, Role.SYSADMIN)
    t = services.table_or_error(table)
    board = selectors.dashboard(
        institutions=visible_institutions(user),
        table=t.code,
        periods=selectors.periods_back(t.frequency.period_kind, max(1, min(periods, 36))),
        state=state if state in selectors.STATE_LABELS else "",
        page=max(1, min(page, 10**6)),
        per_page=max(1, min(per_page, 1000)),
    )
    return {
        "total": board.total,
        "page": board.page,
        "per_page": board.per_page,
        "table": board.table,
        "periods": [p.label for p in board.periods],
        "counts": dict(board.counts),
        "rows": [
            {"institution_id": i, "short_name": n, "states": s,
             "late_this_year": board.late_this_year.get(i, 0)}
            for i, n, s in board.rows
        ],
    }  # fmt: skip


@staff_router.post(
    "/reporting/institutions/{institution_id}/disclosures",
    response={201: DisclosureOut, **ERRORS},
    summary="发布信息披露（新版本）",
)
def publish(request, institution_id: int, payload: ReportDisclosureIn):
    user = require_staff(request, Role.OPERATOR)
    institution = access_institution_by_id(user, institution_id)
    items = [i.model_dump() for i in payload.items]
    period = ""
    if payload.section == "operations":
        filing = Filing.objects.filter(
            institution=institution, table="AH-05", pk=payload.filing_id or 0
        ).first()
        if filing is None:
            raise DomainError(
                E.DISCLOSURE_EMPTY, field="filing_id", detail="请指定该月的 AH-05 报送"
            )
        items, period = disclosure.operations_items(filing), filing.period
    elif payload.section == "institution":
        items = disclosure.institution_items(institution) + items
    d = disclosure.disclosure_publish(
        user=user, actor=actor_from_request(request), institution=institution,
        section=payload.section, title=payload.title, items=items,
        signatory=payload.signatory, period=period, occurred_at=payload.occurred_at,
    )  # fmt: skip
    return Status(201, disclosure_out(d))
