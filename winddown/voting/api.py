"""Voting events over the API (manual 2.1–2.3).

Four routers, mounted in winddown/api/routers.py:

- `lender_router` (/api/events): my events, reading attachments, casting and changing ballots,
  representative sign-ups;
- `notices_router` (/api/notices): in-app messages;
- `public_router` (/api/results, no authentication): published results, receipt proofs and
  the downloadable bundle that `python -m winddown.verify` checks;
- `staff_router` (/api/staff): drafting, review, progress (participation only), sign-up
  review and publication.

Views stay thin: parse, check the role, call a service or a selector, shape the answer.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import PurePath
from typing import Annotated, Any, Literal

from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django_tasks.base import TaskResultStatus
from ninja import File, Form, Header, Path, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import BeforeValidator, Field, StrictBool, field_validator

from winddown.accounts.models import User
from winddown.accounts.roles import PII_FULL_VIEW_ROLES, Role
from winddown.api.auth import AUTH, require_lender, require_staff
from winddown.api.schemas import (
    DetailOut,
    ErrorOut,
    StrictSchema,
    Text,
    ValidationErrorOut,
    refuse_nul,
)
from winddown.audit.actions import AuditAction
from winddown.audit.services import actor_from_request
from winddown.core import private_files, word_documents
from winddown.core.errors import DomainError, ErrorCode
from winddown.identity.models import Lender
from winddown.institutions.selectors import access_institution_by_id, operator_institution_id
from winddown.merkle import verify_inclusion
from winddown.money import fen_to_decimal
from winddown.pii import keys
from winddown.pii.keys import keyring
from winddown.pii.masking import mask_id_number, mask_phone
from winddown.rules import RulesInputError, get_rule
from winddown.rules.text import percent
from winddown.verify import BallotLine, ReceiptNotFound, inclusion_proof_for_receipt
from winddown.verify import normalize_receipt as parse_receipt
from winddown.voting import selectors
from winddown.voting.bundle import bundle_path
from winddown.voting.errors import VotingErrorCode
from winddown.voting.event_audit import record_event
from winddown.voting.models import (
    Ballot,
    Candidate,
    Elector,
    EventAttachment,
    EventKind,
    EventStatus,
    Notice,
    SignUp,
    SignUpStatus,
    VotingEvent,
)
from winddown.voting.services import authoring, casting, notices, signups
from winddown.voting.tally import (
    OPTION_LABELS,
    candidate_names,
    choice_keys,
    choice_words,
    event_options,
    ordered_counts,
)

lender_router = Router(tags=["出借人投票"], auth=AUTH)
notices_router = Router(tags=["出借人消息"], auth=AUTH)
public_router = Router(tags=["投票结果（公开）"])
staff_router = Router(tags=["投票活动（工作人员）"], auth=AUTH)

ERRORS = {
    400: ErrorOut,
    401: DetailOut,
    403: ErrorOut | DetailOut,  # a domain refusal (not verified...) or the wrong role / CSRF
    404: DetailOut | ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    422: ValidationErrorOut,
    423: ErrorOut,
}
PUBLIC_ERRORS = {400: ErrorOut, 404: DetailOut | ErrorOut, 422: ValidationErrorOut}

BINARY = {"schema": {"type": "string", "format": "binary"}}
ATTACHMENT_CONTENT = {
    "application/pdf": BINARY,
    word_documents.DOCX_TYPE: BINARY,
    "image/jpeg": BINARY,
    "image/png": BINARY,
}
PAGE_CONTENT = {"image/jpeg": BINARY}
HTML_CONTENT = {"text/html": {"schema": {"type": "string"}}}
# A Word attachment's HTML is sanitized, and its answer may still run or fetch nothing.
DOCUMENT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,64}")  # printable ASCII, no spaces
RECEIPT_CACHE_SECONDS = 3600
MAX_LIST = 500
# A filter value the database can hold (SQLite refuses integers beyond 64 bits outright).
QueryId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class VotingApiErrorCode(ErrorCode):
    """Refusals the API adds to the services' (VotingErrorCode); none shares a name."""

    CHOICE_REQUIRED = (400, "请选择：决议请填写 choice（yes / no / abstain），选举请填写 choices")
    CHOICE_AMBIGUOUS = (400, "choice 和 choices 只能填写其中一个")
    IDEMPOTENCY_KEY_INVALID = (
        400,
        "幂等键（Idempotency-Key）应为 1 至 64 个可见 ASCII 字符；请求头与请求体中的值须一致",
    )
    RECEIPT_FORMAT = (400, "回执码应为 16 位，由字母 A-Z 和数字 2-7 组成，请核对后重试")
    NO_INSTITUTION = (403, "您的账户尚未关联机构，不能创建投票活动")
    OPERATOR_CANNOT_CANCEL = (
        403,
        "活动已开始，机构经办人不能取消；如确需取消，请联系专项工作组（须说明理由并公告）",
    )
    RECRUITMENT_NOT_CLOSED = (409, "征集“{title}”尚未截止，截止并审核报名后才能生成候选人")
    PUBLISH_FAILED = (409, "公布失败：结果包未通过自检，请联系系统管理员")

    @property
    def code(self) -> str:
        # The same namespace as the voting services' codes: clients see one "voting.*" set.
        return f"voting.{self.name.lower()}"


