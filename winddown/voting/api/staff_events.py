"""Staff API of voting events (/api/staff/events): drafting, review, cancellation,
progress (participation only), candidates from sign-ups and publication. Just over 500
lines: one audience's routes over one resource, kept together for the OpenAPI tags."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import Http404
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from ninja import File, Path, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import BeforeValidator, Field, StrictBool

from winddown.accounts.roles import Role
from winddown.api.auth import AUTH, require_staff
from winddown.api.schemas import (
    StrictSchema,
    Text,
)
from winddown.audit.services import actor_from_request
from winddown.core.errors import DomainError
from winddown.core.params import ApiId
from winddown.institutions.selectors import access_institution_by_id, operator_institution_id
from winddown.voting import files, policies, selectors
from winddown.voting.api.common import (
    ATTACHMENT_CONTENT,
    ERRORS,
    HTML_CONTENT,
    MAX_LIST,
    PAGE_CONTENT,
    AttachmentOut,
    CandidateOut,
    OptionOut,
    _attachment_out,
    _candidate_out,
    _event_for,
    _event_heading,
    _options,
    _rule,
    _yuan,
)
from winddown.voting.errors import VotingErrorCode
from winddown.voting.models import (
    EventKind,
    EventStatus,
    VotingEvent,
)
from winddown.voting.services import authoring, lifecycle, signups

router = Router(tags=["投票活动（工作人员）"], auth=AUTH)


Kind = Literal["recruitment", "election", "resolution"]


EARLIEST, LATEST = datetime(2000, 1, 1), datetime(2100, 1, 1)


def _moment(value: Any) -> Any:
    """ISO-8601 text only (no numbers); a time without an offset is Beijing time; the years
    2000–2099 (no overflow when converting between offsets)."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise ValueError("时间格式应为 ISO-8601，如 2026-12-01T09:00:00+08:00") from None
    else:
        raise ValueError("时间应为 ISO-8601 字符串")
    if not EARLIEST <= parsed.replace(tzinfo=None) < LATEST:
        raise ValueError("时间应在 2000 年至 2099 年之间")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


Moment = Annotated[datetime, BeforeValidator(_moment), Field(strict=False)]


Count = Annotated[int, Field(ge=-(10**6), le=10**6)]


class EventIn(StrictSchema):
    kind: Kind
    title: str
    content: str
    opens_at: Moment
    closes_at: Moment
    rule_id: str = Field("", description="计票规则（征集不需要），如 p2p-exit")
    rule_params: dict[str, str] = Field(default_factory=dict)
    allow_abstain: StrictBool = Field(
        False, description="决议是否设弃权选项（默认不设，与操作手册一致）"
    )
    seats: Count | None = Field(None, description="选举：应选人数 N")
    max_choices: Count | None = Field(None, description="选举：每人最多选 K 名")
    institution_id: int | None = Field(None, description="缺省为经办人所属机构")


class EventPatch(StrictSchema):
    kind: Kind | None = None
    title: str | None = None
    content: str | None = None
    opens_at: Moment | None = None
    closes_at: Moment | None = None
    rule_id: str | None = None
    rule_params: dict[str, str] | None = None
    allow_abstain: StrictBool | None = None
    seats: Count | None = None
    max_choices: Count | None = None


class CandidateIn(StrictSchema):
    name: str
    description: str = ""


class CommentIn(StrictSchema):
    comment: str


class CancelIn(StrictSchema):
    reason: str = Field("", description="活动开始后取消必须填写理由（将公告）")


class FromSignupsIn(StrictSchema):
    recruitment_id: int


class StaffEventSummaryOut(Schema):
    id: int
    institution_id: int
    institution_name: str
    kind: EventKind
    kind_label: str
    title: str
    status: EventStatus
    status_label: str
    opens_at: datetime
    closes_at: datetime
    created_at: datetime
    submitted_at: datetime | None


class StaffEventOut(StaffEventSummaryOut):
    content: str
    rule_id: str
    rule_name: str
    rule_citation: str
    rule_params: dict[str, str]
    allow_abstain: bool
    seats: int | None
    max_choices: int | None
    review_comment: str
    reviewed_at: datetime | None
    cancel_reason: str
    cancelled_at: datetime | None
    opened_at: datetime | None
    record_version_number: int | None
    record_date: datetime | None
    electorate_heads: int | None
    electorate_weight_fen: int | None
    electorate_weight: str | None
    closed_at: datetime | None
    counted_at: datetime | None
    published_at: datetime | None
    merkle_root: str
    merkle_size: int | None
    options: list[OptionOut]
    candidates: list[CandidateOut]
    attachments: list[AttachmentOut]
    result: dict[str, Any] | None = Field(
        description="计票后才有（tally 与规则引擎结果）；进行中的选择一律保密"
    )


