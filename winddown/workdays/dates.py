"""The dates of a year as text: what an administrator types, what the table stores.

Typed form (``--holidays`` / ``--workdays`` of ``manage.py workdays set-year`` and the
admin form), e.g. the 2026 notice's 春节 and 国庆节 (国办发明电〔2025〕7号)::

    2026-02-15..2026-02-23, 2026-10-01..2026-10-07

* a day is ``YYYY-MM-DD`` (ISO 8601, nothing else: no 2月15日, no 2026/2/15);
* a run of consecutive days is ``first..last``, both included; ``~``, ``～`` and ``至``
  are accepted for ``..`` (``2026-02-15 至 2026-02-23``);
* items are separated by commas (``,`` or ``，``), ``、``, semicolons, spaces or new lines;
* the order does not matter and a day given twice counts once.

Stored form (the JSON columns of ``WorkYear``): a sorted list of ISO date strings, one per
day, ranges expanded, so the table says exactly which days are meant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

RANGE_SEPARATORS = ("..", "～", "~", "至")
_RANGE = re.compile(r"\s*(?:\.\.|～|~|至)\s*")
_ITEMS = re.compile(r"[,，、;；\s]+")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
SYNTAX_HINT = "日期写作 2027-02-05，多个日期用逗号分隔，连续的日期写作 2027-02-05..2027-02-11"


class DateSyntaxError(ValueError):
    """``item`` (the offending piece of text) is not a day or a range; ``reason`` is Chinese."""

    def __init__(self, item: str, reason: str) -> None:
        self.item = item
        self.reason = reason
        super().__init__(f"“{item}”{reason}")


def parse_day(text: str) -> date:
    """One ``YYYY-MM-DD`` day (surrounding spaces ignored)."""
    item = text.strip()
    if not _ISO_DAY.fullmatch(item):
        raise DateSyntaxError(item, "不是日期")
    try:
        return date.fromisoformat(item)
    except ValueError:
        raise DateSyntaxError(item, "不是有效的日期") from None


def parse_dates(text: str) -> frozenset[date]:
    """Every day named by ``text`` (the typed form above); the empty text names none."""
    if not isinstance(text, str):
        raise TypeError("parse_dates() takes a str")
    days: set[date] = set()
    normalised = _RANGE.sub("..", text.strip())
    for item in _ITEMS.split(normalised):
        if not item:
            continue
        if ".." in item:
            first_text, _, last_text = item.partition("..")
            if not first_text or not last_text or ".." in last_text:
                raise DateSyntaxError(item, "不是完整的日期区间")
            first, last = parse_day(first_text), parse_day(last_text)
            if last < first:
                raise DateSyntaxError(item, "的结束日早于开始日")
            if last.year != first.year:
                raise DateSyntaxError(item, "跨越了两个年份")
            days.update(first + timedelta(days=k) for k in range((last - first).days + 1))
        else:
            days.add(parse_day(item))
    return frozenset(days)


def to_stored(days: Iterable[date]) -> list[str]:
    """The stored form: sorted ISO strings, one per day."""
    return sorted({d.isoformat() for d in days})


def from_stored(values: Iterable[str]) -> frozenset[date]:
    return frozenset(date.fromisoformat(v) for v in values)


def runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days grouped into (first, last) runs, in order."""
    out: list[tuple[date, date]] = []
    for d in sorted(set(days)):
        if out and out[-1][1] + timedelta(days=1) == d:
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def format_dates(days: Iterable[date]) -> str:
    """The typed form of ``days``, runs written ``first..last``: ``parse_dates`` reads it back."""
    return ", ".join(
        first.isoformat() if first == last else f"{first.isoformat()}..{last.isoformat()}"
        for first, last in runs(days)
    )