A = VotingApiErrorCode


# --- Shared helpers -------------------------------------------------------------------------


def _yuan(fen: int | None) -> str | None:
    return None if fen is None else str(fen_to_decimal(fen))


def _percentage(quantity: int, base: int | None) -> str | None:
    """For display only, from integers (rounded half-up): "66.67"; None without a base."""
    return percent(quantity, base) if base else None


def _rule(event: VotingEvent) -> dict:
    if not event.rule_id:
        return {"rule_id": "", "rule_name": "", "rule_citation": ""}
    try:
        rule = get_rule(event.rule_id)
    except RulesInputError:
        return {"rule_id": event.rule_id, "rule_name": "", "rule_citation": ""}
    return {"rule_id": rule.id, "rule_name": rule.name, "rule_citation": rule.citation}


def _file_response(
    chunks_or_file, *, content_type: str, filename: str, inline: bool, cache: str = ""
):
    response = FileResponse(chunks_or_file, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["X-Content-Type-Options"] = "nosniff"
    if cache:
        response["Cache-Control"] = cache
    return response


def _lender_ensure_current(event: VotingEvent) -> VotingEvent:
    """Apply a due opening or closing before answering (the worker may lag)."""
    try:
        return casting.ensure_current(event)
    except DomainError:
        return event  # cannot open (e.g. no register): show it as it is


# --- Schemas shared by lenders, staff and the public ---------------------------------------


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    url: str
    page_count: int = Field(description="PDF 的页数（图片为 0）")
    page_urls: list[str] = Field(
        description="PDF 各页的图片（JPEG，宽 1080 像素，供手机在页面内显示）；"
        "页数很多时只有前若干页，其余请打开原文件"
    )
    html_url: str | None = Field(
        None,
        description="Word 文档（.docx）的正文（已净化的 HTML 片段，图片内嵌，供手机在页面内显示）；"
        "其他格式为 null",
    )
    opened: bool | None = Field(None, description="出借人是否已阅读（仅出借人接口）")


class CandidateOut(Schema):
    key: str
    name: str
    description: str
    signup_id: int | None


class OptionOut(Schema):
    key: str
    label: str


class BallotOut(Schema):
    seq: int
    receipt: str
    choice: str = Field(description="yes / no / abstain，或候选人编号以 + 连接，如 c1+c3")
    choices: list[str]
    choice_label: str
    weight_fen: int
    weight: str
    cast_at: datetime
    current: bool = Field(description="是否为计入结果的最新选票")
    superseded: bool


def _attachment_out(attachment: EventAttachment, url: str, opened: bool | None = None) -> dict:
    return {
        "id": attachment.pk,
        "name": attachment.name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "url": url,
        "page_count": attachment.page_count,
        "page_urls": [f"{url}/pages/{n}" for n in range(1, len(attachment.page_images) + 1)],
        "html_url": f"{url}/html" if attachment.html_path else None,
        "opened": opened,
    }


def _candidate_out(candidate: Candidate) -> dict:
    return {
        "key": candidate.key,
        "name": candidate.name,
        "description": candidate.description,
        "signup_id": candidate.signup_id,
    }


def _ballot_out(event: VotingEvent, ballot: Ballot, names: dict[str, str] | None = None) -> dict:
    return {
        "seq": ballot.seq,
        "receipt": ballot.receipt,
        "choice": ballot.choice,
        "choices": choice_keys(ballot.choice),
        "choice_label": choice_words(event, ballot.choice, names),
        "weight_fen": ballot.weight_fen,
        "weight": _yuan(ballot.weight_fen),
        "cast_at": ballot.cast_at,
        "current": ballot.is_current,
        "superseded": not ballot.is_current,
    }


def _options(event: VotingEvent) -> list[dict]:
    if event.kind != EventKind.RESOLUTION:
        return []
    return [{"key": key, "label": OPTION_LABELS[key]} for key in event_options(event)]


# --- Lenders: events ------------------------------------------------------------------------


class LenderSignupOut(Schema):
    id: int
    status: SignUpStatus
    status_label: str
    name: str
    masked_phone: str
    introduction: str
    resume_name: str
    created_at: datetime
    withdrawn_at: datetime | None
    reviewed_at: datetime | None
    review_reason: str


def _lender_signup_out(signup: SignUp) -> dict:
    return {
        "id": signup.pk,
        "status": signup.status,
        "status_label": signup.get_status_display(),
        "name": signup.name,
        "masked_phone": mask_phone(keyring().decrypt(signup.phone_enc, purpose=keys.PHONE)),
        "introduction": signup.introduction,
        "resume_name": signup.resume_name,
        "created_at": signup.created_at,
        "withdrawn_at": signup.withdrawn_at,
        "reviewed_at": signup.reviewed_at,
        "review_reason": signup.review_reason,
    }


class LenderEventSummaryOut(Schema):
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
    voted: bool
    my_choice: str | None
    my_choice_label: str | None
    my_receipt: str | None
    my_cast_at: datetime | None
    signup_status: SignUpStatus | None


class LenderEventOut(LenderEventSummaryOut):
    content: str
    rule_id: str
    rule_name: str
    rule_citation: str
    rule_params: dict[str, str]
    allow_abstain: bool
    seats: int | None
    max_choices: int | None
    cancel_reason: str
    record_date: datetime | None = Field(description="表决权登记日：开始时生效的债权登记表")
    electorate_heads: int | None
    electorate_weight_fen: int | None
    electorate_weight: str | None
    in_electorate: bool | None = Field(description="开始前为 null（名单在开始时冻结）")
    my_weight_fen: int | None
    my_weight: str | None
    attachments: list[AttachmentOut]
    unread_attachments: int
    options: list[OptionOut]
    candidates: list[CandidateOut]
    ballot: BallotOut | None
    history: list[BallotOut] = Field(description="我的全部选票（含已被取代的），最新在前")
    signup: LenderSignupOut | None
    result_url: str | None


def _event_heading(event: VotingEvent) -> dict:
    """What every list of events shows of one, to lenders and staff alike."""
    return {
        "id": event.pk,
        "institution_id": event.institution_id,
        "institution_name": event.institution.short_name,
        "kind": event.kind,
        "kind_label": event.get_kind_display(),
        "title": event.title,
        "status": event.status,
        "status_label": event.get_status_display(),
        "opens_at": event.opens_at,
        "closes_at": event.closes_at,
    }


def _lender_summary(
    event: VotingEvent, ballot: Ballot | None, signup: SignUp | None, names: dict[str, str]
) -> dict:
    """What the lender's list shows of an event: its state and the lender's part in it."""
    return {
        **_event_heading(event),
        "voted": ballot is not None,
        "my_choice": ballot.choice if ballot else None,
        "my_choice_label": choice_words(event, ballot.choice, names) if ballot else None,
        "my_receipt": ballot.receipt if ballot else None,
        "my_cast_at": ballot.cast_at if ballot else None,
        "signup_status": signup.status if signup else None,
    }


def _lender_event_out(event: VotingEvent, lender: Lender) -> dict:
    names = candidate_names(event)
    ballot = selectors.current_ballot(event, lender) if event.is_ballot_event else None
    signup = selectors.lender_signup(event, lender) if not event.is_ballot_event else None
    summary = _lender_summary(event, ballot, signup, names)
    elector = (
        Elector.objects.filter(event=event, id_index=lender.id_index).first()
        if event.opened_at
        else None
    )
    opened = selectors.opened_attachment_ids(event, lender)
    attachments = [
        _attachment_out(a, f"/api/events/{event.pk}/attachments/{a.pk}", a.pk in opened)
        for a in event.attachments.all()
    ]
    history = (
        [_ballot_out(event, b, names) for b in selectors.ballot_history(event, lender)]
        if event.is_ballot_event and lender.id_index
        else []
    )
    return {
        **summary,
        **_rule(event),
        "content": event.content,
        "rule_params": event.rule_params or {},
        "allow_abstain": event.allow_abstain,
        "seats": event.seats,
        "max_choices": event.max_choices,
        "cancel_reason": event.cancel_reason,
        "record_date": event.record_version.activated_at if event.record_version else None,
        "electorate_heads": event.electorate_heads,
        "electorate_weight_fen": event.electorate_weight_fen,
        "electorate_weight": _yuan(event.electorate_weight_fen),
        "in_electorate": (elector is not None) if event.opened_at else None,
        "my_weight_fen": elector.weight_fen if elector else None,
        "my_weight": _yuan(elector.weight_fen) if elector else None,
        "attachments": attachments,
        "unread_attachments": sum(1 for a in attachments if not a["opened"]),
        "options": _options(event),
        "candidates": [_candidate_out(c) for c in event.candidates.all()],
        "ballot": _ballot_out(event, ballot, names) if ballot else None,
        "history": history,
        "signup": _lender_signup_out(signup) if signup else None,
        "result_url": f"/api/results/{event.pk}" if event.status == EventStatus.PUBLISHED else None,
    }


@lender_router.get(
    "", response={200: list[LenderEventSummaryOut], **ERRORS}, summary="我的投票活动"
)
def my_events(request):
    lender = require_lender(request)
    events = list(selectors.lender_events(lender)[:MAX_LIST])
    ballots, signups, names = selectors.lender_positions(lender, events)
    return [
        _lender_summary(event, ballots.get(event.pk), signups.get(event.pk), names[event.pk])
        for event in events
    ]


def _visible_event(request, event_id: int) -> tuple[Lender, VotingEvent]:
    lender = require_lender(request)
    if not lender.is_verified:
        raise DomainError(VotingErrorCode.NOT_VERIFIED)
    return lender, selectors.lender_event(lender, event_id)


def _my_event(request, event_id: int) -> tuple[Lender, VotingEvent]:
    lender, event = _visible_event(request, event_id)
    event = _lender_ensure_current(event)
    # Opening freezes the electorate: visible before, the event may not be any more.
    return lender, selectors.lender_event(lender, event.pk)


@lender_router.get("/{event_id}", response={200: LenderEventOut, **ERRORS}, summary="活动详情")
def my_event(request, event_id: int):
    lender, event = _my_event(request, event_id)
    return _lender_event_out(event, lender)


@lender_router.get(
    "/{event_id}/attachments/{attachment_id}",
    response={**ERRORS},
    summary="阅读附件（在页面内打开，并记录已阅读）",
    description="返回附件原文（PDF 或图片，`Content-Disposition: inline`），同时记录本人已阅读。"
    "投票或报名前须阅读全部附件（手册：点击阅读附件后方可投票）。",
    openapi_extra={"responses": {"200": {"description": "附件", "content": ATTACHMENT_CONTENT}}},
)
def read_attachment(request, event_id: int, attachment_id: int):
    lender, event = _visible_event(request, event_id)
    attachment = selectors.event_attachment(event, attachment_id)
    casting.record_attachment_open(attachment=attachment, lender=lender)
    return _file_response(
        private_files.open_plain(attachment.path),
        content_type=attachment.content_type,
        filename=attachment.name,
        inline=private_files.shows_inline(attachment.content_type),
        cache="private, no-store",
    )


def _html_response(attachment: EventAttachment) -> HttpResponse:
    html = selectors.word_html(attachment)
    if html is None:
        raise Http404("该附件不是 Word 文档")
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = DOCUMENT_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _page_response(attachment: EventAttachment, page: int):
    if not 1 <= page <= len(attachment.page_images):
        raise Http404("没有这一页")
    return _file_response(
        private_files.open_plain(attachment.page_images[page - 1]),
        content_type="image/jpeg",
        filename=f"{PurePath(attachment.name).stem}-{page}.jpg",
        inline=True,
        cache="private, max-age=3600",
    )


@lender_router.get(
    "/{event_id}/attachments/{attachment_id}/pages/{page}",
    response={**ERRORS},
    summary="阅读 PDF 附件的一页（图片，并记录已阅读）",
    description="PDF 附件的第 page 页（从 1 起）为 JPEG 图片，手机可在页面内显示；"
    "取得任一页即记录本人已阅读该附件。",
    openapi_extra={"responses": {"200": {"description": "页面图片", "content": PAGE_CONTENT}}},
)
def read_attachment_page(request, event_id: int, attachment_id: int, page: int):
    lender, event = _visible_event(request, event_id)
    attachment = selectors.event_attachment(event, attachment_id)
    response = _page_response(attachment, page)
    casting.record_attachment_open(attachment=attachment, lender=lender)
    return response


@lender_router.get(
    "/{event_id}/attachments/{attachment_id}/html",
    response={**ERRORS},
    summary="阅读 Word 附件的正文（HTML 片段，并记录已阅读）",
    description="Word 文档（.docx）附件转换成的正文：只保留段落、表格、图片（内嵌）和网页链接，"
    "脚本与样式均已去除；取得即记录本人已阅读该附件。",
    openapi_extra={"responses": {"200": {"description": "正文", "content": HTML_CONTENT}}},
)
def read_attachment_html(request, event_id: int, attachment_id: int):
    lender, event = _visible_event(request, event_id)
    attachment = selectors.event_attachment(event, attachment_id)
    response = _html_response(attachment)
    casting.record_attachment_open(attachment=attachment, lender=lender)
    return response


# --- Lenders: ballots -----------------------------------------------------------------------


def _event_to_take_part(request, event_id: int) -> tuple[Lender, VotingEvent]:
    """The event a lender wants to vote in or sign up for. An unverified lender is told to
    verify. An opened event whose frozen electorate leaves out a lender with claims at the
    institution goes on to the service, which says why in words (the record date); to a
    lender with no claims there it does not exist (404), as on every other call."""
    lender = require_lender(request)
    if not lender.is_verified:
        raise DomainError(VotingErrorCode.NOT_VERIFIED)
    # An opened event has a frozen electorate, which the service checks for every ballot: one
    # cheap lookup here (this is the hot path of a vote). Before opening, the lender must be
    # able to see the event at all.
    event = selectors.opened_event(event_id, lender)
    if event is None:
        return lender, selectors.lender_event(lender, event_id)
    _, elector = event.lender_elector
    if elector is None and not selectors.outside_electorate_but_known(lender, event):
        raise Http404("活动不存在")
    return lender, event


def _no_nul_items(value: Any) -> Any:
    if isinstance(value, list):
        for item in value:
            refuse_nul(item)
    return value


class BallotIn(StrictSchema):
    choice: str | None = Field(
        None, description="决议：yes（同意）/ no（不同意）/ abstain（弃权，活动允许时）"
    )
    choices: list[str] | None = Field(
        None, description='选举：所选候选人编号，如 ["c1", "c3"]，最多 max_choices 个'
    )
    password: str = Field(description="6 位投票密码（每次投票都须输入；连续错误 5 次锁定）")
    idempotency_key: str | None = Field(
        None,
        description="幂等键（也可用请求头 Idempotency-Key）：同一键重复提交只记一票，"
        "返回首次提交的选票（状态 200）",
    )

    @field_validator("choices")
    @classmethod
    def _choices_no_nul(cls, value: Any) -> Any:
        return _no_nul_items(value)


class BallotResultOut(BallotOut):
    event_id: int
    replayed: bool = Field(description="true：同一幂等键已提交过，返回的是首次提交的选票")


def _idempotency_key(header: str | None, body: str | None) -> str:
    keys_given = {k for k in (header, body) if k is not None}
    if len(keys_given) > 1:
        raise DomainError(A.IDEMPOTENCY_KEY_INVALID, field="idempotency_key")
    key = next(iter(keys_given), "")
    if key and not IDEMPOTENCY_KEY.fullmatch(key):
        raise DomainError(A.IDEMPOTENCY_KEY_INVALID, field="idempotency_key")
    return key


@lender_router.post(
    "/{event_id}/ballots",
    response={201: BallotResultOut, 200: BallotResultOut, **ERRORS},
    summary="投票或修改选票",
    description="投票截止前可以修改，最新一票计入结果，之前的选票保留在历史中。"
    "返回回执码：结果公布后可凭回执码核验本人最终选票包含在公布的 Merkle 树中。"
    "201：新记入的选票；200：同一幂等键（请求头 `Idempotency-Key` 或请求体 `idempotency_key`）"
    "已提交过，返回首次提交的选票。",
)
def cast(
    request,
    event_id: int,
    payload: BallotIn,
    idempotency_key: Annotated[
        Text | None, Header(alias="Idempotency-Key", description="幂等键，1-64 个可见 ASCII 字符")
    ] = None,
):
    lender, event = _event_to_take_part(request, event_id)
    key = _idempotency_key(idempotency_key, payload.idempotency_key)
    if payload.choice is not None and payload.choices is not None:
        raise DomainError(A.CHOICE_AMBIGUOUS, field="choice")
    if payload.choice is None and payload.choices is None:
        raise DomainError(A.CHOICE_REQUIRED, field="choice")
    choice: str | list[str] = payload.choice if payload.choice is not None else payload.choices
    ballot = casting.cast_ballot(
        event=event,
        lender=lender,
        choice=choice,
        password=payload.password,
        actor=actor_from_request(request),
        idempotency_key=key,
    )
    # A replayed ballot was read under the lender's lock: whether it is still current is known.
    replayed = bool(getattr(ballot, "replayed", False))
    body = {**_ballot_out(event, ballot), "event_id": event.pk, "replayed": replayed}
    return Status(200 if replayed else 201, body)


# --- Lenders: representative sign-ups -------------------------------------------------------


@lender_router.post(
    "/{event_id}/signups",
    response={201: LenderSignupOut, **ERRORS},
    summary="报名出借人代表（multipart）",
    description="填写姓名、身份证号码（须与实名认证一致）、手机号、个人介绍，上传本人照片"
    "（JPG/PNG）和简历（PDF/Word .docx/JPG/PNG），以投票密码确认。征集期间可撤回后重新报名。",
)
def sign_up(
    request,
    event_id: int,
    name: Form[Text | None] = None,
    id_number: Form[Text | None] = None,
    phone: Form[Text | None] = None,
    introduction: Form[Text | None] = None,
    password: Form[Text | None] = None,
    photo: File[UploadedFile | None] = None,
    resume: File[UploadedFile | None] = None,
):
    lender, event = _event_to_take_part(request, event_id)
    signup = signups.signup_create(
        event=event,
        lender=lender,
        name=name or "",
        id_number=id_number or "",
        phone=phone or "",
        introduction=introduction or "",
        photo=photo,
        resume=resume,
        password=password or "",
        actor=actor_from_request(request),
    )
    return Status(201, _lender_signup_out(signup))


@lender_router.delete(
    "/{event_id}/signups/mine",
    response={200: LenderSignupOut, **ERRORS},
    summary="撤回我的报名（征集期间）",
)
def withdraw_signup(request, event_id: int):
    lender, event = _visible_event(request, event_id)
    signup = selectors.lender_signup(event, lender)
    if signup is None:
        raise Http404("您没有报名本次征集")
    signup = signups.signup_withdraw(signup=signup, actor=actor_from_request(request))
    return _lender_signup_out(signup)


# --- Lenders: notices -----------------------------------------------------------------------


class NoticeOut(Schema):
    id: int
    event_id: int | None
    kind: str
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None


def _notice_out(notice: Notice) -> dict:
    return {
        "id": notice.pk,
        "event_id": notice.event_id,
        "kind": notice.kind,
        "title": notice.title,
        "body": notice.body,
        "created_at": notice.created_at,
        "read_at": notice.read_at,
    }


@notices_router.get("", response={200: list[NoticeOut], **ERRORS}, summary="我的消息")
def my_notices(request, unread: bool = False):
    rows = selectors.lender_notices(require_lender(request))
    if unread:
        rows = rows.filter(read_at__isnull=True)
    return [_notice_out(n) for n in rows[:MAX_LIST]]


class ReadAllOut(Schema):
    marked: int


@notices_router.post("/read", response={200: ReadAllOut, **ERRORS}, summary="全部标为已读")
def read_all_notices(request):
    return {"marked": notices.mark_read(require_lender(request))}


@notices_router.post("/{notice_id}/read", response={200: NoticeOut, **ERRORS}, summary="标为已读")
def read_notice(request, notice_id: int):
    notice = selectors.lender_notices(require_lender(request)).filter(pk=notice_id).first()
    if notice is None:
        raise Http404("消息不存在")
    if notice.read_at is None:
        # A read mark is the lender's own view state, not a decision: no audit row.
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())
        notice.refresh_from_db(fields=["read_at"])
    return _notice_out(notice)


