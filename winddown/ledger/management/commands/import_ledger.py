"""python manage.py import_ledger <institution> FILE FILE FILE

Exit codes: 0 imported (warnings, if any, on stderr); 1 the files have errors (each printed
on stderr, nothing stored); CommandError (exit 1 with a message) for an unknown institution,
a missing file or no uploader account."""

import sys
import time
import tracemalloc
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from winddown.accounts.selectors import active_staff_member
from winddown.audit.services import Actor
from winddown.institutions.selectors import find_institution
from winddown.ledger.services import ledger_import
from winddown.money import format_yuan


class Command(BaseCommand):
    help = (
        "Import an institution's loan ledger: the loans, holdings and repayments files (CSV "
        "UTF-8/GBK or XLSX, in any order, recognised by their headers) as its new active "
        "version, all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "institution", help="institution short name or unified social credit code"
        )
        parser.add_argument("files", type=Path, nargs=3)
        parser.add_argument("--as-user", default="", help="username recorded as the uploader")
        parser.add_argument(
            "--measure-memory", action="store_true", help="print the peak of Python allocations"
        )

    def handle(self, *args, institution, files, as_user, measure_memory, **options):
        target = find_institution(institution)
        if target is None:
            raise CommandError(f"机构“{institution}”不存在（请使用机构简称或统一社会信用代码）")
        for file in files:
            if not file.is_file():
                raise CommandError(f"文件不存在：{file}")
        user = active_staff_member(as_user)
        if user is None:
            raise CommandError("找不到记录为上传人的工作人员账户（--as-user 用户名）")
        if measure_memory:
            tracemalloc.start()
        started = time.perf_counter()
        result = ledger_import(
            institution=target,
            sources=[(f.name, lambda f=f: open(f, "rb")) for f in files],  # noqa: SIM115
            user=user,
            actor=Actor(user.pk, f"{user.audit_label} (manage.py import_ledger)"),
            on_error=lambda error: self.stderr.write(str(error)),
            on_progress=lambda rows: self.stderr.write(f"已处理 {rows:,} 行……"),
        )
        elapsed = time.perf_counter() - started
        for warning in result.warnings:
            self.stderr.write(f"提示：{warning}")
        if not result.ok:
            self.stderr.write(f"借款台账有 {result.error_count} 处错误，未保存任何数据。")
            sys.exit(1)
        version = result.version
        rows = version.loan_count + version.holding_count + version.repayment_count
        self.stdout.write(
            f"已导入 {target.short_name} 借款台账第{version.number}版（生效中）：\n"
            f"  借款 {version.loan_count:,} 笔，借款人 {version.borrower_count:,} 户\n"
            f"  出借记录 {version.holding_count:,} 条，还款记录 {version.repayment_count:,} 条\n"
            f"  借款本金合计 {format_yuan(version.principal_total_fen)} 元\n"
            f"  用时 {elapsed:.1f} 秒（{rows / elapsed:,.0f} 行/秒）"
        )
        if measure_memory:
            _, peak = tracemalloc.get_traced_memory()
            self.stdout.write(f"  Python 内存峰值 {peak / 2**20:,.0f} MiB")
