"""Importing the three ledger files: recognised by their headers, all or nothing, every bad
row named by file, row and field (issue 17 item 3 and "Bad input")."""

import io
from pathlib import Path

import openpyxl
import pytest

from winddown.audit.models import AuditEntry
from winddown.ledger.audit_actions import LedgerAction
from winddown.ledger.models import (
    Borrower,
    Holding,
    ImportStatus,
    LedgerImport,
    LedgerVersion,
    Loan,
    Repayment,
    VersionStatus,
)
from winddown.ledger.samples import (
    HOLDING_HEADER,
    LOAN_HEADER,
    REPAYMENT_HEADER,
    credit_code,
    resident_id,
    write_csv,
)
from winddown.ledger.tests.conftest import import_files

pytestmark = pytest.mark.django_db

ID1 = "110101198001010053"
ID2 = "440305199203150027"


def loan(number="JK1", principal="10000.00", rate="12.00", months="12", method="等额本息",
         value_date="2026-01-15", product="信用贷", name="张三", id_number=ID1):  # fmt: skip
    return [number, name, id_number, product, principal, rate, months, method, value_date, "", "否"]


def files(tmp_path: Path, loans, holdings, repayments, *, encodings=("utf-8", "gb18030", "utf-8")):
    return [
        write_csv(tmp_path / "loans.csv", LOAN_HEADER, loans, encodings[0]),
        write_csv(tmp_path / "holdings.csv", HOLDING_HEADER, holdings, encodings[1]),
        write_csv(tmp_path / "repayments.csv", REPAYMENT_HEADER, repayments, encodings[2]),
    ]


def good_files(tmp_path):
    return files(
        tmp_path,
        [loan("JK1"), loan("JK2", principal="5000.00", id_number=ID2, name="李四")],
        [
            ["JK1", "王五", ID2, "6000.00"],
            ["JK1", "赵六", ID1, "4000.00"],
            ["JK2", "王五", ID2, "5000.00"],
        ],
        [["JK1", "1", "2026-02-15", "788.49", "100.00", "0.00", "借款人", "2026-02-16"]],
    )


def messages(result):
    return [str(e) for e in result.errors]


def test_good_ledger_is_stored_as_the_active_version(tmp_path, institution_a, operator_a):
    result = import_files(institution_a, operator_a, good_files(tmp_path))
    assert result.ok, messages(result)
    version = result.version
    assert version.status == VersionStatus.ACTIVE
    assert (version.loan_count, version.holding_count, version.repayment_count) == (2, 3, 1)
    assert version.borrower_count == 2 and version.principal_total_fen == 1_500_000
    loan_1 = Loan.objects.get(version=version, number="JK1")
    assert loan_1.method == "equal-instalment" and loan_1.annual_rate_bp == 1200
    assert str(loan_1.maturity_date) == "2027-01-15"
    borrower = loan_1.borrower
    assert borrower.name.value == "张三" and borrower.id_number.value == ID1
    assert "张三" not in borrower.name_enc and ID1 not in borrower.id_number_enc
    holding = Holding.objects.get(loan=loan_1, amount_fen=600_000)
    assert holding.lender_id.masked == "440************027"
    assert Repayment.objects.get(loan=loan_1).lenders_received_on.isoformat() == "2026-02-16"
    assert AuditEntry.objects.filter(action=LedgerAction.LEDGER_IMPORTED).count() == 1
    assert LedgerImport.objects.get().status == ImportStatus.SUCCEEDED


def test_files_in_any_order_with_columns_in_any_order(tmp_path, institution_a, operator_a):
    loans_path, holdings_path, repayments_path = good_files(tmp_path)
    # Reverse the columns of the loans file.
    rows = loans_path.read_text().splitlines()
    reversed_rows = [",".join(reversed(r.split(","))) for r in rows]
    loans_path.write_text("\n".join(reversed_rows) + "\n")
    result = import_files(institution_a, operator_a, [repayments_path, loans_path, holdings_path])
    assert result.ok, messages(result)
    assert result.version.loan_count == 2


