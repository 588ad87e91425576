from django.core.management.base import BaseCommand, CommandError

from winddown.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log; exits non-zero at the first broken link."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at entry #{report.broken_seq}: {report.reason} "
                f"({report.checked} entries verified before it)."
            )
        self.stdout.write(f"Audit chain intact: {report.checked} entries verified.")
