"""Who may do what with a case, in which state (asked by the services, which refuse, and by
the pages, which offer the buttons)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from winddown.accounts.roles import Role
from winddown.cases.errors import CasesErrorCode as E
from winddown.cases.models import CaseOfficer, Designation, Report, ReportStatus
from winddown.core.errors import DomainError

if TYPE_CHECKING:
    from winddown.accounts.models import User


def _designated(user: User, designation: str) -> bool:
    if not user.is_authenticated or user.role != Role.ASSOCIATION_OFFICER:
        return False
    return CaseOfficer.objects.filter(user=user, designation=designation).exists()


def is_handler(user: User) -> bool:
    """A designated complaint handler (举报办法 第二条 "协会设立专人"): the only people who
    see who reported (第十二条)."""
    return _designated(user, Designation.HANDLER)


def is_secretary_general(user: User) -> bool:
    return _designated(user, Designation.SECRETARY_GENERAL)


def handler_refusal(user: User) -> DomainError | None:
    return None if is_handler(user) else DomainError(E.NOT_HANDLER)


# The states each handling step starts from (spec D.8).
STEP_FROM = {
    "accept": (ReportStatus.RECEIVED,),
    "reject": (ReportStatus.RECEIVED,),
    "start": (ReportStatus.ACCEPTED,),
    "extend": (ReportStatus.INVESTIGATING,),
    "end": (ReportStatus.INVESTIGATING,),
    "decide": (ReportStatus.INVESTIGATED,),
    "notify": (ReportStatus.INVESTIGATING, ReportStatus.INVESTIGATED, ReportStatus.DECIDED),
    "publish": (ReportStatus.DECIDED,),
    "refer": (ReportStatus.INVESTIGATING, ReportStatus.INVESTIGATED, ReportStatus.DECIDED),
    "feedback": (ReportStatus.REJECTED, ReportStatus.DECIDED),
    "archive": (ReportStatus.REJECTED, ReportStatus.DECIDED),
}

STEP_LABELS = {
    "accept": "受理",
    "reject": "不予受理",
    "start": "开始调查",
    "extend": "继续调查",
    "end": "终结调查",
    "decide": "作出处理决定",
    "notify": "通知被举报机构",
    "publish": "曝光",
    "refer": "通知执法机关",
    "feedback": "向举报人反馈",
    "archive": "归档",
}


def step_refusal(report: Report, step: str) -> DomainError | None:
    if report.status not in STEP_FROM[step]:
        return DomainError(
            E.WRONG_STATE, status=report.get_status_display(), action=STEP_LABELS[step]
        )
    if step == "archive" and report.feedback_on is None and report.has_contact:
        return DomainError(E.WRONG_STATE, status="尚未向举报人反馈", action=STEP_LABELS[step])
    return None


def available_steps(report: Report) -> list[str]:
    return [step for step in STEP_FROM if step_refusal(report, step) is None]


def is_committee_member(user: User) -> bool:
    return _designated(user, Designation.COMMITTEE)
