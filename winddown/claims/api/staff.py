"""Claims registers over the staff API: uploads and their checks, versions, diffs,
activation and discarding, the dispute queue and answers."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import File, Router, Schema
from ninja.files import UploadedFile

from winddown.accounts.roles import Role
from winddown.api.auth import AUTH, require_staff
from winddown.api.schemas import StrictSchema
from winddown.audit.services import actor_from_request
from winddown.claims import selectors, services
from winddown.claims.access import access_dispute_by_id, access_import_by_id, access_version_by_id
from winddown.claims.api.common import ERRORS, _yuan
from winddown.claims.api.lender import DisputeOut, _dispute_out
from winddown.claims.models import Dispute, DisputeStatus, RegisterVersion
from winddown.institutions.selectors import access_institution_by_id

staff_router = Router(tags=["债权登记表（工作人员）"], auth=AUTH)


MAX_DIFF_OFFSET = 10**9  # far beyond the rows of any register


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
    job = services.register_import_queue(institution=institution, upload=file, user=user)
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
    services.stale_imports_fail()  # a killed worker's import shows as failed at once
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
    return _version_out(services.version_diff_refresh(version))


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
    services.version_diff_refresh(version)
    # Clamped both ways: an offset beyond any register is simply past the end, and SQL
    # OFFSET must fit in 64 bits (a huge one was a server error).
    rows = selectors.version_diff(
        version, kind, limit=max(1, min(limit, 500)), offset=min(max(0, offset), MAX_DIFF_OFFSET)
    )
    return [
        {
            "row_number": (row.entry or row.base).row_number,
            "name": (row.entry or row.base).name,
            "masked_id_number": (row.entry or row.base).id_number.masked,
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
        services.version_activate(version=version, user=user, actor=actor_from_request(request))
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
        services.version_discard(version=version, actor=actor_from_request(request))
    )


def _staff_dispute_out(dispute: Dispute) -> dict:
    return {
        **_dispute_out(dispute),
        "lender_name": dispute.lender.real_name,
        "lender_masked_phone": dispute.lender.phone.masked,
        "lender_masked_id_number": dispute.lender.id_number.masked,
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
    services.dispute_answer(
        dispute=dispute,
        outcome=payload.outcome,
        answer=payload.answer,
        corrected_version=corrected,
        user=user,
        actor=actor_from_request(request),
    )
    return _staff_dispute_out(access_dispute_by_id(user, dispute_id))
