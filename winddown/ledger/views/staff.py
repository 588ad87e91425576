"""Staff console pages of the loan ledger (namespace "ledger"): the ledgers an officer or
operator may see, an institution's ledger and its upload, import results."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from winddown.accounts.permissions import staff_required
from winddown.accounts.roles import Role
from winddown.audit.services import actor_from_request
from winddown.core.errors import DomainError
from winddown.institutions.selectors import access_institution_by_id, visible_institutions
from winddown.ledger import policies, selectors, services
from winddown.ledger.access import access_import_by_id, access_loan_by_id
from winddown.ledger.importers import OPTIONAL, REQUIRED, FileKind
from winddown.ledger.models import Loan
from winddown.ledger.policies import can_record_collection
from winddown.ledger.vocab import CollectionKind, Product


@staff_required()
def ledger_index(request):
    rows = [
        (institution, selectors.active_ledger(institution))
        for institution in visible_institutions(request.user).order_by("short_name")
    ]
    return render(request, "ledger/staff/index.html", {"rows": rows})


@staff_required()
def ledger_overview(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    context = {
        "institution": institution,
        "ledger": selectors.active_ledger(institution),
        "versions": selectors.ledger_versions(institution)[:20],
        "imports": selectors.ledger_imports(institution),
        "can_upload": request.user.role == Role.OPERATOR,
        "columns": [(kind.label, REQUIRED[kind], OPTIONAL[kind]) for kind in FileKind],
        "limit_mb": services.UPLOAD_LIMIT_MB,
    }
    return render(request, "ledger/staff/overview.html", context)


@require_POST
@staff_required(Role.OPERATOR)
def ledger_upload(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    uploads = request.FILES.getlist("files")
    try:
        result = services.ledger_upload(
            institution=institution,
            uploads=uploads,
            user=request.user,
            actor=actor_from_request(request),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("ledger:staff-overview", institution_id=institution.pk)
    return redirect("ledger:staff-import", import_id=result.record.pk)


@staff_required()
def import_detail(request, import_id: int):
    job = access_import_by_id(request.user, import_id)
    return render(request, "ledger/staff/import.html", {"job": job, "institution": job.institution})


# --- Loans, schedules, overdue, AH-05 ------------------------------------------------------


def _as_of(request) -> date:
    """The as-of day from ?as_of=YYYY-MM-DD (today in Asia/Shanghai otherwise)."""
    raw = request.GET.get("as_of", "")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return timezone.localdate()


def _ledger_or_404(institution):
    ledger = selectors.active_ledger(institution)
    if ledger is None:
        raise Http404("该机构尚未导入借款台账")
    return ledger


@staff_required()
def loan_list(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    ledger = _ledger_or_404(institution)
    as_of = _as_of(request)
    bucket = request.GET.get("bucket", "")
    wanted = selectors.LoanFilter(
        product=request.GET.get("product", "")
        if request.GET.get("product") in set(Product)
        else "",
        status=request.GET.get("status", "")
        if request.GET.get("status") in selectors.STATUS_LABELS
        else "",
        bucket=int(bucket) if bucket in ("30", "60", "90") else None,
        guarantor=request.GET.get("guarantor", "").strip()[:100],
    )
    rows = [
        (loan, at, selectors.STATUS_LABELS[status])
        for loan, at, status in selectors.filtered_loans(ledger, as_of, wanted)
    ]
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ledger/staff/loans.html",
        {
            "institution": institution,
            "ledger": ledger,
            "as_of": as_of,
            "page": page,
            "count": len(rows),
            "wanted": wanted,
            "products": [(p.value, p.label) for p in Product],
            "statuses": selectors.STATUS_LABELS.items(),
            "guarantors": selectors.guarantors(ledger),
            "query": query.urlencode(),
        },
    )


@staff_required()
def loan_detail(request, loan_id: int):
    loan = access_loan_by_id(request.user, loan_id)
    institution = loan.version.institution
    as_of = _as_of(request)
    started = loan.value_date <= as_of
    found = selectors.loan_position(loan, as_of) if started else None
    return render(
        request,
        "ledger/staff/loan.html",
        {
            "institution": institution,
            "ledger": loan.version,
            "loan": loan,
            "as_of": as_of,
            "position": found,
            "status": selectors.STATUS_LABELS[selectors.loan_status(loan, found)],
            "penalty_fen": selectors.loan_penalty_fen(loan, as_of) if started else 0,
            "lines": selectors.loan_lines(loan, as_of),
            "holdings": loan.holdings.order_by("row_number"),
            "actions": selectors.loan_actions(institution, loan.number),
            "can_collect": can_record_collection(request.user)
            and policies.collection_refusal(loan, found) is None,
            "kinds": [(k.value, k.label) for k in CollectionKind],
        },
    )


@staff_required()
def overdue_dashboard(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    ledger = _ledger_or_404(institution)
    as_of = _as_of(request)
    return render(
        request,
        "ledger/staff/overdue.html",
        {
            "institution": institution,
            "ledger": ledger,
            "as_of": as_of,
            **selectors.overdue_dashboard(ledger, as_of),
        },
    )


def _default_period() -> str:
    today = timezone.localdate()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}-{month:02d}"


@staff_required()
def ah05_page(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    _ledger_or_404(institution)
    period = request.GET.get("period", "") or _default_period()
    try:
        year, month = selectors.parse_period(period)
        ledger, table = selectors.ah05_table(institution, year, month)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("ledger:staff-ah05", institution_id=institution.pk)
    code = request.GET.get("code", "")
    drill = None
    known = {f.code: f for f in [*table.figures, *table.flags]}
    if code:
        if code not in known:
            raise Http404("指标不存在")
        ids = set(known[code].loans)
        drill_loans = Loan.objects.filter(pk__in=ids).select_related("borrower").order_by("number")
        drill = {
            "item": known[code],
            "page": Paginator(drill_loans, 100).get_page(request.GET.get("page")),
        }
    return render(
        request,
        "ledger/staff/ah05.html",
        {
            "institution": institution,
            "ledger": ledger,
            "period": f"{year:04d}-{month:02d}",
            "table": table,
            "drill": drill,
        },
    )


# --- Collection and reconciliation ---------------------------------------------------------


@require_POST
@staff_required(Role.OPERATOR)
def collection_add(request, loan_id: int):
    loan = access_loan_by_id(request.user, loan_id)
    months = request.POST.get("plan_months", "").strip()
    start = request.POST.get("plan_start", "").strip()
    try:
        plan_start = date.fromisoformat(start) if start else None
    except ValueError:
        plan_start = None
    try:
        services.collection_record(
            loan=loan,
            kind=request.POST.get("kind", ""),
            note=request.POST.get("note", ""),
            recording_ref=request.POST.get("recording_ref", ""),
            plan_months=int(months) if months.isdigit() else None,
            plan_start=plan_start,
            user=request.user,
            actor=actor_from_request(request),
        )
        messages.success(request, "已登记催收记录")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('ledger:staff-loan', args=[loan.pk])}#collection")


@staff_required()
def collection_queue(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    ledger = _ledger_or_404(institution)
    as_of = _as_of(request)
    rows = selectors.collection_queue(institution, as_of)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "ledger/staff/queue.html",
        {"institution": institution, "ledger": ledger, "as_of": as_of, "page": page},
    )


@staff_required()
def reconciliation_page(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    ledger = _ledger_or_404(institution)
    as_of = _as_of(request)
    result = selectors.reconciliation(institution, as_of)
    show = request.GET.get("show", "differences")
    lines = result.differences if show == "differences" else result.lines
    page = Paginator(lines, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "ledger/staff/reconciliation.html",
        {
            "institution": institution,
            "ledger": ledger,
            "as_of": as_of,
            "result": result,
            "page": page,
            "show": show,
        },
    )


@require_POST
@staff_required(Role.OPERATOR)
def register_generate(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    as_of = _as_of(request) if "as_of" in request.GET else timezone.localdate()
    back = redirect("ledger:staff-reconciliation", institution_id=institution.pk)
    try:
        result = services.register_generate(
            institution=institution,
            as_of=as_of,
            user=request.user,
            actor=actor_from_request(request),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return back
    if not result.ok:
        messages.error(request, "；".join(str(e) for e in result.errors[:5]))
        return back
    messages.success(request, f"已由借款台账生成债权登记表第{result.version.number}版（待启用）")
    return redirect("claims:staff-version", version_id=result.version.pk)
