"""python manage.py reporting_remind [--within 7] [--date YYYY-MM-DD]

The filings due within ``--within`` days or already overdue and not submitted, for every
institution (the same list each operator sees on the 信息报送 page), printed one line each;
every institution with at least one is recorded in the audit log (reporting.reminders_sent)
once per day. Run it daily (cron). Exit codes: 0 done; 2 malformed input.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from winddown.audit.selectors import object_history
from winddown.audit.services import Actor, record
from winddown.institutions.selectors import all_institutions
from winddown.reporting import selectors
from winddown.reporting.audit_actions import ReportingAction


class Command(BaseCommand):
    help = "Remind institutions of filings due soon or overdue (prints them, audits once a day)."

    def add_arguments(self, parser):
        parser.add_argument("--within", type=int, default=7, help="days before the due date")
        parser.add_argument("--date", help="as if today were this day (YYYY-MM-DD)")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options.get("date") else None
        except ValueError:
            raise CommandError("日期应写作 YYYY-MM-DD", returncode=2) from None
        within = options["within"]
        if not 0 <= within <= 60:
            raise CommandError("--within 应为 0–60 天", returncode=2)
        actor = Actor.system("reporting_remind")
        stamp = (today or date.today()).isoformat()
        reminded = 0
        for institution in all_institutions():
            reminders = selectors.reminders_for(institution.pk, within_days=within, today=today)
            if not reminders:
                continue
            for r in reminders:
                self.stdout.write(
                    f"{institution.short_name}\t{r.table}\t{r.period.label}\t{r.state}\t{r.text}"
                )
            already = object_history(
                object_type="reporting.reminders", object_id=stamp,
                institution_id=institution.pk, actions=[ReportingAction.REMINDERS_SENT],
            )  # fmt: skip
            if not already:
                record(
                    actor=actor, action=ReportingAction.REMINDERS_SENT,
                    object_type="reporting.reminders", object_id=stamp,
                    institution_id=institution.pk,
                    after={"filings": [f"{r.table} {r.period.label} {r.state}" for r in reminders]},
                )  # fmt: skip
            reminded += 1
        self.stderr.write(f"{reminded} 家机构有待报或逾期的报送")
