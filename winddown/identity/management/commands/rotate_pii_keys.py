"""Re-encrypt all personal data under the first key of WINDDOWN_PII_KEYS and recompute the
blind indexes under WINDDOWN_PII_INDEX_KEY (see README, "Key rotation"). What is covered is
what the apps register (winddown.pii.registry)."""

from django.core.management.base import BaseCommand, CommandError

from winddown.audit.actions import PlatformAction
from winddown.audit.services import Actor, record
from winddown.pii.rotation import RotationRefused, personal_data_rotate


class Command(BaseCommand):
    help = "Re-encrypt personal data under the primary key and recompute blind indexes."

    def handle(self, *args, **options):
        try:
            report = personal_data_rotate()
        except RotationRefused as exc:
            raise CommandError(str(exc)) from None
        record(
            actor=Actor.system("manage.py rotate_pii_keys"),
            action=PlatformAction.PII_KEYS_ROTATED,
            after=report.as_dict(),
        )
        rows = "，".join(f"{label} {count}" for label, count in report.rows.items())
        files = "，".join(f"{label} {count}" for label, count in report.files.items())
        self.stdout.write(
            f"Re-encrypted under key {report.primary_key_id!r}: rows: {rows}; files: {files or '0'}"
            + ("; blind indexes recomputed" if report.index_key_changed else "")
            + ". Old keys can now be removed from WINDDOWN_PII_KEYS."
        )