class ProgressOut(Schema):
    """Participation only: which options were chosen stays sealed until counting."""

    event_id: int
    status: EventStatus
    status_label: str
    voted_heads: int
    voted_weight_fen: int
    voted_weight: str
    electorate_heads: int
    electorate_weight_fen: int
    electorate_weight: str
    heads_percentage: str | None
    weight_percentage: str | None
    quorum_numerator: int | None
    quorum_denominator: int | None
    quorum_reached: bool | None
    changes: int = Field(description="修改选票的次数（被取代的选票数）")
    closes_at: datetime


class FromSignupsOut(Schema):
    added: int
    event: StaffEventOut


def _staff_summary(event: VotingEvent) -> dict:
    return {
        **_event_heading(event),
        "created_at": event.created_at,
        "submitted_at": event.submitted_at,
    }


def _staff_event_out(event: VotingEvent) -> dict:
    event = VotingEvent.objects.select_related("institution", "record_version").get(pk=event.pk)
    counted = event.status in (EventStatus.COUNTED, EventStatus.PUBLISHED)
    return {
        **_staff_summary(event),
        **_rule(event),
        "content": event.content,
        "rule_params": event.rule_params or {},
        "allow_abstain": event.allow_abstain,
        "seats": event.seats,
        "max_choices": event.max_choices,
        "review_comment": event.review_comment,
        "reviewed_at": event.reviewed_at,
        "cancel_reason": event.cancel_reason,
        "cancelled_at": event.cancelled_at,
        "opened_at": event.opened_at,
        "record_version_number": event.record_version.number if event.record_version else None,
        "record_date": event.record_version.activated_at if event.record_version else None,
        "electorate_heads": event.electorate_heads,
        "electorate_weight_fen": event.electorate_weight_fen,
        "electorate_weight": _yuan(event.electorate_weight_fen),
        "closed_at": event.closed_at,
        "counted_at": event.counted_at,
        "published_at": event.published_at,
        "merkle_root": event.merkle_root if counted else "",
        "merkle_size": event.merkle_size if counted else None,
        "options": _options(event),
        "candidates": [_candidate_out(c) for c in event.candidates.all()],
        "attachments": [
            _attachment_out(a, f"/api/staff/events/{event.pk}/attachments/{a.pk}")
            for a in event.attachments.all()
        ],
        "result": event.result if counted else None,
    }


@router.get("/events", response={200: list[StaffEventSummaryOut], **ERRORS}, summary="投票活动列表")
def staff_events(
    request,
    status: EventStatus | None = None,
    institution_id: ApiId | None = None,
    kind: EventKind | None = None,
):
    events = selectors.staff_events(require_staff(request)).order_by("-opens_at", "-pk")
    if status is not None:
        events = events.filter(status=status)
    if institution_id is not None:
        events = events.filter(institution_id=institution_id)
    if kind is not None:
        events = events.filter(kind=kind)
    return [_staff_summary(event) for event in events[:MAX_LIST]]


@router.post(
    "/events", response={201: StaffEventOut, **ERRORS}, summary="起草投票活动（机构经办人）"
)
def create_event(request, payload: EventIn):
    user = require_staff(request, Role.OPERATOR)
    if payload.institution_id is not None:
        institution = access_institution_by_id(user, payload.institution_id)
    else:
        own = operator_institution_id(user)
        if own is None:
            raise DomainError(VotingErrorCode.NO_INSTITUTION)
        institution = access_institution_by_id(user, own)
    event = authoring.event_create(
        institution=institution,
        user=user,
        actor=actor_from_request(request),
        kind=payload.kind,
        title=payload.title,
        content=payload.content,
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        rule_id=payload.rule_id,
        rule_params=payload.rule_params,
        allow_abstain=payload.allow_abstain,
        seats=payload.seats,
        max_choices=payload.max_choices,
    )
    return Status(201, _staff_event_out(event))


@router.get("/events/{event_id}", response={200: StaffEventOut, **ERRORS}, summary="活动详情")
def staff_event(request, event_id: int):
    _user, event = _event_for(request, event_id)
    return _staff_event_out(event)


