"""Pages of disciplinary cases: the association's list, opening, a case with its steps and
timeline, the PDFs; the institution's cases with its defence and appeal; the seal upload;
the public list of published sanctions (官网公示, and announced quashings)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from winddown.accounts.permissions import staff_required
from winddown.accounts.roles import Role
from winddown.audit.services import actor_from_request, record
from winddown.cases import discipline, documents, policies, selectors
from winddown.cases.access import (
    access_discipline_by_id,
    access_report_by_id,
    access_served_discipline_by_id,
)
from winddown.cases.audit_actions import CasesAction
from winddown.cases.models import (
    MEMBERS_ONLY,
    AppealOutcome,
    DisciplineOutcome,
    DisciplineSource,
    DisciplineStatus,
    Mitigation,
    Sanction,
    ServiceMethod,
)
from winddown.cases.views.institution import _institution_id
from winddown.core.errors import DomainError
from winddown.core.file_responses import file_response
from winddown.institutions.selectors import all_institutions

ASSOCIATION = Role.ASSOCIATION_OFFICER


@staff_required(ASSOCIATION)
def case_list(request):
    return render(
        request,
        "cases/staff/discipline_list.html",
        {
            "cases": selectors.discipline_cases()[:500],
            "is_handler": policies.is_handler(request.user),
        },
    )


@staff_required(ASSOCIATION)
def case_new(request):
    if not policies.is_handler(request.user):
        raise PermissionDenied("只有协会指定的投诉举报专人可以立案")
    report = None
    raw = request.GET.get("report") or request.POST.get("report") or ""
    if raw.isdigit():
        report = access_report_by_id(request.user, int(raw))
    keys = ("institution", "source", "source_summary", "facts", "reasons", "basis",
            "responsible_person")  # fmt: skip
    values = {key: request.POST.get(key, "") for key in keys}
    if request.method == "GET" and report is not None:
        values.update(
            institution=str(report.institution_id),
            source="report",
            source_summary=f"举报 {report.number} 调查结论：{report.findings}",
            facts=report.notice_text or "",
        )
    values["is_member"] = request.POST.get("is_member", "1") == "1"
    errors: dict[str, str] = {}
    institutions = all_institutions()
    if request.method == "POST":
        chosen = values["institution"]
        institution = institutions.filter(pk=chosen).first() if chosen.isdigit() else None
        if institution is None:
            errors = {"institution": "请选择被惩戒的机构"}
        else:
            try:
                case = discipline.discipline_open(
                    user=request.user,
                    institution=institution,
                    source=values["source"],
                    source_summary=values["source_summary"],
                    facts=values["facts"],
                    reasons=values["reasons"],
                    basis=values["basis"],
                    responsible_person=values["responsible_person"],
                    is_member=values["is_member"],
                    report=report,
                    actor=actor_from_request(request),
                )
            except DomainError as exc:
                errors = {exc.field or "form": exc.message}
            else:
                return redirect("cases:staff-discipline", case_id=case.pk)
    return render(
        request,
        "cases/staff/discipline_new.html",
        {
            "institutions": institutions,
            "sources": DisciplineSource.choices,
            "values": values,
            "errors": errors,
            "report": report,
        },
        status=400 if errors else 200,
    )


def _detail(request, case, errors=None, status=200):
    from winddown.cases.models import CaseOfficer, CommitteeBallot, Designation

    votes = list(case.votes.all())
    cast = {
        v.pk: CommitteeBallot.objects.filter(vote=v).count() for v in votes if v.closed_at is None
    }
    committee_members = CaseOfficer.objects.filter(
        designation=Designation.COMMITTEE
    ).select_related("user")
    return render(
        request,
        "cases/staff/discipline.html",
        {
            "case": case,
            "steps": list(case.steps.all()),
            "is_handler": policies.is_handler(request.user),
            "methods": ServiceMethod.choices,
            "outcomes": DisciplineOutcome.choices,
            "sanctions": [
                (value, label, value in MEMBERS_ONLY) for value, label in Sanction.choices
            ],
            "mitigations": Mitigation.choices,
            "appeal_outcomes": AppealOutcome.choices,
            "votes": [(v, cast.get(v.pk)) for v in votes],
            "committee_members": committee_members,
            "errors": errors or {},
        },
        status=status,
    )


@staff_required(ASSOCIATION)
def case_detail(request, case_id: int):
    return _detail(request, access_discipline_by_id(request.user, case_id))


def _number(raw: str) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None  # the online vote's count
    return int(raw) if raw.isdigit() and len(raw) < 4 else -1


def _step(step: str, case, request):
    p, user, actor = request.POST, request.user, actor_from_request(request)
    if step == "notice":
        return discipline.notice_serve(
            case=case, user=user, method=p.get("method", ""), actor=actor
        )
    if step == "decide":
        return discipline.discipline_decide(
            case=case,
            user=user,
            members=_number(p.get("members")),
            yes=_number(p.get("yes")),
            no=_number(p.get("no")),
            abstain=_number(p.get("abstain")),
            outcome=p.get("outcome", ""),
            sanctions=p.getlist("sanctions"),
            mitigations=p.getlist("mitigations"),
            mitigation_note=p.get("mitigation_note", ""),
            conclusion=p.get("conclusion", ""),
            actor=actor,
        )
    if step == "serve":
        return discipline.decision_serve(
            case=case, user=user, method=p.get("method", ""), actor=actor
        )
    if step == "appeal":
        return discipline.appeal_decide(
            case=case,
            user=user,
            outcome=p.get("outcome", ""),
            text=p.get("text", ""),
            sanctions=p.getlist("sanctions") or None,
            actor=actor,
        )
    if step == "refer":
        return discipline.discipline_refer(
            case=case, user=user, note=p.get("text", ""), actor=actor
        )
    raise PermissionDenied("没有该办理步骤")


@require_POST
@staff_required(ASSOCIATION)
def case_step(request, case_id: int, step: str):
    case = access_discipline_by_id(request.user, case_id)
    try:
        _step(step, case, request)
    except DomainError as exc:
        case.refresh_from_db()
        return _detail(request, case, {step: exc.message}, status=exc.http_status)
    return redirect("cases:staff-discipline", case_id=case.pk)


def _pdf(request, case, kind: str):
    if kind not in ("notice", "decision", "appeal"):
        raise Http404("没有该文书")
    if kind == "decision" and case.decided_on is None:
        raise PermissionDenied("尚未作出惩戒决定")
    if kind == "appeal" and case.appeal_decided_on is None:
        raise PermissionDenied("尚未作出申诉审议决定")
    build = {
        "notice": documents.notice_pdf,
        "decision": documents.decision_pdf,
        "appeal": documents.appeal_decision_pdf,
    }[kind]
    data = build(case)
    record(
        actor=actor_from_request(request),
        action=CasesAction.DOCUMENT_DOWNLOADED,
        obj=case,
        institution_id=case.institution_id,
        after={"document": kind},
    )
    title = {"notice": "惩戒告知书", "decision": "惩戒决定书", "appeal": "申诉审议决定书"}[kind]
    return file_response(
        data,
        content_type="application/pdf",
        filename=f"{title}-{case.number}.pdf",
        disposition="inline",
    )


@staff_required(ASSOCIATION)
def case_pdf(request, case_id: int, kind: str):
    return _pdf(request, access_discipline_by_id(request.user, case_id), kind)


@staff_required(Role.OPERATOR)
def institution_list(request):
    cases = selectors.discipline_cases(institution_id=_institution_id(request), served_only=True)
    return render(request, "cases/institution/discipline_list.html", {"cases": cases[:200]})


@staff_required(Role.OPERATOR)
def institution_detail(request, case_id: int):
    case = access_served_discipline_by_id(request.user, case_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        actor = actor_from_request(request)
        try:
            if request.POST.get("kind") == "appeal":
                discipline.appeal_file(
                    case=case, user=request.user, text=request.POST.get("text", ""), actor=actor
                )
            else:
                discipline.defence_submit(
                    case=case,
                    user=request.user,
                    text=request.POST.get("text", ""),
                    hearing=request.POST.get("hearing") == "1",
                    actor=actor,
                )
        except DomainError as exc:
            errors = {request.POST.get("kind") or "defence": exc.message}
        else:
            return redirect("cases:institution-discipline", case_id=case.pk)
        case.refresh_from_db()
    return render(
        request,
        "cases/institution/discipline.html",
        {
            "case": case,
            "steps": list(case.steps.all()),
            "errors": errors,
            "can_defend": case.status == DisciplineStatus.NOTICE_SERVED,
            "can_appeal": case.status == DisciplineStatus.SERVED and case.appealed_on is None,
        },
        status=409 if errors else 200,
    )


@staff_required(Role.OPERATOR)
def institution_pdf(request, case_id: int, kind: str):
    case = access_served_discipline_by_id(request.user, case_id)
    if kind == "decision" and case.decision_served_on is None:
        raise PermissionDenied("惩戒决定书尚未送达")
    return _pdf(request, case, kind)


@staff_required(Role.SYSADMIN)
def seal(request):
    if request.method == "POST":
        upload = request.FILES.get("seal")
        if upload is None:
            messages.error(request, "请选择印章图片（PNG 或 JPG）")
        else:
            try:
                discipline.seal_upload(
                    user=request.user, upload=upload, actor=actor_from_request(request)
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "已更新协会印章，此后生成的文书将使用新印章")
        return redirect("cases:staff-seal")
    return render(request, "cases/staff/seal.html", {"name": documents.association_name()})


def public_sanctions(request):
    """The association's public list (官网公示); no personal data is involved."""
    raw = request.GET.get("institution", "")
    institution_id = int(raw) if raw.isdigit() and len(raw) < 12 else None
    return render(
        request,
        "cases/public_sanctions.html",
        {
            "cases": selectors.public_sanctions(institution_id),
            "name": documents.association_name(),
        },
    )
