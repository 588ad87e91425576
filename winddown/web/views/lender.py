"""Lender pages: mobile-first, Simplified Chinese (manual 一, 二, 三)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from winddown.accounts.permissions import lender_required
from winddown.audit.services import actor_from_request
from winddown.claims import selectors as claims_selectors
from winddown.claims import services as claims_services
from winddown.core.errors import DomainError
from winddown.identity import services as identity_services
from winddown.identity.models import Lender
from winddown.web.ratelimits import check_login_rate, check_sms_rate

STEP_URLS = {
    "identity": "web:lender-identity",
    "liveness": "web:lender-liveness",
    "password": "web:lender-password-set",
    "done": "web:lender-me",
}


def _lender(request) -> Lender:
    return Lender.objects.get(user=request.user)


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _dev_code_hint(phone: str) -> str:
    """With the offline SMS provider the code is shown on the page (never in production)."""
    if settings.SMS_PROVIDER != "dev":
        return ""
    from winddown.identity.providers.dev import last_code_for

    return last_code_for(phone) or ""


# --- Sign-in --------------------------------------------------------------------------------


def login_page(request):
    context = {"next": _safe_next(request, ""), "errors": {}, "phone": ""}
    if request.method == "POST":
        phone = request.POST.get("phone", "")
        context["phone"] = phone
        try:
            check_login_rate(request)
            user = identity_services.login_with_code(
                phone_raw=phone,
                code_raw=request.POST.get("code", ""),
                actor=actor_from_request(request),
            )
        except DomainError as exc:
            context["errors"] = {exc.field or "form": exc.message}
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            lender = user.lender
            default = reverse(STEP_URLS[lender.next_step])
            return redirect(_safe_next(request, default) if lender.next_step == "done" else default)
    return render(request, "web/lender/login.html", context)


@require_POST
def send_code(request):
    """htmx: send a code and answer with the status line under the phone field."""
    phone = request.POST.get("phone", "")
    context = {"hint": ""}
    try:
        check_sms_rate(request)
        sent = identity_services.request_login_code(
            phone_raw=phone, actor=actor_from_request(request)
        )
    except DomainError as exc:
        context["error"] = exc.message
    else:
        context["sent"] = sent
        context["hint"] = _dev_code_hint(identity_services.parse_phone(phone))
    return render(request, "web/lender/_code_status.html", context)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("web:lender-login")


@lender_required
def home(request):
    """首页: the lender's voting events once onboarding is done; the next step before."""
    lender = _lender(request)
    if lender.next_step != "done":
        return redirect(STEP_URLS[lender.next_step])
    from winddown.web.views.voting_lender import events_home

    return events_home(request, lender)


# --- Identity (manual 一) -------------------------------------------------------------------


@lender_required
def identity(request):
    lender = _lender(request)
    if lender.identity_checked_at and lender.agreement_accepted_at:
        return redirect(STEP_URLS[lender.next_step])
    context = {"errors": {}, "values": {}}
    if request.method == "POST":
        values = {
            "real_name": request.POST.get("real_name", ""),
            "id_number": request.POST.get("id_number", ""),
            "agreed": request.POST.get("agreed") == "on",
        }
        context["values"] = values
        try:
            identity_services.submit_identity(
                lender=lender,
                real_name=values["real_name"],
                id_number_raw=values["id_number"],
                agreed=values["agreed"],
                actor=actor_from_request(request),
            )
        except DomainError as exc:
            context["errors"] = {exc.field or "form": exc.message}
        else:
            return redirect("web:lender-liveness")
    return render(request, "web/lender/identity.html", context)


@lender_required
def liveness(request):
    lender = _lender(request)
    if lender.next_step != "liveness":
        return redirect(STEP_URLS[lender.next_step])
    context = {"error": request.GET.get("error", "")}
    if request.method == "POST":
        return_url = request.build_absolute_uri(reverse("web:lender-liveness-return"))
        try:
            target = identity_services.start_liveness(lender=lender, return_url=return_url)
        except DomainError as exc:
            context["error"] = exc.message
        else:
            return redirect(target)
    return render(request, "web/lender/liveness.html", context)


@lender_required
def liveness_return(request):
    lender = _lender(request)
    try:
        identity_services.complete_liveness(
            lender=lender, token=request.GET.get("token", ""), actor=actor_from_request(request)
        )
    except DomainError as exc:
        return render(request, "web/lender/liveness.html", {"error": exc.message})
    return render(request, "web/lender/verified.html", {"lender": _lender(request)})


def dev_liveness(request, token: str):
    """Stand-in for the provider's blink-video page, only with the offline provider."""
    if settings.IDENTITY_PROVIDER != "dev":
        raise Http404
    from winddown.identity.providers.dev import mark_liveness_passed

    next_url = _safe_next(request, reverse("web:lender-liveness-return"))
    if request.method == "POST":
        mark_liveness_passed(token)
        separator = "&" if "?" in next_url else "?"
        return redirect(f"{next_url}{separator}token={token}")
    return render(request, "web/lender/dev_liveness.html", {"next": next_url, "token": token})