def test_xlsx_files_are_read(tmp_path, institution_a, operator_a):
    paths = good_files(tmp_path)
    xlsx_paths = []
    for path, encoding in zip(paths, ("utf-8", "gb18030", "utf-8"), strict=True):
        book = openpyxl.Workbook()
        sheet = book.active
        lines = path.read_text(encoding=encoding).splitlines()
        for line in lines:
            sheet.append(line.split(","))
        out = path.with_suffix(".xlsx")
        book.save(out)
        xlsx_paths.append(out)
    result = import_files(institution_a, operator_a, xlsx_paths)
    assert result.ok, messages(result)


def test_a_new_import_supersedes_the_old_version(tmp_path, institution_a, operator_a):
    first = import_files(institution_a, operator_a, good_files(tmp_path)).version
    second = import_files(institution_a, operator_a, good_files(tmp_path)).version
    first.refresh_from_db()
    assert (first.status, second.status, second.number) == ("superseded", "active", 2)


def rejected(tmp_path, institution_a, operator_a, paths):
    result = import_files(institution_a, operator_a, paths)
    assert not result.ok
    assert not LedgerVersion.objects.exists() and not Loan.objects.exists()
    assert not Holding.objects.exists() and not Repayment.objects.exists()
    assert not Borrower.objects.exists()
    job = LedgerImport.objects.get()
    assert job.status == ImportStatus.FAILED and job.error_count == result.error_count
    assert AuditEntry.objects.filter(action=LedgerAction.LEDGER_REJECTED).count() == 1
    return messages(result)


def test_holdings_that_do_not_add_up(tmp_path, institution_a, operator_a):
    paths = files(
        tmp_path,
        [loan("JK1")],
        [["JK1", "王五", ID2, "6000.00"], ["JK1", "赵六", ID1, "3999.99"]],
        [],
    )
    found = rejected(tmp_path, institution_a, operator_a, paths)
    assert found == [
        "holdings.csv 文件「出借本金(元)」：借款“JK1”（借款文件第2行）的出借本金合计 "
        "9,999.99 元，与借款本金 10,000.00 元不符，请补齐或更正该借款的出借记录"
    ]


def test_repayments_for_unknown_loans_or_periods(tmp_path, institution_a, operator_a):
    paths = files(
        tmp_path,
        [loan("JK1")],
        [["JK1", "王五", ID2, "10000.00"]],
        [
            ["JK9", "1", "2026-02-15", "1.00", "0.00", "0.00", "借款人", ""],
            ["JK1", "13", "2026-02-15", "1.00", "0.00", "0.00", "借款人", ""],
        ],
    )
    found = rejected(tmp_path, institution_a, operator_a, paths)
    assert found == [
        "repayments.csv 第2行「借款编号」：借款编号“JK9”不在借款文件中",
        "repayments.csv 第3行「期次」：借款“JK1”只有 12 期，没有第13期",
    ]


def test_dates_before_the_value_date_and_amounts_above_what_is_due(
    tmp_path, institution_a, operator_a
):
    paths = files(
        tmp_path,
        [loan("JK1")],
        [["JK1", "王五", ID2, "10000.00"]],
        [
            ["JK1", "1", "2026-01-14", "788.49", "100.00", "0.00", "借款人", "2026-01-15"],
            ["JK1", "2", "2026-03-15", "800.00", "100.00", "0.00", "借款人", "2026-03-01"],
        ],
    )
    found = rejected(tmp_path, institution_a, operator_a, paths)
    assert (
        "repayments.csv 第2行「还款日期」：还款日期早于该借款的起息日 2026-01-15，请核对" in found
    )
    assert "repayments.csv 第3行「划付出借人日期」：划付出借人日期早于还款日期，请核对" in found


def test_amounts_above_what_is_due(tmp_path, institution_a, operator_a):
    paths = files(
        tmp_path,
        [loan("JK1")],
        [["JK1", "王五", ID2, "10000.00"]],
        [["JK1", "2", "2026-03-15", "800.00", "100.00", "0.00", "借款人", ""]],
    )
    found = rejected(tmp_path, institution_a, operator_a, paths)
    assert found[0].startswith(
        "repayments.csv 第2行「还款本金(元)」：第2期累计还款本金 800.00 元超过应还本金"
    )


