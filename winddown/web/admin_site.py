"""Django admin for system administrators only, behind the same password + TOTP sign-in."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse

from winddown.accounts.roles import Role


class WinddownAdminSite(admin.AdminSite):
    site_header = "网贷机构退出平台 · 系统管理"
    site_title = "系统管理"

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_authenticated
            and user.role == Role.SYSADMIN
            and user.is_verified()
        )

    def login(self, request, extra_context=None):
        return redirect(f"{reverse('accounts:staff-login')}?next={request.get_full_path()}")


admin_site = WinddownAdminSite(name="admin")
