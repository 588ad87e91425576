"""python manage.py report_tables [--json] [--full] [--table AH-03]

The association's seven indicator tables (报送标准, 003:L629–1310) as the platform holds
them. ``--json`` prints ``[{"table", "name", "frequency", "indicators": [{"code", "name",
"unit"}]}]`` (issue 19); ``--full`` adds every attribute (子编号, kind, required, source line).
Without ``--json``: one line per indicator. Exit codes: 0 printed; 2 unknown table.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from winddown.indicators import TABLES, tables_json


class Command(BaseCommand):
    help = "Print the association's indicator tables (AH-01 … AH-07)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="JSON, as issue 19 shows")
        parser.add_argument("--full", action="store_true", help="every attribute")
        parser.add_argument("--table", help="only this table (AH-01 … AH-07)")

    def handle(self, *args, **options):
        tables = tables_json(full=options["full"])
        wanted = options.get("table")
        if wanted:
            wanted = wanted.strip().upper()
            if wanted not in TABLES:
                raise CommandError(
                    f"采集表“{wanted}”不存在，应为 {'、'.join(TABLES)} 之一", returncode=2
                )
            tables = [t for t in tables if t["table"] == wanted]
        if options["json"]:
            self.stdout.write(json.dumps(tables, ensure_ascii=False, indent=1))
            return
        for table in TABLES.values():
            if wanted and table.code != wanted:
                continue
            self.stdout.write(
                f"{table.code} {table.name}（{table.frequency.label}，{table.deadline}，"
                f"{len(table.indicators)}项）"
            )
            for i in table.indicators:
                unit = f"  [{i.unit}]" if i.unit else ""
                self.stdout.write(f"  {i.code:<7} {i.name}{unit}")
