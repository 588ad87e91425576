"""Raise off-site monitoring flags from filed figures (检查办法 第九条; cases/monitoring.py).

Input: a JSON file, a list of objects, amounts in integer fen::

    [{"institution": "网贷机构A", "period": "2026-02", "overdue_fen": 7000,
      "outstanding_fen": 100000, "related_party_fen": 0, "own_funds_compensation_fen": 0,
      "previous": {"period": "2026-01", "overdue_fen": 1000, "outstanding_fen": 100000}}]

Until the filings and ledger apps call ``inspections.flags_raise`` themselves, this is how
their figures reach the monitoring rules. Exit codes: 0 done; 1 a bad file (nothing raised).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from winddown.audit.services import Actor
from winddown.cases import inspections, monitoring
from winddown.institutions.selectors import find_institution

FIELDS = ("overdue_fen", "outstanding_fen", "related_party_fen", "own_funds_compensation_fen")


def _figures(row: dict, where: str) -> monitoring.Figures:
    values = {}
    for field in FIELDS:
        value = row.get(field, 0)
        if type(value) is not int or value < 0:
            raise CommandError(f"{where}：{field} 应为不小于0的整数（分），收到 {value!r}")
        values[field] = value
    period = row.get("period")
    if not isinstance(period, str) or not period:
        raise CommandError(f"{where}：缺少 period（报送期，如 2026-02）")
    return monitoring.Figures(period=period, **values)


class Command(BaseCommand):
    help = "依据报送数据生成非现场监测预警"

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="JSON 文件")

    def handle(self, *args, input, **options):
        try:
            with open(input, encoding="utf-8") as source:
                rows = json.load(source)
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取 {input}：{exc}") from None
        if not isinstance(rows, list):
            raise CommandError("文件内容应为列表")
        parsed = []
        for number, row in enumerate(rows, start=1):
            where = f"第{number}项"
            if not isinstance(row, dict):
                raise CommandError(f"{where}应为对象")
            institution = find_institution(str(row.get("institution", "")))
            if institution is None:
                raise CommandError(f"{where}：没有机构“{row.get('institution')}”")
            previous = row.get("previous")
            parsed.append(
                (
                    institution,
                    _figures(row, where),
                    _figures(previous, where + "的 previous") if previous else None,
                )
            )
        actor = Actor.system("manage.py cases_flags")
        total = 0
        for institution, current, previous in parsed:
            raised = inspections.flags_raise(
                institution=institution, current=current, previous=previous, actor=actor
            )
            for flag in raised:
                self.stdout.write(
                    f"{institution.short_name} {flag.get_kind_display()}：{flag.explanation}"
                )
            total += len(raised)
        self.stdout.write(f"共生成预警 {total} 条")
