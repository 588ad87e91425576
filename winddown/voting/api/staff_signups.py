"""Staff API of representative sign-ups (/api/staff): the list (full identities for the
working group, audited; masked for the others), photos and résumés, review."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import Http404
from ninja import Router, Schema
from pydantic import Field, StrictBool

from winddown.api.auth import AUTH, require_staff
from winddown.api.schemas import (
    StrictSchema,
)
from winddown.audit.services import actor_from_request
from winddown.voting import files, policies, selectors
from winddown.voting.api.common import (
    ATTACHMENT_CONTENT,
    ERRORS,
    MAX_LIST,
    _event_for,
)
from winddown.voting.models import (
    EventKind,
    SignUp,
    SignUpStatus,
)
from winddown.voting.services import signups

router = Router(tags=["出借人代表报名（工作人员）"], auth=AUTH)


# As the staff console: who sees sign-ups (sysadmins do not need lenders' applications).


class ReviewIn(StrictSchema):
    approve: StrictBool
    reason: str = Field("", description="不通过时必填")


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


def _staff_signup_out(signup: SignUp, full: bool) -> dict:
    id_number = signup.id_number.value if full else signup.id_number.masked
    phone = signup.phone.value if full else signup.phone.masked
    base = f"/api/staff/signups/{signup.pk}"
    return {
        "id": signup.pk,
        "event_id": signup.event_id,
        "name": signup.name,
        "id_number": id_number,
        "phone": phone,
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


@router.get(
    "/events/{event_id}/signups",
    response={200: list[StaffSignupOut], **ERRORS},
    summary="报名列表（专项工作组看到完整身份信息并记入审计，其他角色为掩码）",
)
def event_signups(request, event_id: int, status: SignUpStatus | None = None):
    user, event = _event_for(request, event_id, *policies.STAFF_READERS)
    if event.kind != EventKind.RECRUITMENT:
        raise Http404("该活动不是出借人代表征集")
    rows = selectors.event_signups(event)
    if status is not None:
        rows = rows.filter(status=status)
    rows = list(rows[:MAX_LIST])
    full = signups.signups_reveal(
        user=user, event=event, signups=rows, actor=actor_from_request(request)
    )
    return [_staff_signup_out(s, full) for s in rows]


def _signup_file(request, signup_id: int, which: Literal["photo", "resume"]):
    signup = selectors.access_signup_by_id(
        require_staff(request, *policies.STAFF_READERS), signup_id
    )
    return files.signup_file(signup, which)


@router.get(
    "/signups/{signup_id}/photo",
    response={**ERRORS},
    summary="报名照片",
    openapi_extra={"responses": {"200": {"description": "照片", "content": ATTACHMENT_CONTENT}}},
)
def signup_photo(request, signup_id: int):
    return _signup_file(request, signup_id, "photo")


@router.get(
    "/signups/{signup_id}/resume",
    response={**ERRORS},
    summary="报名简历",
    openapi_extra={"responses": {"200": {"description": "简历", "content": ATTACHMENT_CONTENT}}},
)
def signup_resume(request, signup_id: int):
    return _signup_file(request, signup_id, "resume")


@router.post(
    "/signups/{signup_id}/review",
    response={200: StaffSignupOut, **ERRORS},
    summary="审核报名（专项工作组，征集截止后；不通过须填写理由）",
)
def review_signup(request, signup_id: int, payload: ReviewIn):
    user = require_staff(request, *policies.OVERSEERS)
    signup = selectors.access_signup_by_id(user, signup_id)
    signup = signups.signup_review(
        signup=signup,
        approve=payload.approve,
        reason=payload.reason,
        user=user,
        actor=actor_from_request(request),
    )
    return _staff_signup_out(signup, full=False)