# --- Voting password (manual 2.2, 3.2) ------------------------------------------------------


@lender_required
def password_set(request):
    lender = _lender(request)
    if lender.next_step != "password":
        return redirect(STEP_URLS[lender.next_step])
    context = {"errors": {}}
    if request.method == "POST":
        try:
            identity_services.set_voting_password(
                lender=lender,
                password=request.POST.get("password", ""),
                confirm=request.POST.get("password_confirm", ""),
                actor=actor_from_request(request),
            )
        except DomainError as exc:
            context["errors"] = {exc.field or "form": exc.message}
        else:
            return render(request, "web/lender/password_done.html", {"title": "投票密码设置成功"})
    return render(request, "web/lender/password_set.html", context)


@lender_required
def password_menu(request):
    return render(request, "web/lender/password_menu.html", {"lender": _lender(request)})


@lender_required
def password_change(request):
    lender = _lender(request)
    if not lender.has_voting_password:
        return redirect(STEP_URLS[lender.next_step])
    context = {"errors": {}}
    if request.method == "POST":
        try:
            identity_services.change_voting_password(
                lender=lender,
                old_password=request.POST.get("old_password", ""),
                new_password=request.POST.get("password", ""),
                confirm=request.POST.get("password_confirm", ""),
                actor=actor_from_request(request),
            )
        except DomainError as exc:
            field = (
                exc.field
                if exc.error_code.name not in {"PASSWORD_WRONG", "PASSWORD_LOCKED"}
                else "old_password"
            )
            context["errors"] = {field or "form": exc.message}
        else:
            return render(request, "web/lender/password_done.html", {"title": "投票密码修改成功"})
    return render(request, "web/lender/password_change.html", context)


@lender_required
def password_forgot(request):
    if request.method == "POST":
        identity_services.forget_voting_password(
            lender=_lender(request), actor=actor_from_request(request)
        )
        return redirect("web:lender-identity")
    return render(request, "web/lender/password_forgot.html")


# --- 我的 and claims (manual 2.1, 3.1) ------------------------------------------------------


@lender_required
def me(request):
    lender = _lender(request)
    context = {
        "lender": lender,
        "claims": claims_selectors.lender_claims(lender),
        "disputes": claims_selectors.lender_disputes(lender)[:20],
    }
    return render(request, "web/lender/me.html", context)


def _claim_or_404(lender: Lender, institution_id: int):
    claim = claims_selectors.lender_claim(lender, institution_id)
    if claim is None:
        raise Http404("没有该机构的债权")
    return claim


@lender_required
def claim_detail(request, institution_id: int):
    lender = _lender(request)
    if not lender.is_verified:
        return redirect(STEP_URLS[lender.next_step])
    claim = _claim_or_404(lender, institution_id)
    return render(request, "web/lender/claim.html", {"claim": claim, "lender": lender})


@require_POST
@lender_required
def claim_confirm(request, institution_id: int):
    lender = _lender(request)
    claim = _claim_or_404(lender, institution_id)
    claims_services.confirm_claim(
        lender=lender, institution=claim.institution, actor=actor_from_request(request)
    )
    return redirect("web:lender-claim", institution_id=institution_id)


@lender_required
def claim_dispute(request, institution_id: int):
    lender = _lender(request)
    claim = _claim_or_404(lender, institution_id)
    context = {"claim": claim, "errors": {}, "reason": ""}
    if request.method == "POST":
        context["reason"] = request.POST.get("reason", "")
        try:
            dispute = claims_services.raise_dispute(
                lender=lender,
                institution=claim.institution,
                reason=context["reason"],
                attachment=request.FILES.get("attachment"),
                actor=actor_from_request(request),
            )
        except DomainError as exc:
            context["errors"] = {exc.field or "form": exc.message}
        else:
            return redirect("web:lender-dispute", dispute_id=dispute.pk)
    return render(request, "web/lender/dispute_form.html", context)


def _own_dispute(request, dispute_id: int):
    dispute = claims_selectors.lender_disputes(_lender(request)).filter(pk=dispute_id).first()
    if dispute is None:
        raise Http404("异议不存在")
    return dispute


@lender_required
def dispute_detail(request, dispute_id: int):
    return render(
        request, "web/lender/dispute.html", {"dispute": _own_dispute(request, dispute_id)}
    )


@lender_required
def dispute_attachment(request, dispute_id: int):
    dispute = _own_dispute(request, dispute_id)
    return attachment_response(dispute)


def attachment_response(dispute) -> HttpResponse:
    if not dispute.attachment_path:
        raise Http404("没有附件")
    response = FileResponse(
        claims_services.iter_decrypted_attachment(dispute), content_type=dispute.attachment_type
    )
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    return response
