"""The reported institution's side over the API (/api/cases/reported): the reports it was
notified of and its answer (举报办法 第十三条11). Nothing of the reporter."""

from __future__ import annotations

from datetime import date

from ninja import Router, Schema
from ninja.errors import HttpError

from winddown.accounts.roles import Role
from winddown.api.auth import AUTH, require_staff
from winddown.api.schemas import StrictSchema, Text
from winddown.audit.services import actor_from_request
from winddown.cases import selectors, services
from winddown.cases.access import access_notified_report_by_id
from winddown.cases.api.common import ERRORS
from winddown.institutions.selectors import operator_institution_id

institution_router = Router(tags=["投诉举报（被举报机构）"], auth=AUTH)


class InstitutionReportOut(Schema):
    id: int
    number: str
    categories: list[str]
    notice_text: str
    notified_on: date | None
    answer_due: date | None
    answered_on: date | None
    answer_text: str
    status_label: str


class AnswerIn(StrictSchema):
    answer: Text


def _out(view: selectors.InstitutionReport) -> dict:
    return {
        "id": view.id,
        "number": view.number,
        "categories": view.categories,
        "notice_text": view.notice_text,
        "notified_on": view.notified_on,
        "answer_due": view.answer_due,
        "answered_on": view.answered_on,
        "answer_text": view.answer_text,
        "status_label": view.status_label,
    }


def _institution_id(user) -> int:
    institution_id = operator_institution_id(user)
    if institution_id is None:
        raise HttpError(403, "您的账户未关联任何机构")
    return institution_id


@institution_router.get(
    "", response={200: list[InstitutionReportOut], **ERRORS}, summary="本机构被举报事项"
)
def reported(request):
    user = require_staff(request, Role.OPERATOR)
    reports = selectors.institution_reports(_institution_id(user))[:500]
    return [_out(selectors.institution_view(r)) for r in reports]


@institution_router.get(
    "/{report_id}", response={200: InstitutionReportOut, **ERRORS}, summary="被举报事项详情"
)
def reported_one(request, report_id: int):
    user = require_staff(request, Role.OPERATOR)
    return _out(selectors.institution_view(access_notified_report_by_id(user, report_id)))


@institution_router.post(
    "/{report_id}/answer",
    response={200: InstitutionReportOut, **ERRORS},
    summary="答复或报告整改情况",
)
def answer(request, report_id: int, body: AnswerIn):
    user = require_staff(request, Role.OPERATOR)
    report = access_notified_report_by_id(user, report_id)
    report = services.institution_answer(
        report=report, user=user, answer=body.answer, actor=actor_from_request(request)
    )
    return _out(selectors.institution_view(report))
