"""Property tests: the seeded calendar's laws, and random calendars against a
day-by-day oracle (results and refusals alike)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from winddown.calendar import (
    STANDARD_RULES,
    Calendar,
    NthWorkingDayAfter,
    Period,
    YearSpec,
    filing_deadline,
)
from winddown.calendar.seed import seeded_calendar

from .helpers import ONE_DAY, Oracle, outcome

CAL = seeded_calendar()
# Starts that leave 60 working days either way inside 2004–2026.
SAFE = st.dates(date(2004, 4, 1), date(2026, 9, 30))
ANY_DAY = st.dates(date(2004, 1, 1), date(2026, 12, 31))
N = st.integers(0, 60)
POSITIVE = st.integers(1, 60)


@given(SAFE, N)
def test_adding_then_counting_back_returns_n(d, n):
    assert CAL.working_days_between(d, CAL.add_working_days(d, n)) == n


@given(SAFE, POSITIVE)
def test_the_result_is_a_working_day_after_the_start(d, n):
    forward = CAL.add_working_days(d, n)
    back = CAL.add_working_days(d, -n)
    assert CAL.is_working_day(forward) and forward > d
    assert CAL.is_working_day(back) and back < d


@given(SAFE, POSITIVE)
def test_exactly_n_minus_one_working_days_lie_in_between(d, n):
    result = CAL.add_working_days(d, n)
    between = [d + timedelta(days=k) for k in range(1, (result - d).days)]
    assert sum(CAL.is_working_day(x) for x in between) == n - 1


@given(ANY_DAY)
def test_roll_forward_is_idempotent_and_minimal(d):
    rolled = CAL.roll_forward(d)
    assert CAL.roll_forward(rolled) == rolled
    assert CAL.is_working_day(rolled) and rolled >= d
    assert (rolled == d) == CAL.is_working_day(d)
    assert not any(CAL.is_working_day(d + timedelta(days=k)) for k in range((rolled - d).days))


@given(SAFE)
def test_roll_forward_is_the_first_working_day_after_the_day_before(d):
    assert CAL.roll_forward(d) == CAL.add_working_days(d - ONE_DAY, 1)


@given(SAFE, SAFE, st.integers(-60, 60))
def test_a_later_start_never_gives_an_earlier_result(a, b, n):
    a, b = min(a, b), max(a, b)
    assert CAL.add_working_days(a, n) <= CAL.add_working_days(b, n)
    assert CAL.roll_forward(a) <= CAL.roll_forward(b)


@given(SAFE, st.integers(-60, 60), st.integers(-60, 60))
def test_more_days_never_give_an_earlier_result(d, m, n):
    m, n = min(m, n), max(m, n)
    assert CAL.add_working_days(d, m) <= CAL.add_working_days(d, n)


@given(SAFE, st.integers(0, 30), st.integers(0, 30))
def test_adding_composes(d, m, n):
    assert CAL.add_working_days(CAL.add_working_days(d, m), n) == CAL.add_working_days(d, m + n)


@given(SAFE, st.integers(-60, 60))
def test_counting_back_undoes_adding_from_a_working_day(d, n):
    start = CAL.roll_forward(d)
    assert CAL.add_working_days(CAL.add_working_days(start, n), -n) == start


@given(ANY_DAY, ANY_DAY, ANY_DAY)
def test_counting_is_signed_and_additive(a, b, c):
    ab = CAL.working_days_between(a, b)
    assert CAL.working_days_between(b, a) == -ab
    assert ab + CAL.working_days_between(b, c) == CAL.working_days_between(a, c)
    assert ab >= 0 if a <= b else ab <= 0


@given(
    st.integers(2004, 2026),
    st.sampled_from(["year", "quarter", "month"]),
    st.integers(1, 12),
)
def test_deadlines_are_working_days_on_or_after_the_nominal_day(year, kind, index):
    index = {"year": 1, "quarter": (index - 1) % 4 + 1, "month": index}[kind]
    period = Period(kind, year, index)
    rule = STANDARD_RULES[kind]
    if period.month_after() > (2026, 12):
        return  # needs 2027: covered by test_filing
    y, m = period.month_after()
    deadline = filing_deadline(CAL, period)
    assert CAL.is_working_day(deadline)
    assert deadline >= date(y, m, rule.day)
    assert deadline == CAL.roll_forward(date(y, m, rule.day))
    assert deadline > period.last_day


@given(st.integers(2004 * 12, 2026 * 12 + 10), st.integers(1, 10))
def test_later_months_have_later_deadlines(m0, gap):
    first = Period("month", m0 // 12, m0 % 12 + 1)
    m1 = min(m0 + gap, 2026 * 12 + 10)
    second = Period("month", m1 // 12, m1 % 12 + 1)
    for rule in (STANDARD_RULES["month"], NthWorkingDayAfter(5)):
        assert filing_deadline(CAL, first, rule) <= filing_deadline(CAL, second, rule)


# ------------------------------------------------- random calendars vs the oracle

FIRST_YEAR = 2030


@st.composite
def year_specs(draw) -> dict[int, YearSpec]:
    """1–3 consecutive years around 2030, some unconfirmed or absent, with random
    days off and make-up weekend days."""
    count = draw(st.integers(1, 3))
    specs: dict[int, YearSpec] = {}
    for year in range(FIRST_YEAR, FIRST_YEAR + count):
        presence = draw(
            st.sampled_from(["confirmed", "confirmed", "confirmed", "unconfirmed", "absent"])
        )
        if presence == "absent":
            continue
        first = date(year, 1, 1)
        length = (date(year + 1, 1, 1) - first).days
        offsets = draw(st.sets(st.integers(0, length - 1), max_size=120))
        picked = [first + timedelta(days=k) for k in offsets]
        weekend = {d for d in picked if d.weekday() >= 5}
        worked = {d for d in weekend if draw(st.booleans())}
        specs[year] = YearSpec(
            year,
            holidays=set(picked) - worked,
            workdays=worked,
            confirmed=presence == "confirmed",
            notice="测试" if presence == "confirmed" else "",
        )
    return specs


def candidate_days(count: int):
    """Days of the drawn years and a little around them, often near a year boundary
    (where counts run into the next or previous year)."""
    inside = st.dates(date(FIRST_YEAR, 1, 1), date(FIRST_YEAR + count - 1, 12, 31))
    near = st.builds(
        lambda y, k: date(y, 1, 1) + timedelta(days=k),
        st.integers(FIRST_YEAR, FIRST_YEAR + count),
        st.integers(-45, 45),
    )
    return st.one_of(inside, inside, near)


@settings(max_examples=200, deadline=None)
@given(year_specs(), st.data(), st.integers(-40, 40))
def test_random_calendars_agree_with_the_oracle(specs, data, n):
    count = max(specs, default=FIRST_YEAR) - FIRST_YEAR + 1
    a = data.draw(candidate_days(count), label="a")
    b = data.draw(candidate_days(count), label="b")
    cal, oracle = Calendar(specs), Oracle(specs)
    assert outcome(cal.is_working_day, a) == outcome(oracle.is_working_day, a)
    assert outcome(cal.add_working_days, a, n) == outcome(oracle.add_working_days, a, n)
    assert outcome(cal.roll_forward, a) == outcome(oracle.roll_forward, a)
    assert outcome(cal.working_days_between, a, b) == outcome(oracle.working_days_between, a, b)


@settings(max_examples=30, deadline=None)
@given(year_specs())
def test_random_calendars_agree_on_every_day(specs):
    cal, oracle = Calendar(specs), Oracle(specs)
    d = date(FIRST_YEAR - 1, 12, 25)
    while d < date(FIRST_YEAR + 3, 1, 7):
        assert outcome(cal.is_working_day, d) == outcome(oracle.is_working_day, d)
        assert outcome(cal.add_working_days, d, 3) == outcome(oracle.add_working_days, d, 3)
        d += ONE_DAY
