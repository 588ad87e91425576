"""python manage.py import_claims <institution short name or credit code> <file>"""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from winddown.accounts.selectors import active_staff_member
from winddown.audit.services import Actor
from winddown.claims.services import register_import
from winddown.institutions.selectors import find_institution
from winddown.money import format_yuan


class Command(BaseCommand):
    help = (
        "Import a claims register (CSV or XLSX) as a new pending version of an institution's "
        "register. Prints the totals on success; prints every row error and exits 1 otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "institution", help="institution short name or unified social credit code"
        )
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as-user",
            default="",
            help="username recorded as the uploader (default: the first system administrator)",
        )

    def handle(self, *args, institution, file, as_user, **options):
        target = find_institution(institution)
        if target is None:
            raise CommandError(f"机构“{institution}”不存在（请使用机构简称或统一社会信用代码）")
        if not file.is_file():
            raise CommandError(f"文件不存在：{file}")
        user = self._uploader(as_user)
        started = time.perf_counter()
        result = register_import(
            institution=target,
            open_source=lambda: open(file, "rb"),  # noqa: SIM115 - the importer closes it
            source_name=file.name,
            user=user,
            actor=Actor(user.pk, f"{user.audit_label} (manage.py import_claims)"),
            on_error=lambda error: self.stderr.write(str(error)),
            on_progress=lambda rows: self.stderr.write(f"已处理 {rows:,} 行……"),
        )
        elapsed = time.perf_counter() - started
        if not result.ok:
            self.stderr.write(f"登记表有 {result.error_count} 处错误，未保存任何数据。")
            sys.exit(1)
        version = result.version
        self.stdout.write(
            f"已导入 {target.short_name} 第{version.number}版（待启用）：\n"
            f"  出借人数 {version.lender_count:,}\n"
            f"  待收本金合计 {format_yuan(version.principal_total_fen)} 元\n"
            f"  待收利息合计 {format_yuan(version.interest_total_fen)} 元\n"
            f"  与生效版本相比：新增 {version.diff_added:,}，移除 {version.diff_removed:,}，"
            f"金额变动 {version.diff_changed:,}\n"
            f"  用时 {elapsed:.1f} 秒（{version.lender_count / elapsed:,.0f} 行/秒）"
        )

    def _uploader(self, username: str):
        user = active_staff_member(username)
        if user is None:
            raise CommandError("找不到记录为上传人的工作人员账户（--as-user 用户名）")
        return user
