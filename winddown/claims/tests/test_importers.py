"""Parsing and validating register files (pure: no database)."""

import io
import random

import openpyxl
import pytest

from winddown.claims.importers import RegisterFileError, RegisterRow, read_register
from winddown.demo.generators import HEADER, resident_id

RNG = random.Random(5)
IDS = [resident_id(RNG) for _ in range(10)]
GOOD = [
    ["张三", "身份证", IDS[0], "13800138000", "1,234.50", "10.00", "3"],
    ["李四", "居民身份证", IDS[1], "139 0013 9000", "￥88", "", ""],
]


def opener(data: bytes):
    return lambda: io.BytesIO(data)


def csv_bytes(rows, header=HEADER, encoding="utf-8", newline="\r\n", delimiter=",") -> bytes:
    lines = [delimiter.join(header)] + [
        delimiter.join(f'"{c}"' if "," in c else c for c in row) for row in rows
    ]
    return (newline.join(lines) + newline).encode(encoding)


def parse(data: bytes):
    header, rows = read_register(opener(data))
    items = list(rows)
    good = [i for i in items if isinstance(i, RegisterRow)]
    errors = [e for i in items if isinstance(i, list) for e in i]
    return header, good, errors


def file_errors(data: bytes) -> list[str]:
    with pytest.raises(RegisterFileError) as info:
        parse(data)
    return [str(e) for e in info.value.errors]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_encodings_excel_in_china_produces(encoding):
    header, good, errors = parse(csv_bytes(GOOD, encoding=encoding))
    assert not errors
    assert [(r.name, r.principal_fen, r.interest_fen, r.loan_count) for r in good] == [
        ("张三", 123450, 1000, 3),
        ("李四", 8800, 0, None),
    ]
    assert good[1].phone == "13900139000" and header.has_interest and header.has_loan_count


def test_tab_separated_and_lf_only():
    _, good, errors = parse(csv_bytes(GOOD, newline="\n", delimiter="\t"))
    assert not errors and len(good) == 2


def test_headers_are_normalised_full_width_and_spaces():
    header = ["姓 名", "证件类型", "证件号码", "手机号码", "待收本金（元）"]
    _, good, errors = parse(csv_bytes([row[:5] for row in GOOD], header=header))
    assert not errors and len(good) == 2


def test_every_bad_row_is_reported_with_row_column_and_fix():
    rows = [
        [
            "张三",
            "身份证",
            IDS[0][:-1] + ("0" if IDS[0][-1] != "0" else "1"),
            "13800138000",
            "1.00",
            "",
            "",
        ],
        ["李四", "身份证", IDS[1], "13800138001", "12.345", "", ""],
        ["王五", "身份证", IDS[2], "13800138002", "-5", "", ""],
        ["", "身份证", IDS[3], "13800138003", "5", "", ""],
        ["赵六", "身份证", IDS[4], "13800138004", "5", "", ""],
        ["钱七", "身份证", IDS[4], "13800138005", "6", "", ""],
        ["孙八", "驾驶证", IDS[5], "13800138006", "6", "", ""],
        ["周九", "身份证", IDS[6], "1380013", "6", "", "x"],
        ["吴十", "身份证", IDS[7], "13800138008", "", "", ""],
        ["郑一", "身份证", IDS[8], "13800138009", "1", "2", "3", "多余"],
    ]
    _, _good, errors = parse(csv_bytes(rows))
    found = {(e.row, e.column) for e in errors}
    assert (2, "证件号码") in found  # bad check digit
    assert (3, "待收本金(元)") in found  # three decimals
    assert (4, "待收本金(元)") in found  # negative
    assert (5, "姓名") in found  # missing name
    assert (7, "证件号码") in found  # same ID, different name
    assert (8, "证件类型") in found
    assert (9, "手机号") in found and (9, "出借笔数") in found
    assert (10, "待收本金(元)") in found  # missing amount
    assert (11, "") in found  # extra cell
    messages = {(e.row, e.column): e.message for e in errors}
    assert "校验位" in messages[(2, "证件号码")]
    assert "两位小数" in messages[(3, "待收本金(元)")]
    assert "负" in messages[(4, "待收本金(元)")]
    assert "第6行" in messages[(7, "证件号码")] and "姓名不同" in messages[(7, "证件号码")]
    assert "没有请填 0" in messages[(10, "待收本金(元)")]
    # Error messages never echo an ID or mobile number.
    assert not any(i in str(e) for e in errors for i in IDS)


def test_same_lender_twice_asks_to_merge():
    rows = [GOOD[0], ["张三", "身份证", IDS[0], "13800138000", "1", "", ""]]
    _, _, errors = parse(csv_bytes(rows))
    assert len(errors) == 1 and "合并为一行" in errors[0].message and errors[0].row == 3


def test_blank_lines_are_skipped_and_row_numbers_stay_true():
    data = csv_bytes(
        [
            GOOD[0],
            ["", "", "", "", "", "", ""],
            ["王五", "身份证", IDS[2], "13800138002", "-1", "", ""],
        ]
    )
    _, good, errors = parse(data)
    assert len(good) == 1 and errors[0].row == 4


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ([*HEADER, "备注"], "「备注」：未知的列名"),
        (["姓名", "证件类型", "证件号码", "待收本金(元)"], "「手机号」：缺少必填列"),
        (["姓名", "姓名", "证件类型", "证件号码", "手机号", "待收本金(元)"], "「姓名」：列名重复"),
    ],
)
def test_wrong_columns_reject_the_file_before_any_row(header, expected):
    errors = file_errors(csv_bytes([], header=header))
    assert any(expected in e for e in errors), errors


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "文件为空"),
        (b"\x00\x01\x02binary\x00" * 100, "不是文本格式"),
        (b"%PDF-1.7 something", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        (b"PK\x03\x04garbage-not-a-zip", "XLSX 文件已损坏"),
        (b"\n\n\n", "没有表头"),
    ],
)
def test_files_that_are_not_registers(data, expected):
    errors = file_errors(data)
    assert any(expected in e for e in errors), errors


def test_undecodable_text_is_refused_clearly():
    # Valid in neither UTF-8 nor GB18030.
    errors = file_errors("姓名,证件类型\n".encode() + b"\x81\x30\xff\xff\n")
    assert any("编码" in e for e in errors)


def test_garbage_text_fails_on_the_header():
    rng = random.Random(3)
    garbage = "".join(chr(rng.randrange(0x4E00, 0x9FFF)) for _ in range(20000)).encode()
    errors = file_errors(garbage)
    assert errors


def _xlsx(rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_text_and_numeric_cells():
    data = _xlsx(
        [
            ["张三", "身份证", IDS[0], 13800138000, 1234.5, 10, 3],
            ["李四", "身份证", IDS[1], "13900139000", "88.00", None, None],
        ]
    )
    _header, good, errors = parse(data)
    assert not errors, errors
    assert [(r.name, r.phone, r.principal_fen, r.interest_fen) for r in good] == [
        ("张三", "13800138000", 123450, 1000),
        ("李四", "13900139000", 8800, 0),
    ]


def test_xlsx_id_number_stored_as_a_number_is_explained():
    data = _xlsx([["张三", "身份证", int(IDS[0][:17] + "1"), "13800138000", 1, 0, 1]])
    _, _, errors = parse(data)
    assert any("被 Excel 存成了数字" in e.message for e in errors)
