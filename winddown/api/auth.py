"""API authentication: bearer tokens (mini-program, scripts) or the browser session.

Staff sessions count only after the TOTP step; tokens for staff are issued only against
password + TOTP, so both paths carry two factors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from winddown.accounts.roles import STAFF_ROLES, Role
from winddown.accounts.services import api_token_user

if TYPE_CHECKING:
    from winddown.accounts.models import User
    from winddown.identity.models import Lender


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class VerifiedSession(SessionAuth):
    """The browser session, with CSRF; staff must have passed TOTP."""

    def __call__(self, request: HttpRequest) -> User | None:
        # Without a usable session the request is simply unauthenticated (401). Checking CSRF
        # first (as ninja does) would answer 403 to every write sent with a missing or
        # expired bearer token.
        user = self.authenticate(request, None)
        if user is None:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, "CSRF 校验失败，请刷新页面后重试")
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = super().authenticate(request, key)
        if user is None:
            return None
        if user.role in STAFF_ROLES and not user.is_verified():
            return None
        return user


AUTH = [BearerToken(), VerifiedSession()]


def require_lender(request: HttpRequest) -> Lender:
    user = request.auth
    if user.role != Role.LENDER:
        raise HttpError(403, "该接口仅供出借人使用")
    return user.lender  # loaded with the token (accounts.services.api_token_user)


def require_staff(request: HttpRequest, *roles: Role) -> User:
    user = request.auth
    allowed = frozenset(roles) or STAFF_ROLES
    if user.role not in allowed:
        raise HttpError(403, "您的角色无权使用该接口")
    return user
