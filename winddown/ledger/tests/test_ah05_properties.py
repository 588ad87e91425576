"""The AH-05 core (pure) keeps the association's consistency rules (spec B.7 V10–V15) on
any ledger."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from winddown.ledger.ah05 import LoanFacts, Payment, figures, wan_yuan
from winddown.ledger.overdue import Due, Receipt
from winddown.schedules import Method, schedule


@st.composite
def ledgers(draw):
    loans = []
    for index in range(draw(st.integers(0, 12))):
        principal = draw(st.integers(1, 10**8))
        months = draw(st.integers(1, 24))
        value_date = date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 700)))
        plan = schedule(
            principal_fen=principal,
            annual_rate_bp=draw(st.integers(0, 3000)),
            months=months,
            method=draw(st.sampled_from(list(Method))),
            value_date=value_date,
        )
        dues = tuple(
            Due(i.period, i.due_date, i.principal_fen, i.interest_fen) for i in plan.instalments
        )
        receipts, payments = [], []
        for due in dues:
            if draw(st.booleans()):
                late = timedelta(days=draw(st.integers(0, 120)))
                held = draw(st.integers(0, 9)) == 0
                receipts.append(
                    Receipt(
                        due.period,
                        due.principal_fen,
                        due.interest_fen,
                        None if held else due.due_date + late,
                    )
                )
                source = draw(st.sampled_from(["borrower", "third_party", "platform"]))
                if source != "borrower":
                    payments.append(
                        Payment(source, due.due_date + late, due.principal_fen + due.interest_fen)
                    )
        loans.append(
            LoanFacts(
                id=index + 1,
                number=f"JK{index}",
                borrower=str(draw(st.integers(1, 4))),
                principal_fen=principal,
                annual_rate_bp=plan.annual_rate_bp,
                months=months,
                value_date=value_date,
                related_party=draw(st.booleans()),
                lenders=tuple(map(str, draw(st.lists(st.integers(1, 6), min_size=1, max_size=3)))),
                instalments=dues,
                receipts=tuple(receipts),
                payments=tuple(payments),
            )
        )
    return loans


@settings(max_examples=150, deadline=None)
@given(ledgers(), st.integers(2025, 2027), st.integers(1, 12))
def test_consistency_rules(loans, year, month):
    table = figures(loans, year, month)
    v = {f.code: f.value for f in table.figures}
    assert v["AH515"] >= v["AH517"] >= v["AH519"]  # V10
    assert v["AH516"] >= v["AH518"] >= v["AH520"]
    assert v["AH514"] >= v["AH516"] and v["AH504"] >= v["AH514"]  # V11
    assert v["AH511"] <= v["AH503"] and v["AH512"] <= v["AH504"]
    if v["AH503"]:
        assert 0 <= v["AH510"] <= v["AH509"] <= 10_000  # V12 (hundredths of a percent)
    assert v["AH507"] <= v["AH505"] and v["AH508"] <= v["AH506"]  # V15
    assert v["AH503"] <= v["AH501"] and v["AH525"] <= v["AH501"]
    assert v["AH515"] <= v["AH503"]  # bucket amounts are remaining principal
    # Next month never lowers the cumulative figures (V13).
    later = figures(loans, year + (month == 12), month % 12 + 1)
    w = {f.code: f.value for f in later.figures}
    for code in ("AH501", "AH502", "AH505", "AH506", "AH521", "AH522"):
        assert w[code] >= v[code], code


@given(st.integers(0, 10**15))
def test_wan_yuan_is_exact(fen):
    text = wan_yuan(fen)
    whole, decimals = text.split(".")
    assert len(decimals) == 6 and int(whole) * 1_000_000 + int(decimals) == fen
