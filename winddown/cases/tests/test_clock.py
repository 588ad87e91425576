"""Property tests of the pure deadline core (cases/clock.py)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from winddown.cases import clock


def weekdays_only(d: date, n: int) -> date:
    """A stand-in calendar for the properties (the real one is workdays.selectors)."""
    while n:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1))


@given(dates, st.integers(min_value=0, max_value=5))
def test_continuations_add_sixty_working_days_each(start, extensions):
    end = clock.end_due(weekdays_only, start)
    for _ in range(extensions):
        end = clock.extended_end_due(weekdays_only, end)
    assert end == weekdays_only(start, clock.END_DAYS * (1 + extensions))


@given(
    st.sampled_from(["received", "accepted", "investigating", "investigated", "decided"]),
    st.lists(st.one_of(st.none(), dates), min_size=6, max_size=6),
    st.booleans(),
    st.booleans(),
)
def test_the_pending_deadline_is_one_of_the_states_deadlines(status, dues, answered, sent):
    kw = dict(
        zip(
            ["acceptance_due", "start_due", "end_due", "decision_due", "answer_due"],
            dues,
            strict=False,
        )
    )
    pending = clock.pending_deadline(
        status=status, **kw, answered=answered, feedback_due=dues[5], feedback_sent=sent
    )
    candidates = []
    field = {
        "received": "acceptance_due",
        "accepted": "start_due",
        "investigating": "end_due",
        "investigated": "decision_due",
    }.get(status)
    if field and kw[field]:
        candidates.append(kw[field])
    if status == "decided" and dues[5] and not sent:
        candidates.append(dues[5])
    if kw["answer_due"] and not answered:
        candidates.append(kw["answer_due"])
    assert (pending.due if pending else None) == (min(candidates) if candidates else None)


@given(st.text(min_size=1, max_size=200))
def test_a_text_is_similar_to_itself(text):
    folded = "".join(ch for ch in text.lower() if ch.isalnum())
    assert clock.similar(text, text) == bool(folded)


@given(st.text(max_size=200), st.lists(st.text(min_size=2, max_size=20), max_size=3))
def test_redaction_leaves_no_secret(text, secrets):
    redacted = clock.redact(text + "".join(secrets), secrets)
    for secret in secrets:
        if "*" not in secret:
            assert secret not in redacted


def test_similar_texts_and_different_ones():
    a = "该机构以高息理财名义募集资金并承诺保本保息，涉及金额约300万元。"
    assert clock.similar(a, a.replace("约300万元", "约三百万元"))
    assert not clock.similar(a, "平台在商场设立门店推介理财产品并收取现金。")
