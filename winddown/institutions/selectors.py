"""Reads of institutions, always through the viewer's boundary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from winddown.accounts.roles import OVERSIGHT_ROLES, Role
from winddown.institutions.models import Institution, Membership

if TYPE_CHECKING:
    from winddown.accounts.models import User


def operator_institution_id(user: User) -> int | None:
    if user.role != Role.OPERATOR:
        return None
    membership = Membership.objects.filter(user=user).only("institution_id").first()
    return membership.institution_id if membership else None


def visible_institutions(user: User) -> QuerySet[Institution]:
    """Institutions the staff member may see: all for oversight roles, one for operators."""
    if user.role in OVERSIGHT_ROLES:
        return Institution.objects.all()
    if user.role == Role.OPERATOR:
        return Institution.objects.filter(members__user=user)
    return Institution.objects.none()


def access_institution_by_id(user: User, institution_id: int) -> Institution:
    """The institution if the user may see it; otherwise 404, so existence is not leaked."""
    from winddown.institutions.access import access_by_id

    return access_by_id(
        user,
        Institution.objects.all(),
        institution_id,
        institution_path="pk",
        not_found="机构不存在或无权访问",
    )


def find_institution(key: str) -> Institution | None:
    """By short name or unified social credit code (for management commands)."""
    return (
        Institution.objects.filter(short_name=key).first()
        or Institution.objects.filter(credit_code=key.strip().upper()).first()
    )


def all_institutions() -> QuerySet[Institution]:
    """Every institution, by short name: for system jobs (reporting reminders) and for what a
    lender or a member of the public may name in a report or complaint (cases); staff pages
    use ``visible_institutions``."""
    return Institution.objects.order_by("short_name")
