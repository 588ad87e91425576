"""Verified lender accounts for the demo (the identity steps taken as done)."""

from __future__ import annotations

from django.utils import timezone

from winddown.accounts.models import User
from winddown.accounts.roles import Role
from winddown.identity.models import Lender


def verified_lender(
    *, username: str, name: str, id_number: str, phone: str, voting_password_hash: str = ""
) -> Lender:
    """A lender who has verified name, ID number and liveness and accepted the agreement;
    with a voting password when its hash is given."""
    now = timezone.now()
    lender = Lender(
        user=User.objects.create_user(username, role=Role.LENDER),
        real_name=name,
        identity_checked_at=now,
        agreement_version="demo",
        agreement_accepted_at=now,
        liveness_passed_at=now,
        voting_password_hash=voting_password_hash,
        voting_password_set_at=now if voting_password_hash else None,
    )
    lender.phone = phone
    lender.id_number = id_number
    lender.save()
    return lender
