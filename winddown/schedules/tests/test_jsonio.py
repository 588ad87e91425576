"""The JSON edge in-process: documents built from random loans give the core's numbers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from winddown.money import format_yuan
from winddown.schedules import METHOD_NAMES, from_json, schedule, schedule_json, to_json

from .strategies import loans


def parse_yuan(text: str) -> int:
    """Output amounts are always digits, a point and two decimals (payments may pass the
    100 亿元 input limit, so ``winddown.money.parse_yuan`` would refuse them)."""
    whole, cents = text.split(".")
    assert len(cents) == 2 and whole.isdigit() and cents.isdigit()
    return int(whole) * 100 + int(cents)


def document(loan: dict, method_name: str) -> dict:
    return {
        "principal": format_yuan(loan["principal_fen"], grouping=False),
        "annual_rate": format_yuan(loan["annual_rate_bp"], grouping=False),
        "months": loan["months"],
        "method": method_name,
        "value_date": loan["value_date"].isoformat(),
    }


@settings(max_examples=150)
@given(loans(), st.data())
def test_json_round_trip(loan, data):
    name = data.draw(st.sampled_from([n for n, m in METHOD_NAMES.items() if m is loan["method"]]))
    doc = document(loan, name)
    assert from_json(doc) == {**loan, "method": name}
    out = schedule_json(doc)
    assert out == to_json(schedule(**loan))
    for row in out["instalments"]:
        assert parse_yuan(row["payment"]) == parse_yuan(row["principal"]) + parse_yuan(
            row["interest"]
        )
    assert sum(parse_yuan(r["principal"]) for r in out["instalments"]) == loan["principal_fen"]
    assert parse_yuan(out["total_interest"]) == sum(
        parse_yuan(r["interest"]) for r in out["instalments"]
    )


def test_short_decimals_and_integers():
    base = {"months": 1, "method": "bullet", "value_date": "2026-01-15"}
    assert from_json({**base, "principal": "1.5", "annual_rate": "4.9"})["principal_fen"] == 150
    assert from_json({**base, "principal": "1.5", "annual_rate": "4.9"})["annual_rate_bp"] == 490
    assert from_json({**base, "principal": 7, "annual_rate": 5})["principal_fen"] == 700
    assert from_json({**base, "principal": "0.01", "annual_rate": "0"})["annual_rate_bp"] == 0
