"""View decorators that enforce who may see a page. Ownership checks (which institution,
which lender) happen in the `access_*` selectors the views call."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from winddown.accounts.roles import STAFF_ROLES, Role
from winddown.audit.actions import PlatformAction
from winddown.audit.services import actor_from_request, record


def staff_required(*roles: Role):
    """A signed-in staff member who passed the TOTP step, with one of `roles` (any staff
    role when none are given)."""
    allowed = frozenset(roles) or STAFF_ROLES

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated or not user.is_staff_member or not user.is_verified():
                return redirect(f"{reverse('accounts:staff-login')}?next={request.get_full_path()}")
            if user.role not in allowed:
                record(
                    actor=actor_from_request(request),
                    action=PlatformAction.ACCESS_DENIED,
                    object_type="path",
                    object_id=request.path[:64],
                )
                raise PermissionDenied("您的角色无权访问此页面")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def lender_required(view):
    """A signed-in lender; staff accounts are sent to the lender sign-in page too."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated or not user.is_lender:
            return redirect(f"{reverse('identity:lender-login')}?next={request.get_full_path()}")
        return view(request, *args, **kwargs)

    return wrapper
