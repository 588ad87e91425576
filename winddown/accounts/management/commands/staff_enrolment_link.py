"""Print a one-time enrolment link for a staff account, from the server's shell.

    manage.py staff_enrolment_link admin --create-admin --base-url https://winddown.example

For the first system administrator of a new deployment (`--create-admin` creates the
account), or when no administrator can sign in to issue a link from the accounts page.
Older links of the account stop working; the issue is audited. Exit codes: 0 the link was
printed, 1 refused (no such staff account, or deactivated)."""

from django.core.management.base import BaseCommand, CommandError

from winddown.accounts.services import staff_enrolment_link_from_server
from winddown.audit.services import Actor
from winddown.core.errors import DomainError


class Command(BaseCommand):
    help = "Print a one-time enrolment link (set password, bind authenticator) for a staff account."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--create-admin",
            action="store_true",
            help="create the account as a system administrator if it does not exist",
        )
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args, username, create_admin, base_url, **options):
        try:
            issued = staff_enrolment_link_from_server(
                username=username,
                actor=Actor.system("manage.py staff_enrolment_link"),
                create_admin=create_admin,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"{base_url.rstrip('/')}/staff/enrol/{issued.token}/")
        self.stderr.write(
            f"One-time link for {issued.account.username}, valid until "
            f"{issued.expires_at:%Y-%m-%d %H:%M} UTC; it is not stored and not shown again."
        )
