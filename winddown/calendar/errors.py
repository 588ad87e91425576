"""Errors of the working-day calendar.

Every message is bilingual, "中文 / English", like the rules core; ``message``
holds it and ``str(error)`` is the same text. All errors derive from
:class:`CalendarError`, so a caller can catch the calendar's refusals in one
place; the input errors are also ``ValueError``.
"""

from __future__ import annotations


class CalendarError(Exception):
    """Base of every error the calendar raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnconfirmedYear(CalendarError):
    """The answer needs a year whose holiday arrangements are not confirmed.

    ``year`` is that year. ``known`` tells whether the calendar holds the
    year at all (``True``: present but not confirmed; ``False``: absent). The
    calendar never falls back to plain weekends for such a year: a working day
    in the PRC is defined by the State Council General Office's notice of that
    year (调休 moves weekends), so without the notice there is no answer.
    """

    def __init__(self, year: int, known: bool = False) -> None:
        self.year = year
        self.known = known
        super().__init__(
            f"{year}年的节假日安排尚未确认（需国务院办公厅通知），无法计算工作日 / "
            f"the holiday arrangements of {year} are not confirmed (they need the notice of "
            f"the General Office of the State Council); working days cannot be computed"
        )

    def __reduce__(self):  # keep the year when pickled (background tasks)
        return (self.__class__, (self.year, self.known))


class CalendarDataError(CalendarError, ValueError):
    """A :class:`~winddown.calendar.model.YearSpec` or a calendar built from
    inconsistent data. ``field`` names the offending field (``"workdays"``,
    ``"years[2026]"`` ...)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")

    def __reduce__(self):
        field, _, message = self.message.partition(": ")
        return (self.__class__, (field, message))


class InvalidPeriod(CalendarError, ValueError):
    """A reporting period that is not ``2025`` (year), ``2026-Q3`` (quarter) or
    ``2026-09`` (month). ``text`` is what was given."""

    def __init__(self, text: object, detail: str = "") -> None:
        self.text = text
        self.detail = detail
        head = f"报送期间格式不正确：{text!r}"
        if detail:
            head += f"（{detail}）"
        super().__init__(
            f"{head}；应为 2025（年度）、2026-Q3（季度）或 2026-09（月度） / "
            f"malformed reporting period {text!r}; expected 2025 (year), 2026-Q3 (quarter) "
            f"or 2026-09 (month)"
        )

    def __reduce__(self):
        return (self.__class__, (self.text, self.detail))


class RuleError(CalendarError, ValueError):
    """A filing-deadline rule that is malformed or cannot apply to a period."""

    def __reduce__(self):
        return (self.__class__, (self.message,))
