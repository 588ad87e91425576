"""Pages anyone may open, and the error pages."""

from __future__ import annotations

import sys

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader

from winddown.core.db_errors import is_busy
from winddown.core.params import BadParameter

BUSY = ("system.busy", "系统繁忙", "同时操作的人较多，本次请求没有完成。请稍等几秒后重试。")


FAILED = (
    "system.error",
    "系统出错",
    "系统暂时无法完成本次请求，请稍后重试。如果多次出现，请联系平台客服。",
)


def home(request):
    user = request.user
    if user.is_authenticated and user.is_lender:
        return redirect("web:lender-home")
    if user.is_authenticated and user.is_staff_member and user.is_verified():
        return redirect("web:staff-dashboard")
    return render(request, "web/public/home.html")


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def forbidden(request, exception=None):
    message = str(exception) if exception and str(exception) else "您无权访问此页面"
    return render(
        request, "web/public/error.html", {"title": "无权访问", "message": message}, status=403
    )


def bad_request(request, exception=None):
    """Django's handler400: a parameter the page could not have sent (core.params) is named
    in the message; other refusals (a forged host, a broken upload) get a general one."""
    if isinstance(exception, BadParameter):
        message = str(exception)
    else:
        message = "请求无法处理，请返回上一页重试。"
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "request.bad_parameter", "message": message, "field": None}, status=400
        )
    return render(
        request, "web/public/error.html", {"title": "请求有误", "message": message}, status=400
    )


def not_found(request, exception=None):
    return render(
        request,
        "web/public/error.html",
        {"title": "页面不存在", "message": "您要找的页面不存在，或您无权查看。"},
        status=404,
    )


def server_error(request):
    """Django's handler500, called while the exception is being handled: a busy database
    gets 503 and "try again", anything else 500; JSON under /api/, a page elsewhere. The
    page is rendered without the request, so it works when the session or database does not."""
    busy = is_busy(sys.exc_info()[1])
    code, title, message = BUSY if busy else FAILED
    status = 503 if busy else 500
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": code, "message": message, "field": None}, status=status)
    else:
        page = loader.get_template("web/public/500.html").render(
            {"title": title, "message": message}
        )
        response = HttpResponse(page, status=status)
    if busy:
        response["Retry-After"] = "5"
    return response
