"""Designate association officers for cases (举报办法 第二条 专人; 惩戒办法 第十二条
专业委员会): ``cases_officers designate USERNAME handler|secretary_general|committee``,
``cases_officers revoke …``, ``cases_officers list``. Audited.

Exit codes: 0 done; 1 unknown user, designation or a refusal (message in Chinese)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from winddown.accounts.selectors import active_staff_member
from winddown.audit.services import Actor
from winddown.cases import services
from winddown.cases.models import CaseOfficer, Designation
from winddown.core.errors import DomainError


class Command(BaseCommand):
    help = "指定或撤销投诉举报专人、秘书长、专业委员会委员"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["designate", "revoke", "list"])
        parser.add_argument("username", nargs="?")
        parser.add_argument("designation", nargs="?", choices=Designation.values)

    def handle(self, *args, action, username=None, designation=None, **options):
        if action == "list":
            for officer in CaseOfficer.objects.select_related("user").order_by("designation"):
                self.stdout.write(f"{officer.get_designation_display()}\t{officer.user.username}")
            return
        if not username or not designation:
            raise CommandError("请给出用户名和身份（handler、secretary_general 或 committee）")
        user = active_staff_member(username)
        if user is None:
            raise CommandError(f"没有用户“{username}”")
        actor = Actor.system("manage.py cases_officers")
        try:
            if action == "designate":
                services.officer_designate(user=user, designation=designation, actor=actor)
            else:
                services.officer_revoke(user=user, designation=designation, actor=actor)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"已{'指定' if action == 'designate' else '撤销'}：{username}")
