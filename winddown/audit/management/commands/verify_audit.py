"""manage.py verify_audit [--checkpoint FILE ...]: exit 0 when the audit log's keyed chain
is intact and agrees with every checkpoint (the stored ones, and each FILE: a checkpoint
copied from the public checkpoint page or a result page); exit 1 naming the first entry
that breaks them; exit 2 for a FILE that is not a validly signed checkpoint."""

import json

from django.core.management.base import BaseCommand, CommandError

from winddown.audit.checkpoints import published
from winddown.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's keyed hash chain against its checkpoints."

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="a published checkpoint (JSON) to check the log against; may repeat",
        )

    def handle(self, *args, **options):
        extra = []
        for path in options["checkpoint"]:
            try:
                with open(path, encoding="utf-8") as handle:
                    extra.append(published(json.load(handle)))
            except (OSError, ValueError) as exc:
                raise CommandError(f"{path}: not a valid checkpoint ({exc})", returncode=2) from exc
        report = verify_chain(extra_checkpoints=extra)
        if not report.ok:
            where = f" at entry #{report.broken_seq}" if report.broken_seq else ""
            raise CommandError(
                f"Audit chain broken{where}: {report.reason} "
                f"({report.checked} entries verified before it)."
            )
        self.stdout.write(
            f"Audit chain intact: {report.checked} entries verified, "
            f"{report.checkpoints} checkpoints agree."
        )
