"""Reads of lenders' identities, for other apps and the pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from winddown.identity.models import Lender

if TYPE_CHECKING:
    from winddown.accounts.models import User


def lender_for_user(user: User) -> Lender:
    """The signed-in lender's profile (every lender account has one)."""
    return Lender.objects.get(user=user)


def lenders_with_identities(id_indexes) -> QuerySet[Lender]:
    """Verified lenders whose identity is among `id_indexes` (a list or a values()
    queryset of blind indexes), in a stable order."""
    return Lender.objects.filter(id_index__in=id_indexes).order_by("pk")
