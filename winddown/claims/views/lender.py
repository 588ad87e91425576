"""Lender pages of claims: one institution's claim, confirming it, disputes and their
evidence (manual 2.1, 3.1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from winddown.accounts.permissions import lender_required
from winddown.audit.services import actor_from_request
from winddown.claims import selectors as claims_selectors
from winddown.claims import services as claims_services
from winddown.core.errors import DomainError
from winddown.core.file_responses import uploaded_file_response
from winddown.identity.permissions import STEP_URLS
from winddown.identity.selectors import lender_for_user

if TYPE_CHECKING:
    from winddown.identity.models import Lender


def _claim_or_404(lender: Lender, institution_id: int):
    claim = claims_selectors.lender_claim(lender, institution_id)
    if claim is None:
        raise Http404("没有该机构的债权")
    return claim


@lender_required
def claim_detail(request, institution_id: int):
    lender = lender_for_user(request.user)
    if not lender.is_verified:
        return redirect(STEP_URLS[lender.next_step])
    claim = _claim_or_404(lender, institution_id)
    return render(request, "claims/lender/claim.html", {"claim": claim, "lender": lender})


@require_POST
@lender_required
def claim_confirm(request, institution_id: int):
    lender = lender_for_user(request.user)
    claim = _claim_or_404(lender, institution_id)
    claims_services.claim_confirm(
        lender=lender, institution=claim.institution, actor=actor_from_request(request)
    )
    return redirect("claims:lender-claim", institution_id=institution_id)


@lender_required
def claim_dispute(request, institution_id: int):
    lender = lender_for_user(request.user)
    claim = _claim_or_404(lender, institution_id)
    context = {"claim": claim, "errors": {}, "reason": ""}
    if request.method == "POST":
        context["reason"] = request.POST.get("reason", "")
        try:
            dispute = claims_services.dispute_raise(
                lender=lender,
                institution=claim.institution,
                reason=context["reason"],
                attachment=request.FILES.get("attachment"),
                actor=actor_from_request(request),
            )
        except DomainError as exc:
            context["errors"] = {exc.field or "form": exc.message}
        else:
            return redirect("claims:lender-dispute", dispute_id=dispute.pk)
    return render(request, "claims/lender/dispute_form.html", context)


def _own_dispute(request, dispute_id: int):
    dispute = (
        claims_selectors.lender_disputes(lender_for_user(request.user))
        .filter(pk=dispute_id)
        .first()
    )
    if dispute is None:
        raise Http404("异议不存在")
    return dispute


@lender_required
def dispute_detail(request, dispute_id: int):
    return render(
        request, "claims/lender/dispute.html", {"dispute": _own_dispute(request, dispute_id)}
    )


@lender_required
def dispute_attachment(request, dispute_id: int):
    dispute = _own_dispute(request, dispute_id)
    return evidence_response(dispute)


def evidence_response(dispute) -> HttpResponse:
    """A dispute's evidence file, decrypted as it streams."""
    if not dispute.evidence:
        raise Http404("没有附件")
    return uploaded_file_response(
        dispute.evidence.chunks(),
        content_type=dispute.attachment_type,
        filename=dispute.attachment_name or "证明材料",
    )
