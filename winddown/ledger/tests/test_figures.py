"""AH-05 from the ledger (spec B.5.5), worked by hand on a small ledger, and the command."""

import json

import pytest
from django.core.management import CommandError, call_command

from winddown.institutions.models import Institution
from winddown.ledger import selectors

pytestmark = pytest.mark.django_db

EXPECTED = {
    "AH501": "2.800000",
    "AH502": 4,
    "AH503": "1.800000",
    "AH504": 3,
    "AH505": 3,
    "AH506": 3,
    "AH507": 2,
    "AH508": 2,
    "AH509": "100.00",
    "AH510": "72.22",
    "AH511": "0.500000",
    "AH512": 1,
    "AH513": "0.328000",
    "AH514": 1,
    "AH515": "1.000000",
    "AH516": 1,
    "AH517": "1.000000",
    "AH518": 1,
    "AH519": "1.000000",
    "AH520": 1,
    "AH521": "0.823000",
    "AH522": 1,
    "AH523": "6.00",
    "AH524": "6.00",
    "AH525": "2.800000",
    "AH526": 4,
    "AH527": 3,
    "AH528": "10.36",
    "AH529": "8.36",
}


def test_every_figure_of_the_worked_example(worked, institution_a):
    _, table = selectors.ah05_table(institution_a, 2026, 6)
    assert {f.code: f.text for f in table.figures} == EXPECTED
    flags = {f.code: (f.amount_fen, f.count) for f in table.flags}
    assert flags["V18"] == (110_000, 1)  # platform money: received, not 代偿
    assert flags["V19"] == (500_000, 1)


def test_drill_down_names_the_loans_behind_a_figure(worked, institution_a):
    _, table = selectors.ah05_table(institution_a, 2026, 6)
    numbers = dict(institution_a.ledger_versions.get().loans.values_list("pk", "number"))
    assert [numbers[i] for i in table.figure("AH519").loans] == ["JK1"]
    assert sorted(numbers[i] for i in table.figure("AH503").loans) == ["JK1", "JK2", "JK4"]
    assert "不含 90 天" in table.figure("AH519").basis


def test_earlier_month_sees_only_what_had_happened(worked, institution_a):
    _, table = selectors.ah05_table(institution_a, 2026, 2)
    figures = {f.code: f.text for f in table.figures}
    assert figures["AH502"] == 2 and figures["AH521"] == "0.000000"
    assert figures["AH513"] == "0.000000"  # JK3 not yet due, JK1 period 1 received
    assert figures["AH523"] is None  # nothing lent in February: no base


def test_command_prints_json(worked, capsys):
    call_command("ledger_figures", "AH-05", "网贷机构A", "2026-06", "--json")
    document = json.loads(capsys.readouterr().out)
    assert document["figures"] == EXPECTED
    assert document["as_of"] == "2026-06-30" and document["ledger_version"] == 1
    assert document["flags"]["V18"]["amount"] == "0.110000"


def test_command_errors(worked):
    with pytest.raises(CommandError, match="只计算 AH-05"):
        call_command("ledger_figures", "AH-03", "网贷机构A", "2026-06")
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("ledger_figures", "AH-05", "网贷机构A", "2026-13")
    Institution.objects.create(
        full_name="无台账", short_name="无台账", credit_code="91440101MA59Q1WXXK"
    )
    with pytest.raises(CommandError, match="尚未导入借款台账"):
        call_command("ledger_figures", "AH-05", "无台账", "2026-06")


def test_the_association_filing_is_prefilled_from_the_ledger(worked, institution_a, operator_a):
    """Issue 19: AH-05 drafts are pre-filled wherever the platform knows the answer."""
    from winddown.audit.services import Actor
    from winddown.reporting import services as reporting

    draft = reporting.filing_draft(
        user=operator_a,
        actor=Actor(operator_a.pk, "tests"),
        institution=institution_a,
        table="AH-05",
        period="2026-06",
    )
    for code in ("AH501", "AH503", "AH513", "AH519", "AH521", "AH502", "AH528"):
        assert code in draft.prefilled
    assert draft.cells["AH503"].rstrip("0").rstrip(".") == "1.8"  # 万元, as the table takes it
    assert int(draft.cells["AH502"]) == EXPECTED["AH502"]
