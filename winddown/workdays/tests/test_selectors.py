"""The per-process cache of the calendar: a change is seen at once by the process that
wrote it, and by every other process within RECHECK_SECONDS."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from winddown.audit.services import Actor
from winddown.calendar import UnconfirmedYear
from winddown.workdays import selectors
from winddown.workdays.models import WorkYear
from winddown.workdays.services import year_set

from .helpers import HOLIDAYS_2027, NOTICE_2027, WORKDAYS_2027

pytestmark = pytest.mark.django_db

SUNDAY_WORKED = date(2027, 2, 14)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(selectors, "_clock", clock)
    return clock


def confirm_2027():
    return year_set(
        actor=Actor.system("tests"),
        year=2027,
        holidays=HOLIDAYS_2027,
        workdays=WORKDAYS_2027,
        notice=NOTICE_2027,
    )


def test_cached_calendar_costs_no_query(seeded, clock):
    first = selectors.calendar()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(100):
            assert selectors.calendar() is first
            selectors.filing_dates("AH-05", "2026-09")
    assert len(queries) == 0


def test_a_change_is_seen_at_once_by_the_writing_process(seeded, clock):
    with pytest.raises(UnconfirmedYear):
        selectors.is_working_day(SUNDAY_WORKED)
    confirm_2027()  # no time passes
    assert selectors.is_working_day(SUNDAY_WORKED)


def test_the_cache_is_dropped_again_on_commit(seeded, clock, django_capture_on_commit_callbacks):
    """A read by another thread between the write and its commit would cache the old
    table: the commit drops it once more."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        confirm_2027()
    stale = selectors.calendar()
    assert selectors.invalidate in callbacks
    for callback in callbacks:
        callback()
    assert selectors.calendar() is not stale


def test_another_process_change_is_seen_after_the_recheck_interval(seeded, clock):
    """Another process's write does not touch this process's cache: simulated by writing
    the row behind the cache's back; the clock then moves past RECHECK_SECONDS."""
    old = selectors.calendar()
    WorkYear.objects.create(
        year=2027,
        holidays=["2027-01-01"],
        workdays=["2027-02-14"],
        confirmed=True,
        notice=NOTICE_2027,
    )
    clock.now += selectors.RECHECK_SECONDS - 0.5
    assert selectors.calendar() is old
    with pytest.raises(UnconfirmedYear):
        selectors.is_working_day(SUNDAY_WORKED)
    clock.now += 1
    assert selectors.is_working_day(SUNDAY_WORKED)
    assert selectors.calendar() is not old

    # A direct UPDATE (no updated_at, no counter) is seen too: the rows are the stamp.
    WorkYear.objects.filter(year=2027).update(confirmed=False)
    clock.now += selectors.RECHECK_SECONDS
    with pytest.raises(UnconfirmedYear):
        selectors.is_working_day(SUNDAY_WORKED)


def test_an_unchanged_table_is_not_rebuilt_after_the_interval(seeded, clock):
    first = selectors.calendar()
    clock.now += selectors.RECHECK_SECONDS * 3
    with CaptureQueriesContext(connection) as queries:
        assert selectors.calendar() is first  # one query to compare, no rebuild
        assert selectors.calendar() is first  # and then none for another interval
    assert len(queries) == 1


def test_the_interval_is_a_setting(seeded, clock, settings):
    settings.WORKDAYS_RECHECK_SECONDS = 5
    old = selectors.calendar()
    WorkYear.objects.create(
        year=2027, holidays=[], workdays=["2027-02-14"], confirmed=True, notice="x"
    )
    clock.now += 5
    assert selectors.calendar() is not old and selectors.is_working_day(SUNDAY_WORKED)


def test_an_empty_table_answers_nothing(db, clock):
    WorkYear.objects.all().delete()
    with pytest.raises(UnconfirmedYear) as info:
        selectors.is_working_day(date(2026, 10, 10))
    assert info.value.year == 2026
