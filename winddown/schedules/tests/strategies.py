"""Hypothesis strategies shared by the tests: loans anywhere in the valid ranges, with
weight on the edges (1 fen, 100 亿元, 0 %, 100 %, 1 and 600 months, month ends)."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from winddown.schedules import MAX_MONTHS, MAX_PRINCIPAL_FEN, MAX_RATE_BP, Method

principals = st.one_of(
    st.integers(1, 5_000),
    st.integers(100_000, 100_000_000),
    st.integers(1, MAX_PRINCIPAL_FEN),
    st.sampled_from([1, 2, 99, 100, MAX_PRINCIPAL_FEN - 1, MAX_PRINCIPAL_FEN]),
)
rates = st.one_of(
    st.integers(0, MAX_RATE_BP),
    st.sampled_from([0, 1, 3, 435, 490, 1000, 1200, 2400, 3600, MAX_RATE_BP]),
)
months = st.one_of(st.integers(1, 60), st.integers(1, MAX_MONTHS), st.sampled_from([1, 2, 36]))
methods = st.sampled_from(list(Method))
value_dates = st.one_of(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    st.sampled_from([date(2024, 1, 31), date(2025, 1, 31), date(2023, 12, 31), date(2024, 2, 29)]),
)


@st.composite
def loans(draw, method=methods):
    return {
        "principal_fen": draw(principals),
        "annual_rate_bp": draw(rates),
        "months": draw(months),
        "method": draw(method),
        "value_date": draw(value_dates),
    }
