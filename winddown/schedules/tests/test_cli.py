"""``python -m winddown.schedules`` as a subprocess: JSON in on stdin, JSON out, exit 2 on bad
input with the field named on stderr and nothing on stdout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]

EXAMPLE = {
    "principal": "100000.00",
    "annual_rate": "4.90",
    "months": 12,
    "method": "equal-instalment",
    "value_date": "2026-01-15",
}


def run(stdin: str | bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "winddown.schedules", *args],
        input=data,
        capture_output=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )


def ok(doc: object, *args: str) -> dict:
    p = run(json.dumps(doc, ensure_ascii=False), *args)
    assert p.returncode == 0, p.stderr.decode()
    assert p.stderr == b""
    return json.loads(p.stdout)


def test_issue_example():
    out = ok(EXAMPLE)
    assert set(out) == {"instalments", "total_interest"}
    assert out["instalments"][0] == {
        "period": 1,
        "due_date": "2026-02-15",
        "principal": "8147.84",
        "interest": "408.33",
        "payment": "8556.17",
        "balance": "91852.16",
    }
    assert len(out["instalments"]) == 12
    assert out["instalments"][-1]["balance"] == "0.00"
    assert out["instalments"][-1]["due_date"] == "2027-01-15"
    assert out["total_interest"] == "2673.99"


def test_compact_is_one_line():
    p = run(json.dumps(EXAMPLE), "--compact")
    assert p.returncode == 0
    assert p.stdout.count(b"\n") == 1


@pytest.mark.parametrize(
    ("method", "rows", "first_payment"),
    [
        ("等额本息", 12, "8556.17"),
        ("等额本金", 12, "8741.66"),  # 8333.33 + 408.33
        ("先息后本", 12, "408.33"),
        ("按月付息、到期还本", 12, "408.33"),
        ("按月付息到期还本", 12, "408.33"),
        ("到期还本付息", 1, "104900.00"),  # 100000.00 + 4900.00
        ("bullet", 1, "104900.00"),
    ],
)
def test_chinese_method_names(method, rows, first_payment):
    out = ok({**EXAMPLE, "method": method})
    assert len(out["instalments"]) == rows
    assert out["instalments"][0]["payment"] == first_payment


def test_leap_year_value_date_in_json():
    out = ok({**EXAMPLE, "value_date": "2024-01-31", "months": 3})
    assert [i["due_date"] for i in out["instalments"]] == ["2024-02-29", "2024-03-31", "2024-04-30"]


def test_integers_are_yuan_and_percent():
    out = ok({**EXAMPLE, "principal": 100000, "annual_rate": 0})
    assert out["instalments"][0]["payment"] == "8333.33"
    assert out["total_interest"] == "0.00"


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        ({"principal": "100000.001"}, "principal", "至多两位小数"),
        ({"principal": "-100.00"}, "principal", "不能为负数"),
        ({"principal": -100}, "principal", "不能为负数"),
        ({"principal": "0.00"}, "principal", "须大于 0"),
        ({"principal": "10000000000.01"}, "principal", "100 亿元"),
        ({"principal": 100000.5}, "principal", "字符串"),
        ({"principal": "1,000.00"}, "principal", "格式不对"),
        ({"principal": "1e5"}, "principal", "格式不对"),
        ({"principal": True}, "principal", "布尔"),
        ({"annual_rate": "4.905"}, "annual_rate", "至多两位小数"),
        ({"annual_rate": "-1"}, "annual_rate", "不能为负数"),
        ({"annual_rate": "100.01"}, "annual_rate", "100%"),
        ({"annual_rate": "4.90%"}, "annual_rate", "格式不对"),
        ({"months": 0}, "months", "1 至 600"),
        ({"months": -3}, "months", "1 至 600"),
        ({"months": 601}, "months", "1 至 600"),
        ({"months": "12"}, "months", "整数"),
        ({"months": 12.0}, "months", "整数"),
        ({"method": "annuity"}, "method", "未知的还款方式"),
        ({"method": 1}, "method", "字符串"),
        ({"value_date": "2026-02-30"}, "value_date", "不是有效日期"),
        ({"value_date": "2026/01/15"}, "value_date", "YYYY-MM-DD"),
        ({"value_date": "20260115"}, "value_date", "YYYY-MM-DD"),
        ({"value_date": "9999-01-15"}, "value_date", "9999-12-31"),
        ({"rate": "4.90"}, "rate", "未知字段"),
    ],
)
def test_invalid_input_exits_2_naming_the_field(change, field, fragment):
    p = run(json.dumps({**EXAMPLE, **change}, ensure_ascii=False))
    assert p.returncode == 2
    assert p.stdout == b""
    err = p.stderr.decode()
    assert err.startswith(f"error: {field}: "), err
    assert fragment in err
    assert " / " in err  # Chinese / English


@pytest.mark.parametrize(
    ("stdin", "prefix"),
    [
        (
            json.dumps({k: v for k, v in EXAMPLE.items() if k != "months"}),
            "error: months: 缺少此字段",
        ),
        ('{"principal": "1.00", "principal": "2.00"}', "error: principal: JSON 对象中有重复的键"),
        ("[1, 2]", "error: (document): 须为 JSON 对象"),
        ("{", "error: stdin: 不是合法的 JSON"),
        (b"\xff\xfe", "error: stdin: 不是 UTF-8"),
    ],
)
def test_invalid_documents(stdin, prefix):
    p = run(stdin)
    assert p.returncode == 2
    assert p.stdout == b""
    assert p.stderr.decode().startswith(prefix)
