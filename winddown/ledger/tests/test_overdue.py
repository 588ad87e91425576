"""The overdue core (spec G.3, I-8): examples and properties."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from winddown.ledger.overdue import Due, Receipt, penalty_fen, position
from winddown.schedules import Method, schedule

VALUE = date(2026, 1, 15)


def plan(principal=1_200_000, months=12, method=Method.EQUAL_PRINCIPAL):
    s = schedule(
        principal_fen=principal, annual_rate_bp=1200, months=months, method=method, value_date=VALUE
    )
    return tuple(Due(i.period, i.due_date, i.principal_fen, i.interest_fen) for i in s.instalments)


def full(due: Due, received_on) -> Receipt:
    return Receipt(due.period, due.principal_fen, due.interest_fen, received_on)


def test_due_day_is_not_overdue_the_next_day_is():
    dues = plan()
    first = dues[0].due_date  # 2026-02-15
    assert position(1_200_000, dues, (), first).days_overdue == 0
    later = position(1_200_000, dues, (), first + timedelta(days=1))
    assert later.days_overdue == 1 and later.overdue_fen == 100_000 + 12_000


def test_a_payment_lenders_have_not_received_still_counts_as_overdue():
    dues = plan()
    as_of = date(2026, 3, 1)
    not_passed_on = Receipt(1, dues[0].principal_fen, dues[0].interest_fen, None)
    assert position(1_200_000, dues, (not_passed_on,), as_of).days_overdue == 14
    passed_on_later = Receipt(1, dues[0].principal_fen, dues[0].interest_fen, date(2026, 3, 5))
    assert position(1_200_000, dues, (passed_on_later,), as_of).days_overdue == 14
    on_time = full(dues[0], date(2026, 2, 15))
    done = position(1_200_000, dues, (on_time,), as_of)
    assert done.days_overdue == 0 and done.outstanding_principal_fen == 1_100_000


def test_days_count_from_the_oldest_unpaid_instalment_and_buckets_exclude_the_boundary():
    dues = plan()
    receipts = (full(dues[1], date(2026, 3, 15)),)  # period 2 paid, period 1 not
    as_of = dues[0].due_date + timedelta(days=30)
    at_30 = position(1_200_000, dues, receipts, as_of)
    assert at_30.days_overdue == 30 and not at_30.in_bucket(30) and at_30.bucket is None
    at_31 = position(1_200_000, dues, receipts, as_of + timedelta(days=1))
    assert at_31.in_bucket(30) and at_31.bucket == 30
    assert at_31.overdue_periods == (1,)


def test_partial_payment_leaves_the_rest_overdue():
    dues = plan()
    partial = Receipt(1, 50_000, 12_000, date(2026, 2, 15))
    p = position(1_200_000, dues, (partial,), date(2026, 2, 20))
    assert p.overdue_principal_fen == 50_000 and p.overdue_interest_fen == 0
    assert p.outstanding_principal_fen == 1_150_000


def test_penalty_accrues_per_day_on_what_is_overdue():
    dues = plan()
    as_of = dues[0].due_date + timedelta(days=10)
    # 112,000 fen overdue × 0.05 % × 10 days = 560 fen
    assert penalty_fen(dues, (), as_of, 500) == 560


methods = st.sampled_from(list(Method))


@st.composite
def loans(draw):
    principal = draw(st.integers(100, 10**9))
    months = draw(st.integers(1, 36))
    method = draw(methods)
    s = schedule(
        principal_fen=principal,
        annual_rate_bp=draw(st.integers(0, 3600)),
        months=months,
        method=method,
        value_date=VALUE,
    )
    dues = tuple(Due(i.period, i.due_date, i.principal_fen, i.interest_fen) for i in s.instalments)
    receipts = []
    for due in dues:
        kind = draw(st.sampled_from(["none", "full", "late", "held", "part"]))
        if kind == "full":
            receipts.append(full(due, due.due_date))
        elif kind == "late":
            receipts.append(full(due, due.due_date + timedelta(days=draw(st.integers(1, 200)))))
        elif kind == "held":
            receipts.append(Receipt(due.period, due.principal_fen, due.interest_fen, None))
        elif kind == "part":
            receipts.append(Receipt(due.period, due.principal_fen // 2, 0, due.due_date))
    as_of = VALUE + timedelta(days=draw(st.integers(0, 1200)))
    return principal, dues, tuple(receipts), as_of


@settings(max_examples=300, deadline=None)
@given(loans())
def test_properties(loan):
    principal, dues, receipts, as_of = loan
    p = position(principal, dues, receipts, as_of)
    assert 0 <= p.outstanding_principal_fen <= principal
    assert 0 <= p.overdue_principal_fen <= p.outstanding_principal_fen
    assert (p.days_overdue > 0) == (p.overdue_fen > 0) == bool(p.overdue_periods)
    # Nested buckets (spec B.7 V10).
    assert p.in_bucket(90) <= p.in_bucket(60) <= p.in_bucket(30) <= p.is_overdue
    # Money lenders have not received changes nothing.
    held = tuple(r for r in receipts if r.received_on is not None and r.received_on <= as_of)
    assert position(principal, dues, held, as_of) == p
    # Without new receipts, a day later is never less overdue.
    later = position(principal, dues, held, as_of + timedelta(days=1))
    assert later.days_overdue >= p.days_overdue
    assert later.overdue_fen >= p.overdue_fen
    # Everything received on time: nothing overdue, nothing outstanding at maturity.
    paid = tuple(full(d, d.due_date) for d in dues)
    done = position(principal, dues, paid, as_of)
    assert done.days_overdue == 0
    if as_of >= dues[-1].due_date:
        assert done.outstanding_principal_fen == 0


@given(st.text(max_size=30))
def test_the_importers_fast_clean_is_clean_text(value):
    from winddown.ledger.importers import _clean
    from winddown.pii.normalize import clean_text

    assert _clean(value) == clean_text(value)
