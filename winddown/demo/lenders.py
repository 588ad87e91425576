"""Verified lender accounts for the demo (the identity steps taken as done)."""

from __future__ import annotations

from django.utils import timezone

from winddown.accounts.models import User
from winddown.accounts.roles import Role
from winddown.identity import services as identity_services
from winddown.identity.models import Lender
from winddown.pii import keys
from winddown.pii.idnumbers import IdType
from winddown.pii.keys import keyring


def verified_lender(
    *, username: str, name: str, id_number: str, phone: str, voting_password_hash: str = ""
) -> Lender:
    """A lender who has verified name, ID number and liveness and accepted the agreement;
    with a voting password when its hash is given."""
    ring = keyring()
    now = timezone.now()
    return Lender.objects.create(
        user=User.objects.create_user(username, role=Role.LENDER),
        phone_enc=ring.encrypt(phone, purpose=keys.PHONE),
        phone_index=identity_services.phone_index(phone),
        real_name=name,
        id_number_enc=ring.encrypt(id_number, purpose=keys.ID_NUMBER),
        id_index=identity_services.id_index(IdType.RESIDENT_ID, id_number),
        identity_checked_at=now,
        agreement_version="demo",
        agreement_accepted_at=now,
        liveness_passed_at=now,
        voting_password_hash=voting_password_hash,
        voting_password_set_at=now if voting_password_hash else None,
    )
