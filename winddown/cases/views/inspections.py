"""Pages of inspections and off-site monitoring flags: the association plans and runs them;
the inspected institution answers document requests with uploads and reports its
rectification."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from winddown.accounts.permissions import staff_required
from winddown.accounts.roles import Role
from winddown.accounts.selectors import staff_users
from winddown.audit.selectors import object_history
from winddown.audit.services import actor_from_request, record
from winddown.cases import documents, inspections, policies
from winddown.cases.access import access_inspection_by_id, access_notified_inspection_by_id
from winddown.cases.audit_actions import CasesAction
from winddown.cases.models import (
    DocumentFile,
    Inspection,
    InspectionKind,
    MonitoringFlag,
    RectificationOrder,
)
from winddown.cases.views.institution import _institution_id
from winddown.core.errors import DomainError
from winddown.core.file_responses import file_response
from winddown.institutions.selectors import all_institutions

ASSOCIATION = Role.ASSOCIATION_OFFICER


def _officers():
    return staff_users().filter(role=ASSOCIATION, is_active=True)


def _team(request):
    ids = [int(i) for i in request.POST.getlist("team") if i.isdigit()]
    return list(_officers().filter(pk__in=ids))


@staff_required(ASSOCIATION)
def inspection_list(request):
    return render(
        request,
        "cases/staff/inspections.html",
        {
            "inspections": Inspection.objects.select_related("institution")[:500],
            "flags": MonitoringFlag.objects.select_related("institution").filter(
                dismissed_on__isnull=True
            )[:200],
            "is_handler": policies.is_handler(request.user),
        },
    )


@staff_required(ASSOCIATION)
def inspection_new(request):
    if not policies.is_handler(request.user):
        raise PermissionDenied("只有协会指定的专人可以制定检查计划")
    errors: dict[str, str] = {}
    flag = None
    raw_flag = request.GET.get("flag") or request.POST.get("flag") or ""
    if raw_flag.isdigit():
        flag = MonitoringFlag.objects.filter(pk=int(raw_flag)).first()
    if request.method == "POST":
        actor = actor_from_request(request)
        try:
            if flag is not None:
                inspection = inspections.flag_open_inspection(
                    flag=flag, user=request.user, team=_team(request), actor=actor
                )
            else:
                raw = request.POST.get("institution", "")
                institution = all_institutions().filter(pk=raw).first() if raw.isdigit() else None
                if institution is None:
                    raise DomainError(inspections.E.INSTITUTION_REQUIRED, field="institution")
                inspection = inspections.inspection_plan(
                    user=request.user,
                    institution=institution,
                    kind=request.POST.get("kind", ""),
                    scope=request.POST.get("scope", ""),
                    team=_team(request),
                    actor=actor,
                )
        except DomainError as exc:
            errors = {exc.field or "form": exc.message}
        else:
            return redirect("cases:staff-inspection", inspection_id=inspection.pk)
    return render(
        request,
        "cases/staff/inspection_new.html",
        {
            "institutions": all_institutions(),
            "kinds": InspectionKind.choices,
            "officers": _officers(),
            "flag": flag,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def timeline(inspection) -> list:
    """The inspection's steps, from its audit rows (who and when)."""
    actions = [
        a.value
        for a in CasesAction
        if a.value.startswith(("cases.inspection", "cases.rectification"))
    ]
    labels = dict(CasesAction.choices)
    return [
        {"at": e.created_at, "actor": e.actor_label, "label": labels.get(e.action, e.action)}
        for e in object_history(
            object_type="cases.inspection",
            object_id=inspection.pk,
            institution_id=inspection.institution_id,
            actions=actions,
        )
    ]


def _pdf(request, inspection, kind: str):
    if kind == "notice" and inspection.notified_on is None:
        raise PermissionDenied("尚未通知被检查机构")
    if kind == "report" and inspection.reported_on is None:
        raise PermissionDenied("尚未出具检查报告")
    if kind not in ("notice", "report"):
        raise Http404("没有该文书")
    build = documents.inspection_notice_pdf if kind == "notice" else documents.inspection_report_pdf
    record(
        actor=actor_from_request(request),
        action=CasesAction.DOCUMENT_DOWNLOADED,
        obj=inspection,
        institution_id=inspection.institution_id,
        after={"document": f"inspection_{kind}"},
    )
    title = "检查通知书" if kind == "notice" else "检查报告"
    return file_response(
        build(inspection),
        content_type="application/pdf",
        filename=f"{title}-{inspection.number}.pdf",
        disposition="inline",
    )


@staff_required(ASSOCIATION)
def inspection_pdf(request, inspection_id: int, kind: str):
    return _pdf(request, access_inspection_by_id(request.user, inspection_id), kind)


@staff_required(Role.OPERATOR)
def institution_pdf(request, inspection_id: int, kind: str):
    return _pdf(request, access_notified_inspection_by_id(request.user, inspection_id), kind)


def _detail(request, inspection, errors=None, status=200):
    return render(
        request,
        "cases/staff/inspection.html",
        {
            "inspection": inspection,
            "requests": inspection.requests.prefetch_related("files"),
            "rectifications": inspection.rectifications.all(),
            "is_handler": policies.is_handler(request.user),
            "officers": _officers(),
            "steps": timeline(inspection),
            "errors": errors or {},
        },
        status=status,
    )


