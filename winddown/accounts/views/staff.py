"""Staff sign-in (password, then TOTP; enrolling an authenticator on first sign-in) and
the system administrator's list of staff accounts."""

from __future__ import annotations

import time

import segno
from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from winddown.accounts import services as account_services
from winddown.accounts.devices import COOKIE as DEVICE_COOKIE
from winddown.accounts.devices import device_cookie_set, known_device
from winddown.accounts.models import User
from winddown.accounts.permissions import staff_required
from winddown.accounts.ratelimits import check_staff_login_rate
from winddown.accounts.roles import Role
from winddown.accounts.selectors import staff_users, user_id_for_username
from winddown.audit.services import actor_from_request
from winddown.core.errors import DomainError
from winddown.core.params import id_param
from winddown.institutions.selectors import visible_institutions

PENDING_LOGIN_SECONDS = 300


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
        device = known_device(
            request.COOKIES.get(DEVICE_COOKIE), user_id_for_username(context["username"])
        )
        try:
            if device is None:
                check_staff_login_rate(request)
            user = account_services.staff_password_check(
                username=context["username"],
                password=request.POST.get("password", ""),
                actor=actor_from_request(request),
                device=device,
            )
        except DomainError as exc:
            context["error"] = exc.message
        else:
            request.session.cycle_key()
            request.session["pending_staff_login"] = {"user_id": user.pk, "at": time.time()}
            step = "accounts:staff-login-otp"
            if account_services.confirmed_totp_device(user) is None:
                step = "accounts:staff-login-enroll"
            return redirect(f"{reverse(step)}?next={context['next']}")
    return render(request, "accounts/login.html", context)


def _finish_login(request, user: User, device, next_url: str):
    """Signed in with both factors: this browser is now a known device of the user."""
    request.session.pop("pending_staff_login", None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    response = redirect(next_url)
    device_cookie_set(response, user.pk)
    return response


def login_otp(request):
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:staff-login")
    context = {"next": _next(request), "error": ""}
    if request.method == "POST":
        try:
            device = account_services.totp_verify(
                user=user, code=request.POST.get("otp", ""), actor=actor_from_request(request)
            )
        except DomainError as exc:
            context["error"] = exc.message
        else:
            return _finish_login(request, user, device, context["next"])
    return render(request, "accounts/login_otp.html", context)


def login_enroll(request):
    user = _pending_user(request)
    if user is None or account_services.confirmed_totp_device(user) is not None:
        return redirect("accounts:staff-login")
    context = {"next": _next(request), "error": ""}
    if request.method == "POST":
        try:
            device = account_services.totp_enrollment_confirm(
                user=user, code=request.POST.get("otp", ""), actor=actor_from_request(request)
            )
        except DomainError as exc:
            context["error"] = exc.message
        else:
            return _finish_login(request, user, device, context["next"])
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or request.method == "GET":
        device = account_services.totp_enrollment_start(user)
    context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
    context["secret"] = _base32_secret(device)
    return render(request, "accounts/login_enroll.html", context)


def _base32_secret(device) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


@require_POST
def logout_view(request):
    logout(request)
    return redirect("accounts:staff-login")


@staff_required(Role.SYSADMIN)
def user_list(request):
    context = {
        "users": staff_users(),
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
        institution_id = id_param(values["institution"], label="所属机构")
        if institution_id is not None:
            institution = visible_institutions(request.user).filter(pk=institution_id).first()
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
            return redirect("accounts:staff-users")
    return render(request, "accounts/users.html", context)
