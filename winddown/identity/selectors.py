"""Reads of lenders' identities, for other apps and the pages."""

from __future__ import annotations

from winddown.accounts.models import User
from winddown.identity.models import Lender


def lender_for_user(user: User) -> Lender:
    """The signed-in lender's profile (every lender account has one)."""
    return Lender.objects.get(user=user)
