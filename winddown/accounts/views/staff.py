"""Staff sign-in (password, then TOTP), the one-time enrolment link on which a staff member
sets their password and binds their authenticator, and the system administrator's staff
accounts page with its per-account actions (issue 15 item 9)."""

from __future__ import annotations

import time

import segno
from django.contrib.auth import login, logout
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from winddown.accounts import services as account_services
from winddown.accounts.devices import COOKIE as DEVICE_COOKIE
from winddown.accounts.devices import device_cookie_set, known_device
from winddown.accounts.errors import AccountsErrorCode
from winddown.accounts.models import User
from winddown.accounts.permissions import staff_required
from winddown.accounts.policies import ACTION_LABELS, staff_admin_refusal
from winddown.accounts.ratelimits import check_staff_login_rate
from winddown.accounts.roles import Role
from winddown.accounts.selectors import staff_user_by_id, staff_users, user_id_for_username
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
            if account_services.confirmed_totp_device(user) is None:
                # The password alone never binds an authenticator: that takes the
                # one-time link the administrator hands over.
                context["error"] = DomainError(AccountsErrorCode.TOTP_NOT_ENROLLED).message
                return render(request, "accounts/login.html", context)
            request.session.cycle_key()
            request.session["pending_staff_login"] = {"user_id": user.pk, "at": time.time()}
            step = "accounts:staff-login-otp"
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


def enrol_page(request, token: str):
    """/staff/enrol/<token>/: the link's owner sets their password and binds (or, after a
    password reset, proves) their authenticator, then is signed in. Works once."""
    try:
        link = account_services.enrolment_link_by_token(token)
    except DomainError as exc:
        response = render(
            request, "accounts/enrol_invalid.html", {"error": exc.message}, status=404
        )
        response["Cache-Control"] = "no-store"
        return response
    context = {"errors": {}, "account": link.user, "purpose": link.purpose}
    if request.method == "POST":
        try:
            user, device = account_services.enrolment_complete(
                token=token,
                password=request.POST.get("password", ""),
                password_again=request.POST.get("password_again", ""),
                code=request.POST.get("otp", ""),
                actor=actor_from_request(request),
            )
        except DomainError as exc:
            if exc.error_code is AccountsErrorCode.ENROLMENT_LINK_INVALID:
                return render(
                    request, "accounts/enrol_invalid.html", {"error": exc.message}, status=404
                )
            context["errors"] = {exc.field or "form": exc.message}
        else:
            request.session.cycle_key()
            return _finish_login(request, user, device, reverse("web:staff-dashboard"))
    device = account_services.enrolment_device(link, fresh=request.method == "GET")
    if device is not None:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
        context["secret"] = _base32_secret(device)
    response = render(request, "accounts/enrol.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _base32_secret(device) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


@require_POST
def logout_view(request):
    logout(request)
    return redirect("accounts:staff-login")


def _link_context(request, issued) -> dict:
    """The one-time link, shown to the administrator this once (never stored in clear)."""
    return {
        "link_url": request.build_absolute_uri(
            reverse("accounts:staff-enrol", args=[issued.token])
        ),
        "link_account": issued.account,
        "link_expires_at": issued.expires_at,
    }


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


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
            for key in ("username", "role", "display_name", "institution")
        }
        context["values"] = values
        institution = None
        institution_id = id_param(values["institution"], label="所属机构")
        if institution_id is not None:
            institution = visible_institutions(request.user).filter(pk=institution_id).first()
        try:
            issued = account_services.staff_create(
                user=request.user,
                actor=actor_from_request(request),
                username=values["username"],
                role=values["role"],
                display_name=values["display_name"],
                institution=institution if values["role"] == Role.OPERATOR else None,
            )
        except DomainError as exc:
            context["errors"] = {exc.field or "form": exc.message}
        else:
            context.update(_link_context(request, issued), values={}, users=staff_users())
            context["done"] = f"已创建账户“{issued.account.username}”。"
    return _no_store(render(request, "accounts/users.html", context))


# action in the URL -> (service, confirmation question, what is done)
USER_ACTIONS = {
    "deactivate": (
        account_services.staff_deactivate,
        "停用后该账户无法登录，已登录的会话立即失效，全部接口令牌被吊销。",
        "已停用",
    ),
    "reactivate": (account_services.staff_reactivate, "重新启用后该账户可再次登录。", "已重新启用"),
    "password_reset": (
        account_services.staff_password_reset,
        "现有密码立即失效，已登录的会话结束；将生成一次性链接，由本人设置新密码（须输入现有身份验证器的口令）。",
        "已重置密码",
    ),
    "totp_reset": (
        account_services.staff_totp_reset,
        "现有身份验证器立即失效，已登录的会话结束；将生成一次性链接，由本人重新设置密码并绑定新的身份验证器。",
        "已重置动态口令",
    ),
    "tokens_revoke": (
        account_services.api_tokens_revoke,
        "该账户的全部接口令牌立即失效，使用令牌的程序须重新登录。",
        "已吊销全部接口令牌",
    ),
}


@staff_required(Role.SYSADMIN)
def user_action(request, user_id: int, action: str):
    """A confirmation page (GET) and the action itself (POST) on one staff account."""
    if action not in USER_ACTIONS:
        raise Http404
    account = staff_user_by_id(user_id)
    if account is None:
        raise Http404
    service, question, done = USER_ACTIONS[action]
    context = {
        "account": account,
        "action": action,
        "action_label": ACTION_LABELS[action],
        "question": question,
        "refusal": staff_admin_refusal(request.user, account, action),
    }
    if request.method == "POST":
        try:
            result = service(account=account, user=request.user, actor=actor_from_request(request))
        except DomainError as exc:
            context["refusal"] = exc
            response = render(request, "accounts/user_action.html", context, status=exc.http_status)
            return _no_store(response)
        context["done"] = f"账户“{account.username}”{done}。"
        if isinstance(result, account_services.EnrolmentIssued):
            context.update(_link_context(request, result))
        elif action == "tokens_revoke":
            context["done"] += f"共 {result} 个。"
        context["refusal"] = None
    return _no_store(render(request, "accounts/user_action.html", context))
