"""Pages anyone may open."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render


def home(request):
    user = request.user
    if user.is_authenticated and user.is_lender:
        return redirect("web:lender-home")
    if user.is_authenticated and user.is_staff_member and user.is_verified():
        return redirect("web:staff-dashboard")
    return render(request, "web/public/home.html")


def agreement(request):
    return render(
        request, "web/public/agreement.html", {"version": settings.PLATFORM_AGREEMENT_VERSION}
    )


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def forbidden(request, exception=None):
    message = str(exception) if exception and str(exception) else "您无权访问此页面"
    return render(
        request, "web/public/error.html", {"title": "无权访问", "message": message}, status=403
    )


def not_found(request, exception=None):
    return render(
        request,
        "web/public/error.html",
        {"title": "页面不存在", "message": "您要找的页面不存在，或您无权查看。"},
        status=404,
    )
