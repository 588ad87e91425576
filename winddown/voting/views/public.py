"""Public result pages (no sign-in): published results, the bundle, receipt checks."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from winddown.core import private_files
from winddown.core.file_responses import file_response
from winddown.merkle import verify_inclusion
from winddown.verify import (
    BundleError,
    ReceiptNotFound,
    inclusion_proof_for_receipt,
    normalize_receipt,
)
from winddown.voting import selectors
from winddown.voting.errors import VotingErrorCode
from winddown.voting.models import (
    EventKind,
    SignUpStatus,
    VotingEvent,
)
from winddown.voting.tally import (
    OPTION_LABELS,
    candidate_names,
    ordered_counts,
)
from winddown.voting.views.common import rule_info

CANDIDATE_STATUS = {
    "elected": "当选",
    "tied": "得票相同，未决出",
    "not-elected": "未当选",
    "not-qualified": "未达当选条件",
}


def percent(part: int, whole: int) -> str:
    """part / whole as a percentage with two decimals, rounded half-up, integers only
    (for display; verdicts come from the rules engine)."""
    if not whole or whole <= 0:
        return "—"
    hundredths = (2 * 10_000 * part + whole) // (2 * whole)
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


def _published(event_id: int) -> VotingEvent:
    event = selectors.published_events().filter(pk=event_id).first()
    if event is None:
        raise Http404("结果尚未公布")
    return event


def public_list(request):
    events = selectors.published_events().order_by("-published_at")[:200]
    return render(request, "voting/public/list.html", {"events": events})


def _tally_rows(event: VotingEvent, result: dict) -> dict:
    """Rows of the tally table: heads and weight of each option or candidate, with their
    share of the electorate (display only)."""
    tally = (event.result or {}).get("tally", {})
    heads_total = event.electorate_heads or 0
    weight_total = event.electorate_weight_fen or 0

    def row(label: str, count: dict, **extra) -> dict:
        heads, weight = int(count.get("heads", 0)), int(count.get("weight_fen", 0))
        return {
            "label": label,
            "heads": heads,
            "weight_fen": weight,
            "heads_pct": percent(heads, heads_total),
            "weight_pct": percent(weight, weight_total),
            **extra,
        }

    participation = row("参与表决", tally.get("participation", {}))
    rows = []
    if event.kind == EventKind.RESOLUTION:
        for option, count in ordered_counts(event, tally):
            rows.append(row(OPTION_LABELS.get(option, option), count))
    else:
        names = candidate_names(event)
        statuses = {c["name"]: c for c in result.get("candidates", [])}
        for key, count in ordered_counts(event, tally):
            name = names.get(key, key)
            judged = statuses.get(name, {})
            rows.append(
                row(
                    name,
                    count,
                    status=CANDIDATE_STATUS.get(judged.get("status", ""), ""),
                    elected=judged.get("status") == "elected",
                )
            )
    return {"participation": participation, "rows": rows}


def public_result(request, event_id: int):
    event = _published(event_id)
    context: dict = {"event": event, "rule_info": rule_info(event)}
    if event.is_ballot_event:
        result = (event.result or {}).get("result", {})
        context.update(result=result, tally=_tally_rows(event, result))
    else:
        context["approved"] = list(
            selectors.event_signups(event)
            .filter(status=SignUpStatus.APPROVED)
            .order_by("created_at")
            .values_list("name", flat=True)
        )
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
    """Look a receipt up in the published bundle and check its inclusion proof."""
    event = _published(event_id)
    if not event.bundle_path:
        raise Http404("该活动没有结果包")
    code = request.GET.get("code", "").strip()[:64]
    context: dict = {"event": event, "code": code, "error": "", "proof": None}
    if not code:
        return render(request, "voting/public/receipt.html", context)
    try:
        code = context["code"] = normalize_receipt(code)
    except ValueError:
        context["error"] = "回执码应为16位字母（A-Z）和数字（2-7），请核对后重试"
        return render(request, "voting/public/receipt.html", context)
    try:
        proof = inclusion_proof_for_receipt(
            Path(settings.PRIVATE_STORAGE_ROOT) / event.bundle_path, code
        )
    except ReceiptNotFound:
        context["error"] = VotingErrorCode.RECEIPT_UNKNOWN.template
    except BundleError:
        context["error"] = "结果包无法读取，请联系专项工作组"
    else:
        checked = verify_inclusion(
            bytes.fromhex(proof["leaf_hash"]),
            proof["index"],
            proof["size"],
            [bytes.fromhex(p) for p in proof["proof"]],
            bytes.fromhex(proof["root"]),
            proof["hash_alg"],
        )
        context["proof"] = proof
        # The proof must check, and against the root this page publishes.
        context["verified"] = checked and proof["root"] == event.merkle_root
    return render(request, "voting/public/receipt.html", context)
