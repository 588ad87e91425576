"""Shared test helpers: a day-by-day oracle and notice blocks written out by hand."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from winddown.calendar import UnconfirmedYear, YearSpec

ONE_DAY = timedelta(days=1)


def days(first: date, last: date) -> list[date]:
    """Every day from ``first`` to ``last`` inclusive."""
    out = []
    d = first
    while d <= last:
        out.append(d)
        d += ONE_DAY
    return out


def spec_from_notice(
    year: int, blocks: Iterable[tuple[date, date]], workdays: Iterable[date], notice: str
) -> YearSpec:
    """A confirmed YearSpec written the way a notice reads: blocks of days off
    ("X月X日至X日放假") and the make-up working days ("X月X日（周六）上班")."""
    holidays = {d for a, b in blocks for d in days(a, b)}
    return YearSpec(year, holidays, set(workdays), confirmed=True, notice=notice)


class Oracle:
    """Walks day by day over the YearSpecs: the obvious, slow definition."""

    def __init__(self, specs: Mapping[int, YearSpec]) -> None:
        self.specs = specs

    def check(self, year: int) -> None:
        spec = self.specs.get(year)
        if spec is None or not spec.confirmed:
            raise UnconfirmedYear(year, known=year in self.specs)

    def is_working_day(self, d: date) -> bool:
        self.check(d.year)
        return self.specs[d.year].is_working_day(d)

    def add_working_days(self, d: date, n: int) -> date:
        self.check(d.year)
        step = ONE_DAY if n > 0 else -ONE_DAY
        count = 0
        while count < abs(n):
            d += step
            if self.is_working_day(d):
                count += 1
        return d

    def working_days_between(self, a: date, b: date) -> int:
        self.check(a.year)
        self.check(b.year)
        lo, hi = min(a, b), max(a, b)
        count = 0
        d = lo
        while d < hi:
            d += ONE_DAY
            if self.is_working_day(d):
                count += 1
        return count if a <= b else -count

    def roll_forward(self, d: date) -> date:
        while not self.is_working_day(d):
            d += ONE_DAY
        return d


def outcome(fn, *args):
    """``("ok", value)`` or ``("unconfirmed", year, known)``: comparable results."""
    try:
        return ("ok", fn(*args))
    except UnconfirmedYear as e:
        return ("unconfirmed", e.year, e.known)