def test_negative_three_decimals_unknown_method_product_and_negative_rate(
    tmp_path, institution_a, operator_a
):
    paths = files(
        tmp_path,
        [
            loan("JK1", principal="-100.00"),
            loan("JK2", principal="100.001"),
            loan("JK3", method="随借随还"),
            loan("JK4", product="消费贷"),
            loan("JK5", rate="-1"),
            loan("JK6", value_date="2026-02-30"),
        ],
        [["JK1", "王五", ID2, "10000.00"]],
        [],
    )
    found = rejected(tmp_path, institution_a, operator_a, paths)
    assert found == [
        "loans.csv 第2行「借款本金(元)」：金额“-100.00”为负数，金额不能为负",
        "loans.csv 第3行「借款本金(元)」：金额“100.001”超过两位小数，请精确到分",
        "loans.csv 第4行「还款方式」：未知的还款方式“随借随还”，"
        "应为：等额本息、等额本金、先息后本、到期还本付息",
        "loans.csv 第5行「产品类型」：未知的产品类型“消费贷”，"
        "应为：信用贷、车贷、企业贷、房产抵押贷、其他",
        "loans.csv 第6行「年化利率(%)」：年化利率“-1”为负数，请核对",
        "loans.csv 第7行「起息日」：日期“2026-02-30”不存在，请核对",
    ]


def test_a_rate_above_24_percent_is_accepted_with_a_warning(tmp_path, institution_a, operator_a):
    paths = files(tmp_path, [loan("JK1", rate="24.01")], [["JK1", "王五", ID2, "10000.00"]], [])
    result = import_files(institution_a, operator_a, paths)
    assert result.ok
    assert [str(w) for w in result.warnings] == [
        "loans.csv 第2行「年化利率(%)」：年化利率 24.01% 高于 24%，已接受，请核对合同"
    ]
    assert result.version.warnings[0]["row"] == 2


def test_companies_borrow_by_credit_code_and_bad_numbers_are_named(
    tmp_path, institution_a, operator_a, rng
):
    code = credit_code(rng)
    paths = files(
        tmp_path,
        [loan("JK1", id_number=code, name="某科技有限公司"), loan("JK2", id_number="123")],
        [["JK1", "王五", resident_id(rng), "10000.00"]],
        [],
    )
    found = rejected(tmp_path, institution_a, operator_a, paths)
    assert found == [
        "loans.csv 第3行「借款人证件号码」：证件号码既不是有效的18位居民身份证号码，"
        "也不是有效的统一社会信用代码，请核对"
    ]


def test_unrecognised_or_missing_files(tmp_path, institution_a, operator_a):
    loans_path, holdings_path, _ = good_files(tmp_path)
    other = write_csv(tmp_path / "other.csv", ["姓名", "金额"], [["a", "1"]])
    found = rejected(tmp_path, institution_a, operator_a, [loans_path, holdings_path, other])
    assert found[0].startswith("other.csv 第1行：无法识别文件类型")
    assert found[1] == "还款文件 文件：缺少还款文件，请同时上传三个文件"


def test_every_error_is_reported_not_just_the_first(tmp_path, institution_a, operator_a):
    paths = files(
        tmp_path,
        [loan(f"JK{i}", principal="-1.00") for i in range(50)],
        [["JK1", "王五", ID2, "x"]],
        [],
    )
    found = rejected(tmp_path, institution_a, operator_a, paths)
    assert len(found) == 51
    assert not any(ID2 in message for message in found)


def test_generated_ledger_round_trips(ledger_a):
    assert ledger_a.loan_count == 60
    assert ledger_a.holding_count == Holding.objects.filter(version=ledger_a).count() > 60
    assert ledger_a.repayment_count == Repayment.objects.filter(version=ledger_a).count() > 0


def test_gbk_file_is_read(tmp_path, institution_a, operator_a):
    paths = good_files(tmp_path)
    assert "王五".encode("gb18030") in paths[1].read_bytes()
    assert import_files(institution_a, operator_a, paths).ok
    assert io  # the module is used by other tests in the file
