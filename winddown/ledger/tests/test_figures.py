"""AH-05 from the ledger (spec B.5.5), worked by hand on a small ledger, and the command."""

import json
import random

import pytest
from django.core.management import CommandError, call_command

from winddown.institutions.models import Institution
from winddown.ledger import selectors
from winddown.ledger.samples import HOLDING_HEADER, LOAN_HEADER, REPAYMENT_HEADER, write_csv
from winddown.ledger.samples import credit_code as make_code
from winddown.ledger.tests.conftest import import_files

pytestmark = pytest.mark.django_db

ID1 = "110101198001010053"
ID2 = "440305199203150027"
ID3 = "310104198507070011"
CODE = make_code(random.Random(3))


def worked_ledger(tmp_path):
    loans = [
        ["JK1", "张三", ID1, "信用贷", "12000.00", "12.00", "12", "等额本金", "2026-01-15", "",
         "否"],
        ["JK2", "李四", ID2, "车贷", "5000.00", "6.00", "6", "先息后本", "2026-06-10", "", "是"],
        ["JK3", "某科技有限公司", CODE, "企业贷", "8000.00", "10.00", "3", "到期还本付息",
         "2026-01-05", "安信融资担保有限公司", "否"],
        ["JK4", "张三", ID1, "信用贷", "3000.00", "12.00", "12", "等额本金", "2026-05-31", "",
         "否"],
    ]  # fmt: skip
    holdings = [
        ["JK1", "王五", ID2, "6000.00"],
        ["JK1", "赵六", ID1, "6000.00"],
        ["JK2", "王五", ID2, "5000.00"],
        ["JK3", "钱七", ID3, "8000.00"],
        ["JK4", "赵六", ID1, "3000.00"],
    ]
    repayments = [
        ["JK1", "1", "2026-02-15", "1000.00", "120.00", "0.00", "借款人", "2026-02-16"],
        ["JK1", "2", "2026-03-15", "1000.00", "110.00", "0.00", "借款人", ""],
        ["JK1", "3", "2026-04-15", "1000.00", "100.00", "0.00", "平台自有资金", "2026-04-16"],
        ["JK3", "1", "2026-05-20", "8000.00", "200.00", "30.00", "第三方代偿", "2026-05-21"],
    ]
    return [
        write_csv(tmp_path / "loans.csv", LOAN_HEADER, loans),
        write_csv(tmp_path / "holdings.csv", HOLDING_HEADER, holdings),
        write_csv(tmp_path / "repayments.csv", REPAYMENT_HEADER, repayments),
    ]


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


@pytest.fixture
def worked(tmp_path, institution_a, operator_a):
    result = import_files(institution_a, operator_a, worked_ledger(tmp_path))
    assert result.ok, [str(e) for e in result.errors]
    return result.version


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
