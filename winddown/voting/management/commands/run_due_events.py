"""Open, close and count every voting event that is due. Run it every minute from cron or a
systemd timer: it is the safety net behind the worker's timed tasks, and idempotent."""

from django.core.management.base import BaseCommand

from winddown.voting.services.lifecycle import events_run_due


class Command(BaseCommand):
    help = "Open, close and count due voting events (idempotent; run every minute)."

    def handle(self, *args, **options):
        done = events_run_due()
        self.stdout.write(
            f"opened {done['opened']}, closed {done['closed']}, counted {done['counted']}"
        )