@router.patch(
    "/events/{event_id}",
    response={200: StaffEventOut, **ERRORS},
    summary="修改草稿或被退回的活动（机构经办人）",
)
def update_event(request, event_id: int, payload: EventPatch):
    user, event = _event_for(request, event_id, Role.OPERATOR)
    changes = payload.dict(exclude_unset=True)
    changes = {k: v for k, v in changes.items() if v is not None}
    event = authoring.event_update(
        event=event, user=user, actor=actor_from_request(request), **changes
    )
    return _staff_event_out(event)


@router.post(
    "/events/{event_id}/candidates",
    response={201: CandidateOut, **ERRORS},
    summary="添加候选人（选举草稿）",
)
def add_candidate(request, event_id: int, payload: CandidateIn):
    user, event = _event_for(request, event_id, Role.OPERATOR)
    candidate = authoring.candidate_add(
        event=event, user=user, name=payload.name, description=payload.description
    )
    return Status(201, _candidate_out(candidate))


@router.delete(
    "/events/{event_id}/candidates/{key}",
    response={200: StaffEventOut, **ERRORS},
    summary="删除候选人（选举草稿）",
)
def remove_candidate(request, event_id: int, key: Annotated[Text, Path(max_length=16)]):
    user, event = _event_for(request, event_id, Role.OPERATOR)
    candidate = event.candidates.filter(key=key).first()
    if candidate is None:
        raise Http404("候选人不存在")
    authoring.candidate_remove(candidate=candidate, user=user)
    return _staff_event_out(event)


@router.post(
    "/events/{event_id}/attachments",
    response={201: AttachmentOut, **ERRORS},
    summary="上传附件（PDF/Word .docx/JPG/PNG，multipart 字段 attachment）",
)
def add_attachment(request, event_id: int, attachment: File[UploadedFile | None] = None):
    user, event = _event_for(request, event_id, Role.OPERATOR)
    if attachment is None:
        raise DomainError(
            VotingErrorCode.ATTACHMENT_INVALID, field="attachment", detail="请选择要上传的附件"
        )
    added = authoring.attachment_add(
        event=event, user=user, upload=attachment, actor=actor_from_request(request)
    )
    return Status(
        201, _attachment_out(added, f"/api/staff/events/{event.pk}/attachments/{added.pk}")
    )


@router.get(
    "/events/{event_id}/attachments/{attachment_id}",
    response={**ERRORS},
    summary="查看附件",
    openapi_extra={"responses": {"200": {"description": "附件", "content": ATTACHMENT_CONTENT}}},
)
def staff_attachment(request, event_id: int, attachment_id: int):
    _user, event = _event_for(request, event_id)
    attachment = selectors.event_attachment(event, attachment_id)
    return files.attachment_original(attachment)


@router.get(
    "/events/{event_id}/attachments/{attachment_id}/html",
    response={**ERRORS},
    summary="查看 Word 附件的正文（出借人在手机上看到的内容）",
    openapi_extra={"responses": {"200": {"description": "正文", "content": HTML_CONTENT}}},
)
def staff_attachment_html(request, event_id: int, attachment_id: int):
    _user, event = _event_for(request, event_id)
    return files.attachment_html(selectors.event_attachment(event, attachment_id))


@router.get(
    "/events/{event_id}/attachments/{attachment_id}/pages/{page}",
    response={**ERRORS},
    summary="查看 PDF 附件的一页（出借人在手机上看到的图片）",
    openapi_extra={"responses": {"200": {"description": "页面图片", "content": PAGE_CONTENT}}},
)
def staff_attachment_page(request, event_id: int, attachment_id: int, page: int):
    _user, event = _event_for(request, event_id)
    attachment = selectors.event_attachment(event, attachment_id)
    return files.attachment_page(attachment, page)


@router.delete(
    "/events/{event_id}/attachments/{attachment_id}",
    response={200: StaffEventOut, **ERRORS},
    summary="删除附件（草稿）",
)
def remove_attachment(request, event_id: int, attachment_id: int):
    user, event = _event_for(request, event_id, Role.OPERATOR)
    attachment = selectors.event_attachment(event, attachment_id)
    authoring.attachment_remove(attachment=attachment, user=user, actor=actor_from_request(request))
    return _staff_event_out(event)


