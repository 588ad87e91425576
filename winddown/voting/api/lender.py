"""Lenders' voting API (/api/events): my events, reading attachments, casting and
changing ballots, representative sign-ups (manual 2.1–2.3)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from django.http import Http404
from ninja import File, Form, Header, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field, field_validator

from winddown.api.auth import AUTH, require_lender
from winddown.api.schemas import (
    StrictSchema,
    Text,
    refuse_nul,
)
from winddown.audit.services import actor_from_request
from winddown.core.errors import DomainError
from winddown.voting import ballot_store, files, selectors
from winddown.voting.api.common import (
    ATTACHMENT_CONTENT,
    ERRORS,
    HTML_CONTENT,
    MAX_LIST,
    PAGE_CONTENT,
    AttachmentOut,
    BallotOut,
    CandidateOut,
    OptionOut,
    _attachment_out,
    _ballot_out,
    _candidate_out,
    _event_heading,
    _options,
    _rule,
    _yuan,
)
from winddown.voting.errors import VotingErrorCode
from winddown.voting.models import (
    Ballot,
    Elector,
    EventKind,
    EventStatus,
    SignUp,
    SignUpStatus,
    VotingEvent,
)
from winddown.voting.services import casting, lifecycle, signups
from winddown.voting.tally import (
    candidate_names,
    choice_words,
)

if TYPE_CHECKING:
    from winddown.identity.models import Lender

lender_router = Router(tags=["出借人投票"], auth=AUTH)


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
        "masked_phone": signup.phone.masked,
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
    event = lifecycle.event_advance_if_due(event, quiet=True)
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
    casting.attachment_open_record(attachment=attachment, lender=lender)
    return files.attachment_original(attachment)


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
    response = files.attachment_page(attachment, page)
    casting.attachment_open_record(attachment=attachment, lender=lender)
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
    response = files.attachment_html(attachment)
    casting.attachment_open_record(attachment=attachment, lender=lender)
    return response


def _event_to_take_part(
    request, event_id: int
) -> tuple[Lender, VotingEvent, ballot_store.Place | None]:
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
    opened = selectors.opened_event(event_id, lender)
    if opened is None:
        return lender, selectors.lender_event(lender, event_id), None
    event, place = opened
    if place is None and not selectors.outside_electorate_but_known(lender, event):
        raise Http404("活动不存在")
    return lender, event, place


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


IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,64}")  # printable ASCII, no spaces


def _idempotency_key(header: str | None, body: str | None) -> str:
    keys_given = {k for k in (header, body) if k is not None}
    if len(keys_given) > 1:
        raise DomainError(VotingErrorCode.IDEMPOTENCY_KEY_INVALID, field="idempotency_key")
    key = next(iter(keys_given), "")
    if key and not IDEMPOTENCY_KEY.fullmatch(key):
        raise DomainError(VotingErrorCode.IDEMPOTENCY_KEY_INVALID, field="idempotency_key")
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
    lender, event, place = _event_to_take_part(request, event_id)
    key = _idempotency_key(idempotency_key, payload.idempotency_key)
    if payload.choice is not None and payload.choices is not None:
        raise DomainError(VotingErrorCode.CHOICE_AMBIGUOUS, field="choice")
    if payload.choice is None and payload.choices is None:
        raise DomainError(VotingErrorCode.CHOICE_REQUIRED, field="choice")
    choice: str | list[str] = payload.choice if payload.choice is not None else payload.choices
    cast = casting.ballot_cast(
        event=event,
        lender=lender,
        choice=choice,
        password=payload.password,
        actor=actor_from_request(request),
        idempotency_key=key,
        place=place,
    )
    # A replayed ballot was read under the lender's lock: whether it is still current is known.
    body = {**_ballot_out(event, cast.ballot), "event_id": event.pk, "replayed": cast.replayed}
    return Status(200 if cast.replayed else 201, body)


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
    lender, event, _place = _event_to_take_part(request, event_id)
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
