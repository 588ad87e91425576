"""python manage.py ledger_figures AH-05 <institution> <YYYY-MM> [--json]

Prints every AH-05 indicator (AH501–AH529, spec B.5.5) the active ledger gives for that
month: amounts in 万元 with six decimals (strings in JSON), counts as integers,
percentages, rates and terms with two decimals, half-up; then the flags for the working
group (V18 platform money, risk reserve, V19 related parties).
Exit codes: 0 printed; 1 (CommandError) unknown table or institution, malformed month, no
ledger imported."""

import json

from django.core.management.base import BaseCommand, CommandError

from winddown.core.errors import DomainError
from winddown.institutions.selectors import find_institution
from winddown.ledger.selectors import ah05_table, parse_period


class Command(BaseCommand):
    help = "Print the AH-05 figures of an institution's loan ledger for one month."

    def add_arguments(self, parser):
        parser.add_argument("table", help="AH-05 (the only table the ledger computes)")
        parser.add_argument("institution", help="short name or unified social credit code")
        parser.add_argument("period", help="YYYY-MM")
        parser.add_argument("--json", action="store_true", help="one JSON document")

    def handle(self, *args, table, institution, period, json: bool = False, **options):
        if table.upper().replace("_", "-") != "AH-05":
            raise CommandError(f"不支持的报表“{table}”：借款台账只计算 AH-05")
        target = find_institution(institution)
        if target is None:
            raise CommandError(f"机构“{institution}”不存在（请使用机构简称或统一社会信用代码）")
        try:
            year, month = parse_period(period)
            version, result = ah05_table(target, year, month)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        document = result.as_json()
        document["institution"] = target.short_name
        document["ledger_version"] = version.number
        if json:
            self.stdout.write(_dumps(document))
            return
        self.stdout.write(
            f"{target.short_name} AH-05 {document['period']}（截至 {document['as_of']}，"
            f"借款台账第{version.number}版）"
        )
        for figure in result.figures:
            value = "—" if figure.text is None else figure.text
            self.stdout.write(f"{figure.code} {figure.name}: {value} {figure.unit}")
        for flag in result.flags:
            self.stdout.write(f"[{flag.code}] {flag.name}: {flag.count} 笔")


def _dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)
