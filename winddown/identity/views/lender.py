"""Lender pages of identity: SMS sign-in, real-name verification, liveness, the voting
password (manual 一, 2.2, 3.2) and the platform agreement."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from winddown.accounts.permissions import lender_required
from winddown.audit.services import actor_from_request
from winddown.core.errors import DomainError
from winddown.identity import services as identity_services
from winddown.identity.permissions import STEP_URLS
from winddown.identity.ratelimits import check_login_rate, check_sms_rate
from winddown.identity.selectors import lender_for_user


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _dev_code_hint(phone: str) -> str:
    """With the offline SMS provider the code is shown on the page (never in production)."""
    if settings.SMS_PROVIDER != "dev":
        return ""
    from winddown.core.providers.sms import last_code_for

    return last_code_for(phone) or ""


def login_page(request):
    context = {"next": _safe_next(request, ""), "errors": {}, "phone": ""}
    if request.method == "POST":
        phone = request.POST.get("phone", "")
        context["phone"] = phone
        try:
            check_login_rate(request)
            user = identity_services.lender_login(
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
    return render(request, "identity/login.html", context)


@require_POST
def send_code(request):
    """htmx: send a code and answer with the status line under the phone field."""
    phone = request.POST.get("phone", "")
    context = {"hint": ""}
    try:
        check_sms_rate(request)
        sent = identity_services.login_code_send(phone_raw=phone, actor=actor_from_request(request))
    except DomainError as exc:
        context["error"] = exc.message
    else:
        context["sent"] = sent
        context["hint"] = _dev_code_hint(identity_services.parse_phone(phone))
    return render(request, "identity/_code_status.html", context)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("identity:lender-login")


@lender_required
def identity(request):
    lender = lender_for_user(request.user)
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
            identity_services.identity_submit(
                lender=lender,
                real_name=values["real_name"],
                id_number_raw=values["id_number"],
                agreed=values["agreed"],
                actor=actor_from_request(request),
            )
        except DomainError as exc:
            context["errors"] = {exc.field or "form": exc.message}
        else:
            return redirect("identity:lender-liveness")
    return render(request, "identity/identity.html", context)


@lender_required
def liveness(request):
    lender = lender_for_user(request.user)
    if lender.next_step != "liveness":
        return redirect(STEP_URLS[lender.next_step])
    context = {"error": request.GET.get("error", "")}
    if request.method == "POST":
        return_url = request.build_absolute_uri(reverse("identity:lender-liveness-return"))
        try:
            target = identity_services.liveness_start(lender=lender, return_url=return_url)
        except DomainError as exc:
            context["error"] = exc.message
        else:
            return redirect(target)
    return render(request, "identity/liveness.html", context)


@lender_required
def liveness_return(request):
    lender = lender_for_user(request.user)
    try:
        identity_services.liveness_complete(
            lender=lender, token=request.GET.get("token", ""), actor=actor_from_request(request)
        )
    except DomainError as exc:
        return render(request, "identity/liveness.html", {"error": exc.message})
    return render(request, "identity/verified.html", {"lender": lender_for_user(request.user)})


def dev_liveness(request, token: str):
    """Stand-in for the provider's blink-video page, only with the offline provider."""
    if settings.IDENTITY_PROVIDER != "dev":
        raise Http404
    from winddown.identity.providers.dev import mark_liveness_passed

    next_url = _safe_next(request, reverse("identity:lender-liveness-return"))
    if request.method == "POST":
        mark_liveness_passed(token)
        separator = "&" if "?" in next_url else "?"
        return redirect(f"{next_url}{separator}token={token}")
    return render(request, "identity/dev_liveness.html", {"next": next_url, "token": token})


@lender_required
def password_set(request):
    lender = lender_for_user(request.user)
    if lender.next_step != "password":
        return redirect(STEP_URLS[lender.next_step])
    context = {"errors": {}}
    if request.method == "POST":
        try:
            identity_services.voting_password_set(
                lender=lender,
                password=request.POST.get("password", ""),
                confirm=request.POST.get("password_confirm", ""),
                actor=actor_from_request(request),
            )
        except DomainError as exc:
            context["errors"] = {exc.field or "form": exc.message}
        else:
            return render(request, "identity/password_done.html", {"title": "投票密码设置成功"})
    return render(request, "identity/password_set.html", context)


@lender_required
def password_menu(request):
    return render(request, "identity/password_menu.html", {"lender": lender_for_user(request.user)})


@lender_required
def password_change(request):
    lender = lender_for_user(request.user)
    if not lender.has_voting_password:
        return redirect(STEP_URLS[lender.next_step])
    context = {"errors": {}}
    if request.method == "POST":
        try:
            identity_services.voting_password_change(
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
            return render(request, "identity/password_done.html", {"title": "投票密码修改成功"})
    return render(request, "identity/password_change.html", context)


@lender_required
def password_forgot(request):
    if request.method == "POST":
        identity_services.voting_password_forget(
            lender=lender_for_user(request.user), actor=actor_from_request(request)
        )
        return redirect("identity:lender-identity")
    return render(request, "identity/password_forgot.html")


def agreement(request):
    return render(
        request, "identity/agreement.html", {"version": settings.PLATFORM_AGREEMENT_VERSION}
    )
