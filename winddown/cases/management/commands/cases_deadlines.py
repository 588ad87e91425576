"""Warn before each case deadline and mark missed ones (举报办法 第十三条 deadlines in
working days). Run it daily from cron (e.g. 01:00), or enqueue the self-rescheduling task
once with ``--schedule``.

Exit codes: 0 done; 1 a bad ``--date``.
"""

from __future__ import annotations

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from winddown.cases import services


class Command(BaseCommand):
    help = "每日期限检查：期限临近的举报预警，已过期限的标记逾期"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期检查（YYYY-MM-DD，默认今天）")
        parser.add_argument(
            "--schedule", action="store_true", help="将每日任务加入后台队列（此后每天自动运行）"
        )

    def handle(self, *args, **options):
        if options["schedule"]:
            from winddown.cases.tasks import cases_deadlines_task

            cases_deadlines_task.enqueue(reschedule=True)
            self.stdout.write("已加入后台队列：每日 01:00 运行期限检查")
            return
        day = None
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"日期应为 YYYY-MM-DD，收到“{options['date']}”") from None
        started = time.perf_counter()
        sweep = services.deadlines_sweep(day=day)
        self.stdout.write(
            f"{sweep.day}：补算期限 {sweep.recomputed} 件，预警 {sweep.warned} 件，"
            f"标记逾期 {sweep.missed} 件（{time.perf_counter() - started:.2f} 秒）"
        )
