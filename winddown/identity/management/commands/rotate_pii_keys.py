"""Re-encrypt all personal data under the first key of WINDDOWN_PII_KEYS and recompute the
blind indexes under WINDDOWN_PII_INDEX_KEY (see README, "Key rotation")."""

from django.core.management.base import BaseCommand

from winddown.audit.actions import PlatformAction
from winddown.audit.services import Actor, record
from winddown.claims import services as claims_services
from winddown.identity import services as identity_services
from winddown.pii.keys import keyring


class Command(BaseCommand):
    help = "Re-encrypt personal data under the primary key and recompute blind indexes."

    def handle(self, *args, **options):
        primary = keyring().primary_id
        lenders = identity_services.rotate_personal_data()
        claims = claims_services.rotate_personal_data()
        record(
            actor=Actor.system("manage.py rotate_pii_keys"),
            action=PlatformAction.PII_KEYS_ROTATED,
            after={"primary_key_id": primary, "lenders": lenders, **claims},
        )
        self.stdout.write(
            f"Re-encrypted under key {primary!r}: {lenders} lenders, {claims['entries']} register "
            f"rows, {claims['attachments']} attachments; {claims['confirmations']} confirmation "
            "indexes updated. Old keys can now be removed from WINDDOWN_PII_KEYS."
        )
