"""Published results (/api/results, no authentication): results, the downloadable
bundle that `python -m winddown.verify` checks, and receipt proofs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.core.cache import cache
from django.http import Http404
from ninja import Path, Router, Schema
from pydantic import Field

from winddown.api.schemas import (
    Text,
)
from winddown.core.errors import DomainError
from winddown.core.file_responses import file_response
from winddown.merkle import verify_inclusion
from winddown.verify import BallotLine, ReceiptNotFound, inclusion_proof_for_receipt
from winddown.verify import normalize_receipt as parse_receipt
from winddown.voting import selectors
from winddown.voting.api.common import (
    BINARY,
    MAX_LIST,
    PUBLIC_ERRORS,
    QueryId,
    _percentage,
    _rule,
    _yuan,
)
from winddown.voting.bundle import bundle_path
from winddown.voting.errors import VotingErrorCode
from winddown.voting.models import (
    Ballot,
    EventKind,
    SignUpStatus,
    VotingEvent,
)
from winddown.voting.tally import (
    OPTION_LABELS,
    candidate_names,
    choice_words,
    ordered_counts,
)

public_router = Router(tags=["投票结果（公开）"])


class ResultRowOut(Schema):
    key: str
    label: str
    heads: int
    weight_fen: int
    weight: str
    heads_percentage: str | None = Field(description="占参与表决人数的百分比（仅供显示）")
    weight_percentage: str | None = Field(description="占参与表决本金的百分比（仅供显示）")
    status: str | None = Field(None, description="选举：elected / tied / not-elected ...")


class ResultSummaryOut(Schema):
    id: int
    institution_id: int
    institution_name: str
    kind: EventKind
    kind_label: str
    title: str
    closes_at: datetime
    published_at: datetime | None
    passed: bool | None
    elected: list[str]
    summary: str


class ResultOut(ResultSummaryOut):
    content: str
    rule_id: str
    rule_name: str
    rule_citation: str
    rule_params: dict[str, str]
    opens_at: datetime
    record_date: datetime | None
    electorate_heads: int | None
    electorate_weight_fen: int | None
    electorate_weight: str | None
    participation_heads: int
    participation_weight_fen: int
    participation_weight: str
    participation_heads_percentage: str | None
    participation_weight_percentage: str | None
    seats: int | None
    max_choices: int | None
    rows: list[ResultRowOut]
    unresolved_tie: list[str]
    criteria: list[dict[str, Any]] = Field(description="计票规则的每项条件，附中文说明")
    tally: dict[str, Any] | None = Field(description="计票结果（人数与本金，以分为单位）")
    result: dict[str, Any] | None = Field(description="计票规则引擎的完整结果（winddown.rules）")
    representatives: list[str] = Field(description="征集：审核通过的出借人代表")
    merkle_root: str
    merkle_size: int | None
    hash_alg: str
    bundle_url: str | None
    verify_command: str | None


def _decision(event: VotingEvent) -> dict:
    return (event.result or {}).get("result") or {}


def _result_summary(event: VotingEvent) -> dict:
    decision = _decision(event)
    if event.kind == EventKind.RECRUITMENT:
        summary = f"征集已结束，审核通过 {len(_representatives(event))} 名出借人代表。"
    else:
        summary = decision.get("summary", "")
    return {
        "id": event.pk,
        "institution_id": event.institution_id,
        "institution_name": event.institution.short_name,
        "kind": event.kind,
        "kind_label": event.get_kind_display(),
        "title": event.title,
        "closes_at": event.closes_at,
        "published_at": event.published_at,
        "passed": decision.get("passed"),
        "elected": list(decision.get("elected") or []),
        "summary": summary,
    }


def _representatives(event: VotingEvent) -> list[str]:
    return list(
        event.signups.filter(status=SignUpStatus.APPROVED)
        .order_by("created_at")
        .values_list("name", flat=True)
    )


def _result_rows(event: VotingEvent, tally: dict, decision: dict) -> list[dict]:
    participation = tally.get("participation") or {"heads": 0, "weight_fen": 0}
    heads_base, weight_base = participation["heads"], participation["weight_fen"]

    def row(key: str, label: str, count: dict, status: str | None = None) -> dict:
        return {
            "key": key,
            "label": label,
            "heads": count["heads"],
            "weight_fen": count["weight_fen"],
            "weight": _yuan(count["weight_fen"]),
            "heads_percentage": _percentage(count["heads"], heads_base),
            "weight_percentage": _percentage(count["weight_fen"], weight_base),
            "status": status,
        }

    if event.kind == EventKind.RESOLUTION:
        return [
            row(key, OPTION_LABELS.get(key, key), count)
            for key, count in ordered_counts(event, tally)
        ]
    names = candidate_names(event)
    statuses = {c["name"]: c.get("status") for c in decision.get("candidates") or []}
    return [
        row(key, names.get(key, key), count, statuses.get(names.get(key, key)))
        for key, count in ordered_counts(event, tally)
    ]


def _result_out(event: VotingEvent) -> dict:
    tally = (event.result or {}).get("tally") or {}
    decision = _decision(event)
    participation = tally.get("participation") or {"heads": 0, "weight_fen": 0}
    has_bundle = bool(event.bundle_path)
    return {
        **_result_summary(event),
        **_rule(event),
        "content": event.content,
        "rule_params": event.rule_params or {},
        "opens_at": event.opens_at,
        "record_date": event.record_version.activated_at if event.record_version else None,
        "electorate_heads": event.electorate_heads,
        "electorate_weight_fen": event.electorate_weight_fen,
        "electorate_weight": _yuan(event.electorate_weight_fen),
        "participation_heads": participation["heads"],
        "participation_weight_fen": participation["weight_fen"],
        "participation_weight": _yuan(participation["weight_fen"]),
        "participation_heads_percentage": _percentage(
            participation["heads"], event.electorate_heads
        ),
        "participation_weight_percentage": _percentage(
            participation["weight_fen"], event.electorate_weight_fen
        ),
        "seats": event.seats,
        "max_choices": event.max_choices,
        "rows": _result_rows(event, tally, decision) if tally else [],
        "unresolved_tie": list(decision.get("unresolved_tie") or []),
        "criteria": list(decision.get("criteria") or []),
        "tally": tally or None,
        "result": decision or None,
        "representatives": _representatives(event) if event.kind == EventKind.RECRUITMENT else [],
        "merkle_root": event.merkle_root,
        "merkle_size": event.merkle_size,
        "hash_alg": "sha256",
        "bundle_url": f"/api/results/{event.pk}/bundle" if has_bundle else None,
        "verify_command": f"python -m winddown.verify event-{event.pk}.zip" if has_bundle else None,
    }


def _published(event_id: int) -> VotingEvent:
    event = (
        selectors.published_events().select_related("record_version").filter(pk=event_id).first()
    )
    if event is None:
        raise Http404("结果不存在或尚未公布")
    return event


@public_router.get(
    "", response={200: list[ResultSummaryOut], **PUBLIC_ERRORS}, summary="已公布的结果"
)
def results(request, institution_id: QueryId | None = None):
    events = selectors.published_events().order_by("-published_at", "-pk")
    if institution_id is not None:
        events = events.filter(institution_id=institution_id)
    return [_result_summary(event) for event in events[:MAX_LIST]]


@public_router.get(
    "/{event_id}",
    response={200: ResultOut, **PUBLIC_ERRORS},
    summary="结果详情（人数、本金、每项条件的中文说明、Merkle 根、结果包）",
)
def result(request, event_id: int):
    return _result_out(_published(event_id))


@public_router.get(
    "/{event_id}/bundle",
    response={**PUBLIC_ERRORS},
    summary="下载结果包（全部选票记录与 Merkle 根，可用 python -m winddown.verify 核验）",
    openapi_extra={
        "responses": {"200": {"description": "ZIP", "content": {"application/zip": BINARY}}}
    },
)
def bundle(request, event_id: int):
    event = _published(event_id)
    if not event.bundle_path:
        raise Http404("该活动没有结果包")
    path = bundle_path(event)
    if not path.exists():
        raise Http404("结果包不存在")
    return file_response(
        open(path, "rb"),
        content_type="application/zip",
        filename=f"event-{event.pk}.zip",
        disposition="attachment",
        cache="public, max-age=300",
    )


class ReceiptOut(Schema):
    event_id: int
    receipt: str
    seq: int | None
    index: int = Field(description="叶序号（从 0 开始）")
    line: str = Field(description="结果包 ballots.csv 中的这一行")
    voter: str = Field(description="出借人在本次活动中的匿名代号")
    choice: str
    choice_label: str
    weight_fen: int | None
    weight: str | None
    cast_at: str
    leaf_hash: str
    proof: list[str] = Field(description="RFC 6962 审计路径（十六进制）")
    size: int
    root: str
    hash_alg: str
    verified: bool = Field(description="审计路径能否证明该记录包含在公布的 Merkle 根之下")
    final: bool
    superseded: bool = Field(description="已被同一出借人之后的选票取代，不计入结果")
    status_label: str


RECEIPT_CACHE_SECONDS = 3600


def _receipt_info(event: VotingEvent, code: str) -> dict:
    cache_key = f"voting:receipt:{event.pk}:{event.merkle_root}:{code}"
    info = cache.get(cache_key)
    if info is None:
        try:
            info = inclusion_proof_for_receipt(bundle_path(event), code)
        except ReceiptNotFound:
            raise DomainError(VotingErrorCode.RECEIPT_UNKNOWN, field="code") from None
        cache.set(cache_key, info, RECEIPT_CACHE_SECONDS)
    return info


@public_router.get(
    "/{event_id}/receipts/{code}",
    response={200: ReceiptOut, **PUBLIC_ERRORS},
    summary="凭回执码核验选票（Merkle 包含证明）",
    description="在公布的结果包中找到回执码对应的选票记录，给出 RFC 6962 包含证明，并用公布的"
    "Merkle 根核验。`final` 为 true 表示这是该出借人的最终选票（计入结果）。",
)
def receipt(request, event_id: int, code: Annotated[Text, Path(max_length=64)]):
    event = _published(event_id)
    try:
        code = parse_receipt(code)
    except ValueError:
        raise DomainError(VotingErrorCode.RECEIPT_FORMAT, field="code") from None
    if not event.bundle_path or not Ballot.objects.filter(event=event, receipt=code).exists():
        raise DomainError(VotingErrorCode.RECEIPT_UNKNOWN, field="code")
    info = _receipt_info(event, code)
    # Checked again here, against the root the platform published (not the bundle's own).
    verified = (
        info["root"] == event.merkle_root
        and info["size"] == event.merkle_size
        and verify_inclusion(
            bytes.fromhex(info["leaf_hash"]),
            info["index"],
            info["size"],
            [bytes.fromhex(p) for p in info["proof"]],
            bytes.fromhex(event.merkle_root),
            info["hash_alg"],
        )
    )
    try:
        line = BallotLine.from_line(info["line"])
        choice, weight, cast_at = line.choice, line.weight_fen, line.cast_at
    except ValueError:
        choice, weight, cast_at = "", None, ""
    superseded = bool(info["superseded_by_later"])
    if not verified:
        status_label = "无法证明该选票记录包含在公布的 Merkle 根之下，请下载结果包自行核验"
    elif superseded:
        status_label = "该选票已被您之后提交的选票取代，不计入结果；请用最新选票的回执码核验"
    else:
        status_label = "这是您的最终选票，已计入结果，且包含在公布的 Merkle 根之下"
    return {
        "event_id": event.pk,
        "receipt": info["receipt"],
        "seq": info["seq"],
        "index": info["index"],
        "line": info["line"],
        "voter": info["voter"],
        "choice": choice,
        "choice_label": choice_words(event, choice) if choice else "",
        "weight_fen": weight,
        "weight": _yuan(weight),
        "cast_at": cast_at,
        "leaf_hash": info["leaf_hash"],
        "proof": info["proof"],
        "size": info["size"],
        "root": info["root"],
        "hash_alg": info["hash_alg"],
        "verified": verified,
        "final": bool(info["final"]) and not superseded,
        "superseded": superseded,
        "status_label": status_label,
    }
