"""Fetch cases with the viewer's institution boundary built in (institutions.access): an
operator of another institution gets 404, as if the case did not exist, and the attempt is
audited. An institution sees a report only once the association has notified it
(举报办法 第十三条11), and then only its masked form (cases.selectors.InstitutionReport)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from winddown.cases.models import Report
from winddown.institutions.access import access_by_id

if TYPE_CHECKING:
    from winddown.accounts.models import User

NOT_FOUND = "举报不存在或无权访问"


def access_report_by_id(user: User, report_id: int) -> Report:
    """For association staff (every institution)."""
    return access_by_id(
        user,
        Report.objects.select_related("institution", "repeat_of"),
        report_id,
        institution_path="institution",
        not_found=NOT_FOUND,
    )


def access_notified_report_by_id(user: User, report_id: int) -> Report:
    """For the reported institution's operators: only reports it was notified of."""
    return access_by_id(
        user,
        Report.objects.select_related("institution").filter(notified_on__isnull=False),
        report_id,
        institution_path="institution",
        not_found=NOT_FOUND,
    )


def access_complaint_by_id(user: User, complaint_id: int):
    from winddown.cases.models import LenderComplaint

    return access_by_id(
        user,
        LenderComplaint.objects.select_related("institution", "lender", "report"),
        complaint_id,
        institution_path="institution",
        not_found="投诉不存在或无权访问",
    )


def access_discipline_by_id(user: User, case_id: int):
    from winddown.cases.models import DisciplinaryCase

    return access_by_id(
        user,
        DisciplinaryCase.objects.select_related("institution", "report"),
        case_id,
        institution_path="institution",
        not_found="惩戒案件不存在或无权访问",
    )


def access_served_discipline_by_id(user: User, case_id: int):
    """For the institution: once the 惩戒告知书 has been served."""
    from winddown.cases.models import DisciplinaryCase

    return access_by_id(
        user,
        DisciplinaryCase.objects.select_related("institution").filter(
            notice_served_on__isnull=False
        ),
        case_id,
        institution_path="institution",
        not_found="惩戒案件不存在或无权访问",
    )


def access_inspection_by_id(user: User, inspection_id: int):
    from winddown.cases.models import Inspection

    return access_by_id(
        user,
        Inspection.objects.select_related("institution", "flag", "parent"),
        inspection_id,
        institution_path="institution",
        not_found="检查不存在或无权访问",
    )


def access_notified_inspection_by_id(user: User, inspection_id: int):
    """For the institution: once it has been notified."""
    from winddown.cases.models import Inspection

    return access_by_id(
        user,
        Inspection.objects.select_related("institution").filter(notified_on__isnull=False),
        inspection_id,
        institution_path="institution",
        not_found="检查不存在或无权访问",
    )
