"""Reads of accounts, for other apps and the pages."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from winddown.accounts.models import User
from winddown.accounts.roles import Role


def user_by_id(user_id: int) -> User:
    return User.objects.get(pk=user_id)


def active_staff_member(username: str = "") -> User | None:
    """An active staff account: by username, or the first system administrator (who
    management commands record as the actor when none is named)."""
    users = User.objects.filter(is_active=True)
    user = (
        users.filter(username=username).first()
        if username
        else users.filter(role=Role.SYSADMIN).order_by("pk").first()
    )
    return user if user is not None and user.is_staff_member else None


def user_id_for_username(username: str) -> int | None:
    return User.objects.filter(username=username).values_list("pk", flat=True).first()


def staff_users() -> QuerySet[User]:
    """Staff accounts with `totp_bound` (a confirmed authenticator) and `live_tokens`
    (unrevoked, unexpired API tokens) for the administrator's page."""
    now = timezone.now()
    return (
        User.objects.exclude(role=Role.LENDER)
        .annotate(
            totp_bound=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            live_tokens=Count(
                "api_tokens",
                filter=Q(api_tokens__revoked_at=None, api_tokens__expires_at__gt=now),
            ),
        )
        .order_by("role", "username")
    )


def staff_user_by_id(user_id: int) -> User | None:
    return User.objects.exclude(role=Role.LENDER).filter(pk=user_id).first()
