"""python manage.py workdays is-working DATE | add DATE N | due TABLE PERIOD | set-year YEAR ...

For operators and scripts: the answer alone on stdout, messages in Chinese on stderr.

    workdays is-working 2026-10-10            -> true
    workdays add 2026-09-30 3                 -> 2026-10-10
    workdays due AH-05 2026-09                -> 2026-10-13   (--json: due and deadline)
    workdays set-year 2027 --holidays "2027-01-01..2027-01-03, 2027-02-05..2027-02-11" \
        --workdays "2027-02-14, 2027-02-20" --notice "国务院办公厅关于2027年…的通知（…）"

Exit codes: 0 answered; 2 malformed input (a date, a count, a table, a period, a year's
data); 3 the answer needs a year that is not confirmed (the message names it).
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from winddown.audit.services import Actor
from winddown.calendar import DEFAULT_SCHEDULES, InvalidPeriod, RuleError, UnconfirmedYear
from winddown.core.errors import DomainError
from winddown.workdays import selectors, services
from winddown.workdays.dates import SYNTAX_HINT, DateSyntaxError, format_dates, parse_day

MALFORMED = 2
UNCONFIRMED = 3
_COUNT = re.compile(r"[+-]?\d{1,6}")
_TABLE = re.compile(r"AH-?0?([1-7])")


class Refusal(CommandError):
    """Malformed input (exit 2) or an unconfirmed year (exit 3). From the command line the
    message alone goes to stderr; through call_command the exception is raised."""


def _chinese(message: str) -> str:
    return message.partition(" / ")[0]


def _malformed(message: str) -> Refusal:
    return Refusal(message, returncode=MALFORMED)


def _day(text: str) -> date:
    try:
        return parse_day(text)
    except DateSyntaxError as exc:
        raise _malformed(f"日期{exc}，应写作 YYYY-MM-DD，例如 2026-10-10") from None


def _table(text: str) -> str:
    match = _TABLE.fullmatch(text.strip().upper())
    if match is None:
        known = "、".join(DEFAULT_SCHEDULES)
        raise _malformed(f"采集表“{text}”不存在，应为 {known} 之一")
    return f"AH-0{match.group(1)}"


class Command(BaseCommand):
    help = (
        "Working days and filing deadlines from the confirmed years. Exit 2: malformed "
        "input; exit 3: the answer needs a year that is not confirmed."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        p = sub.add_parser("is-working", help="print true or false")
        p.add_argument("day", metavar="DATE", help="YYYY-MM-DD")
        p = sub.add_parser("add", help="print the date N working days after DATE")
        p.add_argument("day", metavar="DATE", help="YYYY-MM-DD (not counted)")
        p.add_argument("n", metavar="N", help="working days (negative: before)")
        p = sub.add_parser("due", help="print a table's filing deadline for a period")
        p.add_argument("table", metavar="TABLE", help="AH-01 … AH-07")
        p.add_argument("period", metavar="PERIOD", help="2025 | 2026-Q3 | 2026-09")
        p.add_argument(
            "--json",
            dest="as_json",
            action="store_true",
            help="print table, period, due and deadline as JSON",
        )
        p = sub.add_parser("set-year", help="enter and confirm a year from the notice")
        p.add_argument("year", metavar="YEAR")
        p.add_argument(
            "--holidays", required=True, metavar="RANGES", help=f"days off: {SYNTAX_HINT}"
        )
        p.add_argument(
            "--workdays",
            required=True,
            metavar="DATES",
            help='Saturdays and Sundays that are working days (调休上班); "" for none',
        )
        p.add_argument("--notice", required=True, metavar="TEXT", help="the notice and its number")

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except Refusal as refusal:
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.stderr.write(str(refusal))
            sys.exit(refusal.returncode)

    def handle(self, *args, subcommand, **options):
        try:
            answer = {
                "is-working": self._is_working,
                "add": self._add,
                "due": self._due,
                "set-year": self._set_year,
            }[subcommand](**options)
        except UnconfirmedYear as exc:
            raise Refusal(
                f"{_chinese(exc.message)}。系统管理员可在系统管理后台或用 "
                f"manage.py workdays set-year {exc.year} 录入并确认该年度。",
                returncode=UNCONFIRMED,
            ) from None
        except (InvalidPeriod, RuleError) as exc:
            raise _malformed(_chinese(exc.message)) from None
        except DomainError as exc:
            raise _malformed(exc.message) from None
        self.stdout.write(answer)

    def _is_working(self, *, day, **_) -> str:
        return "true" if selectors.is_working_day(_day(day)) else "false"

    def _add(self, *, day, n, **_) -> str:
        start = _day(day)
        if not _COUNT.fullmatch(n.strip()):
            raise _malformed(f"工作日数“{n}”不是整数，例如 10 或 -3")
        return selectors.add_working_days(start, int(n)).isoformat()

    def _due(self, *, table, period, as_json, **_) -> str:
        dates = selectors.filing_dates(_table(table), period.strip())
        if not as_json:
            return dates.deadline.isoformat()
        return json.dumps(
            {
                "table": dates.table,
                "period": dates.period.label,
                "due": dates.due.isoformat(),
                "deadline": dates.deadline.isoformat(),
            },
            ensure_ascii=False,
        )

    def _set_year(self, *, year, holidays, workdays, notice, **_) -> str:
        row = services.year_set(
            actor=Actor.system("manage.py workdays set-year"),
            year=year,
            holidays=holidays,
            workdays=workdays,
            notice=notice,
            confirm=True,
        )
        spec = row.spec()
        return (
            f"{row.year}年已确认：放假 {len(spec.holidays)} 天（其中周一至周五 "
            f"{len(spec.days_off)} 天）：{format_dates(spec.holidays)}；调休上班 "
            f"{len(spec.workdays)} 天：{format_dates(spec.workdays) or '无'}；依据：{row.notice}"
        )
