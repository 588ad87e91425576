"""Reports over the association's API (/api/cases): the queue by deadline, a case (the
reporter as a pseudonym), the reporter's identity (designated handlers only, audited)."""

from __future__ import annotations

from datetime import date

from ninja import Router, Schema
from ninja.errors import HttpError

from winddown.accounts.roles import Role
from winddown.api.auth import AUTH, require_staff
from winddown.audit.services import actor_from_request
from winddown.cases import selectors, services
from winddown.cases.access import access_report_by_id
from winddown.cases.api.common import ERRORS
from winddown.cases.models import Report
from winddown.core.errors import DomainError

staff_router = Router(tags=["投诉举报（协会）"], auth=AUTH)

MAX_OFFSET = 10**7


class QueueRowOut(Schema):
    id: int
    number: str
    institution_id: int
    institution_name: str
    reporter: str  # the pseudonym, never the identity
    channel: str
    categories: list[str]
    status: str
    next_due_kind: str
    next_due: date | None
    warned: bool
    missed: bool
    repeat_of_id: int | None


def _row(r: Report) -> dict:
    return {
        "id": r.pk,
        "number": r.number,
        "institution_id": r.institution_id,
        "institution_name": r.institution.short_name,
        "reporter": r.pseudonym,
        "channel": r.channel,
        "categories": r.categories,
        "status": r.status,
        "next_due_kind": r.next_due_kind,
        "next_due": r.next_due,
        "warned": bool(r.warned_kind),
        "missed": bool(r.missed_kind),
        "repeat_of_id": r.repeat_of_id,
    }


class StepOut(Schema):
    at: str
    actor: str
    action: str
    note: str


class ReportOut(QueueRowOut):
    facts: str | None  # handlers only
    notice_text: str
    received_on: date
    reject_reason: str
    outcome: str
    decision_text: str
    notified_on: date | None
    answer_due: date | None
    answered_on: date | None
    feedback_on: date | None
    evidence_count: int
    timeline: list[StepOut]


class ReporterOut(Schema):
    name: str
    id_number: str
    phone: str
    contact: str


@staff_router.get("/reports", response={200: list[QueueRowOut], **ERRORS}, summary="举报待办队列")
def queue(request, status: str = "", limit: int = 50, offset: int = 0):
    require_staff(request, Role.ASSOCIATION_OFFICER)
    limit = min(max(limit, 1), 500)
    offset = min(max(offset, 0), MAX_OFFSET)
    return [_row(r) for r in selectors.queue(status=status, limit=limit, offset=offset)]


@staff_router.get("/reports/{report_id}", response={200: ReportOut, **ERRORS}, summary="举报详情")
def report_detail(request, report_id: int):
    user = require_staff(request, Role.ASSOCIATION_OFFICER)
    report = access_report_by_id(user, report_id)
    handler = selectors.is_handler(user)
    return {
        **_row(report),
        "facts": report.facts if handler else None,
        "notice_text": report.notice_text,
        "received_on": report.received_on,
        "reject_reason": report.reject_reason,
        "outcome": report.outcome,
        "decision_text": report.decision_text,
        "notified_on": report.notified_on,
        "answer_due": report.answer_due,
        "answered_on": report.answered_on,
        "feedback_on": report.feedback_on,
        "evidence_count": report.evidence.count(),
        "timeline": [
            {
                "at": s.at.isoformat(),
                "actor": s.actor_label,
                "action": s.action_label,
                "note": s.note,
            }
            for s in selectors.timeline(report)
        ],
    }


@staff_router.post(
    "/reports/{report_id}/reporter",
    response={200: ReporterOut, **ERRORS},
    summary="查看举报人身份（仅投诉举报专人，记入审计）",
)
def reporter(request, report_id: int):
    # Any staff member gets here so that every attempt is audited: another institution's
    # operator meets 404 (access.denied), anyone not a designated handler 403
    # (cases.reporter_reveal_refused).
    user = require_staff(request)
    report = access_report_by_id(user, report_id)
    try:
        identity = services.reporter_reveal(
            report=report, user=user, actor=actor_from_request(request)
        )
    except DomainError as exc:
        raise HttpError(403, exc.message) from None
    return {
        "name": identity.name.value,
        "id_number": identity.id_number.value,
        "phone": identity.phone.value,
        "contact": identity.contact,
    }
