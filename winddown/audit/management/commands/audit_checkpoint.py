"""manage.py audit_checkpoint [--reason TEXT]: sign and timestamp the audit log's head now
(run daily from cron; every vote's publication takes one too). Prints the checkpoint."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from winddown.audit.services import checkpoint_create


class Command(BaseCommand):
    help = "Take a signed, timestamped checkpoint of the audit log's head (daily, from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--reason", default="", help='default: "daily YYYY-MM-DD"')

    def handle(self, *args, reason: str, **options):
        checkpoint = checkpoint_create(reason=reason or f"daily {timezone.localdate():%Y-%m-%d}")
        stamped = checkpoint.timestamp_at.isoformat() if checkpoint.timestamp_at else "none"
        self.stdout.write(
            f"Checkpoint of entry #{checkpoint.seq} ({checkpoint.entry_hash}), timestamp: {stamped}"
        )
