"""Lenders' claims over the API (/api/me/claims): the active amounts per institution,
confirming them, disputes with evidence (manual 2.1, 3.1)."""

from __future__ import annotations

from datetime import datetime

from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from winddown.api.auth import AUTH, require_lender
from winddown.api.schemas import Text
from winddown.audit.services import actor_from_request
from winddown.claims import selectors, services
from winddown.claims.api.common import ERRORS, _yuan
from winddown.claims.models import Dispute, DisputeStatus

lender_router = Router(tags=["出借人债权"], auth=AUTH)


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
        "has_attachment": bool(dispute.evidence),
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
    services.claim_confirm(
        lender=lender, institution=claim.institution, actor=actor_from_request(request)
    )
    return _claim_out(selectors.lender_claim(lender, institution_id))


@lender_router.post(
    "/{institution_id}/disputes", response={201: DisputeOut, **ERRORS}, summary="对债权提出异议"
)
def dispute_raise(
    request,
    institution_id: int,
    reason: Form[Text],
    attachment: File[UploadedFile | None] = None,
):
    lender, claim = _lender_claim(request, institution_id)
    dispute = services.dispute_raise(
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