@staff_required(ASSOCIATION)
def inspection_detail(request, inspection_id: int):
    return _detail(request, access_inspection_by_id(request.user, inspection_id))


@require_POST
@staff_required(ASSOCIATION)
def inspection_step(request, inspection_id: int, step: str):
    inspection = access_inspection_by_id(request.user, inspection_id)
    p, user, actor = request.POST, request.user, actor_from_request(request)
    try:
        if step == "notify":
            inspections.inspection_notify(inspection=inspection, user=user, actor=actor)
        elif step == "request":
            inspections.documents_request(
                inspection=inspection, user=user, description=p.get("text", ""), actor=actor
            )
        elif step == "start":
            inspections.fieldwork_start(inspection=inspection, user=user, actor=actor)
        elif step == "end":
            inspections.fieldwork_end(
                inspection=inspection, user=user, findings=p.get("text", ""), actor=actor
            )
        elif step == "report":
            orders = [
                (line.strip(), 20)
                for line in p.get("rectifications", "").splitlines()
                if line.strip()
            ]
            inspections.inspection_report(
                inspection=inspection,
                user=user,
                report_text=p.get("text", ""),
                rectifications=orders,
                actor=actor,
            )
        elif step == "refused":
            inspections.inspection_refused(
                inspection=inspection, user=user, note=p.get("text", ""), actor=actor
            )
        elif step in ("accept", "followup"):
            raw = p.get("order", "")
            order = RectificationOrder.objects.filter(
                inspection=inspection, pk=int(raw) if raw.isdigit() else 0
            ).first()
            if order is None:
                raise Http404("整改要求不存在")
            if step == "accept":
                inspections.rectification_accept(order=order, user=user, actor=actor)
            else:
                follow = inspections.followup_plan(
                    order=order, user=user, team=_team(request), actor=actor
                )
                return redirect("cases:staff-inspection", inspection_id=follow.pk)
        else:
            raise Http404("没有该步骤")
    except DomainError as exc:
        inspection.refresh_from_db()
        return _detail(request, inspection, {step: exc.message}, status=exc.http_status)
    return redirect("cases:staff-inspection", inspection_id=inspection.pk)


@require_POST
@staff_required(ASSOCIATION)
def flag_action(request, flag_id: int, action: str):
    flag = MonitoringFlag.objects.filter(pk=flag_id).first()
    if flag is None:
        raise Http404("预警不存在")
    actor = actor_from_request(request)
    try:
        if action == "dismiss":
            inspections.flag_dismiss(
                flag=flag, user=request.user, reason=request.POST.get("text", ""), actor=actor
            )
        elif action == "case":
            case = inspections.flag_open_case(
                flag=flag,
                user=request.user,
                responsible_person=request.POST.get("responsible_person", "") or "（待补充）",
                actor=actor,
            )
            return redirect("cases:staff-discipline", case_id=case.pk)
        else:
            raise Http404("没有该操作")
    except DomainError as exc:
        raise PermissionDenied(exc.message) from None
    return redirect("cases:staff-inspections")


def _file(request, inspection, file_id: int):
    item = DocumentFile.objects.filter(request__inspection=inspection, pk=file_id).first()
    if item is None:
        raise Http404("资料不存在")
    return file_response(
        item.file.chunks(), content_type=item.content_type, filename=item.name, disposition="inline"
    )


@staff_required(ASSOCIATION)
def inspection_file(request, inspection_id: int, file_id: int):
    return _file(request, access_inspection_by_id(request.user, inspection_id), file_id)


@staff_required(Role.OPERATOR)
def institution_list(request):
    rows = Inspection.objects.filter(
        institution_id=_institution_id(request), notified_on__isnull=False
    )
    return render(request, "cases/institution/inspections.html", {"inspections": rows[:200]})


@staff_required(Role.OPERATOR)
def institution_detail(request, inspection_id: int):
    inspection = access_notified_inspection_by_id(request.user, inspection_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        actor = actor_from_request(request)
        raw = request.POST.get("item", "")
        item_id = int(raw) if raw.isdigit() else 0
        try:
            if request.POST.get("kind") == "rectification":
                order = inspection.rectifications.filter(pk=item_id).first()
                if order is None:
                    raise Http404("整改要求不存在")
                inspections.rectification_report(
                    order=order, user=request.user, text=request.POST.get("text", ""), actor=actor
                )
            else:
                document_request = inspection.requests.filter(pk=item_id).first()
                if document_request is None:
                    raise Http404("资料要求不存在")
                inspections.documents_answer(
                    request=document_request,
                    user=request.user,
                    files=request.FILES.getlist("files"),
                    note=request.POST.get("text", ""),
                    actor=actor,
                )
        except DomainError as exc:
            errors = {str(item_id): exc.message}
        else:
            return redirect("cases:institution-inspection", inspection_id=inspection.pk)
    return render(
        request,
        "cases/institution/inspection.html",
        {
            "inspection": inspection,
            "requests": inspection.requests.prefetch_related("files"),
            "rectifications": inspection.rectifications.all(),
            "steps": timeline(inspection),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@staff_required(Role.OPERATOR)
def institution_file(request, inspection_id: int, file_id: int):
    return _file(request, access_notified_inspection_by_id(request.user, inspection_id), file_id)
