"""Published results (/api/results, no authentication): results, the downloadable
bundle that `python -m winddown.verify` checks, and receipt proofs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import Http404
from ninja import Path, Router, Schema
from pydantic import Field

from winddown.api.schemas import (
    ErrorOut,
    Text,
)
from winddown.core.errors import DomainError
from winddown.core.file_responses import file_response
from winddown.core.params import ApiId
from winddown.verify import normalize_receipt as parse_receipt
from winddown.voting import results as presenter
from winddown.voting import selectors
from winddown.voting.api.common import (
    BINARY,
    MAX_LIST,
    PUBLIC_ERRORS,
    _rule,
    _yuan,
)
from winddown.voting.bundle import bundle_path
from winddown.voting.errors import VotingErrorCode
from winddown.voting.models import (
    EventKind,
    VotingEvent,
)
from winddown.voting.ratelimits import check_receipt_rate

public_router = Router(tags=["投票结果（公开）"])


class ResultRowOut(Schema):
    key: str
    label: str
    heads: int
    weight_fen: int
    weight: str
    heads_percentage: str | None = Field(
        description="人数百分比（仅供显示），基数见 heads_percentage_base，与计票规则的条件一致"
    )
    heads_percentage_base: str = Field(description="人数百分比的基数，如“占出席人数”")
    weight_percentage: str | None = Field(
        description="本金百分比（仅供显示），基数见 weight_percentage_base，与计票规则的条件一致"
    )
    weight_percentage_base: str = Field(description="本金百分比的基数，如“占机构待收本金”")
    status: str | None = Field(None, description="选举：elected / tied / not-elected ...")
    status_label: str | None = Field(None, description="选举：当选 / 未当选 …")
    rank: int | None = Field(None, description="选举：符合当选条件的候选人的名次")


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
    participation_heads_percentage: str | None = Field(description="占全体有表决权人数")
    participation_weight_percentage: str | None = Field(description="占机构待收本金")
    quorum: str = Field(description="参与表决的条件（计票规则有此条件时）及是否满足")
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


def _result_summary(event: VotingEvent) -> dict:
    decision = (event.result or {}).get("result") or {}
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
        "summary": presenter.result_summary(event),
    }


def _row_out(row: presenter.Row) -> dict:
    return {
        "key": row.key,
        "label": row.label,
        "heads": row.heads,
        "weight_fen": row.weight_fen,
        "weight": _yuan(row.weight_fen),
        "heads_percentage": row.heads_share.number,
        "heads_percentage_base": row.heads_share.label,
        "weight_percentage": row.weight_share.number,
        "weight_percentage_base": row.weight_share.label,
        "status": row.status or None,
        "status_label": row.status_label or None,
        "rank": row.rank,
    }


def _result_out(event: VotingEvent) -> dict:
    view = presenter.result_view(event)
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
        "participation_heads": view.participation_heads.quantity,
        "participation_weight_fen": view.participation_weight.quantity,
        "participation_weight": _yuan(view.participation_weight.quantity),
        "participation_heads_percentage": view.participation_heads.number,
        "participation_weight_percentage": view.participation_weight.number,
        "quorum": view.quorum,
        "seats": event.seats,
        "max_choices": event.max_choices,
        "rows": [_row_out(row) for row in view.rows],
        "unresolved_tie": view.unresolved_tie,
        "criteria": view.criteria,
        "tally": view.tally or None,
        "result": view.decision or None,
        "representatives": view.representatives,
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
def results(request, institution_id: ApiId | None = None):
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


@public_router.get(
    "/{event_id}/receipts/{code}",
    response={200: ReceiptOut, **PUBLIC_ERRORS, 429: ErrorOut},
    summary="凭回执码核验选票（Merkle 包含证明）",
    description="在公布的结果包中找到回执码对应的选票记录，给出 RFC 6962 包含证明，并用公布的"
    "Merkle 根核验。`final` 为 true 表示这是该出借人的最终选票（计入结果）。"
    "每个网络地址每小时最多核验 300 次，超过返回 429。",
)
def receipt(request, event_id: int, code: Annotated[Text, Path(max_length=64)]):
    event = _published(event_id)
    check_receipt_rate(request)
    try:
        code = parse_receipt(code)
    except ValueError:
        raise DomainError(VotingErrorCode.RECEIPT_FORMAT, field="code") from None
    try:
        check = presenter.check_receipt(event, code)
    except presenter.UnknownReceipt:
        raise DomainError(VotingErrorCode.RECEIPT_UNKNOWN, field="code") from None
    proof = check.proof
    return {
        "event_id": event.pk,
        "receipt": proof["receipt"],
        "seq": proof["seq"],
        "index": proof["index"],
        "line": proof["line"],
        "voter": proof["voter"],
        "choice": check.choice,
        "choice_label": check.choice_label,
        "weight_fen": check.weight_fen,
        "weight": _yuan(check.weight_fen),
        "cast_at": check.cast_at,
        "leaf_hash": proof["leaf_hash"],
        "proof": proof["proof"],
        "size": proof["size"],
        "root": proof["root"],
        "hash_alg": proof["hash_alg"],
        "verified": check.verified,
        "final": check.final,
        "superseded": check.superseded,
        "status_label": check.status_label,
    }