# --- Public results -------------------------------------------------------------------------


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
    return _file_response(
        open(path, "rb"),  # FileResponse closes it
        content_type="application/zip",
        filename=f"event-{event.pk}.zip",
        inline=False,
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
        raise DomainError(A.RECEIPT_FORMAT, field="code") from None
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


# --- Staff: schemas -------------------------------------------------------------------------

OVERSEERS = (Role.WG_OFFICER,)
# As the staff console: who sees sign-ups (sysadmins do not need lenders' applications).
SIGNUP_ROLES = (Role.OPERATOR, Role.WG_OFFICER, Role.ASSOCIATION_OFFICER)
BEFORE_OPENING = (
    EventStatus.DRAFT,
    EventStatus.SUBMITTED,
    EventStatus.RETURNED,
    EventStatus.SCHEDULED,
)
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


class ReviewIn(StrictSchema):
    approve: StrictBool
    reason: str = Field("", description="不通过时必填")


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


class StaffSignupOut(Schema):
    id: int
    event_id: int
    name: str
    id_number: str = Field(description="专项工作组为完整号码（每次查看记入审计），其他角色为掩码")
    phone: str
    masked: bool
    introduction: str
    photo_type: str
    photo_url: str
    resume_name: str
    resume_type: str
    resume_url: str
    status: SignUpStatus
    status_label: str
    created_at: datetime
    reviewed_at: datetime | None
    review_reason: str


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


def _event_for(request, event_id: int, *roles: Role) -> tuple[User, VotingEvent]:
    """The event if the staff member has one of `roles` (403 otherwise) and may see it
    (404 otherwise: operators see only their institution's events)."""
    user = require_staff(request, *roles)
    return user, selectors.access_event_by_id(user, event_id)


# --- Staff: authoring -----------------------------------------------------------------------


@staff_router.get(
    "/events", response={200: list[StaffEventSummaryOut], **ERRORS}, summary="投票活动列表"
)
def staff_events(
    request,
    status: EventStatus | None = None,
    institution_id: QueryId | None = None,
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


@staff_router.post(
    "/events", response={201: StaffEventOut, **ERRORS}, summary="起草投票活动（机构经办人）"
)
def create_event(request, payload: EventIn):
    user = require_staff(request, Role.OPERATOR)
    if payload.institution_id is not None:
        institution = access_institution_by_id(user, payload.institution_id)
    else:
        own = operator_institution_id(user)
        if own is None:
            raise DomainError(A.NO_INSTITUTION)
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


@staff_router.get("/events/{event_id}", response={200: StaffEventOut, **ERRORS}, summary="活动详情")
def staff_event(request, event_id: int):
    _user, event = _event_for(request, event_id)
    return _staff_event_out(event)


@staff_router.patch(
    "/events/{event_id}",
    response={200: StaffEventOut, **ERRORS},
    summary="修改草稿或被退回的活动（机构经办人）",
)
def update_event(request, event_id: int, payload: EventPatch):
    _user, event = _event_for(request, event_id, Role.OPERATOR)
    changes = payload.dict(exclude_unset=True)
    changes = {k: v for k, v in changes.items() if v is not None}
    event = authoring.event_update(event=event, actor=actor_from_request(request), **changes)
    return _staff_event_out(event)


@staff_router.post(
    "/events/{event_id}/candidates",
    response={201: CandidateOut, **ERRORS},
    summary="添加候选人（选举草稿）",
)
def add_candidate(request, event_id: int, payload: CandidateIn):
    _user, event = _event_for(request, event_id, Role.OPERATOR)
    candidate = authoring.candidate_add(
        event=event, name=payload.name, description=payload.description
    )
    return Status(201, _candidate_out(candidate))


@staff_router.delete(
    "/events/{event_id}/candidates/{key}",
    response={200: StaffEventOut, **ERRORS},
    summary="删除候选人（选举草稿）",
)
def remove_candidate(request, event_id: int, key: Annotated[Text, Path(max_length=16)]):
    _user, event = _event_for(request, event_id, Role.OPERATOR)
    candidate = event.candidates.filter(key=key).first()
    if candidate is None:
        raise Http404("候选人不存在")
    authoring.candidate_remove(candidate=candidate)
    return _staff_event_out(event)


@staff_router.post(
    "/events/{event_id}/attachments",
    response={201: AttachmentOut, **ERRORS},
    summary="上传附件（PDF/Word .docx/JPG/PNG，multipart 字段 attachment）",
)
def add_attachment(request, event_id: int, attachment: File[UploadedFile | None] = None):
    _user, event = _event_for(request, event_id, Role.OPERATOR)
    if attachment is None:
        raise DomainError(
            VotingErrorCode.ATTACHMENT_INVALID, field="attachment", detail="请选择要上传的附件"
        )
    added = authoring.attachment_add(
        event=event, upload=attachment, actor=actor_from_request(request)
    )
    return Status(
        201, _attachment_out(added, f"/api/staff/events/{event.pk}/attachments/{added.pk}")
    )


@staff_router.get(
    "/events/{event_id}/attachments/{attachment_id}",
    response={**ERRORS},
    summary="查看附件",
    openapi_extra={"responses": {"200": {"description": "附件", "content": ATTACHMENT_CONTENT}}},
)
def staff_attachment(request, event_id: int, attachment_id: int):
    _user, event = _event_for(request, event_id)
    attachment = selectors.event_attachment(event, attachment_id)
    return _file_response(
        private_files.open_plain(attachment.path),
        content_type=attachment.content_type,
        filename=attachment.name,
        inline=private_files.shows_inline(attachment.content_type),
    )


@staff_router.get(
    "/events/{event_id}/attachments/{attachment_id}/html",
    response={**ERRORS},
    summary="查看 Word 附件的正文（出借人在手机上看到的内容）",
    openapi_extra={"responses": {"200": {"description": "正文", "content": HTML_CONTENT}}},
)
def staff_attachment_html(request, event_id: int, attachment_id: int):
    _user, event = _event_for(request, event_id)
    return _html_response(selectors.event_attachment(event, attachment_id))


@staff_router.get(
    "/events/{event_id}/attachments/{attachment_id}/pages/{page}",
    response={**ERRORS},
    summary="查看 PDF 附件的一页（出借人在手机上看到的图片）",
    openapi_extra={"responses": {"200": {"description": "页面图片", "content": PAGE_CONTENT}}},
)
def staff_attachment_page(request, event_id: int, attachment_id: int, page: int):
    _user, event = _event_for(request, event_id)
    attachment = selectors.event_attachment(event, attachment_id)
    return _page_response(attachment, page)


@staff_router.delete(
    "/events/{event_id}/attachments/{attachment_id}",
    response={200: StaffEventOut, **ERRORS},
    summary="删除附件（草稿）",
)
def remove_attachment(request, event_id: int, attachment_id: int):
    _user, event = _event_for(request, event_id, Role.OPERATOR)
    attachment = selectors.event_attachment(event, attachment_id)
    authoring.attachment_remove(attachment=attachment, actor=actor_from_request(request))
    return _staff_event_out(event)


@staff_router.post(
    "/events/{event_id}/submit", response={200: StaffEventOut, **ERRORS}, summary="提交审核"
)
def submit(request, event_id: int):
    _user, event = _event_for(request, event_id, Role.OPERATOR)
    return _staff_event_out(authoring.event_submit(event=event, actor=actor_from_request(request)))


# --- Staff: review, cancellation ------------------------------------------------------------


@staff_router.post(
    "/events/{event_id}/approve",
    response={200: StaffEventOut, **ERRORS},
    summary="批准（专项工作组）",
)
def approve(request, event_id: int):
    user, event = _event_for(request, event_id, *OVERSEERS)
    event = authoring.event_approve(event=event, user=user, actor=actor_from_request(request))
    return _staff_event_out(event)


@staff_router.post(
    "/events/{event_id}/return",
    response={200: StaffEventOut, **ERRORS},
    summary="退回修改（专项工作组，须填写意见）",
)
def return_event(request, event_id: int, payload: CommentIn):
    user, event = _event_for(request, event_id, *OVERSEERS)
    event = authoring.event_return(
        event=event, user=user, comment=payload.comment, actor=actor_from_request(request)
    )
    return _staff_event_out(event)


@staff_router.post(
    "/events/{event_id}/cancel",
    response={200: StaffEventOut, **ERRORS},
    summary="取消活动",
    description="机构经办人只能在活动开始前取消；专项工作组任何时候都可以取消，"
    "活动开始后须填写理由，系统记入审计并通知全体有表决权的出借人。",
)
def cancel(request, event_id: int, payload: CancelIn):
    user, event = _event_for(request, event_id, Role.OPERATOR, *OVERSEERS)
    event = _lender_ensure_current(event)
    if user.role == Role.OPERATOR and event.status not in BEFORE_OPENING:
        if event.status == EventStatus.CANCELLED:
            raise DomainError(
                VotingErrorCode.WRONG_STATUS, status=event.get_status_display(), action="取消"
            )
        raise DomainError(A.OPERATOR_CANNOT_CANCEL)
    event = authoring.event_cancel(
        event=event, user=user, reason=payload.reason, actor=actor_from_request(request)
    )
    return _staff_event_out(event)


# --- Staff: progress, sign-ups, publication -------------------------------------------------


@staff_router.get(
    "/events/{event_id}/progress",
    response={200: ProgressOut, **ERRORS},
    summary="参与进度（只有参与人数和本金，选择在截止前保密）",
)
def progress(request, event_id: int):
    _user, event = _event_for(request, event_id)
    event = _lender_ensure_current(event)
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
        "heads_percentage": _percentage(current.voted_heads, current.electorate_heads),
        "weight_percentage": _percentage(current.voted_weight_fen, current.electorate_weight_fen),
        "quorum_numerator": current.quorum_numerator,
        "quorum_denominator": current.quorum_denominator,
        "quorum_reached": current.quorum_reached,
        "changes": current.changes,
        "closes_at": event.closes_at,
    }


def _staff_signup_out(signup: SignUp, full: bool) -> dict:
    ring = keyring()
    id_number = ring.decrypt(signup.id_number_enc, purpose=keys.ID_NUMBER)
    phone = ring.decrypt(signup.phone_enc, purpose=keys.PHONE)
    base = f"/api/staff/signups/{signup.pk}"
    return {
        "id": signup.pk,
        "event_id": signup.event_id,
        "name": signup.name,
        "id_number": id_number if full else mask_id_number(id_number),
        "phone": phone if full else mask_phone(phone),
        "masked": not full,
        "introduction": signup.introduction,
        "photo_type": signup.photo_type,
        "photo_url": f"{base}/photo",
        "resume_name": signup.resume_name,
        "resume_type": signup.resume_type,
        "resume_url": f"{base}/resume",
        "status": signup.status,
        "status_label": signup.get_status_display(),
        "created_at": signup.created_at,
        "reviewed_at": signup.reviewed_at,
        "review_reason": signup.review_reason,
    }


@staff_router.get(
    "/events/{event_id}/signups",
    response={200: list[StaffSignupOut], **ERRORS},
    summary="报名列表（专项工作组看到完整身份信息并记入审计，其他角色为掩码）",
)
def event_signups(request, event_id: int, status: SignUpStatus | None = None):
    user, event = _event_for(request, event_id, *SIGNUP_ROLES)
    if event.kind != EventKind.RECRUITMENT:
        raise Http404("该活动不是出借人代表征集")
    rows = selectors.event_signups(event)
    if status is not None:
        rows = rows.filter(status=status)
    rows = list(rows[:MAX_LIST])
    full = user.role in PII_FULL_VIEW_ROLES
    if full and rows:
        record_event(
            actor=actor_from_request(request),
            action=AuditAction.PII_REVEALED,
            event=event,
            after={"signups": [s.pk for s in rows]},
        )
    return [_staff_signup_out(s, full) for s in rows]


def _signup_file(request, signup_id: int, which: Literal["photo", "resume"]):
    signup = selectors.access_signup_by_id(require_staff(request, *SIGNUP_ROLES), signup_id)
    path, content_type, name = signup.stored_file(which)
    if not path:
        raise Http404("文件不存在")
    return _file_response(
        private_files.read_decrypted(path, purpose=keys.ATTACHMENT_FILE),
        content_type=content_type,
        filename=name,
        inline=private_files.shows_inline(content_type),
        cache="private, no-store",
    )


@staff_router.get(
    "/signups/{signup_id}/photo",
    response={**ERRORS},
    summary="报名照片",
    openapi_extra={"responses": {"200": {"description": "照片", "content": ATTACHMENT_CONTENT}}},
)
def signup_photo(request, signup_id: int):
    return _signup_file(request, signup_id, "photo")


@staff_router.get(
    "/signups/{signup_id}/resume",
    response={**ERRORS},
    summary="报名简历",
    openapi_extra={"responses": {"200": {"description": "简历", "content": ATTACHMENT_CONTENT}}},
)
def signup_resume(request, signup_id: int):
    return _signup_file(request, signup_id, "resume")


@staff_router.post(
    "/signups/{signup_id}/review",
    response={200: StaffSignupOut, **ERRORS},
    summary="审核报名（专项工作组，征集截止后；不通过须填写理由）",
)
def review_signup(request, signup_id: int, payload: ReviewIn):
    user = require_staff(request, *OVERSEERS)
    signup = selectors.access_signup_by_id(user, signup_id)
    signup = signups.signup_review(
        signup=signup,
        approve=payload.approve,
        reason=payload.reason,
        user=user,
        actor=actor_from_request(request),
    )
    return _staff_signup_out(signup, full=False)


@staff_router.post(
    "/events/{event_id}/candidates-from-signups",
    response={200: FromSignupsOut, **ERRORS},
    summary="由征集中审核通过的报名一键生成选举候选人",
)
def candidates_from_signups(request, event_id: int, payload: FromSignupsIn):
    user, election = _event_for(request, event_id, Role.OPERATOR)
    recruitment = selectors.access_event_by_id(user, payload.recruitment_id)
    if recruitment.kind != EventKind.RECRUITMENT:
        raise DomainError(VotingErrorCode.NOT_RECRUITMENT, field="recruitment_id")
    recruitment = _lender_ensure_current(recruitment)
    if recruitment.status not in (EventStatus.CLOSED, EventStatus.PUBLISHED):
        raise DomainError(A.RECRUITMENT_NOT_CLOSED, field="recruitment_id", title=recruitment.title)
    added = signups.candidates_from_signups(
        election=election, recruitment=recruitment, actor=actor_from_request(request)
    )
    return {"added": added, "event": _staff_event_out(election)}


@staff_router.post(
    "/events/{event_id}/publish",
    response={202: StaffEventOut, 200: StaffEventOut, **ERRORS},
    summary="公布结果（专项工作组）",
    description="生成并自检结果包后公布，并通知出借人。由后台任务执行：202 表示已排队"
    "（任务完成后状态变为“已公布”）；200 表示已公布（包括此前已公布的）。",
)
def publish(request, event_id: int):
    from winddown.voting.tasks import publish_task

    user, event = _event_for(request, event_id, *OVERSEERS)
    if event.status == EventStatus.PUBLISHED:
        return Status(200, _staff_event_out(event))
    ready = EventStatus.COUNTED if event.is_ballot_event else EventStatus.CLOSED
    if event.status != ready:
        raise DomainError(
            VotingErrorCode.WRONG_STATUS, status=event.get_status_display(), action="公布结果"
        )
    outcome = publish_task.enqueue(event.pk, user.pk)
    if outcome.status == TaskResultStatus.FAILED:
        raise DomainError(A.PUBLISH_FAILED)
    event.refresh_from_db()
    return Status(200 if event.status == EventStatus.PUBLISHED else 202, _staff_event_out(event))
