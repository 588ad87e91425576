"""The working-day calendar: questions about working days over confirmed years.

Counting follows the Civil Code (《中华人民共和国民法典》):

* 第二百零一条: "按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。"
  — the start day is not counted, so "X个工作日内" after an event ends on the
  X-th working day *after* the event day (:meth:`Calendar.add_working_days`).
* 第二百零三条: "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后
  一日。期间的最后一日的截止时间为二十四时" — a last day that is not a working day
  moves to the next working day (:meth:`Calendar.roll_forward`); the day ends at
  24:00 (Asia/Shanghai — callers turn dates into instants).

and working days follow the annual notice of the General Office of the State
Council (spec I‑14: "PRC national holiday calendar with make-up working days
(调休)... one version per year"). A question whose answer needs a year that is
absent or not confirmed raises :class:`~winddown.calendar.errors.UnconfirmedYear`
naming that year; weekends are never guessed.

The calendar is immutable. It is built once from :class:`YearSpec` rows (the
``workdays`` app builds it from its table of years; :mod:`winddown.calendar.seed`
from the ``holidays`` package) and precomputes, for every day of the confirmed
span, the number of working days up to that day, so that
:meth:`~Calendar.add_working_days` is a few tuple look-ups (0.3–0.8 µs per call
with the loop, on the shared 2-core machine; ``bench/bench_calendar.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType

from .errors import CalendarDataError, UnconfirmedYear
from .model import YearSpec


def _check_date(d: object, name: str = "date") -> None:
    if type(d) is not date:
        raise TypeError(
            f"{name} 须为 datetime.date（不接受 datetime） / {name} must be a datetime.date "
            f"(not a datetime): {d!r}"
        )


def _check_int(n: object) -> None:
    if type(n) is not int:
        raise TypeError(f"工作日天数须为整数 / the number of working days must be an int: {n!r}")


class Calendar:
    """Working days over a set of years, each a :class:`YearSpec`.

    ``years`` is a mapping ``{year: YearSpec}`` (keys must match
    ``YearSpec.year``) or an iterable of ``YearSpec``. Only confirmed years
    answer; a run of consecutive confirmed years forms one stretch, and an answer
    that would need a day outside the stretch of its starting day raises
    :class:`UnconfirmedYear` for the first missing year.
    """

    __slots__ = (
        "_base",
        "_confirmed",
        "_le",
        "_lt",
        "_seg",
        "_segments",
        "_span",
        "_start",
        "_stop",
        "_wd",
        "_work",
        "_years",
    )

    def __init__(self, years: Mapping[int, YearSpec] | Iterable[YearSpec]) -> None:
        specs: dict[int, YearSpec] = {}
        if isinstance(years, Mapping):
            for key, spec in years.items():
                if not isinstance(spec, YearSpec):
                    raise CalendarDataError(f"years[{key!r}]", "须为 YearSpec / must be a YearSpec")
                if key != spec.year or type(key) is not int:
                    raise CalendarDataError(
                        f"years[{key!r}]",
                        f"键与 YearSpec.year={spec.year} 不一致 / key does not match YearSpec.year",
                    )
                specs[key] = spec
        else:
            for spec in years:
                if not isinstance(spec, YearSpec):
                    raise CalendarDataError("years", f"{spec!r} 不是 YearSpec / is not a YearSpec")
                if spec.year in specs:
                    raise CalendarDataError(
                        f"years[{spec.year}]", "同一年份出现两次 / the year appears twice"
                    )
                specs[spec.year] = spec
        years_by_number = dict(sorted(specs.items()))
        object.__setattr__(self, "_years", MappingProxyType(years_by_number))
        confirmed = tuple(y for y, s in years_by_number.items() if s.confirmed)
        object.__setattr__(self, "_confirmed", frozenset(confirmed))

        # Stretches of consecutive confirmed years: (first_year, last_year).
        segments: list[tuple[int, int]] = []
        for y in confirmed:
            if segments and segments[-1][1] == y - 1:
                segments[-1] = (segments[-1][0], y)
            else:
                segments.append((y, y))
        object.__setattr__(self, "_segments", tuple(segments))

        # Per day of the span [Jan 1 of the first confirmed year, Dec 31 of the
        # last]: working flag, working days up to and including the day (_le)
        # and strictly before it (_lt), stretch index (-1: unconfirmed) and the
        # start and end (exclusive) of the stretch's run in _wd, the working
        # days in order.
        work: list[bool] = []
        le: list[int] = []
        lt: list[int] = []
        seg: list[int] = []
        start: list[int] = []
        stop: list[int] = []
        wd: list[date] = []
        if confirmed:
            base = date(confirmed[0], 1, 1).toordinal()
            seg_of_year = {y: k for k, (a, b) in enumerate(segments) for y in range(a, b + 1)}
            for y in range(confirmed[0], confirmed[-1] + 1):
                k = seg_of_year.get(y, -1)
                spec = specs[y] if k >= 0 else None
                for o in range(date(y, 1, 1).toordinal(), date(y, 12, 31).toordinal() + 1):
                    d = date.fromordinal(o)
                    is_work = spec is not None and spec.is_working_day(d)
                    lt.append(len(wd))
                    if is_work:
                        wd.append(d)
                    le.append(len(wd))
                    work.append(is_work)
                    seg.append(k)
            # Where each stretch's working days start and end, filled in per day.
            starts: dict[int, int] = {}
            ends: dict[int, int] = {}
            for i, k in enumerate(seg):
                if k >= 0:
                    starts.setdefault(k, lt[i])
                    ends[k] = le[i]
            start = [starts[k] if k >= 0 else -1 for k in seg]
            stop = [ends[k] if k >= 0 else -1 for k in seg]
        else:
            base = 0
        for name, value in (
            ("_base", base),
            ("_span", len(work)),
            ("_work", tuple(work)),
            ("_le", tuple(le)),
            ("_lt", tuple(lt)),
            ("_seg", tuple(seg)),
            ("_start", tuple(start)),
            ("_stop", tuple(stop)),
            ("_wd", tuple(wd)),
        ):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Calendar is immutable / 日历不可修改")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Calendar is immutable / 日历不可修改")

    def __reduce__(self):  # pickled as its years; the tables are rebuilt
        return (self.__class__, (dict(self._years),))

    # ------------------------------------------------------------- the data

    @property
    def years(self) -> Mapping[int, YearSpec]:
        """Every year the calendar holds, confirmed or not (read-only, by year)."""
        return self._years

    @property
    def confirmed_years(self) -> tuple[int, ...]:
        """The confirmed years, in order."""
        return tuple(sorted(self._confirmed))

    def is_confirmed(self, year: int) -> bool:
        """Whether ``year`` is held and confirmed."""
        return year in self._confirmed

    def require_confirmed(self, year: int) -> None:
        """Raise :class:`UnconfirmedYear` unless ``year`` is confirmed."""
        if year not in self._confirmed:
            raise UnconfirmedYear(year, known=year in self._years)

    def __repr__(self) -> str:
        spans = ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in self._segments)
        return f"<Calendar confirmed: {spans or 'none'}>"

    # ------------------------------------------------------------ internals

    def _index(self, d: date) -> int:
        """Index of ``d`` in the per-day arrays; raises unless its year is confirmed."""
        i = d.toordinal() - self._base
        if 0 <= i < self._span and self._seg[i] >= 0:
            return i
        raise UnconfirmedYear(d.year, known=d.year in self._years)

    def _past_end(self, i: int) -> UnconfirmedYear:
        year = self._segments[self._seg[i]][1] + 1
        return UnconfirmedYear(year, known=year in self._years)

    def _before_start(self, i: int) -> UnconfirmedYear:
        year = self._segments[self._seg[i]][0] - 1
        return UnconfirmedYear(year, known=year in self._years)

    # ------------------------------------------------------------ questions

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day (工作日).

        True for a Monday–Friday that the year's notice does not give off, and
        for a Saturday or Sunday the notice makes a working day (调休上班, e.g.
        2026-10-10); false otherwise (e.g. 2026-02-23, a Monday in the Spring
        Festival holiday). Raises :class:`UnconfirmedYear` for an unconfirmed year.
        """
        if type(d) is not date:
            _check_date(d)
        return self._work[self._index(d)]

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d``; ``d`` itself is not counted.

        民法典 第二百零一条: "按照年、月、日计算期间的，开始的当日不计入，自下一日开始
        计算。" So "于变更后10个工作日内" for a change on ``d`` ends on
        ``add_working_days(d, 10)``, whether or not ``d`` is a working day:
        ``add_working_days(2026-09-30, 1)`` is 2026-10-08 (National Day 10-01..07),
        ``add_working_days(2026-10-08, 2)`` is 2026-10-10 (a Saturday 调休 working day).

        ``n == 0`` returns ``d``. A negative ``n`` counts back: the ``|n|``-th
        working day before ``d`` (again not counting ``d``), e.g. the latest day
        for "拟停止运营前2个工作日" is ``add_working_days(stop_date, -2)``.

        Raises :class:`UnconfirmedYear` naming the first year the count would
        need that is not confirmed (the year of ``d``, or the year after / before
        the confirmed stretch it starts in).
        """
        if type(d) is not date or type(n) is not int:
            _check_date(d)
            _check_int(n)
        i = d.toordinal() - self._base
        if 0 <= i < self._span:
            end = self._stop[i]
            if end >= 0:
                if n > 0:
                    j = self._le[i] + n - 1
                    if j < end:
                        return self._wd[j]
                    raise self._past_end(i)
                if n < 0:
                    j = self._lt[i] + n
                    if j >= self._start[i]:
                        return self._wd[j]
                    raise self._before_start(i)
                return d
        raise UnconfirmedYear(d.year, known=d.year in self._years)

    def working_days_between(self, a: date, b: date) -> int:
        """The number of working days after ``a`` up to and including ``b``.

        The counterpart of :meth:`add_working_days`: the start day is not
        counted (民法典 第二百零一条), the end day is, so
        ``working_days_between(d, add_working_days(d, n)) == n`` for ``n >= 0``.
        Signed: ``working_days_between(b, a) == -working_days_between(a, b)``.

        Both days and every year between them must be confirmed, else
        :class:`UnconfirmedYear` names the first year missing.
        """
        if type(a) is not date or type(b) is not date:
            _check_date(a, "a")
            _check_date(b, "b")
        ia = self._index(a)
        ib = self._index(b)
        sa, sb = self._seg[ia], self._seg[ib]
        if sa != sb:
            raise self._past_end(ia) if sa < sb else self._past_end(ib)
        return self._le[ib] - self._le[ia]

    def roll_forward(self, d: date) -> date:
        """``d`` if it is a working day, otherwise the next working day (顺延).

        民法典 第二百零三条: "期间的最后一日是法定休假日的，以法定休假日结束的次日为
        期间的最后一日"; 报送标准 总体填报要求 4: "数据信息报送时间逢国家法定节假日及
        双休日顺延". A Saturday or Sunday that is a make-up working day is a working
        day and does not roll: 2026-10-10 stays 2026-10-10.
        """
        if type(d) is not date:
            _check_date(d)
        i = self._index(d)
        if self._work[i]:
            return d
        j = self._lt[i]
        if j < self._stop[i]:
            return self._wd[j]
        raise self._past_end(i)
