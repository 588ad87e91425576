"""Writes to the table of years; each one transaction with its audit entry.

A year's working days are what the General Office of the State Council's notice of that
year says (国务院办公厅关于XXXX年部分节假日安排的通知; spec I.14). An administrator enters
the days off and the make-up working days (调休上班) from the notice and confirms the year;
until then the year answers nothing. A confirmed year may be amended: the next year's
notice can still move its last days of December (元旦: 2005, 2006, 2007, 2011 and 2018 were
changed so; see winddown/calendar/README.md), and the amendment is audited as such.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from winddown.audit.services import Actor, record
from winddown.calendar import CalendarDataError, YearSpec
from winddown.core.errors import DomainError
from winddown.workdays import selectors
from winddown.workdays.audit_actions import WorkdaysAction
from winddown.workdays.dates import DateSyntaxError, parse_dates, to_stored
from winddown.workdays.errors import WorkdaysErrorCode as E
from winddown.workdays.models import WorkYear

MIN_YEAR = 2000
MAX_YEAR = 2100
NOTICE_MAX_LENGTH = 2000

FIELD_LABELS = {
    "year": "年份",
    "holidays": "放假日期",
    "workdays": "调休上班日",
    "confirmed": "确认",
    "notice": "依据通知",
}


def parse_year(value: int | str) -> int:
    """A year between MIN_YEAR and MAX_YEAR, from an int or its decimal text."""
    text = str(value).strip()
    if type(value) is bool or not text.isascii() or not text.isdigit():
        raise DomainError(E.YEAR_INVALID, field="year", low=MIN_YEAR, high=MAX_YEAR, value=text)
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(E.YEAR_INVALID, field="year", low=MIN_YEAR, high=MAX_YEAR, value=text)
    return year


def _days(field: str, value: str | Iterable[date]) -> frozenset[date]:
    if not isinstance(value, str):
        return frozenset(value)
    try:
        return parse_dates(value)
    except DateSyntaxError as exc:
        raise DomainError(
            E.DATE_SYNTAX, field=field, label=FIELD_LABELS[field], detail=str(exc)
        ) from None


def year_spec(
    *,
    year: int | str,
    holidays: str | Iterable[date],
    workdays: str | Iterable[date],
    notice: str,
    confirm: bool,
) -> YearSpec:
    """The checked :class:`YearSpec` of the input, or a ``DomainError`` naming the field.

    ``holidays`` and ``workdays`` are the typed form of :mod:`winddown.workdays.dates`
    (``2027-02-05..2027-02-11, 2027-04-05``) or collections of dates. The core refuses a
    day outside the year, a make-up working day that is a weekday, a day both off and
    worked, and a confirmed year without its notice.
    """
    year = parse_year(year)
    notice = notice.strip()
    if len(notice) > NOTICE_MAX_LENGTH:
        raise DomainError(
            E.TOO_LONG, field="notice", label=FIELD_LABELS["notice"], limit=NOTICE_MAX_LENGTH
        )
    try:
        return YearSpec(
            year=year,
            holidays=_days("holidays", holidays),
            workdays=_days("workdays", workdays),
            confirmed=confirm,
            notice=notice,
        )
    except CalendarDataError as exc:
        field = exc.field if exc.field in FIELD_LABELS else "year"
        detail = exc.message.partition(": ")[2].partition(" / ")[0]  # the Chinese half
        raise DomainError(
            E.YEAR_DATA, field=field, label=FIELD_LABELS[field], detail=detail
        ) from None


def _action(before: dict | None, confirmed: bool) -> WorkdaysAction:
    was_confirmed = bool(before and before["confirmed"])
    if confirmed:
        return WorkdaysAction.YEAR_AMENDED if was_confirmed else WorkdaysAction.YEAR_CONFIRMED
    return WorkdaysAction.YEAR_UNCONFIRMED if was_confirmed else WorkdaysAction.YEAR_DRAFTED


@transaction.atomic
def year_set(
    *,
    actor: Actor,
    year: int | str,
    holidays: str | Iterable[date],
    workdays: str | Iterable[date],
    notice: str,
    confirm: bool = True,
) -> WorkYear:
    """Enter (or amend) a year of the calendar and, with ``confirm``, confirm it.

    Creates the row or replaces its days and notice; audited with before and after
    (``workdays.year_confirmed``, ``.year_amended`` for a change to a confirmed year,
    ``.year_drafted``, ``.year_unconfirmed``). Saving what is already stored changes
    nothing and writes no audit entry. The cached calendar of this process is dropped at
    once and again on commit; other processes see the change within
    ``selectors.RECHECK_SECONDS``.
    """
    spec = year_spec(
        year=year, holidays=holidays, workdays=workdays, notice=notice, confirm=confirm
    )
    row = WorkYear.objects.select_for_update().filter(year=spec.year).first()
    before = row.audit_snapshot() if row is not None else None
    if row is None:
        row = WorkYear(year=spec.year)
    row.holidays = to_stored(spec.holidays)
    row.workdays = to_stored(spec.workdays)
    row.confirmed = spec.confirmed
    row.notice = spec.notice
    after = row.audit_snapshot()
    if after == before:
        return row
    if spec.confirmed:
        row.confirmed_by_id = actor.user_id
        row.confirmed_by_label = actor.label[:200]
        row.confirmed_at = timezone.now()
    else:
        row.confirmed_by_id, row.confirmed_by_label, row.confirmed_at = None, "", None
    row.save()
    record(actor=actor, action=_action(before, spec.confirmed), obj=row, before=before, after=after)
    # Now, so later reads in this transaction see the change, and on commit, so a read
    # by another thread of this process before the commit cannot keep the old table.
    selectors.invalidate()
    transaction.on_commit(selectors.invalidate)
    return row
