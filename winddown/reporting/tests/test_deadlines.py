"""Periods and deadlines from the working-day calendar; the monthly-deadline setting (spec
B.6 #1, I‑1); states and lateness."""

from datetime import date

import pytest

from winddown.calendar import Period
from winddown.reporting import deadlines, selectors
from winddown.reporting.selectors import state_of


def test_standard_deadlines_rolled_forward():
    # 年后1月10日前: 2026-01-10 is a Saturday → Monday 12th
    assert deadlines.dates("AH-01", Period.parse("2025"))[1] == date(2026, 1, 12)
    # 季后20日前: 2026-07-20 is a Monday
    assert deadlines.dates("AH-03", Period.parse("2026-Q2"))[1] == date(2026, 7, 20)
    # 月后10日前: 2026-10-10 is a make-up working day (Saturday) in 2026 → on time that day
    due, deadline = deadlines.dates("AH-07", Period.parse("2026-09"))
    assert due == deadline


def test_ah05_default_is_spec_i1_due_at_5th_working_day_overdue_after_both():
    due, deadline = deadlines.dates("AH-05", Period.parse("2026-09"))
    assert due < deadline or due == deadline
    assert due.month == 10 and deadline.month == 10


@pytest.mark.parametrize("choice", ["standard", "five_working_days"])
def test_the_monthly_deadline_is_a_setting(settings, choice):
    period = Period.parse("2026-03")
    settings.REPORTING_MONTHLY_DEADLINE = "standard"
    standard = deadlines.dates("AH-06", period)[1]
    settings.REPORTING_MONTHLY_DEADLINE = "five_working_days"
    fifth = deadlines.dates("AH-06", period)[1]
    assert standard == date(2026, 4, 10)  # a Friday
    assert fifth == date(2026, 4, 8)  # 1, 2, 3, 7, 8 April (清明 4–6 April)
    settings.REPORTING_MONTHLY_DEADLINE = choice
    assert deadlines.dates("AH-05", period)[1] == (standard if choice == "standard" else fifth)


def test_unknown_setting_is_refused(settings):
    settings.REPORTING_MONTHLY_DEADLINE = "sometime"
    with pytest.raises(ValueError):
        deadlines.schedules()


def test_an_unconfirmed_year_gives_no_deadline_rather_than_a_guess():
    assert deadlines.dates("AH-01", Period.parse("2040")) == (None, None)


def test_states():
    today = date(2026, 10, 20)
    assert state_of(None, date(2026, 10, 30), today) == "not_filed"
    assert state_of(None, date(2026, 10, 13), today) == "overdue"
    assert state_of("draft", date(2026, 10, 13), today) == "overdue"
    assert state_of("draft", date(2026, 10, 30), today) == "draft"
    assert state_of("returned", date(2026, 10, 30), today) == "returned"
    assert state_of("submitted", date(2026, 10, 13), today) == "submitted"
    assert state_of("accepted", None, today) == "accepted"


def test_reminders_before_the_deadline_and_when_overdue(institution_a):
    today = date(2026, 10, 5)
    reminders = selectors.reminders_for(institution_a.pk, within_days=7, today=today)
    monthly = {(r.table, r.period.label) for r in reminders}
    assert ("AH-07", "2026-09") in monthly  # due 10 October, five days away
    assert ("AH-07", "2026-08") in monthly  # overdue
    overdue = next(r for r in reminders if r.period.label == "2026-08" and r.table == "AH-07")
    assert overdue.state == "overdue" and "已逾期" in overdue.text
