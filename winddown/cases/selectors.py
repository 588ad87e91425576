"""Reads of cases for the pages, the API and the exports.

Masking (举报办法 第二条、第十二条、第十三条11). Nothing here returns who reported: the
presenters below carry the pseudonym at most, and the institution's one not even that.
The identity is read only through ``services.reporter_reveal`` (designated handlers,
audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from winddown.calendar import UnconfirmedYear
from winddown.cases.models import (
    OPEN_STATUSES,
    CaseStep,
    DueKind,
    LenderComplaint,
    Report,
    ReportCategory,
    ReportStatus,
)
from winddown.cases.policies import available_steps, is_handler  # noqa: F401 - re-exported
from winddown.core.spreadsheets import csv_bytes
from winddown.workdays.selectors import working_days_between

QUEUE_PAGE = 50


def queue(*, status: str = "", limit: int = QUEUE_PAGE, offset: int = 0) -> list[Report]:
    """The association's queue: open cases by the deadline they wait for, soonest first
    (the ``report_queue`` index: is_open, next_due, id)."""
    rows = Report.objects.filter(is_open=True, next_due__isnull=False)
    if status:
        rows = rows.filter(status=status)
    return list(
        rows.select_related("institution")
        .only(
            "number",
            "institution__short_name",
            "status",
            "categories",
            "received_on",
            "next_due",
            "next_due_kind",
            "warned_kind",
            "missed_kind",
            "reporter_index",
            "channel",
            "repeat_of_id",
        )
        .order_by("next_due", "id")[offset : offset + limit]
    )


def queue_count() -> int:
    return Report.objects.filter(is_open=True, next_due__isnull=False).count()


def undated_open() -> QuerySet[Report]:
    """Open cases waiting for no deadline (decided, answered, fed back, not yet archived)."""
    return Report.objects.filter(is_open=True, next_due__isnull=True).select_related("institution")


def days_left(report: Report, today: date) -> int | None:
    """Working days to the deadline (negative: overdue by that many)."""
    if report.next_due is None:
        return None
    try:
        return working_days_between(today, report.next_due)
    except UnconfirmedYear:
        return None


def timeline(report: Report, *, for_institution: bool = False) -> list[CaseStep]:
    steps = CaseStep.objects.filter(report=report)
    if for_institution:
        steps = steps.filter(institution_visible=True)
    return list(steps)


def institution_reports(institution_id: int) -> QuerySet[Report]:
    """The reports an institution was notified of, by its answer deadline."""
    return Report.objects.filter(institution_id=institution_id, notified_on__isnull=False).order_by(
        "answered_on", "answer_due", "id"
    )


def lender_reports(lender) -> QuerySet[Report]:
    """The reports a signed-in person filed online (their own, so no masking is needed)."""
    return Report.objects.filter(identity__lender=lender).select_related("institution")


@dataclass(frozen=True)
class InstitutionReport:
    """A report as the reported institution sees it (第十三条11): what it is reported for and
    what it must do, nothing about who reported, how, or with what evidence."""

    id: int
    number: str
    categories: list[str]
    notice_text: str
    notified_on: date | None
    answer_due: date | None
    answered_on: date | None
    answer_text: str
    status_label: str
    published_on: date | None
    referred_on: date | None


def institution_view(report: Report) -> InstitutionReport:
    if report.status == ReportStatus.ARCHIVED:
        label = "已办结"
    elif report.answered_on:
        label = "已答复"
    else:
        label = "待答复"
    return InstitutionReport(
        id=report.pk,
        number=report.number,
        categories=[f"{c} {ReportCategory(c).label}" for c in report.categories],
        notice_text=report.notice_text,
        notified_on=report.notified_on,
        answer_due=report.answer_due,
        answered_on=report.answered_on,
        answer_text=report.answer_text,
        status_label=label,
        published_on=report.published_on,
        referred_on=report.referred_on,
    )


QUEUE_COLUMNS = ["编号", "被举报机构", "举报方式", "类别", "状态", "等待事项", "期限", "举报人"]


def queue_csv(reports: list[Report]) -> bytes:
    """The staff queue as CSV (UTF-8 with BOM for Excel, core/spreadsheets: typed text never
    becomes a formula): the reporter as a pseudonym."""
    return csv_bytes(
        [
            QUEUE_COLUMNS,
            *(
                [
                    r.number,
                    r.institution.short_name,
                    r.get_channel_display(),
                    "、".join(r.categories),
                    r.get_status_display(),
                    DueKind(r.next_due_kind).label if r.next_due_kind else "",
                    r.next_due or "",
                    r.pseudonym,
                ]
                for r in reports
            ),
        ]
    )


INSTITUTION_COLUMNS = ["编号", "类别", "通知日期", "答复期限", "答复日期", "状态", "通知内容"]


def institution_csv(views: list[InstitutionReport]) -> bytes:
    return csv_bytes(
        [
            INSTITUTION_COLUMNS,
            *(
                [
                    v.number,
                    "、".join(v.categories),
                    v.notified_on or "",
                    v.answer_due or "",
                    v.answered_on or "",
                    v.status_label,
                    v.notice_text,
                ]
                for v in views
            ),
        ]
    )


def open_statuses() -> tuple[str, ...]:
    return tuple(OPEN_STATUSES)


def lender_complaints(lender) -> QuerySet[LenderComplaint]:
    return LenderComplaint.objects.filter(lender=lender).select_related("institution", "report")


def taken_over_complaints(*, status: str = "") -> QuerySet[LenderComplaint]:
    """Complaints against institutions whose queue the working group's 专班 has taken over
    (exited, or under investigation: 001 三)."""
    from winddown.cases.complaints import TAKEOVER_STATUSES

    rows = LenderComplaint.objects.filter(institution__status__in=TAKEOVER_STATUSES).select_related(
        "lender", "institution"
    )
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("answered_on", "answer_due", "id")


def institution_complaints(institution_id: int, *, status: str = "") -> QuerySet[LenderComplaint]:
    """An institution's complaint queue: open ones first, by answer deadline."""
    rows = LenderComplaint.objects.filter(institution_id=institution_id).select_related("lender")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("answered_on", "answer_due", "id")


def discipline_cases(*, institution_id: int | None = None, served_only: bool = False):
    from winddown.cases.models import DisciplinaryCase

    rows = DisciplinaryCase.objects.select_related("institution")
    if institution_id is not None:
        rows = rows.filter(institution_id=institution_id)
    if served_only:
        rows = rows.filter(notice_served_on__isnull=False)
    return rows.order_by("status", "-opened_on", "-id")


def public_sanctions(institution_id: int | None = None) -> list:
    """What the association publishes (惩戒办法 第五条（三） 官网公示; 第十七条: a quashed
    decision is announced): served decisions with S3, and quashings. For the institution's
    public disclosure pages and the association's list."""
    from winddown.cases.models import DisciplinaryCase

    rows = DisciplinaryCase.objects.filter(decision_served_on__isnull=False).select_related(
        "institution"
    )
    if institution_id is not None:
        rows = rows.filter(institution_id=institution_id)
    return [c for c in rows.order_by("-decision_served_on", "-id") if c.published]
