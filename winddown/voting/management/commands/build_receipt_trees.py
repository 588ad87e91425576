"""Build the receipt tree file (`voting/receipt_tree.py`) of every published event that has
none, e.g. once after deploying the O(log n) receipt checks; with --force, rebuild them all.
Without it, each event's tree is built on its first receipt lookup instead.

Exit codes: 0 every published event has its tree; 1 some event's ballot rows do not give
its published root (no tree; its receipt checks answer "not proved" until this is fixed)."""

from django.core.management.base import BaseCommand, CommandError

from winddown.voting.receipt_tree import receipt_trees_build


class Command(BaseCommand):
    help = "Build missing receipt tree files of published voting events (exit 1 if refused)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="rebuild existing trees too")

    def handle(self, *args, force: bool = False, **options):
        done = receipt_trees_build(force=force)
        for event_id, status in done:
            self.stdout.write(f"event {event_id}: {status}")
        refused = [event_id for event_id, status in done if status.startswith("refused")]
        if refused:
            raise CommandError(f"receipt trees refused for events {refused}", returncode=1)
