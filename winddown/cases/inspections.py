"""Writes for inspections (检查办法; spec C.3, C.4) and off-site monitoring flags: planning
with a team, the notice, document requests the institution answers with uploads, fieldwork,
findings and the report, rectification orders with deadlines and their follow-up (a 后续检查
when needed), a refusal to be inspected (第七条: 事实公示). Each flag can open an inspection
or a disciplinary case. One transaction each, audited."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from winddown.accounts.roles import Role
from winddown.audit.services import Actor, record
from winddown.cases import monitoring, policies, services
from winddown.cases.audit_actions import CasesAction
from winddown.cases.errors import CasesErrorCode as E
from winddown.cases.models import (
    DocumentFile,
    DocumentRequest,
    Inspection,
    InspectionKind,
    InspectionStatus,
    MonitoringFlag,
    RectificationOrder,
)
from winddown.core import private_files
from winddown.core.errors import DomainError
from winddown.pii.normalize import clean_text

if TYPE_CHECKING:
    from winddown.accounts.models import User
    from winddown.institutions.models import Institution

TEAM_MINIMUM = 2  # I‑30 (letters need "两人以上", 举报办法 第十条)
NOTICE_DAYS = 5  # I‑31, 0 for 临时检查
REPORT_DAYS = 10  # I‑31
RECTIFICATION_DAYS = 20  # I‑32
DOCUMENT_DAYS = 5


def _handler(user: User) -> None:
    if refusal := policies.handler_refusal(user):
        raise refusal


def _text(value: str, label: str) -> str:
    value = clean_text(value or "").strip()
    if not value:
        raise DomainError(E.TEXT_REQUIRED, field="text", label=label)
    return value[:10_000]


def _audit(inspection: Inspection, action: CasesAction, actor: Actor, **after) -> None:
    record(
        actor=actor,
        action=action,
        obj=inspection,
        institution_id=inspection.institution_id,
        after={"number": inspection.number, "status": inspection.status, **after},
    )


def _state(inspection: Inspection, allowed: tuple, action: str) -> None:
    if inspection.status not in allowed:
        raise DomainError(E.INSPECTION_STATE, status=inspection.get_status_display(), action=action)


def _locked(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_for_update().get(pk=inspection.pk)


@transaction.atomic
def inspection_plan(
    *,
    user: User,
    institution: Institution,
    kind: str,
    scope: str,
    team: list[User],
    flag: MonitoringFlag | None = None,
    parent: Inspection | None = None,
    actor: Actor,
) -> Inspection:
    _handler(user)
    if kind not in InspectionKind.values:
        raise DomainError(E.TEXT_REQUIRED, field="kind", label="检查类型")
    team = list({u.pk: u for u in team}.values())
    if any(u.role != Role.ASSOCIATION_OFFICER for u in team):
        raise DomainError(E.TEAM_MEMBER_INVALID, field="team")
    if kind != InspectionKind.OFFSITE and len(team) < TEAM_MINIMUM:
        raise DomainError(E.TEAM_TOO_SMALL, field="team", minimum=TEAM_MINIMUM, count=len(team))
    day = services.today()
    inspection = services.create_numbered(
        Inspection,
        "JC",
        day.year,
        institution=institution,
        kind=kind,
        scope=_text(scope, "检查范围"),
        team=[u.pk for u in team],
        team_names=[u.display_name or u.username for u in team],
        planned_on=day,
        flag=flag,
        parent=parent,
    )
    _audit(inspection, CasesAction.INSPECTION_PLANNED, actor, kind=kind, team=inspection.team)
    return inspection


@transaction.atomic
def inspection_notify(*, inspection: Inspection, user: User, actor: Actor) -> Inspection:
    """The written notice (I‑31): fieldwork no earlier than 5 working days later (临时: 0)."""
    _handler(user)
    inspection = _locked(inspection)
    _state(inspection, (InspectionStatus.PLANNED,), "通知被检查机构")
    inspection.notified_on = services.today()
    days = 0 if inspection.kind in (InspectionKind.ADHOC, InspectionKind.OFFSITE) else NOTICE_DAYS
    inspection.fieldwork_from = (
        services._add(inspection.notified_on, days) if days else inspection.notified_on
    )
    inspection.status = InspectionStatus.NOTIFIED
    inspection.save()
    _audit(
        inspection,
        CasesAction.INSPECTION_NOTIFIED,
        actor,
        fieldwork_from=str(inspection.fieldwork_from),
    )
    return inspection


@transaction.atomic
def documents_request(
    *,
    inspection: Inspection,
    user: User,
    description: str,
    days: int = DOCUMENT_DAYS,
    actor: Actor,
) -> DocumentRequest:
    _handler(user)
    _state(
        inspection,
        (InspectionStatus.NOTIFIED, InspectionStatus.FIELDWORK),
        "要求提供资料",
    )
    day = services.today()
    request = DocumentRequest.objects.create(
        inspection=inspection,
        description=_text(description, "所需资料"),
        requested_on=day,
        due=services._add(day, max(1, min(int(days), 60))),
    )
    _audit(inspection, CasesAction.INSPECTION_DOCUMENTS_REQUESTED, actor, request=request.pk)
    return request


def documents_answer(
    *, request: DocumentRequest, user: User, files, note: str = "", actor: Actor
) -> DocumentRequest:
    """The institution answers with uploads, all or nothing (documents or images, by content)."""
    if user.role != Role.OPERATOR:
        raise DomainError(E.NOT_OPERATOR)
    if request.answered_on is not None:
        raise DomainError(E.REQUEST_ANSWERED, day=request.answered_on)
    files = list(files or [])
    if not files:
        raise DomainError(E.DOCUMENTS_REQUIRED, field="files")
    stored = services._store_evidence(files)
    try:
        with transaction.atomic():
            locked = DocumentRequest.objects.select_for_update().get(pk=request.pk)
            if locked.answered_on is not None:
                raise DomainError(E.REQUEST_ANSWERED, day=locked.answered_on)
            DocumentFile.objects.bulk_create(
                DocumentFile(request=locked, path=s.path, name=s.name, content_type=s.content_type)
                for s in stored
            )
            locked.answered_on = services.today()
            locked.answer_note = clean_text(note or "")[:2000]
            locked.save()
            _audit(
                locked.inspection,
                CasesAction.INSPECTION_DOCUMENTS_ANSWERED,
                actor,
                request=locked.pk,
                files=len(stored),
            )
    except BaseException:
        for item in stored:
            private_files.delete(item.path)
        raise
    return locked


@transaction.atomic
def fieldwork_start(*, inspection: Inspection, user: User, actor: Actor) -> Inspection:
    _handler(user)
    inspection = _locked(inspection)
    _state(inspection, (InspectionStatus.NOTIFIED,), "开始检查")
    day = services.today()
    if inspection.fieldwork_from is not None and day < inspection.fieldwork_from:
        raise DomainError(E.FIELDWORK_TOO_EARLY, earliest=inspection.fieldwork_from)
    inspection.fieldwork_started_on = day
    inspection.status = InspectionStatus.FIELDWORK
    inspection.save()
    _audit(inspection, CasesAction.INSPECTION_FIELDWORK_STARTED, actor)
    return inspection


@transaction.atomic
def fieldwork_end(*, inspection: Inspection, user: User, findings: str, actor: Actor) -> Inspection:
    _handler(user)
    inspection = _locked(inspection)
    _state(inspection, (InspectionStatus.FIELDWORK,), "结束检查")
    inspection.findings = _text(findings, "检查发现")
    inspection.fieldwork_ended_on = services.today()
    inspection.report_due = services._add(inspection.fieldwork_ended_on, REPORT_DAYS)
    inspection.save()
    _audit(
        inspection,
        CasesAction.INSPECTION_FIELDWORK_ENDED,
        actor,
        report_due=str(inspection.report_due),
    )
    return inspection


@transaction.atomic
def inspection_report(
    *,
    inspection: Inspection,
    user: User,
    report_text: str,
    rectifications: list[tuple[str, int]] = (),
    actor: Actor,
) -> Inspection:
    """The report (惩戒办法 第九条: it can open a disciplinary case) and rectification orders,
    each with its deadline in working days (I‑32, default 20)."""
    _handler(user)
    inspection = _locked(inspection)
    _state(inspection, (InspectionStatus.FIELDWORK,), "出具检查报告")
    if inspection.fieldwork_ended_on is None:
        raise DomainError(E.INSPECTION_STATE, status="检查尚未结束", action="出具检查报告")
    inspection.report_text = _text(report_text, "检查报告")
    inspection.reported_on = services.today()
    inspection.status = InspectionStatus.REPORTED
    inspection.save()
    for requirement, days in rectifications:
        RectificationOrder.objects.create(
            inspection=inspection,
            requirement=_text(requirement, "整改要求"),
            due=services._add(inspection.reported_on, max(1, min(int(days), 120))),
        )
    _audit(inspection, CasesAction.INSPECTION_REPORTED, actor, rectifications=len(rectifications))
    return inspection


@transaction.atomic
def inspection_refused(
    *, inspection: Inspection, user: User, note: str, actor: Actor
) -> Inspection:
    """第七条: "如网贷机构拒绝相关检查，协会可在官网进行事实公示"."""
    _handler(user)
    inspection = _locked(inspection)
    inspection.refused_on = services.today()
    inspection.save()
    _audit(inspection, CasesAction.INSPECTION_REFUSED, actor, note=_text(note, "拒绝检查的事实"))
    return inspection


@transaction.atomic
def rectification_report(
    *, order: RectificationOrder, user: User, text: str, actor: Actor
) -> RectificationOrder:
    if user.role != Role.OPERATOR:
        raise DomainError(E.NOT_OPERATOR)
    order = (
        RectificationOrder.objects.select_for_update().select_related("inspection").get(pk=order.pk)
    )
    if order.accepted_on is not None:
        raise DomainError(E.RECTIFICATION_STATE, state="已验收")
    order.report_text = _text(text, "整改报告")
    order.reported_on = services.today()
    order.save()
    _audit(order.inspection, CasesAction.RECTIFICATION_REPORTED, actor, order=order.pk)
    return order


@transaction.atomic
def rectification_accept(
    *, order: RectificationOrder, user: User, actor: Actor
) -> RectificationOrder:
    _handler(user)
    order = (
        RectificationOrder.objects.select_for_update().select_related("inspection").get(pk=order.pk)
    )
    if order.reported_on is None:
        raise DomainError(E.RECTIFICATION_STATE, state="尚未提交整改报告")
    order.accepted_on = services.today()
    order.save()
    _audit(order.inspection, CasesAction.RECTIFICATION_ACCEPTED, actor, order=order.pk)
    inspection = _locked(order.inspection)
    if not inspection.rectifications.filter(accepted_on__isnull=True).exists():
        inspection.status = InspectionStatus.CLOSED
        inspection.closed_on = order.accepted_on
        inspection.save()
        _audit(inspection, CasesAction.INSPECTION_CLOSED, actor)
    return order


def followup_plan(*, order: RectificationOrder, user: User, team: list[User], actor: Actor):
    """I‑32: a 后续检查 of a rectification that is due or overdue."""
    inspection = order.inspection
    return inspection_plan(
        user=user,
        institution=inspection.institution,
        kind=InspectionKind.FOLLOWUP,
        scope=f"后续检查：{inspection.number} 整改要求“{order.requirement[:100]}”的落实情况",
        team=team,
        parent=inspection,
        actor=actor,
    )


def rectifications_sweep(*, day: date) -> int:
    """The daily task's part: rectification orders past their deadline without a report."""
    return RectificationOrder.objects.filter(
        reported_on__isnull=True, due__lt=day, overdue=False
    ).update(overdue=True)


