"""An institution operator replaces the claims register: two rejected uploads that list every
error and store nothing, the corrected file, the diff against the active version, activation;
then the lender whose amount changed sees the new amount and is asked to confirm again."""

from __future__ import annotations

import csv
import re

import pytest
from playwright.sync_api import expect

from winddown.claims.models import (
    ClaimEntry,
    Confirmation,
    ImportStatus,
    RegisterImport,
    RegisterVersion,
    VersionStatus,
)
from winddown.claims.services import claim_confirm
from winddown.conftest import SYSTEM, make_lender, register_file, upload_and_activate
from winddown.demo.generators import HEADER, register_rows
from winddown.money import format_yuan, parse_yuan
from winddown.pii.masking import mask_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13700001111"
NAME = "陈思远"
LENDER_ID = "110101199003070011"


def total(rows: list[list[str]]) -> str:
    return format_yuan(sum(parse_yuan(row[4]) for row in rows))


@pytest.fixture
def lender_confirmed_v1(institution_a, operator_a, tmp_path):
    """Version 1 is active; the lender confirmed 12,345.67 yuan in it."""
    rows = [
        *register_rows(6, seed=21),
        [NAME, "身份证", LENDER_ID, PHONE, "12345.67", "100.00", "3"],
    ]
    upload_and_activate(institution_a, operator_a, register_file(tmp_path, rows, name="v1.csv"))
    lender = make_lender(PHONE, name=NAME, id_number=LENDER_ID, password="135790")
    claim_confirm(lender=lender, institution=institution_a, actor=SYSTEM)
    return lender, rows


def import_errors(page) -> list[tuple[str, str, str]]:
    table = page.get_by_test_id("import-errors")
    expect(table).to_be_visible()
    return [tuple(row.locator("td").all_inner_texts()) for row in table.locator("tbody tr").all()]


def upload(page, path) -> None:
    page.locator("#register-file").set_input_files(path)
    page.get_by_role("button", name="上传并校验").click()
    expect(page.get_by_role("heading", name=f"登记表校验：{path.name}")).to_be_visible()


