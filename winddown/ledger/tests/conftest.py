import random

import pytest

from winddown.audit.services import Actor
from winddown.ledger.samples import (
    HOLDING_HEADER,
    LOAN_HEADER,
    REPAYMENT_HEADER,
    write_csv,
    write_ledger,
)
from winddown.ledger.samples import credit_code as make_code
from winddown.ledger.services import ledger_import


def import_files(institution, operator, paths):
    return ledger_import(
        institution=institution,
        sources=[(p.name, lambda p=p: open(p, "rb")) for p in paths],
        user=operator,
        actor=Actor(operator.pk, operator.audit_label),
    )


@pytest.fixture
def ledger_a(tmp_path, institution_a, operator_a):
    files = write_ledger(tmp_path / "a", 60, seed=5)
    result = import_files(institution_a, operator_a, files.all)
    assert result.ok, [str(e) for e in result.errors[:10]]
    return result.version


# A ledger small enough to work every AH-05 figure by hand (test_figures.py), as of
# 2026-06-30: JK1 defaulted from period 2 (paid but not passed on; period 3 from the
# platform's own funds), JK2 lent in June to a related party, JK3 repaid by a guarantor
# (代偿), JK4 with its first instalment due on the as-of day.
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


@pytest.fixture
def worked(tmp_path, institution_a, operator_a):
    result = import_files(institution_a, operator_a, worked_ledger(tmp_path))
    assert result.ok, [str(e) for e in result.errors]
    return result.version
