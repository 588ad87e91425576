"""Staff console: institution operators, working-group and association officers, admins."""

from __future__ import annotations

import csv
import io
import time

import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from winddown.accounts import services as account_services
from winddown.accounts.models import User
from winddown.accounts.permissions import staff_required
from winddown.accounts.roles import INSTITUTION_ADMIN_ROLES, PII_FULL_VIEW_ROLES, Role
from winddown.audit.actions import AuditAction
from winddown.audit.models import AuditEntry
from winddown.audit.services import actor_from_request, record
from winddown.claims import selectors as claims_selectors
from winddown.claims import services as claims_services
from winddown.claims.access import (
    access_dispute_by_id,
    access_entry_by_id,
    access_import_by_id,
    access_version_by_id,
)
from winddown.claims.importers import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from winddown.claims.models import DisputeStatus, ImportStatus
from winddown.core.errors import DomainError
from winddown.institutions import services as institution_services
from winddown.institutions.models import InstitutionStatus
from winddown.institutions.selectors import access_institution_by_id, visible_institutions
from winddown.web.views.lender import attachment_response

PENDING_LOGIN_SECONDS = 300


# --- Sign-in: password, then TOTP (enrolling a device on first sign-in) --------------------


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("web:staff-dashboard")


def _pending_user(request) -> User | None:
    pending = request.session.get("pending_staff_login")
    if not pending or time.time() - pending["at"] > PENDING_LOGIN_SECONDS:
        return None
    return User.objects.filter(pk=pending["user_id"], is_active=True).first()


def login_page(request):
    context = {"next": _next(request), "error": "", "username": ""}
    if request.method == "POST":
        context["username"] = request.POST.get("username", "")
        try:
            user = account_services.check_staff_password(
                username=context["username"],
                password=request.POST.get("password", ""),
                actor=actor_from_request(request),
            )
        except DomainError as exc:
            context["error"] = exc.message
        else:
            request.session.cycle_key()
            request.session["pending_staff_login"] = {"user_id": user.pk, "at": time.time()}
            step = "web:staff-login-otp"
            if account_services.confirmed_totp_device(user) is None:
                step = "web:staff-login-enroll"
            return redirect(f"{reverse(step)}?next={context['next']}")
    return render(request, "web/staff/login.html", context)


def _finish_login(request, user: User, device) -> None:
    request.session.pop("pending_staff_login", None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)


def login_otp(request):
    user = _pending_user(request)
    if user is None:
        return redirect("web:staff-login")
    context = {"next": _next(request), "error": ""}
    if request.method == "POST":
        try:
            device = account_services.verify_totp(
                user=user, code=request.POST.get("otp", ""), actor=actor_from_request(request)
            )
        except DomainError as exc:
            context["error"] = exc.message
        else:
            _finish_login(request, user, device)
            return redirect(context["next"])
    return render(request, "web/staff/login_otp.html", context)


def login_enroll(request):
    user = _pending_user(request)
    if user is None or account_services.confirmed_totp_device(user) is not None:
        return redirect("web:staff-login")
    context = {"next": _next(request), "error": ""}
    if request.method == "POST":
        try:
            device = account_services.confirm_totp_enrollment(
                user=user, code=request.POST.get("otp", ""), actor=actor_from_request(request)
            )
        except DomainError as exc:
            context["error"] = exc.message
        else:
            _finish_login(request, user, device)
            return redirect(context["next"])
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or request.method == "GET":
        device = account_services.start_totp_enrollment(user)
    context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
    context["secret"] = _base32_secret(device)
    return render(request, "web/staff/login_enroll.html", context)


def _base32_secret(device) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


@require_POST
def logout_view(request):
    logout(request)
    return redirect("web:staff-login")


# --- Dashboard and institutions -------------------------------------------------------------


@staff_required()
def dashboard(request):
    institutions = visible_institutions(request.user)
    rows = []
    for institution in institutions:
        rows.append(
            {
                "institution": institution,
                "active": claims_selectors.active_register(institution),
                "open_disputes": claims_selectors.dispute_queue(institution).count(),
            }
        )
    return render(request, "web/staff/dashboard.html", {"rows": rows})


def _institution_form_values(request) -> dict[str, str]:
    fields = (
        "full_name",
        "short_name",
        "credit_code",
        "registered_address",
        "business_address",
        "status",
    )
    return {field: request.POST.get(field, "") for field in fields}