# --- Off-site monitoring --------------------------------------------------------------------


def flags_raise(
    *,
    institution: Institution,
    current: monitoring.Figures,
    previous: monitoring.Figures | None = None,
    actor: Actor,
) -> list[MonitoringFlag]:
    """Evaluate one institution's filed figures (monitoring.evaluate) and keep each new flag
    once per kind and period, audited. The filings and ledger apps call this with their
    figures; ``manage.py cases_flags`` reads them from a JSON file."""
    raised = []
    for flag in monitoring.evaluate(current, previous):
        try:
            with transaction.atomic():
                row = MonitoringFlag.objects.create(
                    institution=institution,
                    kind=flag.kind,
                    period=current.period,
                    detail=flag.detail,
                    explanation=flag.explanation,
                    raised_on=services.today(),
                )
                record(
                    actor=actor,
                    action=CasesAction.FLAG_RAISED,
                    obj=row,
                    institution_id=institution.pk,
                    after={"kind": flag.kind, "period": current.period},
                )
        except IntegrityError:
            continue  # already raised for this period
        raised.append(row)
    return raised


@transaction.atomic
def flag_dismiss(*, flag: MonitoringFlag, user: User, reason: str, actor: Actor) -> MonitoringFlag:
    _handler(user)
    flag.dismissed_on = services.today()
    flag.dismiss_reason = _text(reason, "排除理由")
    flag.save()
    record(
        actor=actor, action=CasesAction.FLAG_DISMISSED, obj=flag, institution_id=flag.institution_id
    )
    return flag


def flag_open_inspection(*, flag: MonitoringFlag, user: User, team: list[User], actor: Actor):
    """A flag opens a 专项检查 (thematic) of what it points at."""
    return inspection_plan(
        user=user,
        institution=flag.institution,
        kind=InspectionKind.THEMATIC,
        scope=f"专项检查（非现场监测预警）：{flag.explanation}",
        team=team,
        flag=flag,
        actor=actor,
    )


def flag_open_case(*, flag: MonitoringFlag, user: User, responsible_person: str, actor: Actor):
    """A flag opens a disciplinary case directly (source: 非现场监测)."""
    from winddown.cases import discipline

    return discipline.discipline_open(
        user=user,
        institution=flag.institution,
        source="offsite",
        source_summary=f"非现场监测预警（{flag.period}）：{flag.explanation}",
        facts=flag.explanation,
        reasons=flag.get_kind_display(),
        basis="《安徽省互联网金融协会网络借贷信息中介机构现场检查和非现场检查办法》第九条",
        responsible_person=responsible_person,
        actor=actor,
    )
