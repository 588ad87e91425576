"""Claims over the API: lenders see, confirm and dispute; operators upload, review the diff,
activate, and answer disputes; officers read everything."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from winddown.accounts.roles import Role
from winddown.api.auth import AUTH, require_lender, require_staff
from winddown.api.schemas import DetailOut, ErrorOut, StrictSchema, Text, ValidationErrorOut
from winddown.audit.services import actor_from_request
from winddown.claims import selectors, services
from winddown.claims.access import access_dispute_by_id, access_import_by_id, access_version_by_id
from winddown.claims.models import Dispute, DisputeStatus, RegisterVersion
from winddown.institutions.selectors import access_institution_by_id
from winddown.money import fen_to_decimal

lender_router = Router(tags=["出借人债权"], auth=AUTH)
staff_router = Router(tags=["债权登记表（工作人员）"], auth=AUTH)
ERRORS = {
    400: ErrorOut,
    401: DetailOut,
    403: DetailOut,
    404: DetailOut,
    409: ErrorOut,
    413: ErrorOut,
    422: ValidationErrorOut,
}


MAX_DIFF_OFFSET = 10**9  # far beyond the rows of any register


def _yuan(fen: int) -> str:
    return str(fen_to_decimal(fen))


# --- Lenders --------------------------------------------------------------------------------


class ClaimOut(Schema):
    institution_id: int
    institution_name: str
    principal_fen: int
    principal: str
    interest_fen: int
    interest: str
    interest_registered: bool
    loan_count: int | None
    version_number: int
    version_activated_at: datetime | None
    confirmed: bool
    confirmed_at: datetime | None
    confirmation_voided_reason: str
    open_dispute_id: int | None


def _claim_out(claim: selectors.LenderClaim) -> dict:
    entry = claim.entry
    return {
        "institution_id": claim.institution.pk,
        "institution_name": claim.institution.full_name,
        "principal_fen": entry.principal_fen,
        "principal": _yuan(entry.principal_fen),
        "interest_fen": entry.interest_fen,
        "interest": _yuan(entry.interest_fen),
        "interest_registered": entry.version.has_interest,
        "loan_count": entry.loan_count,
        "version_number": entry.version.number,
        "version_activated_at": entry.version.activated_at,
        "confirmed": claim.confirmed,
        "confirmed_at": claim.confirmation.confirmed_at if claim.confirmation else None,
        "confirmation_voided_reason": claim.voided_confirmation.void_reason
        if claim.voided_confirmation
        else "",
        "open_dispute_id": claim.open_dispute.pk if claim.open_dispute else None,
    }


class DisputeOut(Schema):
    id: int
    institution_id: int
    status: DisputeStatus
    status_label: str
    reason: str
    principal_fen: int
    interest_fen: int
    has_attachment: bool
    answer: str
    corrected_version_number: int | None
    created_at: datetime
    answered_at: datetime | None


def _dispute_out(dispute: Dispute) -> dict:
    return {
        "id": dispute.pk,
        "institution_id": dispute.institution_id,
        "status": dispute.status,
        "status_label": dispute.get_status_display(),
        "reason": dispute.reason,
        "principal_fen": dispute.principal_fen,
        "interest_fen": dispute.interest_fen,
        "has_attachment": bool(dispute.attachment_path),
        "answer": dispute.answer,
        "corrected_version_number": dispute.corrected_version.number
        if dispute.corrected_version
        else None,
        "created_at": dispute.created_at,
        "answered_at": dispute.answered_at,
    }


def _lender_claim(request, institution_id: int):
    lender = require_lender(request)
    claim = selectors.lender_claim(lender, institution_id)
    if claim is None:
        from django.http import Http404

        raise Http404("您在该机构没有登记的债权")
    return lender, claim


@lender_router.get("", response={200: list[ClaimOut], **ERRORS}, summary="我的债权")
def my_claims(request):
    return [_claim_out(claim) for claim in selectors.lender_claims(require_lender(request))]


@lender_router.post(
    "/{institution_id}/confirm", response={200: ClaimOut, **ERRORS}, summary="确认债权"
)
def confirm(request, institution_id: int):
    lender, claim = _lender_claim(request, institution_id)
    services.confirm_claim(
        lender=lender, institution=claim.institution, actor=actor_from_request(request)
    )
    return _claim_out(selectors.lender_claim(lender, institution_id))


@lender_router.post(
    "/{institution_id}/disputes", response={201: DisputeOut, **ERRORS}, summary="对债权提出异议"
)
def raise_dispute(
    request,
    institution_id: int,
    reason: Form[Text],
    attachment: File[UploadedFile | None] = None,
):
    lender, claim = _lender_claim(request, institution_id)
    dispute = services.raise_dispute(
        lender=lender,
        institution=claim.institution,
        reason=reason,
        attachment=attachment,
        actor=actor_from_request(request),
    )
    return Status(201, _dispute_out(dispute))


@lender_router.get("/disputes", response={200: list[DisputeOut], **ERRORS}, summary="我的异议")
def my_disputes(request):
    return [_dispute_out(d) for d in selectors.lender_disputes(require_lender(request))]


@lender_router.get(
    "/disputes/{dispute_id}", response={200: DisputeOut, **ERRORS}, summary="异议详情"
)
def my_dispute(request, dispute_id: int):
    dispute = selectors.lender_disputes(require_lender(request)).filter(pk=dispute_id).first()
    if dispute is None:
        from django.http import Http404

        raise Http404("异议不存在")
    return _dispute_out(dispute)


# --- Staff ----------------------------------------------------------------------------------


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportOut(Schema):
    id: int
    institution_id: int
    status: str
    message: str
    error_count: int
    errors: list[RowErrorOut]
    version_id: int | None
    created_at: datetime
    finished_at: datetime | None


class VersionOut(Schema):
    id: int
    institution_id: int
    number: int
    status: str
    source_name: str
    source_sha256: str
    lender_count: int
    principal_total_fen: int
    principal_total: str
    interest_total_fen: int
    interest_total: str
    diff_base_number: int | None
    diff_added: int
    diff_removed: int
    diff_changed: int
    created_at: datetime
    activated_at: datetime | None


def _version_out(version: RegisterVersion) -> dict:
    return {
        "id": version.pk,
        "institution_id": version.institution_id,
        "number": version.number,
        "status": version.status,
        "source_name": version.source_name,
        "source_sha256": version.source_sha256,
        "lender_count": version.lender_count,
        "principal_total_fen": version.principal_total_fen,
        "principal_total": _yuan(version.principal_total_fen),
        "interest_total_fen": version.interest_total_fen,
        "interest_total": _yuan(version.interest_total_fen),
        "diff_base_number": version.diff_base.number if version.diff_base else None,
        "diff_added": version.diff_added,
        "diff_removed": version.diff_removed,
        "diff_changed": version.diff_changed,
        "created_at": version.created_at,
        "activated_at": version.activated_at,
    }


class DiffRowOut(Schema):
    row_number: int
    name: str
    masked_id_number: str
    old_principal_fen: int | None
    old_interest_fen: int | None
    principal_fen: int | None
    interest_fen: int | None


class StaffDisputeOut(DisputeOut):
    lender_name: str
    lender_masked_phone: str
    lender_masked_id_number: str


class AnswerIn(StrictSchema):
    outcome: Literal["corrected", "rejected"]
    answer: str
    corrected_version_id: int | None = None


@staff_router.post(
    "/institutions/{institution_id}/registers",
    response={200: ImportOut, **ERRORS},
    summary="上传债权登记表（CSV/XLSX），返回校验记录",
)
def upload_register(request, institution_id: int, file: File[UploadedFile]):
    user = require_staff(request, Role.OPERATOR)
    institution = access_institution_by_id(user, institution_id)
    job = services.queue_register_import(institution=institution, upload=file, user=user)
    return _import_out(job)


def _import_out(job) -> dict:
    return {
        "id": job.pk,
        "institution_id": job.institution_id,
        "status": job.status,
        "message": job.message,
        "error_count": job.error_count,
        "errors": job.errors,
        "version_id": job.version_id,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


@staff_router.get(
    "/register-imports/{import_id}", response={200: ImportOut, **ERRORS}, summary="上传校验结果"
)
def get_import(request, import_id: int):
    return _import_out(access_import_by_id(require_staff(request), import_id))


@staff_router.get(
    "/institutions/{institution_id}/registers",
    response={200: list[VersionOut], **ERRORS},
    summary="机构的登记表版本",
)
def list_versions(request, institution_id: int):
    institution = access_institution_by_id(require_staff(request), institution_id)
    return [
        _version_out(v)
        for v in selectors.institution_versions(institution).select_related("diff_base")
    ]


@staff_router.get(
    "/registers/{version_id}", response={200: VersionOut, **ERRORS}, summary="登记表版本详情"
)
def get_version(request, version_id: int):
    version = access_version_by_id(require_staff(request), version_id)
    return _version_out(services.refresh_pending_diff(version))


@staff_router.get(
    "/registers/{version_id}/diff",
    response={200: list[DiffRowOut], **ERRORS},
    summary="与生效版本的差异（分页）",
)
def get_diff(
    request,
    version_id: int,
    kind: Literal["added", "removed", "changed"] = "changed",
    offset: int = 0,
    limit: int = 50,
):
    version = access_version_by_id(require_staff(request), version_id)
    services.refresh_pending_diff(version)
    # Clamped both ways: an offset beyond any register is simply past the end, and SQL
    # OFFSET must fit in 64 bits (a huge one was a server error).
    rows = selectors.version_diff(
        version, kind, limit=max(1, min(limit, 500)), offset=min(max(0, offset), MAX_DIFF_OFFSET)
    )
    return [
        {
            "row_number": (row.entry or row.base).row_number,
            "name": (row.entry or row.base).name,
            "masked_id_number": (row.entry or row.base).masked_id_number,
            "old_principal_fen": row.base.principal_fen if row.base else None,
            "old_interest_fen": row.base.interest_fen if row.base else None,
            "principal_fen": row.entry.principal_fen if row.entry else None,
            "interest_fen": row.entry.interest_fen if row.entry else None,
        }
        for row in rows
    ]


@staff_router.post(
    "/registers/{version_id}/activate", response={200: VersionOut, **ERRORS}, summary="启用版本"
)
def activate(request, version_id: int):
    user = require_staff(request, Role.OPERATOR)
    version = access_version_by_id(user, version_id)
    return _version_out(
        services.activate_version(version=version, user=user, actor=actor_from_request(request))
    )


@staff_router.post(
    "/registers/{version_id}/discard",
    response={200: VersionOut, **ERRORS},
    summary="作废待启用版本",
)
def discard(request, version_id: int):
    user = require_staff(request, Role.OPERATOR)
    version = access_version_by_id(user, version_id)
    return _version_out(
        services.discard_version(version=version, actor=actor_from_request(request))
    )


def _staff_dispute_out(dispute: Dispute) -> dict:
    return {
        **_dispute_out(dispute),
        "lender_name": dispute.lender.real_name,
        "lender_masked_phone": dispute.lender.masked_phone,
        "lender_masked_id_number": dispute.lender.masked_id_number,
    }


@staff_router.get(
    "/institutions/{institution_id}/disputes",
    response={200: list[StaffDisputeOut], **ERRORS},
    summary="机构的债权异议",
)
def list_disputes(request, institution_id: int, status: DisputeStatus | None = DisputeStatus.OPEN):
    institution = access_institution_by_id(require_staff(request), institution_id)
    disputes = selectors.dispute_queue(institution, status).select_related("corrected_version")[
        :500
    ]
    return [_staff_dispute_out(d) for d in disputes]


@staff_router.get(
    "/disputes/{dispute_id}", response={200: StaffDisputeOut, **ERRORS}, summary="异议详情"
)
def get_dispute(request, dispute_id: int):
    return _staff_dispute_out(access_dispute_by_id(require_staff(request), dispute_id))


@staff_router.post(
    "/disputes/{dispute_id}/answer", response={200: StaffDisputeOut, **ERRORS}, summary="答复异议"
)
def answer(request, dispute_id: int, payload: AnswerIn):
    user = require_staff(request, Role.OPERATOR)
    dispute = access_dispute_by_id(user, dispute_id)
    corrected = None
    if payload.corrected_version_id is not None:
        corrected = RegisterVersion.objects.filter(
            pk=payload.corrected_version_id, institution=dispute.institution
        ).first()
        if corrected is None:
            from winddown.claims.errors import ClaimsErrorCode
            from winddown.core.errors import DomainError

            raise DomainError(
                ClaimsErrorCode.CORRECTED_VERSION_INVALID, field="corrected_version_id"
            )
    services.answer_dispute(
        dispute=dispute,
        outcome=payload.outcome,
        answer=payload.answer,
        corrected_version=corrected,
        user=user,
        actor=actor_from_request(request),
    )
    return _staff_dispute_out(access_dispute_by_id(user, dispute_id))