def test_operator_replaces_register_and_lender_reconfirms(
    pages,
    shot,
    staff_sign_in,
    lender_sign_in,
    institution_a,
    operator_a,
    lender_confirmed_v1,
    tmp_path,
):
    lender, v1_rows = lender_confirmed_v1
    v1 = RegisterVersion.objects.get(institution=institution_a)
    entries_before = ClaimEntry.objects.count()

    staff = pages.staff()
    staff_sign_in(staff, operator_a)
    expect(staff.get_by_role("heading", name="网贷机构")).to_be_visible()
    staff.get_by_role("link", name="网贷机构A", exact=True).click()
    expect(staff.get_by_role("heading", name=institution_a.full_name)).to_be_visible()
    shot(staff, "01-institution")

    # --- A file with five row errors: each listed with its row and column, nothing stored
    good = list(register_rows(5, seed=31))
    bad_check_digit = good[1][2][:17] + ("1" if good[1][2][17] != "1" else "2")
    bad_rows = [
        good[0],  # row 2
        [good[1][0], "身份证", bad_check_digit, *good[1][3:]],  # row 3
        [*good[2][:4], "100.123", *good[2][5:]],  # row 4
        [*good[3][:4], "-5.00", *good[3][5:]],  # row 5
        ["", *good[4][1:]],  # row 6
        ["另一人", "身份证", good[0][2], *good[1][3:]],  # row 7: row 2's ID number
    ]
    upload(staff, register_file(tmp_path, bad_rows, name="有错误的登记表.csv"))
    expect(staff.get_by_test_id("import-status")).to_have_text("未通过")
    expect(staff.get_by_test_id("import-message")).to_have_text("登记表有 5 处错误，未保存任何数据")
    assert import_errors(staff) == [
        ("3", "证件号码", "身份证号码校验位不正确，请核对是否抄错"),
        ("4", "待收本金(元)", "金额“100.123”超过两位小数，请精确到分"),
        ("5", "待收本金(元)", "金额“-5.00”为负数，待收金额不能为负"),
        ("6", "姓名", "姓名为空，请填写出借人姓名"),
        ("7", "证件号码", "与第2行证件号码相同但姓名不同，请核对是哪一位出借人"),
    ]
    shot(staff, "02-row-errors")

    # --- A GBK file (what Excel in China saves) with an unknown column: a header error
    unknown_column = tmp_path / "多了一列.csv"
    with open(unknown_column, "w", encoding="gbk", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([*HEADER, "备注"])
        writer.writerows([*row, "老客户"] for row in register_rows(3, seed=32))
    staff.get_by_role("link", name="‹ 网贷机构A").click()
    upload(staff, unknown_column)
    expect(staff.get_by_test_id("import-status")).to_have_text("未通过")
    assert import_errors(staff) == [
        (
            "1",
            "备注",
            "未知的列名，请删除该列或改为以下之一：姓名、证件类型、证件号码、手机号、"
            "待收本金(元)、待收利息(元)、出借笔数",
        )
    ]
    shot(staff, "03-header-error")

    assert RegisterVersion.objects.filter(institution=institution_a).count() == 1
    assert ClaimEntry.objects.count() == entries_before
    assert list(
        RegisterImport.objects.filter(institution=institution_a).values_list("status", flat=True)
    ) == [ImportStatus.FAILED, ImportStatus.FAILED]

    # --- The corrected file: one row changed, one removed, two added, the lender's changed
    changed = [*v1_rows[0][:4], "777.77", *v1_rows[0][5:]]
    lender_row = [NAME, "身份证", LENDER_ID, PHONE, "12000.00", "100.00", "3"]
    added = list(register_rows(2, seed=33))
    v2_rows = [changed, *v1_rows[2:6], lender_row, *added]
    assert v2_rows.index(lender_row) + 2 == 7  # its row number in the file
    staff.get_by_role("link", name="‹ 网贷机构A").click()
    upload(staff, register_file(tmp_path, v2_rows, name="更正后的登记表.csv"))
    expect(staff.get_by_test_id("import-status")).to_have_text("已生成新版本")
    expect(staff.get_by_test_id("import-message")).to_have_text("校验通过，已生成第2版（待启用）")
    shot(staff, "04-import-ok")
    staff.get_by_role("link", name="核对差异并启用第2版").click()

    # --- The version page: totals, the diff against version 1, old and new amounts
    expect(staff.get_by_test_id("version-status")).to_have_text("待启用")
    expect(staff.get_by_test_id("lender-count")).to_have_text("8")
    expect(staff.get_by_test_id("principal-total")).to_have_text(total(v2_rows))
    expect(staff.get_by_role("heading", name="与第1版（生效中）相比")).to_be_visible()
    expect(staff.get_by_test_id("diff-added")).to_have_text("2")
    expect(staff.get_by_test_id("diff-removed")).to_have_text("1")
    expect(staff.get_by_test_id("diff-changed")).to_have_text("2")
    diff_rows = staff.get_by_test_id("diff-table").locator("tbody tr")
    expect(diff_rows).to_have_count(2)
    expect(diff_rows.filter(has_text=NAME).locator("td")).to_have_text(
        ["7", NAME, mask_id_number(LENDER_ID), "12,345.67", "100.00", "12,000.00", "100.00"]
    )
    expect(diff_rows.filter(has_text=changed[0]).locator("td").nth(5)).to_have_text("777.77")
    shot(staff, "05-diff-changed")
    staff.get_by_role("link", name="新增 2").click()
    expect(diff_rows).to_have_count(2)
    for row in added:
        expect(diff_rows.filter(has_text=row[0])).to_have_count(1)
    staff.get_by_role("link", name="移除 1").click()
    expect(diff_rows).to_have_count(1)
    expect(diff_rows.locator("td").nth(1)).to_have_text(v1_rows[1][0])
    expect(diff_rows.locator("td").nth(3)).to_have_text(format_yuan(parse_yuan(v1_rows[1][4])))

    # --- 启用
    staff.get_by_role("button", name="启用第2版").click()
    expect(staff.get_by_test_id("version-status")).to_have_text("生效中")
    expect(staff.get_by_role("button", name="启用第2版")).to_have_count(0)
    shot(staff, "06-activated")
    v1.refresh_from_db()
    assert v1.status == VersionStatus.SUPERSEDED
    voided = Confirmation.objects.get(lender=lender, institution=institution_a)
    assert voided.voided_at is not None

    # --- The lender, in another browser, sees the new amount and is asked to confirm again
    phone = pages.lender()
    lender_sign_in(phone, PHONE)
    expect(phone).to_have_url(re.compile(r"/m/me/$"))
    card = phone.get_by_test_id("claim-card")
    expect(card.get_by_test_id("principal")).to_have_text("12,000.00 元 待收本金")
    expect(card).to_contain_text("待确认")
    expect(card).to_contain_text("第2版")
    card.click()
    expect(phone.get_by_text("第2版登记表变更了您的债权金额，请重新确认。")).to_be_visible()
    shot(phone, "07-lender-reconfirm")
    phone.get_by_role("button", name="信息无误，确认债权").click()
    expect(phone.get_by_role("heading", name="已确认")).to_be_visible()
    live = Confirmation.objects.get(
        lender=lender, institution=institution_a, voided_at__isnull=True
    )
    assert (live.principal_fen, live.version.number) == (1_200_000, 2)