@staff_required(*INSTITUTION_ADMIN_ROLES)
def institution_create(request):
    context = {
        "values": {"status": InstitutionStatus.OPERATING},
        "errors": {},
        "statuses": InstitutionStatus.choices,
        "creating": True,
    }
    if request.method == "POST":
        values = _institution_form_values(request)
        context["values"] = values
        try:
            institution = institution_services.institution_create(
                actor=actor_from_request(request), **values
            )
        except DomainError as exc:
            context["errors"] = {exc.field or "form": exc.message}
        else:
            return redirect("web:staff-institution", institution_id=institution.pk)
    return render(request, "web/staff/institution_form.html", context)


@staff_required(*INSTITUTION_ADMIN_ROLES)
def institution_edit(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    context = {
        "values": institution.audit_snapshot(),
        "errors": {},
        "institution": institution,
        "statuses": InstitutionStatus.choices,
    }
    if request.method == "POST":
        values = _institution_form_values(request)
        context["values"] = values
        try:
            institution_services.institution_update(
                actor=actor_from_request(request), institution=institution, **values
            )
        except DomainError as exc:
            context["errors"] = {exc.field or "form": exc.message}
        else:
            return redirect("web:staff-institution", institution_id=institution.pk)
    return render(request, "web/staff/institution_form.html", context)


@staff_required()
def institution_detail(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    context = {
        "institution": institution,
        "versions": claims_selectors.institution_versions(institution),
        "imports": claims_selectors.institution_imports(institution),
        "open_disputes": claims_selectors.dispute_queue(institution).count(),
        "can_upload": request.user.role == Role.OPERATOR,
        "can_edit": request.user.role in INSTITUTION_ADMIN_ROLES,
        "required_columns": REQUIRED_COLUMNS,
        "optional_columns": OPTIONAL_COLUMNS,
    }
    return render(request, "web/staff/institution.html", context)


# --- Registers ------------------------------------------------------------------------------


@require_POST
@staff_required(Role.OPERATOR)
def register_upload(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    upload = request.FILES.get("file")
    if upload is None:
        return _upload_error(request, institution, "请选择要上传的登记表文件（CSV 或 XLSX）")
    try:
        job = claims_services.queue_register_import(
            institution=institution, upload=upload, user=request.user
        )
    except DomainError as exc:
        return _upload_error(request, institution, exc.message)
    return redirect("web:staff-import", import_id=job.pk)


def _upload_error(request, institution, message: str):
    messages.error(request, message)
    return redirect(f"{reverse('web:staff-institution', args=[institution.pk])}#upload")


@staff_required()
def import_detail(request, import_id: int):
    job = access_import_by_id(request.user, import_id)
    context = {
        "job": job,
        "institution": job.institution,
        "working": job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING),
    }
    template = "web/staff/_import_status.html" if request.htmx else "web/staff/import.html"
    return render(request, template, context)


@staff_required()
def version_detail(request, version_id: int):
    version = access_version_by_id(request.user, version_id)
    claims_services.refresh_pending_diff(version)
    kind = request.GET.get("diff", "changed")
    if kind not in ("added", "removed", "changed"):
        kind = "changed"
    raw_page = request.GET.get("page", "1")
    page = max(int(raw_page), 1) if raw_page.isdigit() else 1
    per_page = 50
    rows = claims_selectors.version_diff(
        version, kind, limit=per_page, offset=(page - 1) * per_page
    )
    totals = {
        "added": version.diff_added,
        "removed": version.diff_removed,
        "changed": version.diff_changed,
    }
    context = {
        "version": version,
        "institution": version.institution,
        "kind": kind,
        "rows": rows,
        "page": page,
        "has_next": totals[kind] > page * per_page,
        "can_manage": request.user.role == Role.OPERATOR and version.status == "pending",
        "active": claims_selectors.active_register(version.institution),
    }
    return render(request, "web/staff/version.html", context)


@require_POST
@staff_required(Role.OPERATOR)
def version_activate(request, version_id: int):
    version = access_version_by_id(request.user, version_id)
    try:
        claims_services.activate_version(
            version=version, user=request.user, actor=actor_from_request(request)
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("web:staff-version", version_id=version.pk)


@require_POST
@staff_required(Role.OPERATOR)
def version_discard(request, version_id: int):
    version = access_version_by_id(request.user, version_id)
    try:
        claims_services.discard_version(version=version, actor=actor_from_request(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("web:staff-version", version_id=version.pk)


@staff_required()
def version_entries(request, version_id: int):
    version = access_version_by_id(request.user, version_id)
    paginator = Paginator(claims_selectors.version_entries(version), 100)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "web/staff/entries.html",
        {
            "version": version,
            "institution": version.institution,
            "page": page,
            "can_reveal": request.user.role in PII_FULL_VIEW_ROLES,
        },
    )


@require_POST
@staff_required(*PII_FULL_VIEW_ROLES)
def entry_reveal(request, entry_id: int):
    """htmx: the full ID and mobile number of one row, for roles that need them; audited."""
    entry = access_entry_by_id(request.user, entry_id)
    record(
        actor=actor_from_request(request),
        action=AuditAction.PII_REVEALED,
        obj=entry,
        institution_id=entry.version.institution_id,
    )
    return render(request, "web/staff/_entry_revealed.html", {"entry": entry})


def register_template(request):
    """A CSV template Excel opens correctly (UTF-8 with BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
    writer.writerow(
        ["张三", "身份证", "110101199003070011", "13800138000", "10000.00", "350.00", "2"]
    )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="register-template.csv"'
    return response


# --- Disputes -------------------------------------------------------------------------------


@staff_required()
def dispute_queue(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    status = request.GET.get("status", DisputeStatus.OPEN)
    if status not in DisputeStatus.values and status != "all":
        status = DisputeStatus.OPEN
    disputes = claims_selectors.dispute_queue(institution, None if status == "all" else status)
    page = Paginator(disputes, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "web/staff/disputes.html",
        {
            "institution": institution,
            "page": page,
            "status": status,
            "statuses": DisputeStatus.choices,
        },
    )


@staff_required()
def dispute_detail(request, dispute_id: int):
    dispute = access_dispute_by_id(request.user, dispute_id)
    versions = claims_selectors.institution_versions(dispute.institution).filter(
        status__in=["pending", "active"]
    )
    context = {
        "dispute": dispute,
        "institution": dispute.institution,
        "errors": {},
        "versions": versions,
        "can_answer": request.user.role == Role.OPERATOR,
        "values": {"outcome": DisputeStatus.CORRECTED, "answer": "", "corrected_version": ""},
    }
    if request.method == "POST":
        if not context["can_answer"]:  # oversight roles read it; the institution answers
            raise PermissionDenied("只有本机构的经办人员可以答复异议")
        # Shown again after an error, so a refusal is never silently reset to 已更正.
        context["values"] = {
            key: request.POST.get(key, "") for key in ("outcome", "answer", "corrected_version")
        }
        corrected = None
        if request.POST.get("corrected_version"):
            corrected = versions.filter(pk=request.POST["corrected_version"]).first()
        try:
            claims_services.answer_dispute(
                dispute=dispute,
                outcome=request.POST.get("outcome", ""),
                answer=request.POST.get("answer", ""),
                corrected_version=corrected,
                user=request.user,
                actor=actor_from_request(request),
            )
        except DomainError as exc:
            context["errors"] = {exc.field or "form": exc.message}
        else:
            return redirect("web:staff-dispute", dispute_id=dispute.pk)
    return render(request, "web/staff/dispute.html", context)


@staff_required()
def dispute_attachment(request, dispute_id: int):
    return attachment_response(access_dispute_by_id(request.user, dispute_id))


# --- Oversight ------------------------------------------------------------------------------


@staff_required(Role.SYSADMIN, Role.WG_OFFICER, Role.ASSOCIATION_OFFICER)
def audit_log(request):
    entries = AuditEntry.objects.order_by("-seq")
    institution_id = request.GET.get("institution")
    if institution_id and institution_id.isdigit():
        entries = entries.filter(institution_id=int(institution_id))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "web/staff/audit.html", {"page": page})


@staff_required(Role.SYSADMIN)
def user_list(request):
    context = {
        "users": User.objects.exclude(role=Role.LENDER).order_by("role", "username"),
        "errors": {},
        "values": {},
        "roles": [(r.value, r.label) for r in Role if r != Role.LENDER],
        "institutions": visible_institutions(request.user),
    }
    if request.method == "POST":
        values = {
            key: request.POST.get(key, "")
            for key in ("username", "password", "role", "display_name", "institution")
        }
        context["values"] = values
        institution = None
        if values["institution"].isdigit():
            institution = (
                visible_institutions(request.user).filter(pk=int(values["institution"])).first()
            )
        try:
            account_services.staff_create(
                actor=actor_from_request(request),
                username=values["username"],
                password=values["password"],
                role=values["role"],
                display_name=values["display_name"],
                institution=institution if values["role"] == Role.OPERATOR else None,
            )
        except DomainError as exc:
            context["errors"] = {exc.field or "form": exc.message}
        else:
            return redirect("web:staff-users")
    return render(request, "web/staff/users.html", context)
