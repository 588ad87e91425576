"""Public result pages (no sign-in): published results, the bundle, receipt checks."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from winddown.audit.selectors import publication_checkpoint
from winddown.core import private_files
from winddown.core.errors import DomainError
from winddown.core.file_responses import file_response
from winddown.verify import (
    BundleError,
    normalize_receipt,
)
from winddown.voting import results, selectors
from winddown.voting.errors import VotingErrorCode
from winddown.voting.models import (
    VotingEvent,
)
from winddown.voting.ratelimits import check_receipt_rate
from winddown.voting.views.common import rule_info


def _published(event_id: int) -> VotingEvent:
    event = selectors.published_events().filter(pk=event_id).first()
    if event is None:
        raise Http404("结果尚未公布")
    return event


def public_list(request):
    events = selectors.published_events().order_by("-published_at")[:200]
    return render(request, "voting/public/list.html", {"events": events})


def public_result(request, event_id: int):
    event = _published(event_id)
    context = {
        "event": event,
        "rule_info": rule_info(event),
        "view": results.result_view(event),
        "checkpoint": publication_checkpoint(event.pk),
    }
    return render(request, "voting/public/result.html", context)


def public_bundle(request, event_id: int):
    event = _published(event_id)
    if not event.bundle_path:
        raise Http404("该活动没有结果包")
    try:
        stream = private_files.open_plain(event.bundle_path)
    except FileNotFoundError:
        raise Http404("结果包文件不存在，请联系专项工作组") from None
    return file_response(
        stream,
        content_type="application/zip",
        filename=f"winddown-event-{event.pk}-bundle.zip",
        disposition="attachment",
        cache="public, max-age=300",
    )


def public_receipt(request, event_id: int):
    """Look a receipt up in the published log (the receipt index, never a scan of the
    bundle) and check its inclusion proof; rate-limited per address."""
    event = _published(event_id)
    if not event.bundle_path:
        raise Http404("该活动没有结果包")
    code = request.GET.get("code", "").strip()[:64]
    context: dict = {"event": event, "code": code, "error": "", "proof": None}
    if not code:
        return render(request, "voting/public/receipt.html", context)
    try:
        check_receipt_rate(request)
    except DomainError as exc:
        context["error"] = exc.message
        return render(request, "voting/public/receipt.html", context, status=429)
    try:
        code = context["code"] = normalize_receipt(code)
    except ValueError:
        context["error"] = "回执码应为16位字母（A-Z）和数字（2-7），请核对后重试"
        return render(request, "voting/public/receipt.html", context)
    try:
        check = results.check_receipt(event, code)
    except results.UnknownReceipt:
        context["error"] = VotingErrorCode.RECEIPT_UNKNOWN.template
    except BundleError:
        context["error"] = "结果包无法读取，请联系专项工作组"
    else:
        context.update(proof=check.proof, verified=check.verified, check=check)
    return render(request, "voting/public/receipt.html", context)
