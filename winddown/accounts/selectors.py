"""Reads of accounts, for other apps and the pages."""

from __future__ import annotations

from django.db.models import QuerySet

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
    return User.objects.exclude(role=Role.LENDER).order_by("role", "username")