@router.post(
    "/events/{event_id}/submit", response={200: StaffEventOut, **ERRORS}, summary="提交审核"
)
def submit(request, event_id: int):
    user, event = _event_for(request, event_id, Role.OPERATOR)
    event = authoring.event_submit(event=event, user=user, actor=actor_from_request(request))
    return _staff_event_out(event)


@router.post(
    "/events/{event_id}/approve",
    response={200: StaffEventOut, **ERRORS},
    summary="批准（专项工作组）",
)
def approve(request, event_id: int):
    user, event = _event_for(request, event_id, *policies.OVERSEERS)
    event = authoring.event_approve(event=event, user=user, actor=actor_from_request(request))
    return _staff_event_out(event)


@router.post(
    "/events/{event_id}/return",
    response={200: StaffEventOut, **ERRORS},
    summary="退回修改（专项工作组，须填写意见）",
)
def return_event(request, event_id: int, payload: CommentIn):
    user, event = _event_for(request, event_id, *policies.OVERSEERS)
    event = authoring.event_return(
        event=event, user=user, comment=payload.comment, actor=actor_from_request(request)
    )
    return _staff_event_out(event)


@router.post(
    "/events/{event_id}/cancel",
    response={200: StaffEventOut, **ERRORS},
    summary="取消活动",
    description="机构经办人只能在活动开始前取消；专项工作组任何时候都可以取消，"
    "活动开始后须填写理由，系统记入审计并通知全体有表决权的出借人。",
)
def cancel(request, event_id: int, payload: CancelIn):
    user, event = _event_for(request, event_id, Role.OPERATOR, *policies.OVERSEERS)
    event = lifecycle.event_advance_if_due(event, quiet=True)
    event = authoring.event_cancel(
        event=event, user=user, reason=payload.reason, actor=actor_from_request(request)
    )
    return _staff_event_out(event)


@router.get(
    "/events/{event_id}/progress",
    response={200: ProgressOut, **ERRORS},
    summary="参与进度（只有参与人数和本金，选择在截止前保密）",
)
def progress(request, event_id: int):
    _user, event = _event_for(request, event_id)
    event = lifecycle.event_advance_if_due(event, quiet=True)
    current = selectors.progress(event)
    return {
        "event_id": event.pk,
        "status": event.status,
        "status_label": event.get_status_display(),
        "voted_heads": current.voted_heads,
        "voted_weight_fen": current.voted_weight_fen,
        "voted_weight": _yuan(current.voted_weight_fen),
        "electorate_heads": current.electorate_heads,
        "electorate_weight_fen": current.electorate_weight_fen,
        "electorate_weight": _yuan(current.electorate_weight_fen),
        "heads_percentage": current.heads_share.number,
        "weight_percentage": current.weight_share.number,
        "quorum_numerator": current.quorum_numerator,
        "quorum_denominator": current.quorum_denominator,
        "quorum_reached": current.quorum_reached,
        "changes": current.changes,
        "closes_at": event.closes_at,
    }


@router.post(
    "/events/{event_id}/candidates-from-signups",
    response={200: FromSignupsOut, **ERRORS},
    summary="由征集中审核通过的报名一键生成选举候选人",
)
def candidates_from_signups(request, event_id: int, payload: FromSignupsIn):
    user, election = _event_for(request, event_id, Role.OPERATOR)
    recruitment = selectors.access_event_by_id(user, payload.recruitment_id)
    added = signups.candidates_from_signups(
        election=election, recruitment=recruitment, user=user, actor=actor_from_request(request)
    )
    return {"added": added, "event": _staff_event_out(election)}


@router.post(
    "/events/{event_id}/publish",
    response={202: StaffEventOut, 200: StaffEventOut, **ERRORS},
    summary="公布结果（专项工作组）",
    description="生成并自检结果包后公布，并通知出借人。由后台任务执行：202 表示已排队"
    "（任务完成后状态变为“已公布”）；200 表示已公布（包括此前已公布的）。",
)
def publish(request, event_id: int):
    user, event = _event_for(request, event_id, *policies.OVERSEERS)
    if event.status == EventStatus.PUBLISHED:
        return Status(200, _staff_event_out(event))
    outcome = lifecycle.event_publish_request(event=event, user=user)
    if outcome.status == TaskResultStatus.FAILED:
        raise DomainError(VotingErrorCode.PUBLISH_FAILED)
    event.refresh_from_db()
    return Status(200 if event.status == EventStatus.PUBLISHED else 202, _staff_event_out(event))
